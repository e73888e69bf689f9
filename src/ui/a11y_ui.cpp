// The Ui's side of the accessibility mirror (issue 14): what the tree builder reads of the
// Ui, activation and focus from the mirror, the focus ring, the high-contrast theme.
#include <algorithm>

#include <imgui.h>
#include <imgui_internal.h>

#include "ui/a11y.hpp"
#include "ui/ui.hpp"
#include "ui/widgets.hpp"

namespace gc::ui {

void Ui::a11y_input(A11yInput& in, Millis now) const {
  switch (screen_) {
    case Screen::kJoin: in.screen = A11yInput::Screen::kJoin; break;
    case Screen::kRoom: in.screen = A11yInput::Screen::kRoom; break;
    case Screen::kKiosk: in.screen = A11yInput::Screen::kKiosk; break;
    case Screen::kRefused: in.screen = A11yInput::Screen::kRefused; break;
  }
  in.language = language_;
  in.text_scale = text_scale_;
  in.regions = &regions_;
  in.live = live_;
  in.now = now;
  in.utc_offset_minutes = utc_offset_minutes_;
  in.server = server_field_;
  in.room = room_field_;
  in.user = user_field_;
  in.chat_draft = chat_input_;
  in.chat_open = panel_open_ && panel_tab_ == PanelTab::kChat;
  in.files_open = panel_open_ && panel_tab_ == PanelTab::kFiles;
  in.page = page_;
  in.page_count = page_count_;
  in.pinned = pinned_;
  in.large_tile = large_shown_;
  if (region("tile/menu/pin")) in.menu_tile = menu_tile_;
  in.devices = devices_;
}

void Ui::a11y_focus(std::string id) {
  // Tab moved the DOM focus from a canvas text field to a button: the field lets go, or
  // its caret would keep taking the keys the button should get.
  if (!is_a11y_text_field(id)) a11y_release_text_ = true;
  a11y_focus_ = std::move(id);
}

bool Ui::a11y_activate(const std::string& id) {
  const Region* r = region(id);
  if (!r) return false;
  a11y_pending_ = *r;
  return true;
}

void Ui::set_high_contrast(bool on) {
  if (on == high_contrast_) return;
  high_contrast_ = on;
  set_high_contrast_colors(on);
  theme_applied_ = false;  // the next draw applies the base theme, then this one over it
}

// Start of draw(): what the mirror asked for since the last frame.
void Ui::a11y_frame_start() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (a11y_release_text_) {
    a11y_release_text_ = false;
    if (g.ActiveId != 0 && g.ActiveId == g.InputTextState.ID) ImGui::ClearActiveID();
  }
  if (!a11y_pending_) return;
  const Region r = *a11y_pending_;
  a11y_pending_.reset();
  if (r.item != 0) {
    // Pressed by ImGui's own activation on the next NewFrame, as Enter on a navigated item
    // would: the mouse stays where it is. A text field is activated for typing.
    ImGui::ActivateItemByID(r.item);
    g.NavNextActivateFlags = ImGuiActivateFlags_PreferInput;
  } else {
    // A drawn area, not an ImGui item (a link drawn as text): click its centre.
    ImGuiIO& io = ImGui::GetIO();
    io.AddMousePosEvent(r.x + r.w * 0.5f, r.y + r.h * 0.5f);
    io.AddMouseButtonEvent(ImGuiMouseButton_Left, true);
    io.AddMouseButtonEvent(ImGuiMouseButton_Left, false);
  }
}

// The keyboard focus, drawn on the canvas: a dark outer and a light inner outline, so it
// shows on light and dark surfaces alike (and yellow in high contrast).
void Ui::draw_focus_ring() {
  if (a11y_focus_.empty()) return;
  const Region* r = region(a11y_focus_);
  if (!r || r->w <= 0 || r->h <= 0) return;
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const float pad = 3.0f;
  const ImVec2 min(r->x - pad, r->y - pad);
  const ImVec2 max(r->x + r->w + pad, r->y + r->h + pad);
  const float rounding = ImGui::GetStyle().FrameRounding + pad;
  dl->AddRect(ImVec2(min.x - 1.5f, min.y - 1.5f), ImVec2(max.x + 1.5f, max.y + 1.5f), IM_COL32(0, 0, 0, 255),
              rounding + 1.5f, 0, 2.0f);
  dl->AddRect(min, max, colors::focus_ring(), rounding, 0, 2.5f);
}

void apply_high_contrast_theme() {
  ImGuiStyle& style = ImGui::GetStyle();
  style.FrameBorderSize = 1.0f;
  style.WindowBorderSize = 1.0f;
  style.ChildBorderSize = 1.0f;
  style.PopupBorderSize = 2.0f;
  ImVec4* c = style.Colors;
  const ImVec4 black(0, 0, 0, 1);
  const ImVec4 white(1, 1, 1, 1);
  const ImVec4 yellow(1.0f, 0.9f, 0.0f, 1);
  const ImVec4 cyan(0.4f, 0.9f, 1.0f, 1);
  c[ImGuiCol_Text] = white;
  c[ImGuiCol_TextDisabled] = ImVec4(0.75f, 0.75f, 0.75f, 1);
  c[ImGuiCol_WindowBg] = black;
  c[ImGuiCol_PopupBg] = black;
  c[ImGuiCol_Border] = white;
  c[ImGuiCol_FrameBg] = black;
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.15f, 0.15f, 0.15f, 1);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.2f, 0.2f, 0.2f, 1);
  c[ImGuiCol_Button] = black;
  c[ImGuiCol_ButtonHovered] = ImVec4(0.2f, 0.2f, 0.2f, 1);
  c[ImGuiCol_ButtonActive] = ImVec4(0.3f, 0.3f, 0.3f, 1);
  c[ImGuiCol_Header] = black;
  c[ImGuiCol_HeaderHovered] = ImVec4(0.2f, 0.2f, 0.2f, 1);
  c[ImGuiCol_HeaderActive] = ImVec4(0.3f, 0.3f, 0.3f, 1);
  c[ImGuiCol_Separator] = white;
  c[ImGuiCol_CheckMark] = yellow;
  c[ImGuiCol_SliderGrab] = yellow;
  c[ImGuiCol_PlotHistogram] = yellow;
  c[ImGuiCol_PlotLines] = cyan;
  c[ImGuiCol_TextSelectedBg] = ImVec4(1.0f, 0.9f, 0.0f, 0.45f);
  c[ImGuiCol_NavHighlight] = yellow;
  c[ImGuiCol_ScrollbarGrab] = white;
}

}  // namespace gc::ui
