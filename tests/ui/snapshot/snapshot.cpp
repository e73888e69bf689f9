// gc_ui_snapshot: draws the UI headless and rasterises ImGui's draw data in software into
// PNGs, so the screens can be looked at without a browser. Tile rectangles are first
// filled with a stand-in "video" gradient, as the <video> elements beneath the transparent
// canvas would be, so the PNG shows what a user sees.
//
//   gc_ui_snapshot <out-dir> [latin.ttf] [cjk.ttf|ttc]
//
// Writes join.png, join-denied.png, room4.png, room4-zh.png, room26.png, files.png,
// kiosk.png (1280x720, room4-1080.png at 1920x1080), speaking-quality.png (a speaking ring
// and a participant's quality panel), quality-self-zh.png (your own stream's panel) and
// kiosk-speaking.png, help.png / help-zh.png (the shortcuts overlay), pinned.png and
// pinned-self-zh.png (a tile pinned above the filmstrip). A developer tool, not a test.
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <imgui.h>

#include "core/live_media.hpp"
#include "core/view_model.hpp"
#include "ui/ui.hpp"

namespace {

using gc::ui::Language;

struct Image {
  int w = 0;
  int h = 0;
  std::vector<float> rgb;  // linear-ish 0..1, premultiplied composition done in place
};

struct Texture {
  int w = 0;
  int h = 0;
  const unsigned char* rgba = nullptr;
};

void blend(Image& img, int x, int y, float r, float g, float b, float a) {
  float* p = &img.rgb[(static_cast<std::size_t>(y) * img.w + x) * 3];
  p[0] = p[0] * (1 - a) + r * a;
  p[1] = p[1] * (1 - a) + g * a;
  p[2] = p[2] * (1 - a) + b * a;
}

void raster_triangle(Image& img, const Texture& tex, const ImDrawVert& v0, const ImDrawVert& v1,
                     const ImDrawVert& v2, const ImVec4& clip) {
  const float area = (v1.pos.x - v0.pos.x) * (v2.pos.y - v0.pos.y) - (v2.pos.x - v0.pos.x) * (v1.pos.y - v0.pos.y);
  if (std::fabs(area) < 1e-6f) return;
  const int x0 = std::max(static_cast<int>(std::floor(std::max(std::min({v0.pos.x, v1.pos.x, v2.pos.x}), clip.x))), 0);
  const int y0 = std::max(static_cast<int>(std::floor(std::max(std::min({v0.pos.y, v1.pos.y, v2.pos.y}), clip.y))), 0);
  const int x1 = std::min(static_cast<int>(std::ceil(std::min(std::max({v0.pos.x, v1.pos.x, v2.pos.x}), clip.z))), img.w);
  const int y1 = std::min(static_cast<int>(std::ceil(std::min(std::max({v0.pos.y, v1.pos.y, v2.pos.y}), clip.w))), img.h);
  const auto col = [](ImU32 c, int shift) { return static_cast<float>((c >> shift) & 0xFF) / 255.0f; };
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const float px = x + 0.5f;
      const float py = y + 0.5f;
      float w0 = ((v1.pos.x - px) * (v2.pos.y - py) - (v2.pos.x - px) * (v1.pos.y - py)) / area;
      float w1 = ((v2.pos.x - px) * (v0.pos.y - py) - (v0.pos.x - px) * (v2.pos.y - py)) / area;
      float w2 = 1 - w0 - w1;
      if (w0 < -1e-4f || w1 < -1e-4f || w2 < -1e-4f) continue;
      const float u = w0 * v0.uv.x + w1 * v1.uv.x + w2 * v2.uv.x;
      const float v = w0 * v0.uv.y + w1 * v1.uv.y + w2 * v2.uv.y;
      const int tx = std::clamp(static_cast<int>(u * tex.w), 0, tex.w - 1);
      const int ty = std::clamp(static_cast<int>(v * tex.h), 0, tex.h - 1);
      const unsigned char* t = &tex.rgba[(static_cast<std::size_t>(ty) * tex.w + tx) * 4];
      const float r = (w0 * col(v0.col, 0) + w1 * col(v1.col, 0) + w2 * col(v2.col, 0)) * t[0] / 255.0f;
      const float g = (w0 * col(v0.col, 8) + w1 * col(v1.col, 8) + w2 * col(v2.col, 8)) * t[1] / 255.0f;
      const float b = (w0 * col(v0.col, 16) + w1 * col(v1.col, 16) + w2 * col(v2.col, 16)) * t[2] / 255.0f;
      const float a = (w0 * col(v0.col, 24) + w1 * col(v1.col, 24) + w2 * col(v2.col, 24)) * t[3] / 255.0f;
      if (a > 0) blend(img, x, y, r, g, b, a);
    }
  }
}

