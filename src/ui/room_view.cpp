// The room: status bar, tile grid (videos beneath, transparent tile interiors), controls
// bar, toasts, and the kiosk's chrome-less grid.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include <imgui.h>
#include <imgui_internal.h>

#include "core/layout.hpp"
#include "core/level_meter.hpp"
#include "ui/a11y.hpp"
#include "ui/format.hpp"
#include "ui/shortcuts.hpp"
#include "ui/tiles.hpp"
#include "ui/ui.hpp"
#include "ui/widgets.hpp"

namespace gc::ui {
namespace {

constexpr ImGuiWindowFlags kFixedWindow = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                          ImGuiWindowFlags_NoSavedSettings |
                                          ImGuiWindowFlags_NoFocusOnAppearing;
constexpr Millis kToastMs = 8000;
constexpr float kKioskRounding = 2.0f;  // a kiosk tile's corners (CSS px)

bool in_room_or_recovering(core::Phase phase) {
  return phase == core::Phase::kInRoom || phase == core::Phase::kReconnecting;
}

void begin_fixed_window(const char* name, ImVec2 pos, ImVec2 size, ImU32 background,
                        ImGuiWindowFlags extra = 0) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(background));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::Begin(name, nullptr, kFixedWindow | extra);
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

// The tile's picture when there is no video: a tinted rect and a round avatar initial.
void draw_avatar(ImDrawList* dl, const ImRect& r, float rounding, UserId id, const std::string& name) {
  dl->AddRectFilled(r.Min, r.Max, colors::tile_empty(), rounding);
  const float radius = std::max(4.0f, std::min(r.GetWidth(), r.GetHeight()) * 0.17f);
  const ImVec2 center = r.GetCenter();
  dl->AddCircleFilled(center, radius, avatar_color(id), 48);
  const std::string initial = initial_of(name);
  const float size = radius * 1.05f;
  const ImVec2 text = ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0.0f, initial.c_str());
  dl->AddText(ImGui::GetFont(), size, ImVec2(center.x - text.x * 0.5f, center.y - text.y * 0.5f),
              IM_COL32_WHITE, initial.c_str());
}

}  // namespace

void Ui::draw_room(const core::ViewModel& vm, Millis now, UiOutput& out) {
  last_screen_ = Screen::kRoom;
  const ImGuiIO& io = ImGui::GetIO();
  const float font = ImGui::GetFontSize();
  const float width = io.DisplaySize.x;
  const float height = io.DisplaySize.y;
  const float status_h = std::round(font * 2.2f);
  // A narrow screen (a phone) gets two rows of controls instead of overlapping buttons.
  const bool two_rows = width < controls_width(vm);
  const float controls_h = std::round(font * (two_rows ? 6.6f : 3.8f));

  if (!panel_decided_) {
    // Wide screens start with the chat open; a phone starts with the room.
    panel_open_ = width >= font * 64.0f;
    panel_decided_ = true;
  }
  handle_shortcuts(vm, out);
  const bool panel_docked = width >= font * 48.0f;
  const float panel_w = panel_docked ? std::clamp(width * 0.27f, font * 20.0f, font * 30.0f) : width;
  const float grid_w = panel_open_ && panel_docked ? width - panel_w : width;

  // The stage: a transparent full-window layer behind everything, holding the tiles.
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("##stage", nullptr,
               kFixedWindow | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoNav);
  draw_grid(vm, now, 0, status_h, grid_w, height - status_h - controls_h, false, out);
  ImGui::End();

  if (vm.phase == core::Phase::kReconnecting)
    draw_reconnect_banner(vm, now, 0, status_h, grid_w, out);
  if (sound_blocked_) draw_sound_hint(0, status_h, grid_w, height - status_h - controls_h, false, out);

  draw_status_bar(vm, now, status_h, out);
  draw_controls(vm, height - controls_h, controls_h, width, two_rows, out);
  if (panel_open_) {
    draw_panel(vm, now, width - panel_w, status_h, panel_w, height - status_h - controls_h, out);
  }
  draw_toasts(vm, now, grid_w, height - controls_h);
  if (help_open_) draw_help();
  draw_quality_panel(vm);

  // The chat counts as read only while the panel shows it.
  // Repeated until the view model reflects it, so a fresh Session (after a re-join) learns
  // it too; the session applies it at once, so this is one frame in practice.
  const bool chat_visible = panel_open_ && panel_tab_ == PanelTab::kChat;
  if (vm.chat_visible != chat_visible) out.chat_visible = chat_visible;
  if (chat_visible && vm.unread > 0) out.mark_chat_read = true;
}

