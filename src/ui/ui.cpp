// Ui: screen selection, theme, shared helpers and the join screen. The room, the kiosk
// and the side panel live in room_view.cpp and panel_view.cpp.
#include "ui/ui.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "core/display.hpp"
#include "ui/a11y.hpp"
#include "ui/format.hpp"
#include "ui/widgets.hpp"

namespace gc::ui {

std::string format(const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  if (n < 0) return {};
  if (static_cast<std::size_t>(n) < sizeof buf) return std::string(buf, static_cast<std::size_t>(n));
  std::string big(static_cast<std::size_t>(n) + 1, '\0');
  va_start(args, fmt);
  std::vsnprintf(big.data(), big.size(), fmt, args);
  va_end(args);
  big.resize(static_cast<std::size_t>(n));
  return big;
}

namespace {

// The dark conferencing theme (colours, rounding, spacing); draw() applies it once.
void apply_theme() {
  ImGuiStyle& style = ImGui::GetStyle();
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 10.0f;
  style.ChildRounding = 8.0f;
  style.FrameRounding = 6.0f;
  style.PopupRounding = 8.0f;
  style.GrabRounding = 6.0f;
  style.TabRounding = 6.0f;
  style.ScrollbarRounding = 6.0f;
  style.WindowBorderSize = 0.0f;
  style.ChildBorderSize = 1.0f;
  style.PopupBorderSize = 1.0f;
  style.FrameBorderSize = 0.0f;
  style.WindowPadding = ImVec2(14, 12);
  style.FramePadding = ImVec2(10, 6);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(6, 6);
  style.ScrollbarSize = 12.0f;
  style.WindowTitleAlign = ImVec2(0.5f, 0.5f);

  ImVec4* c = style.Colors;
  const auto rgb = [](int r, int g, int b, float a = 1.0f) {
    return ImVec4(r / 255.0f, g / 255.0f, b / 255.0f, a);
  };
  c[ImGuiCol_Text] = rgb(232, 234, 240);
  c[ImGuiCol_TextDisabled] = rgb(130, 136, 150);
  c[ImGuiCol_WindowBg] = rgb(26, 29, 36);
  c[ImGuiCol_ChildBg] = rgb(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = rgb(32, 36, 45, 0.98f);
  c[ImGuiCol_Border] = rgb(50, 55, 68);
  c[ImGuiCol_FrameBg] = rgb(40, 44, 55);
  c[ImGuiCol_FrameBgHovered] = rgb(48, 53, 66);
  c[ImGuiCol_FrameBgActive] = rgb(54, 60, 75);
  c[ImGuiCol_TitleBg] = rgb(26, 29, 36);
  c[ImGuiCol_TitleBgActive] = rgb(26, 29, 36);
  c[ImGuiCol_Button] = rgb(48, 53, 66);
  c[ImGuiCol_ButtonHovered] = rgb(60, 66, 82);
  c[ImGuiCol_ButtonActive] = rgb(70, 78, 96);
  c[ImGuiCol_Header] = rgb(48, 53, 66);
  c[ImGuiCol_HeaderHovered] = rgb(60, 66, 82);
  c[ImGuiCol_HeaderActive] = rgb(70, 78, 96);
  c[ImGuiCol_Separator] = rgb(50, 55, 68);
  c[ImGuiCol_CheckMark] = rgb(64, 140, 255);
  c[ImGuiCol_SliderGrab] = rgb(64, 140, 255);
  c[ImGuiCol_PlotHistogram] = rgb(64, 140, 255);
  c[ImGuiCol_TextSelectedBg] = rgb(64, 140, 255, 0.35f);
  c[ImGuiCol_NavHighlight] = rgb(64, 140, 255);
  c[ImGuiCol_ScrollbarBg] = rgb(0, 0, 0, 0);
  c[ImGuiCol_ScrollbarGrab] = rgb(60, 66, 82);
  c[ImGuiCol_ModalWindowDimBg] = rgb(0, 0, 0, 0.5f);
}

}  // namespace

Ui::Ui(Language language) : language_(language) {}

const Region* Ui::region(const std::string& name) const {
  for (const Region& r : regions_)
    if (r.name == name) return &r;
  return nullptr;
}

void Ui::set_join_defaults(const JoinDefaults& defaults) {
  if (!defaults.server.empty() && !server_edited_) server_field_ = defaults.server;
  if (!defaults.room.empty() && !room_edited_) room_field_ = defaults.room;
  if (!defaults.user.empty() && !user_edited_) user_field_ = defaults.user;
  if (!defaults.password.empty() && !password_edited_) password_field_ = defaults.password;
  if (server_.empty()) server_ = server_field_;
}

void Ui::set_refused(std::string server, std::string upload, bool has_config) {
  refused_server_ = std::move(server);
  refused_upload_ = std::move(upload);
  refused_has_config_ = has_config;
}

void Ui::focus_chat_input() {
  focus_chat_ = true;
  set_panel(true, PanelTab::kChat);
}

void Ui::set_panel(bool open, PanelTab tab) {
  panel_open_ = open;
  panel_tab_ = tab;
  panel_decided_ = true;
}

Ui::Screen Ui::choose_screen(const core::ViewModel& vm) {
  using core::Phase;
  if (vm.phase == Phase::kInRoom) {
    was_in_room_ = true;
  } else if (vm.phase == Phase::kIdle || vm.phase == Phase::kLeft || vm.phase == Phase::kFailed) {
    was_in_room_ = false;
  }
  if (refused()) return Screen::kRefused;
  if (kiosk_) return Screen::kKiosk;
  if (vm.phase == Phase::kInRoom) return Screen::kRoom;
  if (vm.phase == Phase::kReconnecting && was_in_room_) return Screen::kRoom;
  return Screen::kJoin;
}

void Ui::draw(const core::ViewModel& vm, Millis now, UiOutput& out) {
  out = UiOutput{};
  if (!theme_applied_) {
    apply_theme();
    if (high_contrast_) apply_high_contrast_theme();
    theme_applied_ = true;
  }
  a11y_frame_start();
  tile_rects_.clear();
  previous_regions_.swap(regions_);
  regions_.clear();
  wants_animation_ = false;
  redraw_at_.reset();

  screen_ = choose_screen(vm);
  // The screens are called through a table, not directly: the link inlines every function
  // that has one caller (binaryen), which made all four one function with draw()'s caller,
  // and a Wasm function is compiled whole on its first call. So the first frame compiled
  // every screen's code, ~50 ms on this machine, to draw one (issue 12 item 3).
  using ScreenFn = void (Ui::*)(const core::ViewModel&, Millis, UiOutput&);
  static constexpr ScreenFn kScreens[] = {&Ui::draw_join, &Ui::draw_room, &Ui::draw_kiosk, &Ui::draw_refused};
  static_assert(static_cast<int>(Screen::kJoin) == 0 && static_cast<int>(Screen::kRoom) == 1 &&
                static_cast<int>(Screen::kKiosk) == 2 && static_cast<int>(Screen::kRefused) == 3);
  (this->*kScreens[static_cast<int>(screen_)])(vm, now, out);
  draw_focus_ring();
  // An auto-sized window re-fits over a frame or two after its content changed, and a frame
  // drawn on demand may be the last for a while: keep drawing until two frames agree on where
  // everything is, so what is on screen is where the next click lands (bounded, in case some
  // layout never settles).
  constexpr int kMaxSettlingFrames = 8;
  settling_frames_ = regions_ != previous_regions_ ? settling_frames_ + 1 : 0;
  if (settling_frames_ > 0 && settling_frames_ <= kMaxSettlingFrames) wants_animation_ = true;
}

// ---- helpers ----------------------------------------------------------------------------

void Ui::want_redraw_at(Millis at) {
  if (!redraw_at_ || at < *redraw_at_) redraw_at_ = at;
}

int Ui::seconds_until(Millis target, Millis now) {
  if (target <= now) return 0;
  const Millis left = target - now;
  const int seconds = static_cast<int>((left + 999) / 1000);
  // The label changes when `left` crosses the next whole second: a frame then (redraw_at),
  // not every frame. A page reconnecting to a server that is down may show a countdown for
  // minutes; asking for every frame kept a core busy for a number that changes once a second.
  const Millis step = left - static_cast<Millis>(seconds - 1) * 1000;
  want_redraw_at(now + std::max<Millis>(step, 1));
  return seconds;
}

void Ui::add_region(std::string name) {
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  add_region(std::move(name), min.x, min.y, max.x - min.x, max.y - min.y);
  regions_.back().item = ImGui::GetItemID();
}

void Ui::add_region(std::string name, float x, float y, float w, float h) {
  regions_.push_back(Region{std::move(name), x, y, w, h});
}

std::string Ui::participant_name(const core::ViewModel& vm, UserId id) const {
  if (id == vm.self.id) return tr(StringId::kYou);
  if (const core::ParticipantView* p = vm.find(id)) {
    const protocol::Participant wire{p->id, p->name, p->prefix, p->postfix};
    if (core::has_display_name(wire)) return core::display_name(wire);
  }
  return format(tr(StringId::kUnnamedParticipant), std::to_string(id).c_str());
}

std::string Ui::format_clock(Millis time) const { return ui::format_clock(time, utc_offset_minutes_); }

bool Ui::valid_text_scale(int percent) {
  for (int s : kTextScales)
    if (s == percent) return true;
  return false;
}

float Ui::top_buttons_width() const {
  const float pad = ImGui::GetStyle().FramePadding.x * 2;
  const float lang = ImGui::CalcTextSize(tr(language_ == Language::kZhCn ? StringId::kLanguageEnglish
                                                                        : StringId::kLanguageChinese)).x;
  return ImGui::CalcTextSize("Aa").x + pad + ImGui::GetStyle().ItemSpacing.x + lang + pad;
}

void Ui::draw_top_buttons(UiOutput& out) {
  if (ImGui::Button("Aa###text-size")) {
    const auto* it = std::find(std::begin(kTextScales), std::end(kTextScales), text_scale_);
    text_scale_ = (it == std::end(kTextScales) || it + 1 == std::end(kTextScales)) ? kTextScales[0] : *(it + 1);
    out.text_scale = text_scale_;
  }
  add_region("text-size");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s\n%s", format(tr(StringId::kTextSize), text_scale_).c_str(), tr(StringId::kTextSizeTooltip));
  ImGui::SameLine();
  draw_language_button(out);
}

void Ui::draw_language_button(UiOutput& out) {
  const bool zh = language_ == Language::kZhCn;
  const std::string label =
      std::string(tr(zh ? StringId::kLanguageEnglish : StringId::kLanguageChinese)) + "###language";
  if (ImGui::Button(label.c_str())) {
    language_ = zh ? Language::kEnglish : Language::kZhCn;
    out.language = language_;
  }
  add_region("language");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(StringId::kSwitchLanguageTooltip));
}

// ---- join screen ------------------------------------------------------------------------

namespace {

bool field_error(bool show, const char* message) {
  if (!show) return false;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::bad()));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(message);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  return true;
}

