// html5 mouse, wheel, touch, keyboard and window focus events -> ImGui's input queue.
// Printable characters are NOT taken from keydown: text comes from the IME input
// (ime.hpp), so composed Chinese is never lost or doubled. Keydown only feeds ImGuiKey
// events (shortcuts, navigation, editing keys).
#pragma once

#include <functional>
#include <string>

#include <emscripten/html5.h>
#include <emscripten/val.h>
#include <imgui.h>

namespace gc::platform {

class InputBridge {
 public:
  struct Hooks {
    std::function<void()> wake;               // input arrived: draw (and settle)
    std::function<void()> mouse_moved;        // kiosk cursor hiding, hover follow-ups
    std::function<void()> paste_shortcut;     // Ctrl/Cmd+V went down; a 'paste' event follows
  };

  // Registers callbacks on the canvas (down, wheel, touch) and the window (move, up, keys,
  // focus, resize). glue is window.gcFrontend (asked whether the focus is ours).
  InputBridge(std::string canvas_selector, emscripten::val glue, Hooks hooks);
  ~InputBridge();  // unregisters every callback
  InputBridge(const InputBridge&) = delete;
  InputBridge& operator=(const InputBridge&) = delete;

  // Where the canvas's top-left corner is, in client CSS px (mouse events are converted).
  void set_canvas_origin(ImVec2 origin) { origin_ = origin; }
  bool window_focused() const { return window_focused_; }

  // Callback plumbing (static C functions reach the instance through user data).
  bool on_mouse(int event_type, const EmscriptenMouseEvent& e);
  bool on_wheel(const EmscriptenWheelEvent& e);
  bool on_touch(int event_type, const EmscriptenTouchEvent& e);
  bool on_key(int event_type, const EmscriptenKeyboardEvent& e);
  void on_focus(bool focused);
  void on_resize();

 private:
  void add_modifiers(bool ctrl, bool shift, bool alt, bool meta);

  std::string canvas_;
  emscripten::val glue_;
  Hooks hooks_;
  ImVec2 origin_{0, 0};
  int buttons_down_ = 0;
  long touch_id_ = -1;
  bool window_focused_ = true;
};

}  // namespace gc::platform