void Ui::draw_kiosk(const core::ViewModel& vm, Millis now, UiOutput& out) {
  last_screen_ = Screen::kKiosk;
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("##kiosk", nullptr,
               kFixedWindow | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoNav);
  draw_grid(vm, now, 0, 0, io.DisplaySize.x, io.DisplaySize.y, true, out);

  // Not in the room: one quiet line in the middle, no buttons (a kiosk has no user).
  if (vm.phase != core::Phase::kInRoom) {
    std::string line;
    switch (vm.phase) {
      case core::Phase::kReconnecting:
        line = vm.reconnect_at && *vm.reconnect_at > now
                   ? format(tr(StringId::kPhaseReconnectingIn), seconds_until(*vm.reconnect_at, now))
                   : tr(StringId::kKioskReconnecting);
        if (vm.failure == core::FailureReason::kServerUnreachable)
          line = std::string(tr(StringId::kErrServerUnreachable)) + "  " + line;
        if (vm.failure == core::FailureReason::kReplaced && vm.reconnect_at && *vm.reconnect_at > now)
          line = format(tr(StringId::kKioskReplaced), seconds_until(*vm.reconnect_at, now));
        break;
      case core::Phase::kFailed:
        line = tr(vm.failure == core::FailureReason::kUserNotFound       ? StringId::kErrUserNotFound
                  : vm.failure == core::FailureReason::kPermissionDenied ? StringId::kErrPermissionDenied
                  : vm.failure == core::FailureReason::kServerUnreachable
                      ? StringId::kErrServerUnreachable
                      : StringId::kErrProtocol);
        break;
      case core::Phase::kLeft:
        line = tr(StringId::kPhaseLeft);
        break;
      case core::Phase::kJoining:
        line = tr(StringId::kJoiningRoom);
        break;
      default:
        line = tr(StringId::kConnectingToServer);
        break;
    }
    // A wss: server on another origin that never answered: say how to accept its
    // certificate (the kiosk has no input; whoever installs it reads this).
    if (vm.failure == core::FailureReason::kServerUnreachable && !certificate_hint_.empty())
      line += "\n" + format(tr(StringId::kKioskCertificateHint), certificate_hint_.c_str());
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 size = text_size(line);
    const float pad = ImGui::GetFontSize() * 0.8f;
    const ImVec2 min(io.DisplaySize.x * 0.5f - size.x * 0.5f - pad, io.DisplaySize.y * 0.5f - size.y * 0.5f - pad);
    const ImVec2 max(min.x + size.x + pad * 2, min.y + size.y + pad * 2);
    dl->AddRectFilled(min, max, colors::name_bar(), pad);
    dl->AddText(ImVec2(min.x + pad, min.y + pad), colors::text(), line.c_str());
    add_region("kiosk/status", min.x, min.y, max.x - min.x, max.y - min.y);
  }
  ImGui::End();
  if (sound_blocked_) draw_sound_hint(0, 0, io.DisplaySize.x, io.DisplaySize.y, true, out);
}

core::LayoutParams Ui::grid_params(float w, float h, bool kiosk, float font, std::size_t tiles) {
  core::LayoutParams params;
  params.canvas_width = w;
  params.canvas_height = h;
  params.tile_count = tiles;
  params.margin = kiosk ? 4.0f : std::round(font * 0.6f);
  params.gap = kiosk ? 4.0f : std::round(font * 0.5f);
  params.min_tile_width = font * 10.0f;
  return params;
}

std::size_t Ui::kiosk_pages(const std::vector<Tile>& tiles, const core::LayoutParams& params, const RoomView& view) {
  core::LayoutParams probe = params;
  probe.page = 0;
  return arrange(tiles, probe, true, view).page_count;
}

// Subscribe to what is on screen, and ahead of time to the page that comes next (the
// kiosk's next rotation, or the next page); hidden pages keep their connections.
void Ui::send_sets(const core::ViewModel& vm, const PageSets& sets, UiOutput& out) {
  const auto& [visible, prefetch] = sets;
  // Sent when the page's set changes, and again while the view model disagrees (e.g. a
  // fresh Session after a re-join starts with everyone visible).
  bool disagrees = false;
  for (const core::ParticipantView& p : vm.participants) {
    const bool on_page = std::find(visible.begin(), visible.end(), p.id) != visible.end();
    const bool next = std::find(prefetch.begin(), prefetch.end(), p.id) != prefetch.end();
    if (p.visible != on_page || p.prefetch != next) disagrees = true;
  }
  if (in_room_or_recovering(vm.phase) && (visible_sent_ != visible || prefetch_sent_ != prefetch || disagrees)) {
    visible_sent_ = visible;
    prefetch_sent_ = prefetch;
    out.visible_participants = visible;
    out.prefetch_participants = prefetch;
  }
}

void Ui::plan_kiosk_grid(const core::ViewModel& vm, Millis now, float width, float height, UiOutput& out) {
  const std::vector<Tile> tiles =
      build_tiles(vm, true, tr(StringId::kYou), [&](UserId id) { return participant_name(vm, id); });
  core::LayoutParams params = grid_params(width, height, true, kiosk_text_size(width, height), tiles.size());
  const RoomView view{layout_, std::nullopt, live_ ? live_->speakers.active() : std::nullopt};
  const std::size_t pages = kiosk_pages(tiles, params, view);
  params.page = pages > 1 ? static_cast<std::size_t>(now / kiosk_page_ms_) % pages : 0;
  const Arrangement arrangement = arrange(tiles, params, true, view);
  send_sets(vm, arrangement.sets, out);
  tile_rects_.clear();
  for (const PlacedTile& placed : arrangement.placed) {
    const Tile& t = tiles[placed.index];
    const core::Rect& r = placed.rect;
    tile_rects_.push_back(TileRect{t.id, t.is_self, r.x, r.y, r.w, r.h, kKioskRounding, t.video});
  }
}

