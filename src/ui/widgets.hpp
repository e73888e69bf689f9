// Small drawing helpers and pure formatting functions shared by the views.
//
// The pure functions (clock, initials, word-wrap layout) need no ImGui context and are
// unit-tested directly; the drawing helpers draw into the current window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "core/links.hpp"
#include "core/url_config.hpp"

namespace gc::ui {

// ---- pure -------------------------------------------------------------------------------

// Validation is not the views' to define: the join form checks the server address with
// core::is_websocket_url and room/user with core::parse_wire_integer (core/url_config.hpp),
// the rules the fragment parser and the socket bridge use, so the form never lets through
// what fails later. The views name the parser unqualified, hence this using-declaration.
using core::parse_wire_integer;

// "HH:MM" of epoch milliseconds shifted by utc_offset_minutes.
std::string format_clock(std::int64_t epoch_ms, int utc_offset_minutes);

// The first letter of a display name for an avatar: the first codepoint that is not a
// space or punctuation, ASCII upper-cased; "?" when there is none.
std::string initial_of(std::string_view name);

// One placed piece of a wrapped text: bytes [begin, end) of the text at (x, y) relative
// to the text's top left, `span` is the index of the core::TextSpan it belongs to.
struct TextPiece {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t span = 0;
  float x = 0;
  float y = 0;
  float w = 0;
};

// Greedy word wrap that also breaks between CJK characters (ImGui 1.90's wrap treats a
// run of Chinese as one word). `advance` gives the width of one codepoint; '\n' breaks a
// line; spaces at the start of a wrapped line are dropped; a word wider than the line is
// broken between codepoints. Returns the pieces and sets `height` to lines * line_height.
std::vector<TextPiece> wrap_text(std::string_view text, const std::vector<core::TextSpan>& spans,
                                 float wrap_width, float line_height,
                                 float (*advance)(unsigned int codepoint, void* user),
                                 void* user, float* height);

// ---- drawing (current ImGui window) ------------------------------------------------------

namespace colors {
inline constexpr ImU32 kBackground = IM_COL32(17, 19, 24, 255);
inline constexpr ImU32 kPanel = IM_COL32(26, 29, 36, 255);
inline constexpr ImU32 kPanelBorder = IM_COL32(45, 49, 60, 255);
inline constexpr ImU32 kTileEmpty = IM_COL32(34, 37, 46, 255);
inline constexpr ImU32 kTileFrame = IM_COL32(60, 65, 80, 255);
inline constexpr ImU32 kTextDim = IM_COL32(150, 156, 170, 255);
inline constexpr ImU32 kText = IM_COL32(232, 234, 240, 255);
inline constexpr ImU32 kAccent = IM_COL32(64, 140, 255, 255);
inline constexpr ImU32 kLink = IM_COL32(110, 175, 255, 255);
inline constexpr ImU32 kGood = IM_COL32(46, 190, 110, 255);
inline constexpr ImU32 kWarn = IM_COL32(240, 170, 50, 255);
inline constexpr ImU32 kBad = IM_COL32(235, 80, 80, 255);
inline constexpr ImU32 kDanger = IM_COL32(210, 55, 55, 255);
inline constexpr ImU32 kNameBar = IM_COL32(0, 0, 0, 170);
}  // namespace colors

// A stable, pleasant avatar colour for an id.
ImU32 avatar_color(std::int64_t id);

// Text with clickable links, wrapped to the available width at the cursor. Returns the
// index of the link span clicked this frame, if any. `id_seed` keeps ids unique per line.
// Link rects are appended to `link_rects` (x, y, w, h per piece, span index in `spans`).
struct LinkHit {
  std::size_t span = 0;
  ImVec2 min;
  ImVec2 max;
};
// wrap_width <= 0: the available content width.
std::optional<std::size_t> rich_text(std::string_view text, const std::vector<core::TextSpan>& spans,
                                     int id_seed, float wrap_width, std::vector<LinkHit>* link_rects);

// A rounded pill with a coloured dot and a label, drawn at `pos` (top left); returns its size.
ImVec2 draw_badge(ImDrawList* dl, ImVec2 pos, ImU32 dot, const char* label);

// Label size with the current font.
ImVec2 text_size(std::string_view text);

// Draws `text` clipped to max_width with an ellipsis ("…" if the font has it, else "...").
void draw_text_ellipsized(ImDrawList* dl, ImVec2 pos, ImU32 color, std::string_view text,
                          float max_width);

// The high-contrast theme is on (Ui::set_high_contrast): colored_button draws black with a
// white outline instead of its colour, so no label sits on a mid-tone fill.
void set_high_contrast_colors(bool on);
bool high_contrast_colors();

// A button with a filled background colour (e.g. red Leave); same signature as Button.
bool colored_button(const char* label, ImU32 color, ImVec2 size = ImVec2(0, 0));

// A small round count badge (unread) centred at `center`.
void draw_count_badge(ImDrawList* dl, ImVec2 center, int count);

}  // namespace gc::ui