void write_png(const std::string& path, const Image& img) {
  std::vector<unsigned char> raw;
  raw.reserve(static_cast<std::size_t>(img.h) * (img.w * 3 + 1));
  for (int y = 0; y < img.h; ++y) {
    raw.push_back(0);
    for (int x = 0; x < img.w * 3; ++x)
      raw.push_back(static_cast<unsigned char>(std::clamp(img.rgb[static_cast<std::size_t>(y) * img.w * 3 + x], 0.0f, 1.0f) * 255.0f + 0.5f));
  }
  uLongf size = compressBound(raw.size());
  std::vector<unsigned char> z(size);
  compress2(z.data(), &size, raw.data(), raw.size(), 6);
  z.resize(size);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return;
  const auto be32 = [](std::vector<unsigned char>& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<unsigned char>(v >> s));
  };
  const auto chunk = [&](const char* type, const std::vector<unsigned char>& data) {
    std::vector<unsigned char> out;
    be32(out, static_cast<std::uint32_t>(data.size()));
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    const uLong crc = crc32(0, out.data() + 4, static_cast<uInt>(out.size() - 4));
    be32(out, static_cast<std::uint32_t>(crc));
    std::fwrite(out.data(), 1, out.size(), f);
  };
  static const unsigned char sig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::fwrite(sig, 1, sizeof sig, f);
  std::vector<unsigned char> ihdr;
  be32(ihdr, static_cast<std::uint32_t>(img.w));
  be32(ihdr, static_cast<std::uint32_t>(img.h));
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});
  chunk("IHDR", ihdr);
  chunk("IDAT", z);
  chunk("IEND", {});
  std::fclose(f);
}

struct Scene {
  std::string name;
  float w = 1280;
  float h = 720;
  Language lang = Language::kEnglish;
  bool kiosk = false;
  gc::core::ViewModel vm;
  std::vector<std::string> clicks;  // region names clicked before the shot
  std::optional<gc::core::Phase> then;  // phase switched to after the first frames
  gc::ui::JoinDefaults defaults;
  bool live = false;  // live_media(): speaking ring and quality badges
  std::optional<gc::core::UserId> pin;  // a tile pinned large (issue 13 item 4)
  bool help = false;                    // "?" pressed: the shortcuts overlay (item 5)
};

// A minute of measurements: 李娜 (3) speaking and the active speaker, 王伟 (2) on a good link,
// 李娜 with 6 % loss (two bars), your own stream limited by bandwidth.
gc::core::LiveMedia live_media(gc::core::Millis now) {
  gc::core::LiveMedia live;
  for (gc::core::Millis t = now - 3000; t <= now; t += 250) {
    live.speakers.sample(2, 0.002, t);
    live.speakers.sample(3, 0.15 + 0.05 * std::sin(static_cast<double>(t) / 300.0), t);
    live.speakers.update(t);
  }
  double bytes2 = 0, bytes3 = 0, sent = 0, received2 = 0, received3 = 0, lost3 = 0;
  for (int i = 0; i <= 60; ++i) {
    const gc::core::Millis t = now - (60 - i) * 1000;
    const double wave = std::sin(i / 6.0);
    gc::core::StatsSample a;
    bytes2 += (320 + 60 * wave) * 1000 / 8;
    received2 += 40;
    a.bytes = bytes2;
    a.packets_received = received2;
    a.packets_lost = i > 40 && i < 44 ? 2.0 * (i - 40) : (i >= 44 ? 6.0 : 0.0);
    a.fps = i > 40 && i < 44 ? 11 : 15;
    a.width = 320;
    a.height = 240;
    a.jitter_s = 0.004 + 0.002 * (1 + wave);
    a.rtt_s = 0.024 + 0.01 * (1 - wave);
    live.quality[2].sample(a, t);
    gc::core::StatsSample b = a;
    bytes3 += (180 + 40 * wave) * 1000 / 8;
    received3 += 30;
    lost3 += 2;
    b.bytes = bytes3;
    b.packets_received = received3;
    b.packets_lost = lost3;
    b.fps = 9;
    live.quality[3].sample(b, t);
    gc::core::StatsSample self;
    sent += (520 + 80 * wave) * 1000 / 8;
    self.bytes = sent;
    self.fps = 15;
    self.width = 640;
    self.height = 360;
    self.rtt_s = 0.022;
    self.limitation = i > 30 ? "bandwidth" : "none";
    live.self.sample(self, t);
  }
  return live;
}