void Ui::draw_grid(const core::ViewModel& vm, Millis now, float x, float y, float w, float h, bool kiosk,
                   UiOutput& out) {
  const float font = ImGui::GetFontSize();
  const std::vector<Tile> tiles =
      build_tiles(vm, kiosk, tr(StringId::kYou), [&](UserId id) { return participant_name(vm, id); });

  core::LayoutParams params = grid_params(w, h, kiosk, font, tiles.size());
  // A pinned participant who left is unpinned; the kiosk has no user, so it never pins.
  if (pinned_ && std::none_of(tiles.begin(), tiles.end(), [&](const Tile& t) { return t.id == *pinned_; }))
    pinned_.reset();
  const std::optional<UserId> active = live_ ? live_->speakers.active() : std::nullopt;
  const RoomView view{layout_, kiosk ? std::nullopt : pinned_, active};
  // The kiosk has no buttons: it turns the pages (of the grid, or of the filmstrip) by itself.
  if (kiosk) {
    const std::size_t pages = kiosk_pages(tiles, params, view);
    params.page = pages > 1 ? static_cast<std::size_t>(now / kiosk_page_ms_) % pages : 0;
    if (pages > 1) want_redraw_at((now / kiosk_page_ms_ + 1) * kiosk_page_ms_);
  } else {
    params.page = page_;
    // A new active speaker off this page of the grid: turn to theirs, once (paging away
    // again stays). The speaker layout shows them large instead.
    if (active != jumped_to_speaker_) {
      jumped_to_speaker_ = active;
      const auto tile = std::find_if(tiles.begin(), tiles.end(),
                                     [&](const Tile& t) { return active && !t.is_self && t.id == *active; });
      if (!large_tile(tiles, view) && tile != tiles.end())
        params.page = core::page_of_tile(params, static_cast<std::size_t>(tile - tiles.begin()));
    }
  }
  const Arrangement arrangement = arrange(tiles, params, kiosk, view);
  large_shown_ = !arrangement.placed.empty() && arrangement.placed.front().large;
  if (arrangement.page != page_) {
    page_ = arrangement.page;
    out.page = page_;
  }
  page_count_ = arrangement.page_count;
  send_sets(vm, arrangement.sets, out);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float rounding = kiosk ? kKioskRounding : std::round(font * 0.5f);
  const float pad = std::round(font * 0.5f);
  for (const PlacedTile& placed : arrangement.placed) {
    const Tile& t = tiles[placed.index];
    const core::Rect& cr = placed.rect;
    const ImRect r(x + cr.x, y + cr.y, x + cr.x + cr.w, y + cr.y + cr.h);
    tile_rects_.push_back(TileRect{t.id, t.is_self, r.Min.x, r.Min.y, r.GetWidth(), r.GetHeight(), rounding, t.video});

    if (!t.video) draw_avatar(dl, r, rounding, t.id, t.name);
    dl->AddRect(r.Min, r.Max, t.failed ? colors::bad() : colors::tile_frame(), rounding, 0, 1.5f);
    if (live_ && !t.is_self && live_->speakers.speaking(t.id, now))  // the speaking ring
      dl->AddRect(ImVec2(r.Min.x + 1, r.Min.y + 1), ImVec2(r.Max.x - 1, r.Max.y - 1), colors::good(), rounding, 0,
                  kiosk ? 4.0f : std::max(3.0f, std::round(font * 0.2f)));

    // Name bar: bottom left, "prefix name postfix".
    const float bar_h = ImGui::GetTextLineHeight() + pad * 0.8f;
    const float name_max = std::max(0.0f, r.GetWidth() - pad * 4);
    const float name_w = std::min(text_size(t.name).x, name_max);
    const ImVec2 bar_min(r.Min.x + pad, r.Max.y - pad - bar_h);
    dl->AddRectFilled(bar_min, ImVec2(bar_min.x + name_w + pad * 1.6f, bar_min.y + bar_h), colors::name_bar(),
                      bar_h * 0.5f);
    draw_text_ellipsized(dl, ImVec2(bar_min.x + pad * 0.8f, bar_min.y + pad * 0.4f), colors::text(), t.name,
                         name_max);
    if (kiosk) continue;

    if (t.capped) {  // the user decides whether to rejoin for it
      const char* label = tr(StringId::kShowVideo);
      const ImVec2 text = ImGui::CalcTextSize(label);
      const ImVec2 frame = ImGui::GetStyle().FramePadding;
      const ImVec2 button(text.x + frame.x * 2.0f, text.y + frame.y * 2.0f);
      // The stage takes no input: the button gets a small window of its own over the tile.
      const std::string window = "##show-video/" + std::to_string(t.id);
      // Below the avatar (radius 0.17 of the shorter side), above the name bar.
      const float below = r.GetCenter().y + std::min(r.GetWidth(), r.GetHeight()) * 0.17f + pad * 0.5f;
      const float y = std::min(below, r.Max.y - bar_h - pad * 1.5f - button.y);
      ImGui::SetNextWindowPos(ImVec2(std::round(r.GetCenter().x - button.x * 0.5f), std::round(y)));
      ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
      ImGui::Begin(window.c_str(), nullptr,
                   kFixedWindow | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_AlwaysAutoResize);
      ImGui::PopStyleVar();
      if (ImGui::Button(label)) out.resume_video = true;
      add_region("tile/" + std::to_string(t.id) + "/show-video");
      ImGui::End();
    }

    // State badges: top left.
    std::string state = tr(t.state);
    if (t.retry_at && *t.retry_at > now) state += format(" %ds", seconds_until(*t.retry_at, now));
    ImVec2 badge_pos(r.Min.x + pad, r.Min.y + pad);
    const ImVec2 size = draw_badge(dl, badge_pos, t.dot, state.c_str());
    badge_pos.x += size.x + pad * 0.5f;
    if (t.muted) badge_pos.x += draw_badge(dl, badge_pos, colors::bad(), tr(StringId::kTileMuted)).x + pad * 0.5f;
    if (t.camera_off) badge_pos.x += draw_badge(dl, badge_pos, colors::text_dim(), tr(StringId::kTileCameraOff)).x + pad * 0.5f;
    if (placed.pinned) draw_badge(dl, badge_pos, colors::accent(), tr(StringId::kTilePinned));
    if (live_) draw_quality_badge(t.id, t.is_self, r.Max.x - pad, r.Min.y + pad);
  }

  // Double-click a tile: pin it large, or unpin; right-click: its menu (issue 13 item 4).
  // The stage takes no input, so the mouse is over a tile's picture only when no window is.
  if (!kiosk && ImGui::GetCurrentContext()->HoveredWindow == nullptr) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (const PlacedTile& placed : arrangement.placed) {
      const core::Rect& cr = placed.rect;
      if (!ImRect(x + cr.x, y + cr.y, x + cr.x + cr.w, y + cr.y + cr.h).Contains(mouse)) continue;
      const UserId id = tiles[placed.index].id;
      if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) toggle_pin(id);
      if (ImGui::IsMouseReleased(ImGuiMouseButton_Right)) {
        menu_tile_ = id;
        ImGui::OpenPopup("##tile_menu");
      }
      break;
    }
  }
  if (!kiosk) draw_tile_menu();

  if (!kiosk && vm.participants.empty() && vm.phase == core::Phase::kInRoom) {
    const char* waiting = tr(StringId::kWaitingForOthers);
    const ImVec2 size = ImGui::CalcTextSize(waiting);
    const ImVec2 pos(x + w * 0.5f - size.x * 0.5f, y + h - size.y - font * 1.5f);
    dl->AddRectFilled(ImVec2(pos.x - pad * 1.5f, pos.y - pad), ImVec2(pos.x + size.x + pad * 1.5f, pos.y + size.y + pad),
                      colors::name_bar(), size.y);
    dl->AddText(pos, colors::text(), waiting);
  }
}

