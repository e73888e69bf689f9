// A headless ImGui for UI tests: no renderer, no platform, the default font, and helpers
// that feed input the way a browser would (mouse moves, clicks and keys across frames,
// since ImGui 1.90 trickles one input change per frame).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/view_model.hpp"
#include "ui/ui.hpp"

namespace gc::ui::test {

class Harness {
 public:
  explicit Harness(float width = 1280, float height = 720, Language lang = Language::kEnglish) : ui(lang) {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(width, height);
    io.Fonts->AddFontDefault();
    io.Fonts->Build();
    unsigned char* pixels = nullptr;
    int w = 0;
    int h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(static_cast<ImTextureID>(nullptr));
  }
  ~Harness() { ImGui::DestroyContext(ctx_); }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  void resize(float width, float height) { ImGui::GetIO().DisplaySize = ImVec2(width, height); }

  // One frame; its intents are returned and also merged into `all` (for multi-frame actions).
  UiOutput frame() {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    UiOutput out;
    ui.draw(vm, now, out);
    ImGui::Render();
    now += 16;
    merge(out);
    reflect(out);
    ++frames;
    return out;
  }
  void frames_n(int n) {
    for (int i = 0; i < n; ++i) frame();
  }

  // Move, press, release: three frames, as a real click arrives.
  void click(float x, float y, int button = 0) {
    ImGuiIO& io = ImGui::GetIO();
    io.AddMousePosEvent(x, y);
    frame();
    io.AddMouseButtonEvent(button, true);
    frame();
    io.AddMouseButtonEvent(button, false);
    frame();
    frame();
  }
  bool click_region(const std::string& name) {
    const Region* r = ui.region(name);
    if (!r) return false;
    click(r->x + r->w * 0.5f, r->y + r->h * 0.5f);
    return true;
  }
  void key(ImGuiKey key, bool shift = false) {
    ImGuiIO& io = ImGui::GetIO();
    if (shift) io.AddKeyEvent(ImGuiMod_Shift, true);
    io.AddKeyEvent(key, true);
    frame();
    io.AddKeyEvent(key, false);
    if (shift) io.AddKeyEvent(ImGuiMod_Shift, false);
    frame();
    frame();
  }
  // Ctrl+A: selects everything in the focused text field.
  void select_all() {
    ImGuiIO& io = ImGui::GetIO();
    io.AddKeyEvent(ImGuiMod_Ctrl, true);
    key(ImGuiKey_A);
    io.AddKeyEvent(ImGuiMod_Ctrl, false);
  }
  void type(const char* utf8) {
    ImGui::GetIO().AddInputCharactersUTF8(utf8);
    frame();
  }

  void reset_all() { all = Collected{}; }

  // Intents seen since the last reset_all().
  struct Collected {
    std::vector<JoinRequest> joins;
    int retries = 0;
    int leaves = 0;
    std::vector<std::string> chats;
    int pick_files = 0;
    std::vector<UploadId> cancels;
    std::vector<std::uint64_t> resends;
    std::vector<std::vector<UserId>> visible;
    std::vector<std::vector<UserId>> prefetch;  // sent with each visible set
    int resume_video = 0;
    std::vector<std::size_t> pages;
    std::vector<std::string> urls;
    std::vector<bool> chat_visible;
    int mark_read = 0;
    int enable_sound = 0;
    std::vector<Language> languages;
    std::vector<bool> muted;
    std::vector<bool> camera_off;
    std::vector<bool> share_screen;
    int dismiss_refused = 0;
    int open_certificate_page = 0;
    int start_preview = 0;
    std::vector<std::string> select_camera;
    std::vector<std::string> select_mic;
  } all;

  ImGuiContext* ctx_ = nullptr;
  Ui ui;
  core::ViewModel vm;
  Millis now = 1'700'000'000'000;
  int frames = 0;
  bool reflect_intents = true;  // apply visible set / chat visibility / read to vm

 private:
  // What a Session does with these intents, as far as the view model shows it.
  void reflect(const UiOutput& out) {
    if (!reflect_intents) return;
    if (out.visible_participants) {
      for (core::ParticipantView& p : vm.participants) {
        const auto& ids = *out.visible_participants;
        p.visible = std::find(ids.begin(), ids.end(), p.id) != ids.end();
        const auto& next = out.prefetch_participants;
        p.prefetch = std::find(next.begin(), next.end(), p.id) != next.end();
      }
    }
    if (out.chat_visible) vm.chat_visible = *out.chat_visible;
    if (out.mark_chat_read) vm.unread = 0;
  }

  void merge(const UiOutput& out) {
    if (out.join) all.joins.push_back(*out.join);
    if (out.retry) ++all.retries;
    if (out.resume_video) ++all.resume_video;
    if (out.visible_participants) all.prefetch.push_back(out.prefetch_participants);
    if (out.leave) ++all.leaves;
    if (out.send_chat) all.chats.push_back(*out.send_chat);
    if (out.pick_files) ++all.pick_files;
    for (UploadId id : out.cancel_uploads) all.cancels.push_back(id);
    for (std::uint64_t seq : out.resend_lines) all.resends.push_back(seq);
    if (out.visible_participants) all.visible.push_back(*out.visible_participants);
    if (out.page) all.pages.push_back(*out.page);
    if (out.open_url) all.urls.push_back(*out.open_url);
    if (out.chat_visible) all.chat_visible.push_back(*out.chat_visible);
    if (out.mark_chat_read) ++all.mark_read;
    if (out.enable_sound) ++all.enable_sound;
    if (out.language) all.languages.push_back(*out.language);
    if (out.set_muted) all.muted.push_back(*out.set_muted);
    if (out.set_camera_off) all.camera_off.push_back(*out.set_camera_off);
    if (out.share_screen) all.share_screen.push_back(*out.share_screen);
    if (out.dismiss_refused) ++all.dismiss_refused;
    if (out.open_certificate_page) ++all.open_certificate_page;
    if (out.start_preview) ++all.start_preview;
    if (out.select_camera) all.select_camera.push_back(*out.select_camera);
    if (out.select_mic) all.select_mic.push_back(*out.select_mic);
  }
};

// A room with the self id 1 (publishing, live) and `others` participants 100, 101, ...
inline core::ViewModel room_with(int others) {
  core::ViewModel vm;
  vm.revision = 1;
  vm.phase = core::Phase::kInRoom;
  vm.room = 7;
  vm.self.id = 1;
  vm.self.publish = core::PublishState::kLive;
  vm.self.media_ready = true;
  for (int i = 0; i < others; ++i) {
    core::ParticipantView p;
    p.id = 100 + i;
    p.name = "用户" + std::to_string(i);
    p.prefix = i % 2 ? "Dr." : "";
    p.postfix = i % 3 ? "" : "(R&D)";
    p.tile = static_cast<core::TileState>(i % 5);  // connecting, live, no media, failed, retrying
    vm.participants.push_back(p);
  }
  return vm;
}

// A chat line from `sender` (someone else unless the test sets is_self).
inline core::ChatLine chat_line(std::uint64_t seq, core::UserId sender, std::string text, core::Millis time = 0) {
  core::ChatLine line;
  line.seq = seq;
  line.sender = sender;
  line.text = std::move(text);
  line.time = time;
  return line;
}

}  // namespace gc::ui::test
