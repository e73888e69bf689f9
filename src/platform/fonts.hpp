// The ImGui font atlas: a small Latin base font embedded in the Wasm (ready before the
// first frame) and fallback fonts (the rest of Latin, Greek, Cyrillic, symbols; CJK)
// merged in once fetched. ImGui 1.90 bakes glyph ranges, so the
// atlas holds a small starter set plus every codepoint asked for through request(); a new
// codepoint marks the atlas dirty and the frontend rebuilds it between frames. A rebuild
// copies the glyphs the last one rasterised (GlyphCache, font_builder.hpp) and rasterises
// only what is new, at most kMaxNewGlyphs at a time.
//
// Bounded (issue 11 item 6): others choose the text, so the atlas has a glyph budget. It
// is never wider or taller than min(kMaxAtlasSide, the context's MAX_TEXTURE_SIZE), and
// holds at most glyph_budget() requested glyphs, which follows from the text size and
// kMaxAtlasPixels. Codepoints are admitted in the order they were
// first asked for (the UI's own strings and the CJK starter set first); those past the
// budget are not baked and draw as ImGui's fallback glyph, U+FFFD (a box with a question
// mark), as do codepoints no loaded font has. A rebuild rasterises at most the budget, so
// its cost is bounded too (tests/e2e/test/hostile.test.mjs measures it).
//
// Emoji (issue 13 item 6): a third kind of font, fetched only when text asks for a
// codepoint it alone has (glyph_class.hpp; the table of its codepoints is generated at
// build time, fonts.cmake). request() then marks it wanted; the frontend fetches it after
// the frame and hands it to set_emoji_font(). Emoji count against the glyph budget like
// any glyph. The invisible parts of emoji sequences (ZWJ, variation selectors, skin tones)
// are baked as zero-width glyphs once asked for, so they never draw as U+FFFD.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "glyph_class.hpp"


namespace gc::platform {

class FontFile;
class GlyphCache;

class FontAtlas {
 public:
  // Default text size in CSS pixels; glyphs are rasterised at the text size times
  // devicePixelRatio.
  static constexpr float kTextSizeCss = 16.0f;
  // The atlas's area: at most 4 Mpx (a 4 MiB texture, one byte per pixel; the budget is
  // then kMaxGlyphs at 16 px, ~2,700 at 32 px, i.e. devicePixelRatio 2), or more for
  // very large text (a kiosk on a wall screen) so that at least kMinGlyphs fit; never a
  // side over kMaxAtlasSide or the context's MAX_TEXTURE_SIZE.
  static constexpr long kMaxAtlasPixels = 2048L * 2048L;
  static constexpr std::size_t kMinGlyphs = 1024;
  // And at most this many requested glyphs whatever the size: an atlas of 6,000 glyphs at
  // 16 px is ~2 Mpx. A rebuild copies the glyphs the last one rasterised
  // (font_builder.hpp) and rasterises at most kMaxNewGlyphs more, so what a rebuild costs
  // is the packing and copying of the budget plus that many new glyphs: a page flooded with
  // distinct characters bakes them in steps, each a short task (tests/e2e scenario 22).
  // Before the cache every rebuild rasterised every glyph: 6,000 took 110-567 ms, and the
  // budget was 4,000.
  static constexpr std::size_t kMaxGlyphs = 6000;
  static constexpr std::size_t kMaxNewGlyphs = 500;
  static constexpr int kMaxAtlasSide = 4096;

  FontAtlas();
  ~FontAtlas();
  FontAtlas(const FontAtlas&) = delete;
  FontAtlas& operator=(const FontAtlas&) = delete;

