#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdio>

#include <imgui_internal.h>

#include "protocol/utf8.hpp"

namespace gc::ui {
namespace {

// Decodes one UTF-8 codepoint at text[i]; invalid bytes count as U+FFFD of length 1.
unsigned int decode_utf8(std::string_view text, std::size_t i, std::size_t* length) {
  std::uint32_t cp = 0;
  *length = utf8::decode_lenient(text, i, cp);
  return cp;
}

// Scripts written without spaces: a line may break before or after any of these.
bool is_wide(unsigned int cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool is_space(unsigned int cp) { return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0; }

float font_advance(unsigned int cp, void*) {
  ImFont* font = ImGui::GetFont();
  const float scale = ImGui::GetFontSize() / font->FontSize;
  if (cp > IM_UNICODE_CODEPOINT_MAX) cp = IM_UNICODE_CODEPOINT_INVALID;
  return font->GetCharAdvance(static_cast<ImWchar>(cp)) * scale;
}

}  // namespace

std::string format_clock(std::int64_t epoch_ms, int utc_offset_minutes) {
  std::int64_t minutes = epoch_ms / 60000;
  if (epoch_ms < 0 && epoch_ms % 60000 != 0) minutes -= 1;  // floor
  minutes += utc_offset_minutes;
  std::int64_t of_day = minutes % 1440;
  if (of_day < 0) of_day += 1440;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(of_day / 60),
                static_cast<int>(of_day % 60));
  return buf;
}

std::string initial_of(std::string_view name) {
  std::size_t i = 0;
  while (i < name.size()) {
    std::size_t length = 1;
    const unsigned int cp = decode_utf8(name, i, &length);
    const bool skip = is_space(cp) || cp == 0xFFFD || (cp < 0x80 && !std::isalnum(static_cast<int>(cp))) ||
                      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F);
    if (!skip) {
      if (cp >= 'a' && cp <= 'z') return std::string(1, static_cast<char>(cp - 'a' + 'A'));
      return std::string(name.substr(i, length));
    }
    i += length;
  }
  return "?";
}

std::vector<TextPiece> wrap_text(std::string_view text, const std::vector<core::TextSpan>& spans,
                                 float wrap_width, float line_height,
                                 float (*advance)(unsigned int, void*), void* user,
                                 float* height) {
  std::vector<TextPiece> pieces;
  if (wrap_width < 1) wrap_width = 1;
  float x = 0;
  float y = 0;
  bool after_wrap = false;
  std::size_t span = 0;
  const auto span_of = [&](std::size_t offset) {
    while (span + 1 < spans.size() && offset >= spans[span].offset + spans[span].length) ++span;
    return span;
  };
  const auto place = [&](std::size_t begin, std::size_t end, std::size_t s, float w) {
    if (!pieces.empty()) {
      TextPiece& last = pieces.back();
      if (last.end == begin && last.span == s && last.y == y) {
        last.end = end;
        last.w += w;
        x += w;
        return;
      }
    }
    pieces.push_back(TextPiece{begin, end, s, x, y, w});
    x += w;
  };
  const auto new_line = [&] {
    y += line_height;
    x = 0;
  };

  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t length = 1;
    unsigned int cp = decode_utf8(text, i, &length);
    const std::size_t s = span_of(i);
    if (cp == '\n') {
      new_line();
      after_wrap = false;
      i += length;
      continue;
    }
    if (cp == '\r') {
      i += length;
      continue;
    }
    if (is_space(cp)) {
      const float w = advance(cp, user);
      if (after_wrap) {
        i += length;
        continue;
      }
      if (x + w > wrap_width && x > 0) {
        new_line();
        after_wrap = true;
        i += length;
        continue;
      }
      place(i, i + length, s, w);
      i += length;
      continue;
    }
    // An atom: one wide codepoint, or a run of narrow non-space codepoints within one span.
    const std::size_t begin = i;
    std::size_t end = i + length;
    float w = advance(cp, user);
    if (!is_wide(cp)) {
      const std::size_t span_end =
          spans.empty() ? text.size() : spans[s].offset + spans[s].length;
      while (end < text.size() && end < span_end) {
        std::size_t l2 = 1;
        const unsigned int c2 = decode_utf8(text, end, &l2);
        if (c2 == '\n' || c2 == '\r' || is_space(c2) || is_wide(c2)) break;
        w += advance(c2, user);
        end += l2;
      }
    }
    if (x + w > wrap_width && x > 0) new_line();
    if (w <= wrap_width) {
      place(begin, end, s, w);
    } else {
      // Wider than a whole line: break between codepoints, at least one per line.
      std::size_t k = begin;
      while (k < end) {
        std::size_t l3 = 1;
        const unsigned int c3 = decode_utf8(text, k, &l3);
        const float cw = advance(c3, user);
        if (x + cw > wrap_width && x > 0) new_line();
        place(k, k + l3, s, cw);
        k += l3;
      }
    }
    after_wrap = false;
    i = end;
  }
  if (height) *height = y + line_height;
  return pieces;
}