void field_label(const char* label) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::text_dim()));
  ImGui::TextUnformatted(label);
  ImGui::PopStyleColor();
}

// A tinted box around the failure / status text of the join card.
// The join and refused screens' card: centred (or at `pos` with `pivot`), `width_em` font
// sizes wide (narrower on a small screen), padded, with a border. Pair with ImGui::End().
float card_width(float width_em) {
  return std::min(ImGui::GetIO().DisplaySize.x - 2 * ImGui::GetFontSize(), ImGui::GetFontSize() * width_em);
}
// The card's padding: font sizes, horizontally and vertically.
constexpr float kCardPadX = 1.8f;
constexpr float kCardPadY = 1.5f;
void begin_card(const char* name, float width_em, const ImVec2* pos = nullptr, ImVec2 pivot = ImVec2(0.5f, 0.5f),
                float max_h = 0.0f) {
  const ImGuiIO& io = ImGui::GetIO();
  const float font = ImGui::GetFontSize();
  const float card_w = card_width(width_em);
  ImGui::SetNextWindowPos(pos ? *pos : ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Always,
                          pos ? pivot : ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(card_w, 0), ImVec2(card_w, max_h > 0 ? max_h : io.DisplaySize.y));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(font * kCardPadX, font * kCardPadY));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.0f);
  ImGui::Begin(name, nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PopStyleVar(2);
}