  // Notes the codepoints of utf8. Returns true when one of them was never asked for
  // before. The atlas becomes dirty only when a new codepoint can be drawn now (those
  // outside the embedded font wait for a fallback font) and fits the budget. Codepoints
  // above kMaxCodepoint (glyph_class.hpp) are ignored: no font we ship has them.
  bool request(std::string_view utf8);
  // Fallback font number `index` arrived (TrueType bytes). Fonts merge in index order
  // whatever order they arrive in (the page lists them: web/index.html
  // data-fallback-fonts). Marks the atlas dirty.
  void set_fallback_font(std::size_t index, std::vector<unsigned char> ttf);

  // The emoji font, wanted once a requested codepoint is in it alone. The frontend asks
  // take_emoji_font_request() after each frame: true once, when it should fetch it.
  enum class EmojiFont { kNotNeeded, kWanted, kFetching, kLoaded, kFailed };
  EmojiFont emoji_font() const { return emoji_state_; }
  bool take_emoji_font_request();
  // The bytes arrived (merged after every fallback font; marks the atlas dirty), or the
  // fetch failed (emoji keep drawing as U+FFFD).
  void set_emoji_font(std::vector<unsigned char> ttf);
  void emoji_font_failed() { emoji_state_ = EmojiFont::kFailed; }
  // GL_MAX_TEXTURE_SIZE of the context: the atlas never has a side longer than this.
  void set_max_texture_size(int px);
  int max_texture_size() const { return max_texture_size_; }

  // Another text size (CSS px, e.g. larger on a kiosk wall screen). Marks the atlas dirty
  // when it changes.
  void set_text_size(float css_px);
  float text_size() const { return text_size_css_; }

  bool needs_rebuild(float pixel_ratio) const { return dirty_ || pixel_ratio != built_ratio_; }
  // An atlas for this pixel ratio exists (it may lack glyphs asked for since).
  bool built_for(float pixel_ratio) const { return pixel_ratio == built_ratio_; }
  // Clears io.Fonts and bakes it again for this pixel ratio; sets io.FontGlobalScale.
  // The caller uploads the new texture. Call between frames only.
  void rebuild(float pixel_ratio);

  std::size_t requested_count() const { return requested_.count(); }
  // Requested glyphs baked at most (besides ASCII and the UI's symbols), for the last
  // rebuild's text size.
  std::size_t glyph_budget() const { return budget_; }
  // Of the last rebuild's glyphs: rasterised, and copied from the previous atlas.
  std::size_t last_rasterised() const;
  std::size_t last_reused() const;
  // Requested codepoints a loaded font has but the budget left out (drawn as U+FFFD).
  std::size_t over_budget() const { return drawable_.size() > budget_ ? drawable_.size() - budget_ : 0; }
  // Requested codepoints no loaded font has (drawn as U+FFFD; CJK until its font arrives).
  std::size_t without_font() const { return waiting_.size(); }

 private:
  bool drawable(std::uint32_t cp) const;
  static std::unique_ptr<FontFile> load_font(std::vector<unsigned char> ttf, const char* what);
  void admit_waiting();
  double area_for(float size_px) const;
  std::size_t budget_for(float size_px) const;

  std::bitset<kMaxCodepoint + 1> requested_;
  std::vector<std::uint32_t> drawable_;   // requested, some loaded font has it; in request order
  std::vector<std::uint32_t> waiting_;    // requested, no loaded font has it (yet)
  std::vector<std::uint32_t> invisible_;  // requested, baked as zero-width glyphs
  std::vector<std::unique_ptr<FontFile>> fallback_;  // by index; null = not (yet) loaded
  std::unique_ptr<FontFile> emoji_;                  // null = not (yet) loaded
  std::unique_ptr<GlyphCache> cache_;                // the last build's glyphs
  EmojiFont emoji_state_ = EmojiFont::kNotNeeded;
  ImVector<ImWchar> ranges_;  // io.Fonts keeps a pointer to it until the next rebuild
  float text_size_css_ = kTextSizeCss;
  int max_texture_size_ = 2048;  // WebGL2's minimum, until the context says
  std::size_t budget_;
  bool dirty_ = true;
  float built_ratio_ = 0.0f;
};

}  // namespace gc::platform