namespace {
bool g_high_contrast_colors = false;  // one theme per ImGui style, as the style itself is

// Dark theme / high contrast, in the order of the accessors below.
struct Pair {
  ImU32 normal;
  ImU32 contrast;
};
ImU32 pick(Pair p) { return g_high_contrast_colors ? p.contrast : p.normal; }
}  // namespace

ImU32 avatar_color(std::int64_t id) {
  static constexpr ImU32 kPalette[] = {
      IM_COL32(84, 110, 200, 255), IM_COL32(50, 150, 130, 255), IM_COL32(180, 95, 70, 255),
      IM_COL32(140, 90, 180, 255), IM_COL32(60, 130, 190, 255), IM_COL32(170, 130, 50, 255),
      IM_COL32(190, 80, 120, 255), IM_COL32(90, 150, 70, 255),
  };
  // High contrast: no mid-tone behind the white initial.
  if (g_high_contrast_colors) return IM_COL32(0, 0, 0, 255);
  auto h = static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ull;
  return kPalette[(h >> 59) % (sizeof kPalette / sizeof kPalette[0])];
}

std::optional<std::size_t> rich_text(std::string_view text, const std::vector<core::TextSpan>& spans,
                                     int id_seed, float wrap_width, std::vector<LinkHit>* link_rects) {
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  if (wrap_width <= 0) wrap_width = ImGui::GetContentRegionAvail().x;
  wrap_width = std::max(wrap_width, ImGui::GetFontSize());
  const float line_height = ImGui::GetTextLineHeight();
  float height = 0;
  const std::vector<TextPiece> pieces =
      wrap_text(text, spans, wrap_width, line_height, font_advance, nullptr, &height);

  ImDrawList* dl = window->DrawList;
  const ImU32 text_color = ImGui::GetColorU32(ImGuiCol_Text);
  std::optional<std::size_t> clicked;
  ImGui::PushID(id_seed);
  // First pass: which link span is hovered (any of its pieces), so all pieces underline.
  std::optional<std::size_t> hovered_span;
  for (std::size_t p = 0; p < pieces.size(); ++p) {
    const TextPiece& piece = pieces[p];
    const bool is_link = piece.span < spans.size() && spans[piece.span].kind == core::TextSpan::Kind::kLink;
    if (!is_link) continue;
    const ImRect bb(origin.x + piece.x, origin.y + piece.y, origin.x + piece.x + piece.w,
                    origin.y + piece.y + line_height);
    const ImGuiID id = window->GetID(static_cast<int>(p));
    if (!ImGui::ItemAdd(bb, id)) continue;
    bool hovered = false;
    bool held = false;
    if (ImGui::ButtonBehavior(bb, id, &hovered, &held)) clicked = piece.span;
    if (hovered) hovered_span = piece.span;
    if (link_rects) link_rects->push_back(LinkHit{piece.span, bb.Min, bb.Max});
  }
  for (const TextPiece& piece : pieces) {
    const bool is_link = piece.span < spans.size() && spans[piece.span].kind == core::TextSpan::Kind::kLink;
    const ImVec2 pos(origin.x + piece.x, origin.y + piece.y);
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, is_link ? colors::link() : text_color,
                text.data() + piece.begin, text.data() + piece.end);
    if (is_link && hovered_span == piece.span) {
      const float underline_y = pos.y + line_height - 1.0f;
      dl->AddLine(ImVec2(pos.x, underline_y), ImVec2(pos.x + piece.w, underline_y), colors::link());
    }
  }
  ImGui::PopID();
  if (hovered_span) {
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    const core::TextSpan& span = spans[*hovered_span];
    const std::string url(text.substr(span.offset, span.length));
    ImGui::SetTooltip("%s", url.c_str());
  }
  ImGui::Dummy(ImVec2(wrap_width, height));
  return clicked;
}

ImVec2 text_size(std::string_view text) {
  return ImGui::CalcTextSize(text.data(), text.data() + text.size());
}

ImVec2 draw_badge(ImDrawList* dl, ImVec2 pos, ImU32 dot, const char* label) {
  const float font = ImGui::GetFontSize();
  const float pad_x = font * 0.5f;
  const float pad_y = font * 0.2f;
  const float dot_r = font * 0.25f;
  const ImVec2 label_size = ImGui::CalcTextSize(label);
  const ImVec2 size(pad_x * 2 + dot_r * 2 + pad_x * 0.6f + label_size.x, label_size.y + pad_y * 2);
  dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), colors::name_bar(), size.y * 0.5f);
  dl->AddCircleFilled(ImVec2(pos.x + pad_x + dot_r, pos.y + size.y * 0.5f), dot_r, dot);
  dl->AddText(ImVec2(pos.x + pad_x + dot_r * 2 + pad_x * 0.6f, pos.y + pad_y), colors::text(), label);
  return size;
}