void begin_message_box(const char* id, ImU32 tint) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4((tint & 0x00FFFFFF) | 0x30000000));
  ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4((tint & 0x00FFFFFF) | 0x90000000));
  ImGui::BeginChild(id, ImVec2(0, 0),
                    ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_AlwaysUseWindowPadding);
  ImGui::PushTextWrapPos(0.0f);
}

void end_message_box() {
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
  ImGui::PopStyleColor(2);
}

void dim_wrapped(const std::string& text) {
  if (text.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::text_dim()));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

// Untrusted text (a URL from the address bar) as drawn: direction controls and ASCII
// controls made visible as U+FFFD, at most max_bytes (cut between codepoints, then "…").
std::string shown_untrusted(std::string_view text, std::size_t max_bytes = 300) {
  std::string out;
  for (char c : core::reveal_bidi_controls(text)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) out += "\xEF\xBF\xBD";
    else out += c;
  }
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "\xE2\x80\xA6";
  }
  return out;
}

// A line of link-coloured text that reports a click (underlined while hovered).
bool link_text(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::link()));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  const bool hovered = ImGui::IsItemHovered();
  if (!hovered) return false;
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddLine(ImVec2(min.x, max.y), max, colors::link());
  ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  return ImGui::IsMouseReleased(ImGuiMouseButton_Left) && ImGui::IsMouseHoveringRect(min, max) &&
         !ImGui::IsMouseDragPastThreshold(ImGuiMouseButton_Left);
}

}  // namespace