gc::core::ViewModel room(int others, gc::core::Millis now) {
  gc::core::ViewModel vm;
  vm.phase = gc::core::Phase::kInRoom;
  vm.room = 1;
  vm.self.id = 1;
  vm.self.publish = gc::core::PublishState::kLive;
  vm.self.media_ready = true;
  const char* names[] = {"王伟", "李娜", "Alice Chen", "张敏", "刘洋", "陈静", "杨帆", "赵磊"};
  for (int i = 0; i < others; ++i) {
    gc::core::ParticipantView p;
    p.id = 2 + i;
    p.name = names[i % 8];
    p.prefix = i == 0 ? "Dr." : "";
    p.postfix = i == 1 ? "(研发部)" : "";
    p.tile = i == 2 ? gc::core::TileState::kNoMedia : i == 3 ? gc::core::TileState::kConnecting : gc::core::TileState::kLive;
    vm.participants.push_back(p);
  }
  const auto line = [&](std::uint64_t seq, gc::core::UserId who, bool self, const char* text, gc::core::ChatStatus st) {
    gc::core::ChatLine l;
    l.seq = seq;
    l.sender = who;
    l.is_self = self;
    l.text = text;
    l.time = now - 60000 * static_cast<gc::core::Millis>(10 - seq);
    l.status = st;
    vm.chat.push_back(l);
  };
  if (others > 0) {
    line(1, 2, false, "大家好，会议资料在 https://example.com/agenda.pdf 请先看一下。", gc::core::ChatStatus::kSent);
    line(2, 1, true, "收到，谢谢！", gc::core::ChatStatus::kSent);
    line(3, 1, true, "I'll share the slides in a minute.", gc::core::ChatStatus::kPending);
    line(4, 3, false, "这一行很长，用来检查中文在聊天面板里的自动换行是否在字与字之间断开，而不是溢出面板的边界。", gc::core::ChatStatus::kSent);
    line(5, 1, true, "这条消息服务器没有回显", gc::core::ChatStatus::kNotConfirmed);
    vm.chat.back().resendable = true;
  }
  gc::core::SharedFile f1;
  f1.seq = 1;
  f1.uploader = 2;
  f1.name = "季度报告.pdf";
  f1.url = "/files/report.pdf";
  f1.linkable = true;
  f1.time = now - 300000;
  vm.files.push_back(f1);
  gc::core::SharedFile f2;
  f2.seq = 2;
  f2.uploader = 3;
  f2.name = "click-me.html";
  f2.url = "javascript:alert(1)";
  f2.linkable = false;
  f2.time = now - 200000;
  vm.files.push_back(f2);
  gc::core::UploadView up;
  up.id = 1;
  up.name = "演示文稿.pptx";
  up.state = gc::core::UploadState::kUploading;
  up.percent = 63;
  vm.uploads.push_back(up);
  vm.unread = 0;
  return vm;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string out_dir = argc > 1 ? argv[1] : ".";
  const char* latin = argc > 2 ? argv[2] : "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  const char* cjk = argc > 3 ? argv[3] : "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
  const gc::core::Millis now = 1700000000000;

  std::vector<Scene> scenes;
  {
    Scene s;
    s.name = "join";
    s.defaults = {"wss://meet.example.com/groupcall", "1", "", ""};
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "join-denied-zh";
    s.lang = Language::kZhCn;
    s.defaults = {"wss://meet.example.com/groupcall", "1", "5", "x"};
    s.vm.phase = gc::core::Phase::kFailed;
    s.vm.failure = gc::core::FailureReason::kPermissionDenied;
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "join-unreachable";
    s.defaults = {"wss://meet.example.com/groupcall", "1", "5", ""};
    s.vm.phase = gc::core::Phase::kReconnecting;
    s.vm.failure = gc::core::FailureReason::kServerUnreachable;
    s.vm.reconnect_at = now + 7200;
    s.vm.reconnect_attempts = 3;
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "room4";
    s.vm = room(4, now);
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "room4-zh";
    s.lang = Language::kZhCn;
    s.vm = room(4, now);
    s.vm.self.muted = true;
    s.vm.unread = 2;
    s.clicks = {"controls/chat"};
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "room4-1080";
    s.w = 1920;
    s.h = 1080;
    s.vm = room(4, now);
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "room26";
    s.vm = room(26, now);
    s.then = gc::core::Phase::kReconnecting;
    s.vm.reconnect_at = now + 4000;
    s.clicks = {"panel/close"};
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "files";
    s.lang = Language::kZhCn;
    s.vm = room(2, now);
    s.clicks = {"panel/files_tab"};
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "devices";
    s.vm = room(1, now);
    s.clicks = {"controls/devices"};
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "phone";
    s.w = 390;
    s.h = 844;
    s.lang = Language::kZhCn;
    s.vm = room(3, now);
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "kiosk";
    s.w = 1920;
    s.h = 1080;
    s.kiosk = true;
    s.lang = Language::kZhCn;
    s.vm = room(5, now);
    s.vm.self.publish = gc::core::PublishState::kReceiveOnly;
    scenes.push_back(s);
  }
  // A speaking ring, and the quality panel a badge opens: a participant's, then your own.
  for (const auto& [name, lang, badge] : {std::make_tuple("speaking-quality", Language::kEnglish, "tile/2/quality"),
                                          std::make_tuple("quality-self-zh", Language::kZhCn, "tile/self/quality")}) {
    Scene s;
    s.name = name;
    s.lang = lang;
    s.vm = room(4, now);
    s.live = true;
    s.clicks = {badge};
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "kiosk-speaking";
    s.kiosk = true;
    s.vm = room(3, now);
    s.vm.self.publish = gc::core::PublishState::kReceiveOnly;
    s.live = true;
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "help";
    s.vm = room(4, now);
    s.help = true;
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "help-zh";
    s.lang = Language::kZhCn;
    s.vm = room(4, now);
    s.help = true;
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "pinned";
    s.vm = room(4, now);
    s.vm.self.screen = gc::core::ScreenShare::kOn;  // the self tile says "Sharing screen"
    s.pin = 3;
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "pinned-self-zh";
    s.lang = Language::kZhCn;
    s.vm = room(12, now);
    s.vm.self.screen = gc::core::ScreenShare::kOn;
    s.pin = 1;
    s.clicks = {"panel/close"};
    scenes.push_back(s);
  }
  {
    Scene s;
    s.name = "kiosk-sound";
    s.kiosk = true;
    s.lang = Language::kZhCn;
    s.vm = room(3, now);
    s.vm.self.publish = gc::core::PublishState::kReceiveOnly;
    scenes.push_back(s);
  }

  for (Scene& scene : scenes) {
    ImGuiContext* ctx = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(scene.w, scene.h);
    const float size = scene.w >= 1920 ? 20.0f : 16.0f;
    if (!io.Fonts->AddFontFromFileTTF(latin, size)) io.Fonts->AddFontDefault();
    ImFontConfig merge;
    merge.MergeMode = true;
    io.Fonts->AddFontFromFileTTF(cjk, size, &merge, io.Fonts->GetGlyphRangesChineseFull());
    unsigned char* pixels = nullptr;
    int tw = 0;
    int th = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
    io.Fonts->SetTexID(static_cast<ImTextureID>(nullptr));

    gc::ui::Ui ui(scene.lang);
    ui.set_kiosk(scene.kiosk);
    ui.set_server("wss://meet.example.com/groupcall");
    ui.set_utc_offset_minutes(8 * 60);
    ui.set_join_defaults(scene.defaults);
    ui.set_sound_blocked(scene.name == "kiosk-sound");
    const gc::core::LiveMedia live = live_media(now);
    if (scene.live) ui.set_live_media(&live);
    ui.set_devices({{{"c1", "FaceTime HD Camera"}, {"c2", "USB 摄像头"}}, {{"default", "MacBook Microphone"}, {"m2", "Headset"}}, "c1", "default"});
    gc::ui::UiOutput out;
    const auto frame = [&] {
      io.DeltaTime = 1.0f / 60.0f;
      ImGui::NewFrame();
      ui.draw(scene.vm, now, out);
      ImGui::Render();
    };
    if (scene.pin) ui.toggle_pin(*scene.pin);
    for (int i = 0; i < 4; ++i) frame();
    if (scene.then) scene.vm.phase = *scene.then;
    for (const std::string& name : scene.clicks) {
      if (const gc::ui::Region* r = ui.region(name)) {
        io.AddMousePosEvent(r->x + r->w / 2, r->y + r->h / 2);
        frame();
        io.AddMouseButtonEvent(0, true);
        frame();
        io.AddMouseButtonEvent(0, false);
        frame();
      }
    }
    if (scene.help) {
      io.AddKeyEvent(ImGuiMod_Shift, true);
      io.AddKeyEvent(ImGuiKey_Slash, true);
      frame();
      io.AddKeyEvent(ImGuiKey_Slash, false);
      io.AddKeyEvent(ImGuiMod_Shift, false);
      frame();
    }
    io.AddMousePosEvent(-1, -1);
    for (int i = 0; i < 3; ++i) frame();

    Image img;
    img.w = static_cast<int>(scene.w);
    img.h = static_cast<int>(scene.h);
    img.rgb.assign(static_cast<std::size_t>(img.w) * img.h * 3, 0.05f);  // page background
    // The <video> elements beneath the canvas.
    for (const gc::ui::TileRect& t : ui.tile_rects()) {
      for (int y = std::max(0, static_cast<int>(t.y)); y < std::min(img.h, static_cast<int>(t.y + t.h)); ++y)
        for (int x = std::max(0, static_cast<int>(t.x)); x < std::min(img.w, static_cast<int>(t.x + t.w)); ++x) {
          const float u = (x - t.x) / t.w;
          const float v = (y - t.y) / t.h;
          float* p = &img.rgb[(static_cast<std::size_t>(y) * img.w + x) * 3];
          p[0] = 0.25f + 0.35f * u;
          p[1] = 0.30f + 0.25f * v;
          p[2] = 0.35f + 0.2f * (1 - u);
        }
    }
    const Texture tex{tw, th, pixels};
    ImDrawData* dd = ImGui::GetDrawData();
    for (int n = 0; n < dd->CmdListsCount; ++n) {
      const ImDrawList* list = dd->CmdLists[n];
      for (const ImDrawCmd& cmd : list->CmdBuffer) {
        if (cmd.UserCallback) continue;
        for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
          const ImDrawIdx* idx = &list->IdxBuffer[static_cast<int>(cmd.IdxOffset + i)];
          raster_triangle(img, tex, list->VtxBuffer[static_cast<int>(cmd.VtxOffset + idx[0])],
                          list->VtxBuffer[static_cast<int>(cmd.VtxOffset + idx[1])],
                          list->VtxBuffer[static_cast<int>(cmd.VtxOffset + idx[2])], cmd.ClipRect);
        }
      }
    }
    write_png(out_dir + "/" + scene.name + ".png", img);
    std::printf("%s/%s.png\n", out_dir.c_str(), scene.name.c_str());
    ImGui::DestroyContext(ctx);
  }
  return 0;
}
