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

// The palette every view draws with. Two themes: the default (dark) and high contrast
// (forced-colors / prefers-contrast: more, Ui::set_high_contrast): black grounds, white text
// and frames, yellow accents, opaque name bars, and status colours light enough on black
// (every text colour there has at least 7:1 against black).
namespace colors {
ImU32 background();
ImU32 panel();
ImU32 panel_border();
ImU32 tile_empty();
ImU32 tile_frame();
ImU32 text_dim();
ImU32 text();
ImU32 accent();
ImU32 link();
ImU32 good();
ImU32 warn();
ImU32 bad();
ImU32 danger();
ImU32 name_bar();
ImU32 control();     // a control bar button's fill, a keycap
ImU32 control_on();  // a toggle that is on (the open side panel's button)
ImU32 meter_off();   // an unlit meter segment
ImU32 overlay();     // the toasts', tile menu's and quality plots' window
ImU32 banner();      // the reconnecting banner's window
ImU32 hint_fill();   // a hint pill over a tile (white text on it)
ImU32 focus_ring();  // the keyboard focus ring (drawn over a black outline)
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