void Ui::draw_status_bar(const core::ViewModel& vm, Millis now, float height, UiOutput& out) {
  const ImGuiIO& io = ImGui::GetIO();
  const float font = ImGui::GetFontSize();
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(font * 0.8f, (height - ImGui::GetFrameHeight()) * 0.5f));
  begin_fixed_window("##status", ImVec2(0, 0), ImVec2(io.DisplaySize.x, height), colors::panel());
  ImGui::PopStyleVar();

  ImU32 dot = colors::good();
  std::string phase;
  switch (vm.phase) {
    case core::Phase::kInRoom:
      phase = tr(StringId::kPhaseInRoom);
      break;
    case core::Phase::kReconnecting:
      dot = colors::warn();
      phase = vm.disconnect_cause == core::DisconnectCause::kPlannedRejoin ? tr(StringId::kPhaseRejoining)
              : vm.reconnect_at && *vm.reconnect_at > now
                  ? format(tr(StringId::kPhaseReconnectingIn), seconds_until(*vm.reconnect_at, now))
                  : tr(StringId::kPhaseReconnecting);
      break;
    case core::Phase::kConnecting:
      dot = colors::warn();
      phase = tr(StringId::kPhaseConnecting);
      break;
    case core::Phase::kJoining:
      dot = colors::warn();
      phase = tr(StringId::kPhaseJoining);
      break;
    case core::Phase::kLeft:
      dot = colors::text_dim();
      phase = tr(StringId::kPhaseLeft);
      break;
    case core::Phase::kIdle:
    case core::Phase::kFailed:
      dot = colors::bad();
      phase = tr(StringId::kPhaseFailed);
      break;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 cursor = ImGui::GetCursorScreenPos();
  const float dot_r = font * 0.3f;
  dl->AddCircleFilled(ImVec2(cursor.x + dot_r, cursor.y + ImGui::GetFrameHeight() * 0.5f), dot_r, dot);
  ImGui::Dummy(ImVec2(dot_r * 2, ImGui::GetFrameHeight()));
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(phase.c_str());
  add_region("status/phase");
  ImGui::SameLine(0, font * 1.5f);
  ImGui::TextDisabled("%s", format(tr(StringId::kStatusRoom), std::to_string(vm.room).c_str()).c_str());
  ImGui::SameLine(0, font * 1.5f);
  ImGui::TextDisabled("%s", format(tr(StringId::kStatusParticipants), static_cast<int>(vm.participants.size()) + 1).c_str());

  // Right side: server, text size, language.
  const float lang_w = top_buttons_width();
  const float right = ImGui::GetWindowContentRegionMax().x;
  const std::string server = server_.empty() ? std::string() : std::string(tr(StringId::kStatusServer)) + ": " + server_;
  const float used = ImGui::GetCursorPosX();
  ImGui::SameLine();
  const float server_x = ImGui::GetCursorPosX();
  const float server_room = right - lang_w - font - server_x;
  if (!server.empty() && server_room > font * 4) {
    const float server_w = std::min(text_size(server).x, server_room);
    ImGui::SetCursorPosX(right - lang_w - font - server_w);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    draw_text_ellipsized(dl, ImVec2(pos.x, pos.y + ImGui::GetStyle().FramePadding.y), colors::text_dim(), server, server_w);
    ImGui::Dummy(ImVec2(server_w, ImGui::GetFrameHeight()));
    add_region("status/server");
    ImGui::SameLine();
  }
  (void)used;
  ImGui::SetCursorPosX(right - lang_w);
  draw_top_buttons(out);
  ImGui::End();
}

void Ui::draw_reconnect_banner(const core::ViewModel& vm, Millis now, float x, float y, float w, UiOutput& out) {
  const float font = ImGui::GetFontSize();
  std::string line = tr(StringId::kNoticeConnectionLost);
  if (vm.reconnect_at && *vm.reconnect_at > now)
    line += "  " + format(tr(StringId::kRetryInSeconds), seconds_until(*vm.reconnect_at, now));
  ImGui::SetNextWindowPos(ImVec2(x + w * 0.5f, y + font * 0.8f), ImGuiCond_Always, ImVec2(0.5f, 0.0f));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::banner()));
  ImGui::Begin("##reconnect", nullptr, kFixedWindow | ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PopStyleColor();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(line.c_str());
  add_region("room/reconnect");
  ImGui::SameLine();
  if (ImGui::Button(tr(StringId::kRetryNow))) out.retry = true;
  add_region("room/retry");
  ImGui::End();
}

