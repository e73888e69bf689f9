// The ImGui font atlas: a small Latin base font embedded in the Wasm (ready before the
// first frame) and fallback fonts (the rest of Latin, Greek, Cyrillic, symbols; CJK)
// merged in once fetched. ImGui 1.90 bakes glyph ranges, so the
// atlas holds a small starter set plus every codepoint asked for through request(); a new
// codepoint marks the atlas dirty and the frontend rebuilds it between frames.
#pragma once

#include <bitset>
#include <cstddef>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "protocol/utf8.hpp"

namespace gc::platform {

class FontAtlas {
 public:
  // Default text size in CSS pixels; glyphs are rasterised at the text size times
  // devicePixelRatio.
  static constexpr float kTextSizeCss = 16.0f;

  FontAtlas();

  // Notes the codepoints of utf8. Returns true when one of them was never asked for
  // before. The atlas becomes dirty only when a new codepoint can be drawn now (those
  // outside the embedded font wait for a fallback font). Codepoints above U+FFFF are
  // ignored: no font we ship has them (emoji draw as U+FFFD).
  bool request(std::string_view utf8);
  // Fallback font number `index` arrived (TrueType bytes). Fonts merge in index order
  // whatever order they arrive in (the page lists them: web/index.html
  // data-fallback-fonts). Marks the atlas dirty.
  void set_fallback_font(std::size_t index, std::vector<unsigned char> ttf);
  bool any_fallback_loaded() const;

  // Another text size (CSS px, e.g. larger on a kiosk wall screen). Marks the atlas dirty
  // when it changes.
  void set_text_size(float css_px);
  float text_size() const { return text_size_css_; }

  bool needs_rebuild(float pixel_ratio) const { return dirty_ || pixel_ratio != built_ratio_; }
  // Clears io.Fonts and bakes it again for this pixel ratio; sets io.FontGlobalScale.
  // The caller uploads the new texture. Call between frames only.
  void rebuild(float pixel_ratio);

  std::size_t requested_count() const { return requested_.count(); }

 private:
  std::bitset<0x10000> requested_;
  std::vector<std::vector<unsigned char>> fallback_ttf_;  // by index; empty = not (yet) loaded
  ImVector<ImWchar> ranges_;  // io.Fonts keeps a pointer to it until the next rebuild
  float text_size_css_ = kTextSizeCss;
  bool dirty_ = true;
  float built_ratio_ = 0.0f;
};

// Decodes UTF-8 leniently (invalid bytes become U+FFFD) and calls fn(codepoint).
template <typename Fn>
void for_each_codepoint(std::string_view s, Fn&& fn) {
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    i += utf8::decode_lenient(s, i, cp);
    fn(static_cast<unsigned>(cp));
  }
}

}  // namespace gc::platform
