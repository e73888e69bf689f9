// Dear ImGui's font atlas builder, with the glyphs of the last build kept (issue 12: bake
// in small steps; issue 11 item 6: a bounded rebuild).
//
// ImGui 1.90 bakes every glyph of an atlas again at each Build(): with 4,000 CJK glyphs
// that was 110-567 ms of one task whenever a chat line brought a new character. This
// builder is ImGui's own (imgui_draw.cpp, ImFontAtlasBuildWithStbTruetype, MIT licence),
// changed in one place: a glyph it rasterised in the previous build, from the same font at
// the same size and oversampling, is copied from that build's bitmap instead of being
// rasterised again. Packing, the font's metrics and everything ImGui registers are as in
// ImGui's builder, so an atlas built here is the one ImGui would build.
//
// The cache holds exactly the glyphs of the last build (what a build did not use is
// dropped after it): it is never larger than the atlas's own pixels.
//
// FontFile: a TrueType/OpenType font's character map (which codepoints it has), read with
// the same stb_truetype as the builder; this file owns the one copy of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <imgui.h>

struct ImFontBuilderIO;

namespace gc::platform {

class FontFile {
 public:
  // nullptr when the bytes are not a TrueType or OpenType font.
  static std::unique_ptr<FontFile> load(std::vector<unsigned char> bytes);
  ~FontFile();
  bool has(std::uint32_t codepoint) const;
  const std::vector<unsigned char>& bytes() const { return bytes_; }

 private:
  struct Info;
  FontFile() = default;
  std::vector<unsigned char> bytes_;
  std::unique_ptr<Info> info_;
};

class GlyphCache {
 public:
  GlyphCache() = default;
  GlyphCache(const GlyphCache&) = delete;
  GlyphCache& operator=(const GlyphCache&) = delete;

  // Builds `atlas` (as ImFontAtlas::Build() does) with this cache: sets atlas->FontBuilderIO
  // and atlas->UserData for the call. Returns Build()'s result. The cache knows a font by
  // its ImFontConfig::Name and its size in bytes (ImGui copies a font's bytes at each
  // AddFont, so their address changes from one build to the next): give each font its own
  // name, and clear() when a font's bytes are replaced.
  bool build(ImFontAtlas& atlas);

  // Whether the last build baked `codepoint` with fonts of this pixel size: a build at that
  // size gets it from the cache.
  bool baked(std::uint32_t codepoint, float size_px) const {
    return size_px == last_size_px_ && baked_.count(codepoint) != 0;
  }
  // The last build was at this pixel size (and kept its glyphs).
  bool built_at(float size_px) const { return size_px == last_size_px_ && !entries_.empty(); }
  // Of the last build's glyphs: how many were rasterised, how many copied from the cache.
  std::size_t last_rasterised() const { return last_rasterised_; }
  std::size_t last_reused() const { return last_reused_; }
  std::size_t size() const { return entries_.size(); }
  // Forget everything (a font's bytes were replaced).
  void clear();

 private:
  struct Entry {
    float font_size = 0;  // the build's SizePixels * RasterizerDensity
    int h_oversample = 0, v_oversample = 0;
    int w = 0, h = 0;  // the bitmap, oversampling's extra columns and rows included
    float xadvance = 0, xoff = 0, yoff = 0, xoff2 = 0, yoff2 = 0;
    std::uint64_t build = 0;  // the last build that used it
    std::vector<unsigned char> pixels;
  };
  friend bool build_with_cache(ImFontAtlas* atlas);
  std::uint64_t key(const ImFontConfig& font, int glyph);

  std::unordered_map<std::uint64_t, Entry> entries_;
  std::vector<std::pair<std::string, int>> fonts_;  // a font's name and size -> the key's upper half
  std::unordered_set<std::uint32_t> baked_;
  float last_size_px_ = 0;
  std::uint64_t builds_ = 0;
  std::size_t last_rasterised_ = 0;
  std::size_t last_reused_ = 0;
};

}  // namespace gc::platform