void Ui::draw_sound_hint(float x, float y, float w, float h, bool whole_area, UiOutput& out) {
  const float font = ImGui::GetFontSize();
  const char* label = tr(StringId::kEnableSound);
  if (whole_area) {
    // Kiosk: the whole screen is the button, so one tap anywhere is enough.
    ImGui::SetNextWindowPos(ImVec2(x, y));
    ImGui::SetNextWindowSize(ImVec2(w, h));
    ImGui::Begin("##sound_tap", nullptr, kFixedWindow | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoNav);
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (ImGui::InvisibleButton("##tap", ImVec2(w, h))) out.enable_sound = true;
    add_region("sound_hint");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 size = ImGui::CalcTextSize(label);
    const float pad = font;
    const ImVec2 min(x + w * 0.5f - size.x * 0.5f - pad, y + h - size.y - pad * 4);
    dl->AddRectFilled(min, ImVec2(min.x + size.x + pad * 2, min.y + size.y + pad * 1.4f), colors::hint_fill(),
                      size.y);
    dl->AddText(ImVec2(min.x + pad, min.y + pad * 0.7f), IM_COL32_WHITE, label);
    ImGui::End();
    return;
  }
  ImGui::SetNextWindowPos(ImVec2(x + w * 0.5f, y + h - font), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0, 0, 0, 0));
  ImGui::Begin("##sound_button", nullptr, kFixedWindow | ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PopStyleColor();
  if (colored_button(label, colors::accent(), ImVec2(0, font * 2.4f))) out.enable_sound = true;
  add_region("sound_hint");
  ImGui::End();
}

namespace {

// A bar button: its label and `pad` each side (0.9 of the font size, less on a phone).
float control_button_width(const std::string& label, float pad = -1.0f) {
  if (pad < 0) pad = ImGui::GetFontSize() * 0.9f;
  return ImGui::CalcTextSize(label.c_str(), nullptr, true).x + pad * 2;
}

// The microphone meter beside Mute: ten segments in a short bar.
float meter_width() { return std::round(ImGui::GetFontSize() * 2.4f); }

// How the bar's buttons are laid out: their padding each side, and whether Devices leaves
// the centre group for the right one (on two rows, on a phone).
struct BarPlan {
  float pad = -1.0f;  // < 0: 0.9 of the font size
  bool devices_right = false;
};

// The widths of the bar's two groups: centre (microphone and its meter, camera, screen, devices,
// layout) and right (chat, files, leave). On two rows the layout button starts the right group
// (and Devices, when the plan says so). One place, for the layout decision and for the drawing.
struct ControlWidths {
  float centre = 0;
  float right = 0;
};
ControlWidths control_widths(const ControlLabels& l, bool two_rows = false, BarPlan plan = {}) {
  const float font = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const auto bw = [&](const std::string& label) { return control_button_width(label, plan.pad); };
  ControlWidths w{bw(l.mic) + spacing * 0.5f + meter_width() + spacing + bw(l.cam) + spacing + bw(l.share),
                  bw(l.chat) + spacing + bw(l.files) + spacing + font * 0.8f + bw(l.leave)};
  // Each one added with the spacing that separates it from its neighbour in its group.
  (plan.devices_right ? w.right : w.centre) += bw(l.dev) + spacing;
  (two_rows ? w.right : w.centre) += bw(l.layout) + spacing;
  return w;
}

}  // namespace

ControlLabels Ui::control_labels(const core::ViewModel& vm) const {
  return ControlLabels{
      std::string(tr(vm.self.muted ? StringId::kUnmute : StringId::kMute)) + "###mic",
      std::string(tr(vm.self.camera_off ? StringId::kCameraOn : StringId::kCameraOff)) + "###cam",
      std::string(tr(vm.self.screen == core::ScreenShare::kOff ? StringId::kShareScreen : StringId::kStopSharing)) +
          "###share",
      std::string(tr(StringId::kDevices)) + " ^###devices",
      std::string(tr(large_shown_ ? StringId::kLayoutGrid : StringId::kLayoutSpeaker)) + "###layout",
      std::string(tr(StringId::kChat)) + "###chat_toggle",
      std::string(tr(StringId::kFiles)) + "###files_toggle",
      std::string(tr(StringId::kLeave)) + "###leave",
  };
}

float Ui::controls_width(const core::ViewModel& vm) const {
  const float font = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const ControlWidths w = control_widths(control_labels(vm));
  const float pager = page_count_ > 1 ? font * 12.0f : 0.0f;
  return font * 2 + pager + w.centre + spacing * 2 + w.right + font * 2;
}