void Ui::draw_join_status(const core::ViewModel& vm, Millis now, UiOutput& out) {
  using core::FailureReason;
  using core::Phase;

  if (vm.phase != Phase::kFailed || vm.failure != FailureReason::kPermissionDenied) {
    if (seen_failure_ == FailureReason::kPermissionDenied) seen_failure_ = FailureReason::kNone;
  }
  if (vm.phase == Phase::kFailed && vm.failure != seen_failure_) {
    seen_failure_ = vm.failure;
    if (vm.failure == FailureReason::kPermissionDenied) focus_password_ = true;
  }

  if (vm.phase == Phase::kFailed) {
    StringId message = StringId::kErrProtocol;
    StringId hint = StringId::kErrProtocolHint;
    failure_text(vm.failure, &message, &hint);
    begin_message_box("##failure", colors::bad());
    ImGui::TextUnformatted(tr(message));
    dim_wrapped(tr(hint));
    if (vm.failure == FailureReason::kReplaced) {
      if (ImGui::Button(tr(StringId::kUseHere))) out.retry = true;
      add_region("join/use-here");
    }
    if (vm.failure == FailureReason::kProtocolError) dim_wrapped(vm.detail);
    if (vm.failure == FailureReason::kServerUnreachable) draw_certificate_hint(out);
    end_message_box();
    add_region("join/failure");
    return;
  }
  if (vm.phase == Phase::kLeft) {
    begin_message_box("##left", colors::accent());
    ImGui::TextUnformatted(tr(StringId::kLeftMeeting));
    end_message_box();
    return;
  }
  if (vm.phase == Phase::kConnecting || vm.phase == Phase::kJoining) {
    // The dots move every 400 ms, unless the page prefers reduced motion (then they stay at
    // three): a frame at each step, none in between.
    if (!reduced_motion_) want_redraw_at((now / 400 + 1) * 400);
    const int dots = reduced_motion_ ? 3 : static_cast<int>((now / 400) % 4);
    begin_message_box("##busy", colors::accent());
    const std::string line = std::string(tr(vm.phase == Phase::kConnecting ? StringId::kConnectingToServer
                                                                           : StringId::kJoiningRoom)) +
                             std::string(static_cast<std::size_t>(dots), '.');
    ImGui::TextUnformatted(line.c_str());
    if (ImGui::Button(tr(StringId::kCancelButton))) out.leave = true;
    add_region("join/cancel");
    end_message_box();
    return;
  }
  if (vm.phase == Phase::kReconnecting) {
    const bool unreachable = vm.failure == FailureReason::kServerUnreachable;
    begin_message_box("##unreachable", unreachable ? colors::warn() : colors::accent());
    ImGui::TextUnformatted(tr(unreachable ? StringId::kErrServerUnreachable : StringId::kConnectingToServer));
    if (unreachable) {
      dim_wrapped(tr(StringId::kErrServerUnreachableHint));
      draw_certificate_hint(out);
    }
    std::string countdown;
    if (vm.reconnect_at && *vm.reconnect_at > now) {
      countdown = format(tr(StringId::kRetryInSeconds), seconds_until(*vm.reconnect_at, now));
    } else {
      countdown = tr(StringId::kRetryingNow);
    }
    if (vm.reconnect_attempts > 0)
      countdown += "  (" + format(tr(StringId::kAttemptNumber), vm.reconnect_attempts) + ")";
    ImGui::TextUnformatted(countdown.c_str());
    add_region("join/countdown");
    if (ImGui::Button(tr(StringId::kRetryNow))) out.retry = true;
    add_region("join/retry");
    ImGui::SameLine();
    if (ImGui::Button(tr(StringId::kCancelButton))) out.leave = true;
    add_region("join/cancel");
    end_message_box();
  }
}