void draw_text_ellipsized(ImDrawList* dl, ImVec2 pos, ImU32 color, std::string_view text,
                          float max_width) {
  const ImVec2 size = text_size(text);
  if (size.x <= max_width) {
    dl->AddText(pos, color, text.data(), text.data() + text.size());
    return;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  const ImVec2 max(pos.x + max_width, pos.y + size.y);
  ImGui::RenderTextEllipsis(dl, pos, max, max.x, max.x, text.data(), text.data() + text.size(), &size);
  ImGui::PopStyleColor();
}


namespace colors {
ImU32 background() { return pick({IM_COL32(17, 19, 24, 255), IM_COL32(0, 0, 0, 255)}); }
ImU32 panel() { return pick({IM_COL32(26, 29, 36, 255), IM_COL32(0, 0, 0, 255)}); }
ImU32 panel_border() { return pick({IM_COL32(45, 49, 60, 255), IM_COL32(255, 255, 255, 255)}); }
ImU32 tile_empty() { return pick({IM_COL32(34, 37, 46, 255), IM_COL32(0, 0, 0, 255)}); }
ImU32 tile_frame() { return pick({IM_COL32(60, 65, 80, 255), IM_COL32(255, 255, 255, 255)}); }
ImU32 text_dim() { return pick({IM_COL32(150, 156, 170, 255), IM_COL32(255, 255, 255, 255)}); }
ImU32 text() { return pick({IM_COL32(232, 234, 240, 255), IM_COL32(255, 255, 255, 255)}); }
ImU32 accent() { return pick({IM_COL32(64, 140, 255, 255), IM_COL32(255, 230, 0, 255)}); }
ImU32 link() { return pick({IM_COL32(110, 175, 255, 255), IM_COL32(102, 230, 255, 255)}); }
ImU32 good() { return pick({IM_COL32(46, 190, 110, 255), IM_COL32(90, 255, 140, 255)}); }
ImU32 warn() { return pick({IM_COL32(240, 170, 50, 255), IM_COL32(255, 230, 0, 255)}); }
ImU32 bad() { return pick({IM_COL32(235, 80, 80, 255), IM_COL32(255, 130, 130, 255)}); }
ImU32 danger() { return pick({IM_COL32(210, 55, 55, 255), IM_COL32(255, 130, 130, 255)}); }
ImU32 name_bar() { return pick({IM_COL32(0, 0, 0, 170), IM_COL32(0, 0, 0, 255)}); }
ImU32 control() { return pick({IM_COL32(48, 53, 66, 255), IM_COL32(0, 0, 0, 255)}); }
ImU32 control_on() { return pick({IM_COL32(45, 80, 140, 255), IM_COL32(0, 0, 0, 255)}); }
// High contrast: 3.0:1 against black, the minimum for a part of a control (WCAG 1.4.11).
ImU32 overlay() { return pick({IM_COL32(34, 38, 49, 245), IM_COL32(0, 0, 0, 255)}); }
ImU32 banner() { return pick({IM_COL32(70, 52, 20, 240), IM_COL32(0, 0, 0, 255)}); }
ImU32 hint_fill() { return pick({IM_COL32(20, 90, 200, 230), IM_COL32(0, 0, 0, 255)}); }
ImU32 focus_ring() { return pick({IM_COL32(120, 190, 255, 255), IM_COL32(255, 230, 0, 255)}); }
ImU32 meter_off() { return pick({IM_COL32(60, 65, 80, 255), IM_COL32(105, 105, 105, 255)}); }
}  // namespace colors

void set_high_contrast_colors(bool on) { g_high_contrast_colors = on; }
bool high_contrast_colors() { return g_high_contrast_colors; }

bool colored_button(const char* label, ImU32 color, ImVec2 size) {
  if (g_high_contrast_colors) return ImGui::Button(label, size);  // the theme's black and white
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
  ImGui::PushStyleColor(ImGuiCol_Button, c);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(std::min(c.x * 1.15f, 1.0f), std::min(c.y * 1.15f, 1.0f),
                                                       std::min(c.z * 1.15f, 1.0f), c.w));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(c.x * 0.85f, c.y * 0.85f, c.z * 0.85f, c.w));
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(3);
  return pressed;
}

void draw_count_badge(ImDrawList* dl, ImVec2 center, int count) {
  char buf[16];
  if (count > 99) {
    std::snprintf(buf, sizeof buf, "99+");
  } else {
    std::snprintf(buf, sizeof buf, "%d", count);
  }
  const ImVec2 size = ImGui::CalcTextSize(buf);
  const float h = size.y + 2;
  const float w = std::max(h, size.x + h * 0.6f);
  const ImVec2 min(center.x - w * 0.5f, center.y - h * 0.5f);
  dl->AddRectFilled(min, ImVec2(min.x + w, min.y + h), colors::bad(), h * 0.5f);
  // High contrast: a light fill, so black digits (8:1) rather than white.
  dl->AddText(ImVec2(center.x - size.x * 0.5f, center.y - size.y * 0.5f),
              g_high_contrast_colors ? IM_COL32_BLACK : IM_COL32_WHITE, buf);
}

}  // namespace gc::ui