void Ui::draw_controls(const core::ViewModel& vm, float y, float height, float width, bool two_rows,
                       UiOutput& out) {
  const float font = ImGui::GetFontSize();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float button_h = std::round(font * 2.4f);
  const float pad_x = font;
  const float row_gap = std::round(font * 0.6f);
  const float first_row_y = two_rows ? (height - button_h * 2 - row_gap) * 0.5f : (height - button_h) * 0.5f;
  const float second_row_y = two_rows ? first_row_y + button_h + row_gap : first_row_y;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  begin_fixed_window("##controls", ImVec2(0, y), ImVec2(width, height), colors::panel());
  ImGui::PopStyleVar();
  const float spacing = style.ItemSpacing.x;

  // Left (second row when narrow): pages.
  float pager_end = pad_x;
  if (page_count_ > 1) {
    ImGui::SetCursorPos(ImVec2(pad_x, second_row_y));
    ImGui::BeginDisabled(page_ == 0);
    if (ImGui::Button("<##page_prev", ImVec2(button_h, button_h))) {
      page_ -= 1;
      out.page = page_;
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr(StringId::kPagePrevious));
    add_region("controls/page_prev");
    ImGui::EndDisabled();
    const std::string label = format(tr(StringId::kPageOf), static_cast<int>(page_) + 1, static_cast<int>(page_count_));
    const ImVec2 label_size = ImGui::CalcTextSize(label.c_str());
    float x = pad_x + button_h + spacing;
    ImGui::SetCursorPos(ImVec2(x, second_row_y + (button_h - label_size.y) * 0.5f));
    ImGui::TextUnformatted(label.c_str());
    add_region("controls/page_label");
    x += label_size.x + spacing;
    ImGui::SetCursorPos(ImVec2(x, second_row_y));
    ImGui::BeginDisabled(page_ + 1 >= page_count_);
    if (ImGui::Button(">##page_next", ImVec2(button_h, button_h))) {
      page_ += 1;
      out.page = page_;
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr(StringId::kPageNext));
    add_region("controls/page_next");
    ImGui::EndDisabled();
    pager_end = x + button_h + spacing;
  }

  // Centre (first row when narrow): microphone, camera, screen, devices.
  const bool media = vm.self.media_ready && vm.self.publish != core::PublishState::kReceiveOnly;
  const ControlLabels l = control_labels(vm);
  const ControlWidths widths = control_widths(l);
  // On a phone two rows may still not hold the buttons: then narrower padding, then Devices
  // moves to the second row, then narrower still: the first plan whose rows fit, else the one
  // that overflows least (ui test ControlsStayOnScreenOnNarrowWidths: 360 px phones fit).
  const float avail = width - pad_x * 2;
  const auto overflow = [&](const ControlWidths& w) {  // <= 0: both rows fit
    return std::max(w.centre - avail, w.right - (avail - (pager_end - pad_x)));
  };
  BarPlan plan{font * 0.9f, false};
  ControlWidths rows = widths;
  if (two_rows) {
    float least = std::numeric_limits<float>::infinity();
    for (const BarPlan p : {BarPlan{font * 0.9f, false}, BarPlan{font * 0.45f, false}, BarPlan{font * 0.45f, true},
                            BarPlan{font * 0.2f, false}, BarPlan{font * 0.2f, true}}) {
      const ControlWidths w = control_widths(l, true, p);
      const float over = overflow(w);
      if (over < least) least = over, plan = p, rows = w;
      if (over <= 0) break;
    }
  }
  const bool devices_below = plan.devices_right;
  const float centre_w = rows.centre, right_w = rows.right;
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(plan.pad, style.FramePadding.y));
  const auto button_w = [&](const std::string& label) { return control_button_width(label, plan.pad); };
  // Centred, but on one row never under the right group (moved left as far as the pager).
  const float right_edge = width - pad_x - widths.right - spacing * 2;  // where the right group begins
  const float centre_x = two_rows ? std::max(pad_x, (width - centre_w) * 0.5f)
                                  : std::max(pager_end, std::min((width - centre_w) * 0.5f, right_edge - centre_w));
  ImGui::SetCursorPos(ImVec2(centre_x, first_row_y));
  ImGui::BeginDisabled(!media);
  if (colored_button(l.mic.c_str(), vm.self.muted ? colors::danger() : colors::control(),
                     ImVec2(button_w(l.mic), button_h)))
    out.set_muted = !vm.self.muted;
  if (!media && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s", tr(StringId::kMediaUnavailableTooltip));
  add_region("controls/mute");
  ImGui::SameLine(0, spacing * 0.5f);
  draw_mic_meter(vm, meter_width(), button_h, "controls/meter");
  ImGui::SameLine();
  if (colored_button(l.cam.c_str(), vm.self.camera_off ? colors::danger() : colors::control(),
                     ImVec2(button_w(l.cam), button_h)))
    out.set_camera_off = !vm.self.camera_off;
  add_region("controls/camera");
  ImGui::EndDisabled();
  ImGui::SameLine();
  // Always enabled: without a connection to share on, the Session says why (a notice).
  const bool sharing = vm.self.screen != core::ScreenShare::kOff;
  if (colored_button(l.share.c_str(), sharing ? colors::accent() : colors::control(),
                     ImVec2(button_w(l.share), button_h)))
    out.share_screen = !sharing;
  add_region("controls/share");
  const auto devices_button = [&] {
    if (ImGui::Button(l.dev.c_str(), ImVec2(button_w(l.dev), button_h))) {
      device_anchor_x_ = ImGui::GetItemRectMin().x;
      device_anchor_y_ = ImGui::GetItemRectMin().y - font * 0.4f;
      ImGui::OpenPopup("##device_popup");
    }
    add_region("controls/devices");
    draw_device_popup(out);
  };
  if (!devices_below) {
    ImGui::SameLine();
    devices_button();
  }
  const auto layout_button = [&] {
    if (colored_button(l.layout.c_str(), colors::control(), ImVec2(button_w(l.layout), button_h)))
      toggle_layout();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(StringId::kShortcutLayout));
    add_region("controls/layout");
  };
  if (!two_rows) {
    ImGui::SameLine();
    layout_button();
  }

  // Right (second row when narrow): chat, files, leave; on two rows after the layout button
  // (and Devices, on a phone).
  ImGui::SetCursorPos(ImVec2(std::max(pad_x, width - pad_x - right_w), second_row_y));
  if (devices_below) {
    devices_button();
    ImGui::SameLine();
  }
  if (two_rows) {
    layout_button();
    ImGui::SameLine();
  }
  const bool chat_on = panel_open_ && panel_tab_ == PanelTab::kChat;
  const bool files_on = panel_open_ && panel_tab_ == PanelTab::kFiles;
  if (colored_button(l.chat.c_str(), chat_on ? colors::control_on() : colors::control(),
                     ImVec2(button_w(l.chat), button_h)))
    set_panel(!chat_on, PanelTab::kChat);
  add_region("controls/chat");
  if (!chat_on && vm.unread > 0) {
    draw_count_badge(ImGui::GetWindowDrawList(), ImVec2(ImGui::GetItemRectMax().x - 2, ImGui::GetItemRectMin().y + 2),
                     vm.unread);
    add_region("controls/unread", ImGui::GetItemRectMax().x - font, ImGui::GetItemRectMin().y - font * 0.5f, font * 2,
               font);
  }
  ImGui::SameLine();
  if (colored_button(l.files.c_str(), files_on ? colors::control_on() : colors::control(),
                     ImVec2(button_w(l.files), button_h)))
    set_panel(!files_on, PanelTab::kFiles);
  add_region("controls/files");
  ImGui::SameLine(0, spacing + font * 0.8f);
  if (colored_button(l.leave.c_str(), colors::danger(), ImVec2(button_w(l.leave), button_h)))
    out.leave = true;
  add_region("controls/leave");

  ImGui::PopStyleVar();
  ImGui::End();
}

