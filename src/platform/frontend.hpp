// The browser frontend: one object that owns the <canvas>, its WebGL2 context, the ImGui
// context, html5 input, the IME input, the clipboard and the fonts.
//
// It renders on demand. Nothing is drawn unless something asks: input, request_frame()
// (a protocol event, an animation step), a font that finished loading, or a resize. After
// such a request a few more frames are drawn so ImGui can settle (hover, popups, layout
// that needs a second pass). A focused text field keeps the caret blinking at ~2 frames/s;
// with nothing focused an idle page draws 0 frames/s. Frames use one-shot
// requestAnimationFrame, never a continuous main loop, so hidden tabs draw nothing --
// protocol timers must therefore not rely on frames (see DESIGN.md "Frames").
//
// Text: a Latin base font is ready before the first frame; a CJK font is fetched after
// the first paint and its glyphs are baked into the atlas on demand. Call ensure_glyphs()
// with any text that may appear (names, chat lines) -- the frontend also does it for typed
// and pasted text -- and the atlas is rebuilt between frames when new characters appear.
//
// Only src/platform and src/app include this header; src/ui never does.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <emscripten/val.h>
#include <imgui.h>

namespace gc::platform {

struct FrontendCallbacks {
  // Called between ImGui::NewFrame() and ImGui::Render(); build the UI here.
  std::function<void()> draw;
  // A File dropped on the page (a JS File object). Optional.
  std::function<void(emscripten::val file)> file_dropped;
};

class Frontend {
 public:
  // canvas_selector: a CSS selector such as "#canvas". Returns nullptr (and logs why) when
  // the canvas is missing or WebGL2 is unavailable. The object registers itself with JS
  // callbacks: it must stay where it is, hence heap only.
  static std::unique_ptr<Frontend> create(const std::string& canvas_selector, FrontendCallbacks cb);
  // The CSS size of the canvas `selector` (at least 1x1), with or without a Frontend: what
  // logical_size() says once one exists (a kiosk plans its first page before, issue 12).
  static ImVec2 css_size_of(const std::string& canvas_selector);
  ~Frontend();
  Frontend(const Frontend&) = delete;
  Frontend& operator=(const Frontend&) = delete;

  // Asks for a frame. Any number of calls before the next animation frame draw once.
  void request_frame();
  // One frame without the settling frames request_frame() adds: for a change that moves
  // nothing and needs no second look (the microphone meter's segments).
  void request_one_frame();
  // Makes sure these characters can be drawn. Unknown CJK codepoints are queued; once
  // the CJK font is loaded the atlas is rebuilt before the next frame (which is requested).
  void ensure_glyphs(std::string_view utf8);
  // Text size in CSS pixels (default FontAtlas::kTextSizeCss); the atlas is rebuilt
  // before the next frame when it changes.
  void set_text_size(float css_px);
  // Canvas size in CSS pixels (what io.DisplaySize holds).
  ImVec2 logical_size() const;
  // devicePixelRatio in use for the backing store and font rasterisation.
  float pixel_ratio() const;
  // Frames drawn since create(); the idle benchmark reads it (also window.gcFrontend.framesDrawn()).
  std::uint64_t frames_drawn() const;
  // True while a frame is requested or owed (ImGui still settling a change). When false,
  // what the last frame drew is what the user sees and where the next click lands.
  bool frames_pending() const;
  // Kiosk: hide the mouse cursor after a few seconds without mouse movement.
  void set_cursor_hidden_when_idle(bool hidden);
  // While held no frame is drawn (issue 12: a kiosk's first frame, which compiles lazily
  // and waits on the GPU process, comes after its subscriptions are set up); the frames
  // requested meanwhile are drawn on release.
  void hold_frames(bool held);

  struct Impl;  // public so the C callbacks in frontend.cpp can reach it; not an API.

 private:
  explicit Frontend(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gc::platform