// The backdrop of the join and refused screens: opaque (nothing of the room shows), the
// app's name and the language button. `hole` (x, y, w, h): where the camera preview's
// <video> beneath the canvas shows through.
void Ui::draw_backdrop(UiOutput& out, const float* hole) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::background()));
  ImGui::Begin("##join_backdrop", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNav |
                   (hole ? ImGuiWindowFlags_NoBackground : 0));
  ImGui::PopStyleColor();
  if (hole) {  // the background in four pieces around the hole, beneath every window
    ImDrawList* bg = ImGui::GetBackgroundDrawList();
    const float w = io.DisplaySize.x, h = io.DisplaySize.y;
    const float x0 = hole[0], y0 = hole[1], x1 = hole[0] + hole[2], y1 = hole[1] + hole[3];
    bg->AddRectFilled(ImVec2(0, 0), ImVec2(w, y0), colors::background());
    bg->AddRectFilled(ImVec2(0, y1), ImVec2(w, h), colors::background());
    bg->AddRectFilled(ImVec2(0, y0), ImVec2(x0, y1), colors::background());
    bg->AddRectFilled(ImVec2(x1, y0), ImVec2(w, y1), colors::background());
  }
  ImGui::TextDisabled("%s", tr(StringId::kAppTitle));
  ImGui::SameLine(std::max(0.0f, ImGui::GetWindowContentRegionMax().x - top_buttons_width()));
  draw_top_buttons(out);
  ImGui::End();
}

// The hint under "cannot reach the server" for a wss: server on another origin that never
// answered: a self-signed certificate fails silently; opening https://host:port/ once lets
// the user accept it. The link is the app's own URL for the server being tried.
void Ui::draw_certificate_hint(UiOutput& out) {
  if (certificate_hint_.empty()) return;
  ImGui::Spacing();
  dim_wrapped(tr(StringId::kCertificateHint));
  if (link_text(shown_untrusted(certificate_hint_))) out.open_certificate_page = true;
  add_region("join/certificate");
}

// A link asked for a server or upload address the deployment does not allow. Nothing was
// opened; this screen says what was refused and why, and (outside kiosk mode) leads on to
// the join screen, whose server field holds the allowed default, never the refused one.
void Ui::draw_refused(const core::ViewModel&, Millis, UiOutput& out) {
  last_screen_ = Screen::kRefused;
  const float font = ImGui::GetFontSize();
  draw_backdrop(out);

  begin_card("##refused_card", 32.0f);

  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::bad()));
  ImGui::SetWindowFontScale(1.4f);
  ImGui::TextUnformatted(tr(StringId::kRefusedTitle));
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PopStyleColor();
  add_region("refused");
  ImGui::Spacing();

  const auto named = [&](StringId what, const std::string& value, const char* region) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(tr(what));
    ImGui::PopTextWrapPos();
    begin_message_box(region, colors::bad());
    ImGui::TextUnformatted(shown_untrusted(value).c_str());
    end_message_box();
    add_region(region + 2);  // "##refused/server" -> "refused/server"
    ImGui::Spacing();
  };
  if (!refused_server_.empty()) named(StringId::kRefusedServer, refused_server_, "##refused/server");
  if (!refused_upload_.empty()) named(StringId::kRefusedUpload, refused_upload_, "##refused/upload");

  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(tr(StringId::kRefusedNothingOpened));
  ImGui::PopTextWrapPos();
  dim_wrapped(tr(refused_has_config_ ? StringId::kRefusedHintConfig : StringId::kRefusedHintNoConfig));

  if (!kiosk_) {
    ImGui::Spacing();
    if (colored_button(tr(StringId::kRefusedContinue), colors::accent(), ImVec2(-FLT_MIN, font * 2.4f))) {
      out.dismiss_refused = true;
      set_refused("", "", false);
    }
    add_region("refused/continue");
  }
  ImGui::End();
}