void Ui::draw_device_popup(UiOutput& out) {
  // Above the Devices button, growing upwards, so it never covers the controls.
  ImGui::SetNextWindowPos(ImVec2(device_anchor_x_, device_anchor_y_), ImGuiCond_Always, ImVec2(0.0f, 1.0f));
  if (!ImGui::BeginPopup("##device_popup")) return;
  const auto list = [&](StringId title, const std::vector<Device>& devices, std::string& selected,
                        std::optional<std::string>& output, const char* id) {
    ImGui::TextDisabled("%s", tr(title));
    ImGui::PushID(id);
    if (devices.empty()) {
      ImGui::TextUnformatted(tr(StringId::kNoDevices));
    }
    for (std::size_t i = 0; i < devices.size(); ++i) {
      const Device& d = devices[i];
      std::string label = d.label.empty() ? std::string(tr(title)) + " " + std::to_string(i + 1) : d.label;
      if (d.id.empty() || d.id == "default") label += " (" + std::string(tr(StringId::kDefaultDevice)) + ")";
      label += "##" + std::to_string(i);
      const bool is_selected = d.id == selected || (selected.empty() && i == 0);
      if (ImGui::Selectable(label.c_str(), is_selected) && d.id != selected) {
        selected = d.id;
        output = d.id;
      }
      add_region(std::string(id) + "/" + std::to_string(i));
    }
    ImGui::PopID();
  };
  list(StringId::kCamera, devices_.cameras, devices_.camera_id, out.select_camera, "camera");
  ImGui::Separator();
  list(StringId::kMicrophone, devices_.mics, devices_.mic_id, out.select_mic, "mic");
  ImGui::EndPopup();
}

void Ui::draw_toasts(const core::ViewModel& vm, Millis now, float right, float bottom) {
  const float font = ImGui::GetFontSize();
  // Forget notices the session dropped.
  for (auto it = toast_shown_.begin(); it != toast_shown_.end();) {
    const bool present = std::any_of(vm.notices.begin(), vm.notices.end(),
                                     [&](const core::Notice& n) { return n.id == it->first; });
    it = present ? std::next(it) : toast_shown_.erase(it);
  }
  std::vector<std::pair<const core::Notice*, std::string>> live;
  for (const core::Notice& n : vm.notices) {
    if (n.id < toasts_dismissed_below_) continue;
    const auto [it, inserted] = toast_shown_.emplace(n.id, now);
    (void)inserted;
    const Millis lifetime = n.code == core::NoticeCode::kCameraUnavailable ? kToastMs * 2 : kToastMs;
    if (now - it->second >= lifetime) continue;
    want_redraw_at(it->second + lifetime);
    std::string line = notice_text(language_, n, participant_name(vm, n.user));
    live.emplace_back(&n, std::move(line));
  }
  if (live.empty()) return;
  // Newest at the bottom, at most four.
  if (live.size() > 4) live.erase(live.begin(), live.end() - 4);
  ImGui::SetNextWindowPos(ImVec2(right * 0.5f, bottom - font), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(std::min(right - 2 * font, font * 34.0f), FLT_MAX));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::overlay()));
  ImGui::Begin("##toasts", nullptr, kFixedWindow | ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PopStyleColor();
  ImGui::PushTextWrapPos(font * 30.0f);
  for (const auto& [notice, line] : live) {
    ImGui::PushID(static_cast<int>(notice->id));
    ImGui::TextUnformatted(line.c_str());
    add_region("toast/" + std::to_string(notice->id));
    if (notice->code == core::NoticeCode::kGarbageFromServer && !notice->detail.empty())
      ImGui::TextDisabled("%s", notice->detail.c_str());
    ImGui::PopID();
  }
  ImGui::PopTextWrapPos();
  if (ImGui::SmallButton(tr(StringId::kDismiss))) toasts_dismissed_below_ = live.back().first->id + 1;
  add_region("toast/dismiss");
  ImGui::End();
}

// ---- pinning, shortcuts, help (issue 13 items 4, 5) ----------------------------------------

void Ui::toggle_pin(UserId id) {
  pinned_ = pinned_ == id ? std::nullopt : std::optional<UserId>(id);
  page_ = 0;  // the grid's pages and the filmstrip's are not the same
}

void Ui::toggle_layout() {
  if (large_shown_) {
    layout_ = core::ViewLayout::kGrid;
    pinned_.reset();
  } else {
    layout_ = core::ViewLayout::kSpeaker;
  }
  large_shown_ = !large_shown_;  // the button's label, until the next frame says
  page_ = 0;
}