void Ui::draw_join(const core::ViewModel& vm, Millis now, UiOutput& out) {
  using core::Phase;
  last_screen_ = Screen::kJoin;
  const float font = ImGui::GetFontSize();
  const ImGuiIO& io = ImGui::GetIO();

  // The pre-join check (issue 13 item 7): the camera preview beside the card on a wide
  // screen, above it on a narrow one; its meter below it, the device pickers in the card.
  const bool preview = preview_.state != Preview::State::kOff && !kiosk_;
  const float card_w = card_width(30.0f);
  float pv[4] = {0, 0, 0, 0};  // the preview's video area: x, y, w, h
  ImVec2 card_pos(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f);
  ImVec2 card_pivot(0.5f, 0.5f);
  const float below = std::round(font * 2.2f);  // the meter and its label under the video
  if (preview) {
    const float gap = std::round(font * 1.5f);
    const float room_left = io.DisplaySize.x - card_w - gap - 2 * font;
    if (room_left >= font * 18.0f) {  // side by side, the pair centred
      pv[2] = std::round(std::min(room_left, font * 34.0f));
      pv[3] = std::round(pv[2] * 9.0f / 16.0f);
      pv[0] = std::round((io.DisplaySize.x - (pv[2] + gap + card_w)) * 0.5f);
      pv[1] = std::round((io.DisplaySize.y - pv[3] - below) * 0.5f);
      card_pos = ImVec2(pv[0] + pv[2] + gap, io.DisplaySize.y * 0.5f);
      card_pivot = ImVec2(0.0f, 0.5f);
    } else {  // a phone: above the card
      pv[3] = std::round(std::min(card_w * 9.0f / 16.0f, io.DisplaySize.y * 0.28f));
      pv[2] = std::round(pv[3] * 16.0f / 9.0f);
      pv[0] = std::round((io.DisplaySize.x - pv[2]) * 0.5f);
      pv[1] = std::round(font * 2.4f);  // below the title line
      card_pos = ImVec2(io.DisplaySize.x * 0.5f, pv[1] + pv[3] + below + font * 0.5f);
      card_pivot = ImVec2(0.5f, 0.0f);
    }
  }
  const bool hole = preview && preview_.state == Preview::State::kLive;
  draw_backdrop(out, hole ? pv : nullptr);
  if (preview) draw_preview(vm, pv[0], pv[1], pv[2], pv[3], out);

  // The card, on screen whatever the window's height: it ends half a font size above the
  // bottom (centred, or below the preview on a phone), and when the form is taller than
  // that its fields scroll inside the card while the Join button stays under them (a
  // landscape phone, a short window: the button was off screen, out of reach).
  const float margin = std::round(font * 0.5f);
  const bool top_anchored = preview && card_pivot.y == 0.0f;
  const float card_max_h = std::max(font * 8.0f, top_anchored ? io.DisplaySize.y - margin - card_pos.y
                                                              : io.DisplaySize.y - 2 * margin);
  begin_card("##join_card", 30.0f, preview ? &card_pos : nullptr, card_pivot, card_max_h);

  ImGui::SetWindowFontScale(1.4f);
  ImGui::TextUnformatted(tr(StringId::kJoinTitle));
  ImGui::SetWindowFontScale(1.0f);
  dim_wrapped(tr(StringId::kJoinSubtitle));
  ImGui::Spacing();

  draw_join_status(vm, now, out);

  // The fields scroll, within what the card leaves them under the title and the status and
  // above the Join button; sized to what they held last frame.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float button_h = font * 2.4f;  // the Join button's
  const float header_h = ImGui::GetCursorScreenPos().y - ImGui::GetWindowPos().y;
  const float footer_h = style.ItemSpacing.y * 2 + button_h + font * kCardPadY +
                         (config_notice_.empty() ? 0.0f : font * 3.0f);
  const float fields_max = std::max(font * 3.0f, card_max_h - header_h - footer_h);
  ImGui::BeginChild("##join_fields", ImVec2(0, join_fields_h_ > 0 ? std::min(join_fields_h_, fields_max) : fields_max),
                    ImGuiChildFlags_None, ImGuiWindowFlags_NavFlattened);

  // While the server cannot be reached the form stays usable: joining again with a fixed
  // address or other values replaces the attempt (the session retries with them).
  const bool busy = vm.phase == Phase::kConnecting || vm.phase == Phase::kJoining;
  bool submit = false;
  const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;

  ImGui::Spacing();
  field_label(tr(StringId::kServerLabel));
  ImGui::SetNextItemWidth(-FLT_MIN);
  if (focus_first_field_ && server_field_.empty()) {
    ImGui::SetKeyboardFocusHere();
    focus_first_field_ = false;
  }
  const std::string server_before = server_field_;
  submit |= ImGui::InputText("##server", &server_field_, enter);
  if (server_field_ != server_before) server_edited_ = true;
  add_region("join/server");
  // Each field is checked after its InputText, on what it holds now: checked before, a key
  // that made the field valid drew "invalid" for one frame (and moved the card under the
  // pointer: a CI run's click on Join missed the button).
  const bool server_ok = core::is_websocket_url(server_field_);
  if (field_error(!server_ok && (show_validation_ || (server_edited_ && !server_field_.empty())),
                  tr(StringId::kInvalidServer)))
    add_region("join/error/server");

  // Room and user side by side: labels on one row, boxes on the next, so both align.
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float second_x = ImGui::GetCursorPosX() + half + ImGui::GetStyle().ItemSpacing.x;
  field_label(tr(StringId::kRoomLabel));
  ImGui::SameLine(second_x);
  field_label(tr(StringId::kUserLabel));
  ImGui::SetNextItemWidth(half);
  if (focus_first_field_ && room_field_.empty()) {
    ImGui::SetKeyboardFocusHere();
    focus_first_field_ = false;
  }
  const std::string room_before = room_field_;
  submit |= ImGui::InputText("##room", &room_field_, enter);
  if (room_field_ != room_before) room_edited_ = true;
  add_region("join/room");
  ImGui::SameLine(second_x);
  ImGui::SetNextItemWidth(half);
  if (focus_first_field_ && user_field_.empty()) {
    ImGui::SetKeyboardFocusHere();
    focus_first_field_ = false;
  }
  const std::string user_before = user_field_;
  submit |= ImGui::InputText("##user", &user_field_, enter);
  if (user_field_ != user_before) user_edited_ = true;
  add_region("join/user");
  const auto room = core::parse_wire_integer(room_field_);
  const auto user = core::parse_wire_integer(user_field_);
  if (field_error(!room && (show_validation_ || (room_edited_ && !room_field_.empty())), tr(StringId::kInvalidRoom)))
    add_region("join/error/room");
  if (field_error(!user && (show_validation_ || (user_edited_ && !user_field_.empty())), tr(StringId::kInvalidUser)))
    add_region("join/error/user");

  field_label(tr(StringId::kPasswordLabel));
  ImGui::SetNextItemWidth(-FLT_MIN);
  if (focus_password_ || (focus_first_field_ && !busy)) {
    ImGui::SetKeyboardFocusHere();
    focus_password_ = false;
    focus_first_field_ = false;
  }
  const std::string password_before = password_field_;
  submit |= ImGui::InputTextWithHint("##password", tr(StringId::kPasswordHint), &password_field_,
                                     enter | ImGuiInputTextFlags_Password);
  if (password_field_ != password_before) password_edited_ = true;
  add_region("join/password");

  if (preview) draw_device_pickers(out);
  join_fields_h_ = ImGui::GetCursorPosY() - style.ItemSpacing.y;  // content space: scrolling included
  ImGui::EndChild();

  ImGui::Spacing();
  ImGui::BeginDisabled(busy);
  const std::string join_label =
      std::string(tr(busy ? StringId::kJoiningButton : StringId::kJoinButton)) + "###join";
  if (colored_button(join_label.c_str(), colors::accent(), ImVec2(-FLT_MIN, button_h))) submit = true;
  add_region("join/button");
  ImGui::EndDisabled();

  if (!config_notice_.empty()) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::warn()));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(format(tr(StringId::kConfigIgnored), shown_untrusted(config_notice_).c_str()).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    add_region("join/config_notice");
  }

  if (submit && !busy) {
    if (server_ok && room && user) {
      out.join = JoinRequest{server_field_, *room, *user, password_field_};
      server_ = server_field_;
      show_validation_ = false;
      seen_failure_ = core::FailureReason::kNone;
    } else {
      show_validation_ = true;
    }
  }
  ImGui::End();
}

// The camera preview: the self <video> shows through the backdrop's hole while live (the
// app places it at tile_rects()); otherwise a dark frame says why there is no picture. The
// meter of the microphone below it.
void Ui::draw_preview(const core::ViewModel& vm, float x, float y, float w, float h, UiOutput& out) {
  const float font = ImGui::GetFontSize();
  const float rounding = std::round(font * 0.5f);
  const bool live = preview_.state == Preview::State::kLive;
  tile_rects_.push_back(TileRect{vm.self.id, true, x, y, w, h, rounding, live});
  ImGui::SetNextWindowPos(ImVec2(x, y));
  ImGui::SetNextWindowSize(ImVec2(w, h + std::round(font * 2.2f)));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("##preview", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoFocusOnAppearing);
  ImGui::PopStyleVar();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 min(x, y), max(x + w, y + h);
  if (!live) {
    dl->AddRectFilled(min, max, colors::tile_empty(), rounding);
    StringId line = StringId::kPreviewStarting;
    switch (preview_.state) {
      case Preview::State::kNoCamera: line = StringId::kPreviewNoCamera; break;
      case Preview::State::kFailed: line = preview_.denied ? StringId::kPreviewDenied : StringId::kPreviewFailed; break;
      default: break;
    }
    if (preview_.state == Preview::State::kStopped) {
      const char* label = tr(StringId::kPreviewStart);
      const ImVec2 size(ImGui::CalcTextSize(label).x + font * 1.6f, std::round(font * 2.2f));
      ImGui::SetCursorScreenPos(ImVec2(std::round(x + (w - size.x) * 0.5f), std::round(y + (h - size.y) * 0.5f)));
      if (colored_button(label, colors::accent(), size)) out.start_preview = true;
      add_region("join/preview/start");
    } else {
      ImGui::SetCursorScreenPos(ImVec2(x + font, y + h * 0.5f - font));
      ImGui::PushTextWrapPos(x + w - font);
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::text_dim()));
      ImGui::TextUnformatted(tr(line));
      ImGui::PopStyleColor();
      ImGui::PopTextWrapPos();
    }
  }
  dl->AddRect(min, max, colors::tile_frame(), rounding, 0, 1.5f);
  add_region("join/preview", x, y, w, h);
  // The meter: its label, then the bar.
  ImGui::SetCursorScreenPos(ImVec2(x, y + h + std::round(font * 0.5f)));
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::text_dim()));
  ImGui::TextUnformatted(tr(StringId::kMicrophone));
  ImGui::PopStyleColor();
  ImGui::SameLine();
  draw_mic_meter(vm, std::max(font * 4.0f, ImGui::GetContentRegionAvail().x), ImGui::GetFrameHeight(), "join/meter");
  ImGui::End();
}