int Ui::mic_meter_step(const core::ViewModel& vm) const {
  if (!live_) return 0;
  switch (last_screen_) {
    case Screen::kJoin:
      return preview_.mic ? core::meter_step(live_->self_level) : 0;
    case Screen::kRoom:
      return vm.self.media_ready && vm.self.publish != core::PublishState::kReceiveOnly && !vm.self.muted
                 ? core::meter_step(live_->self_level)
                 : 0;
    default:
      return 0;
  }
}

void Ui::draw_mic_meter(const core::ViewModel& vm, float width, float height, const char* region) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  add_region(region);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(StringId::kMicLevel));
  const int lit = mic_meter_step(vm);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float bar_h = std::min(height, std::max(4.0f, std::round(ImGui::GetFontSize() * 0.45f)));
  const float y0 = std::round(at.y + (height - bar_h) * 0.5f);
  const float gap = std::max(1.0f, std::round(width / 40.0f));
  const float seg = (width - gap * (core::kMeterSteps - 1)) / core::kMeterSteps;
  for (int i = 0; i < core::kMeterSteps; ++i) {
    const float x = at.x + static_cast<float>(i) * (seg + gap);
    // Green for speech, amber when loud, red near clipping.
    const ImU32 on = i < 7 ? colors::good() : i < 9 ? colors::warn() : colors::bad();
    dl->AddRectFilled(ImVec2(x, y0), ImVec2(x + seg, y0 + bar_h), i < lit ? on : colors::meter_off(), 1.0f);
  }
}

void Ui::draw_tile_menu() {
  if (!ImGui::BeginPopup("##tile_menu")) return;
  if (ImGui::MenuItem(tr(pinned_ == menu_tile_ ? StringId::kUnpin : StringId::kPin))) toggle_pin(menu_tile_);
  add_region("tile/menu/pin");
  ImGui::EndPopup();
}

void Ui::handle_shortcuts(const core::ViewModel& vm, UiOutput& out) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool media = vm.self.media_ready && vm.self.publish != core::PublishState::kReceiveOnly;
  // The active speaker comes from the app's measurements (nullptr: none measured).
  const std::optional<UserId> speaker = live_ ? live_->speakers.active() : std::nullopt;
  std::size_t count = 0;
  const ShortcutRow* rows = shortcut_rows(&count);
  for (std::size_t i = 0; i < count; ++i) {
    if (!ImGui::IsKeyPressed(rows[i].key, false)) continue;
    switch (shortcut_for(rows[i].key, io.KeyMods, io.WantTextInput)) {
      case Shortcut::kNone:
        break;
      case Shortcut::kMute:
        if (media) out.set_muted = !vm.self.muted;
        break;
      case Shortcut::kCamera:
        if (media) out.set_camera_off = !vm.self.camera_off;
        break;
      case Shortcut::kShareScreen:
        out.share_screen = vm.self.screen == core::ScreenShare::kOff;
        break;
      case Shortcut::kLayout:  // as the controls bar's layout button
        toggle_layout();
        break;
      case Shortcut::kChat:
        set_panel(!(panel_open_ && panel_tab_ == PanelTab::kChat), PanelTab::kChat);
        break;
      case Shortcut::kFiles:
        set_panel(!(panel_open_ && panel_tab_ == PanelTab::kFiles), PanelTab::kFiles);
        break;
      case Shortcut::kPinSpeaker:
        if (speaker) toggle_pin(*speaker);
        break;
      case Shortcut::kHelp:
        help_open_ = !help_open_;
        break;
      case Shortcut::kClose:
        help_open_ = false;
        quality_panel_.reset();            // the plots under a tile's signal bars
        ImGui::ClosePopupsExceptModals();  // the device popup, the tile menu
        break;
    }
  }
}

void Ui::draw_help() {
  const ImGuiIO& io = ImGui::GetIO();
  const float font = ImGui::GetFontSize();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(std::min(io.DisplaySize.x - 2 * font, font * 30.0f), FLT_MAX));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(font * 1.4f, font * 1.2f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.0f);
  ImGui::Begin("##help", nullptr, kFixedWindow | ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PopStyleVar(2);
  ImGui::SetWindowFontScale(1.2f);
  ImGui::TextUnformatted(tr(StringId::kShortcutsTitle));
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::text_dim()));
  ImGui::TextUnformatted(tr(StringId::kShortcutsHint));
  ImGui::PopStyleColor();
  ImGui::Spacing();
  std::size_t count = 0;
  const ShortcutRow* rows = shortcut_rows(&count);
  if (ImGui::BeginTable("##shortcuts", 2, ImGuiTableFlags_SizingFixedFit)) {
    for (std::size_t i = 0; i < count; ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      // The key as a keycap.
      ImDrawList* dl = ImGui::GetWindowDrawList();
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const ImVec2 text = ImGui::CalcTextSize(rows[i].label);
      const ImVec2 cap(std::max(text.x + font * 0.8f, font * 1.8f), text.y + font * 0.3f);
      dl->AddRectFilled(at, ImVec2(at.x + cap.x, at.y + cap.y), colors::control(), font * 0.25f);
      dl->AddRect(at, ImVec2(at.x + cap.x, at.y + cap.y), colors::tile_frame(), font * 0.25f);
      dl->AddText(ImVec2(at.x + (cap.x - text.x) * 0.5f, at.y + font * 0.15f), colors::text(), rows[i].label);
      ImGui::Dummy(ImVec2(font * 3.2f, cap.y + font * 0.2f));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(tr(rows[i].help));
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(tr(StringId::kShortcutDoubleClick));
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  if (ImGui::Button(tr(StringId::kClose))) help_open_ = false;
  add_region("help/close");
  const ImVec2 pos = ImGui::GetWindowPos();
  const ImVec2 size = ImGui::GetWindowSize();
  add_region("help", pos.x, pos.y, size.x, size.y);
  ImGui::End();
}

}  // namespace gc::ui