namespace {

// A device's name in a list: its label, else "Camera 2"; "(Default)" for the default.
std::string device_name(const char* title, const std::vector<Device>& devices, std::size_t i, const char* default_word) {
  const Device& d = devices[i];
  std::string label = d.label.empty() ? std::string(title) + " " + std::to_string(i + 1) : d.label;
  if (d.id.empty() || d.id == "default") label += " (" + std::string(default_word) + ")";
  return label;
}

}  // namespace

// The pre-join check's camera and microphone pickers, side by side in the card. A choice
// goes out as select_camera / select_mic, as the room's device popup does.
void Ui::draw_device_pickers(UiOutput& out) {
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float second_x = ImGui::GetCursorPosX() + half + ImGui::GetStyle().ItemSpacing.x;
  field_label(tr(StringId::kCamera));
  ImGui::SameLine(second_x);
  field_label(tr(StringId::kMicrophone));
  const auto picker = [&](StringId title, const std::vector<Device>& devices, std::string& selected,
                          std::optional<std::string>& output, const char* id) {
    std::size_t current = 0;
    for (std::size_t i = 0; i < devices.size(); ++i)
      if (devices[i].id == selected) current = i;
    const std::string shown = devices.empty() ? std::string(tr(StringId::kNoDevices))
                                              : device_name(tr(title), devices, current, tr(StringId::kDefaultDevice));
    ImGui::SetNextItemWidth(half);
    const std::string combo = std::string("##") + id;
    const std::string region = std::string("join/") + id;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    add_region(region, at.x, at.y, half, ImGui::GetFrameHeight());
    regions_.back().item = ImGui::GetID(combo.c_str());  // the combo, for the accessibility mirror
    if (ImGui::BeginCombo(combo.c_str(), shown.c_str())) {
      for (std::size_t i = 0; i < devices.size(); ++i) {
        const std::string label =
            device_name(tr(title), devices, i, tr(StringId::kDefaultDevice)) + "##" + std::to_string(i);
        if (ImGui::Selectable(label.c_str(), i == current) && devices[i].id != selected) {
          selected = devices[i].id;
          output = devices[i].id;
        }
        add_region(region + "/" + std::to_string(i));
      }
      ImGui::EndCombo();
    }
  };
  picker(StringId::kCamera, devices_.cameras, devices_.camera_id, out.select_camera, "camera");
  ImGui::SameLine(second_x);
  picker(StringId::kMicrophone, devices_.mics, devices_.mic_id, out.select_mic, "mic");
}

float kiosk_text_size(float width_css, float height_css) {
  const float shorter = std::min(width_css, height_css);
  return std::clamp(std::round(shorter / 27.0f), 16.0f, 48.0f);
}

}  // namespace gc::ui
