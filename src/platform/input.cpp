#include "input.hpp"

#include <cfloat>
#include <cstring>
#include <utility>

#include <emscripten/html5.h>

namespace gc::platform {
namespace {

struct KeyName {
  const char* name;
  ImGuiKey key;
};

// Matched against KeyboardEvent.code first: sides of modifiers and the keypad are only
// told apart there.
constexpr KeyName kByCode[] = {
    {"ShiftLeft", ImGuiKey_LeftShift},     {"ShiftRight", ImGuiKey_RightShift},
    {"ControlLeft", ImGuiKey_LeftCtrl},    {"ControlRight", ImGuiKey_RightCtrl},
    {"AltLeft", ImGuiKey_LeftAlt},         {"AltRight", ImGuiKey_RightAlt},
    {"MetaLeft", ImGuiKey_LeftSuper},      {"MetaRight", ImGuiKey_RightSuper},
    {"OSLeft", ImGuiKey_LeftSuper},        {"OSRight", ImGuiKey_RightSuper},
    {"Numpad0", ImGuiKey_Keypad0},         {"Numpad1", ImGuiKey_Keypad1},
    {"Numpad2", ImGuiKey_Keypad2},         {"Numpad3", ImGuiKey_Keypad3},
    {"Numpad4", ImGuiKey_Keypad4},         {"Numpad5", ImGuiKey_Keypad5},
    {"Numpad6", ImGuiKey_Keypad6},         {"Numpad7", ImGuiKey_Keypad7},
    {"Numpad8", ImGuiKey_Keypad8},         {"Numpad9", ImGuiKey_Keypad9},
    {"NumpadDecimal", ImGuiKey_KeypadDecimal}, {"NumpadDivide", ImGuiKey_KeypadDivide},
    {"NumpadMultiply", ImGuiKey_KeypadMultiply}, {"NumpadSubtract", ImGuiKey_KeypadSubtract},
    {"NumpadAdd", ImGuiKey_KeypadAdd},     {"NumpadEnter", ImGuiKey_KeypadEnter},
    {"NumpadEqual", ImGuiKey_KeypadEqual},
};

// Matched against KeyboardEvent.key (layout-translated, as ImGui wants its keys).
constexpr KeyName kByKey[] = {
    {"Tab", ImGuiKey_Tab},               {"ArrowLeft", ImGuiKey_LeftArrow},
    {"ArrowRight", ImGuiKey_RightArrow}, {"ArrowUp", ImGuiKey_UpArrow},
    {"ArrowDown", ImGuiKey_DownArrow},   {"PageUp", ImGuiKey_PageUp},
    {"PageDown", ImGuiKey_PageDown},     {"Home", ImGuiKey_Home},
    {"End", ImGuiKey_End},               {"Insert", ImGuiKey_Insert},
    {"Delete", ImGuiKey_Delete},         {"Backspace", ImGuiKey_Backspace},
    {" ", ImGuiKey_Space},               {"Enter", ImGuiKey_Enter},
    {"Escape", ImGuiKey_Escape},         {"CapsLock", ImGuiKey_CapsLock},
    {"ScrollLock", ImGuiKey_ScrollLock}, {"NumLock", ImGuiKey_NumLock},
    {"PrintScreen", ImGuiKey_PrintScreen}, {"Pause", ImGuiKey_Pause},
    {"ContextMenu", ImGuiKey_Menu},      {"'", ImGuiKey_Apostrophe},
    {",", ImGuiKey_Comma},               {"-", ImGuiKey_Minus},
    {".", ImGuiKey_Period},              {"/", ImGuiKey_Slash},
    {";", ImGuiKey_Semicolon},           {"=", ImGuiKey_Equal},
    {"[", ImGuiKey_LeftBracket},         {"\\", ImGuiKey_Backslash},
    {"]", ImGuiKey_RightBracket},        {"`", ImGuiKey_GraveAccent},
    {"F1", ImGuiKey_F1},   {"F2", ImGuiKey_F2},   {"F3", ImGuiKey_F3},   {"F4", ImGuiKey_F4},
    {"F5", ImGuiKey_F5},   {"F6", ImGuiKey_F6},   {"F7", ImGuiKey_F7},   {"F8", ImGuiKey_F8},
    {"F9", ImGuiKey_F9},   {"F10", ImGuiKey_F10}, {"F11", ImGuiKey_F11}, {"F12", ImGuiKey_F12},
};

// Physical fallbacks when the layout produces something ImGui has no key for.
constexpr KeyName kPunctuationByCode[] = {
    {"Quote", ImGuiKey_Apostrophe},      {"Comma", ImGuiKey_Comma},
    {"Minus", ImGuiKey_Minus},           {"Period", ImGuiKey_Period},
    {"Slash", ImGuiKey_Slash},           {"Semicolon", ImGuiKey_Semicolon},
    {"Equal", ImGuiKey_Equal},           {"BracketLeft", ImGuiKey_LeftBracket},
    {"Backslash", ImGuiKey_Backslash},   {"BracketRight", ImGuiKey_RightBracket},
    {"Backquote", ImGuiKey_GraveAccent}, {"Space", ImGuiKey_Space},
};

template <std::size_t N>
ImGuiKey lookup(const KeyName (&table)[N], const char* s) {
  for (const auto& k : table) {
    if (std::strcmp(k.name, s) == 0) return k.key;
  }
  return ImGuiKey_None;
}

ImGuiKey from_letter_or_digit(char c) {
  if (c >= 'a' && c <= 'z') return static_cast<ImGuiKey>(ImGuiKey_A + (c - 'a'));
  if (c >= 'A' && c <= 'Z') return static_cast<ImGuiKey>(ImGuiKey_A + (c - 'A'));
  if (c >= '0' && c <= '9') return static_cast<ImGuiKey>(ImGuiKey_0 + (c - '0'));
  return ImGuiKey_None;
}

bool is_single_ascii(const char* s) { return s[0] != '\0' && s[1] == '\0' && (s[0] & 0x80) == 0; }

// Keys whose browser default would fight ImGui (focus moves, page scroll, the IME input
// editing itself). Ctrl/Cmd+C/V/X keep their default: the copy/paste events are needed.
bool should_prevent_default(ImGuiKey key, bool command) {
  switch (key) {
    case ImGuiKey_Tab: case ImGuiKey_Enter: case ImGuiKey_KeypadEnter: case ImGuiKey_Escape:
    case ImGuiKey_Backspace: case ImGuiKey_Delete: case ImGuiKey_LeftArrow:
    case ImGuiKey_RightArrow: case ImGuiKey_UpArrow: case ImGuiKey_DownArrow:
    case ImGuiKey_Home: case ImGuiKey_End: case ImGuiKey_PageUp: case ImGuiKey_PageDown:
      return true;
    case ImGuiKey_A: case ImGuiKey_Z: case ImGuiKey_Y:
      return command;
    default:
      return false;
  }
}

EM_BOOL mouse_cb(int type, const EmscriptenMouseEvent* e, void* self) {
  return static_cast<InputBridge*>(self)->on_mouse(type, *e);
}
EM_BOOL wheel_cb(int, const EmscriptenWheelEvent* e, void* self) {
  return static_cast<InputBridge*>(self)->on_wheel(*e);
}
EM_BOOL touch_cb(int type, const EmscriptenTouchEvent* e, void* self) {
  return static_cast<InputBridge*>(self)->on_touch(type, *e);
}
EM_BOOL key_cb(int type, const EmscriptenKeyboardEvent* e, void* self) {
  return static_cast<InputBridge*>(self)->on_key(type, *e);
}
EM_BOOL focus_cb(int type, const EmscriptenFocusEvent*, void* self) {
  static_cast<InputBridge*>(self)->on_focus(type == EMSCRIPTEN_EVENT_FOCUS);
  return EM_FALSE;
}
EM_BOOL resize_cb(int, const EmscriptenUiEvent*, void* self) {
  static_cast<InputBridge*>(self)->on_resize();
  return EM_FALSE;
}

// DOM KeyboardEvent key/code -> ImGuiKey (ImGuiKey_None when unmapped): `code` for modifier
// sides and the keypad, else the layout's `key`, else the physical key (so Ctrl+A works on
// non-Latin layouts).
ImGuiKey dom_key_to_imgui(const char* key, const char* code) {
  if (ImGuiKey k = lookup(kByCode, code); k != ImGuiKey_None) return k;
  if (ImGuiKey k = lookup(kByKey, key); k != ImGuiKey_None) return k;
  if (is_single_ascii(key)) {
    if (ImGuiKey k = from_letter_or_digit(key[0]); k != ImGuiKey_None) return k;
  }
  // Non-Latin layouts (e.g. Cyrillic) or Shift-ed symbols: fall back to the physical key.
  if (std::strncmp(code, "Key", 3) == 0 && is_single_ascii(code + 3)) return from_letter_or_digit(code[3]);
  if (std::strncmp(code, "Digit", 5) == 0 && is_single_ascii(code + 5)) return from_letter_or_digit(code[5]);
  return lookup(kPunctuationByCode, code);
}

}  // namespace

InputBridge::InputBridge(std::string canvas_selector, emscripten::val glue, Hooks hooks)
    : canvas_(std::move(canvas_selector)), glue_(std::move(glue)), hooks_(std::move(hooks)) {
  const char* c = canvas_.c_str();
  const char* win = EMSCRIPTEN_EVENT_TARGET_WINDOW;
  emscripten_set_mousedown_callback(c, this, EM_TRUE, mouse_cb);
  // Moves and releases are taken from the window so a drag that leaves the canvas ends.
  emscripten_set_mousemove_callback(win, this, EM_TRUE, mouse_cb);
  emscripten_set_mouseup_callback(win, this, EM_TRUE, mouse_cb);
  emscripten_set_mouseleave_callback(c, this, EM_TRUE, mouse_cb);
  emscripten_set_wheel_callback(c, this, EM_FALSE, wheel_cb);
  emscripten_set_touchstart_callback(c, this, EM_FALSE, touch_cb);
  emscripten_set_touchmove_callback(c, this, EM_FALSE, touch_cb);
  emscripten_set_touchend_callback(c, this, EM_FALSE, touch_cb);
  emscripten_set_touchcancel_callback(c, this, EM_FALSE, touch_cb);
  emscripten_set_keydown_callback(win, this, EM_TRUE, key_cb);
  emscripten_set_keyup_callback(win, this, EM_TRUE, key_cb);
  emscripten_set_focus_callback(win, this, EM_FALSE, focus_cb);
  emscripten_set_blur_callback(win, this, EM_FALSE, focus_cb);
  emscripten_set_resize_callback(win, this, EM_FALSE, resize_cb);
}

InputBridge::~InputBridge() {
  const char* c = canvas_.c_str();
  const char* win = EMSCRIPTEN_EVENT_TARGET_WINDOW;
  emscripten_set_mousedown_callback(c, nullptr, EM_TRUE, nullptr);
  emscripten_set_mousemove_callback(win, nullptr, EM_TRUE, nullptr);
  emscripten_set_mouseup_callback(win, nullptr, EM_TRUE, nullptr);
  emscripten_set_mouseleave_callback(c, nullptr, EM_TRUE, nullptr);
  emscripten_set_wheel_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_touchstart_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_touchmove_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_touchend_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_touchcancel_callback(c, nullptr, EM_FALSE, nullptr);
  emscripten_set_keydown_callback(win, nullptr, EM_TRUE, nullptr);
  emscripten_set_keyup_callback(win, nullptr, EM_TRUE, nullptr);
  emscripten_set_focus_callback(win, nullptr, EM_FALSE, nullptr);
  emscripten_set_blur_callback(win, nullptr, EM_FALSE, nullptr);
  emscripten_set_resize_callback(win, nullptr, EM_FALSE, nullptr);
}

void InputBridge::add_modifiers(bool ctrl, bool shift, bool alt, bool meta) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, ctrl);
  io.AddKeyEvent(ImGuiMod_Shift, shift);
  io.AddKeyEvent(ImGuiMod_Alt, alt);
  io.AddKeyEvent(ImGuiMod_Super, meta);
}

bool InputBridge::on_mouse(int type, const EmscriptenMouseEvent& e) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  if (type == EMSCRIPTEN_EVENT_MOUSELEAVE) {
    if (buttons_down_ == 0) io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
    hooks_.wake();
    return false;
  }
  add_modifiers(e.ctrlKey, e.shiftKey, e.altKey, e.metaKey);
  io.AddMousePosEvent(static_cast<float>(e.clientX) - origin_.x, static_cast<float>(e.clientY) - origin_.y);
  bool prevent = false;
  if (type == EMSCRIPTEN_EVENT_MOUSEDOWN || type == EMSCRIPTEN_EVENT_MOUSEUP) {
    // DOM: 0 left, 1 middle, 2 right. ImGui: 0 left, 1 right, 2 middle.
    static constexpr int kToImGui[] = {0, 2, 1};
    if (e.button >= 0 && e.button < 3) {
      const bool down = type == EMSCRIPTEN_EVENT_MOUSEDOWN;
      const int bit = 1 << e.button;
      // A release that started outside the canvas is not ours.
      if (down || (buttons_down_ & bit)) {
        io.AddMouseButtonEvent(kToImGui[e.button], down);
        buttons_down_ = down ? (buttons_down_ | bit) : (buttons_down_ & ~bit);
      }
    }
    // Keeps the focus where it is (the IME input while a text field is active) and stops
    // the browser from starting a text selection over the page.
    prevent = type == EMSCRIPTEN_EVENT_MOUSEDOWN;
  }
  if (type == EMSCRIPTEN_EVENT_MOUSEMOVE && hooks_.mouse_moved) hooks_.mouse_moved();
  hooks_.wake();
  return prevent;
}

bool InputBridge::on_wheel(const EmscriptenWheelEvent& e) {
  // ImGui: +1 is one notch up / left. DOM: positive deltas scroll down / right, in pixels,
  // lines or pages depending on deltaMode.
  double scale = 1.0 / 100.0;
  if (e.deltaMode == DOM_DELTA_LINE) scale = 1.0 / 3.0;
  if (e.deltaMode == DOM_DELTA_PAGE) scale = 1.0;
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  add_modifiers(e.mouse.ctrlKey, e.mouse.shiftKey, e.mouse.altKey, e.mouse.metaKey);
  io.AddMouseWheelEvent(static_cast<float>(-e.deltaX * scale), static_cast<float>(-e.deltaY * scale));
  hooks_.wake();
  return true;  // no page zoom on Ctrl+wheel, no overscroll
}

bool InputBridge::on_touch(int type, const EmscriptenTouchEvent& e) {
  ImGuiIO& io = ImGui::GetIO();
  // The first finger down drives ImGui's mouse; other fingers are ignored.
  for (int i = 0; i < e.numTouches; ++i) {
    const EmscriptenTouchPoint& t = e.touches[i];
    if (!t.isChanged) continue;
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART && touch_id_ < 0) touch_id_ = t.identifier;
    if (t.identifier != touch_id_) continue;
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMousePosEvent(static_cast<float>(t.clientX) - origin_.x, static_cast<float>(t.clientY) - origin_.y);
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
      io.AddMouseButtonEvent(0, true);
    } else if (type == EMSCRIPTEN_EVENT_TOUCHEND || type == EMSCRIPTEN_EVENT_TOUCHCANCEL) {
      io.AddMouseButtonEvent(0, false);
      touch_id_ = -1;
    }
  }
  hooks_.wake();
  return true;  // no synthetic mouse events, no page panning
}

bool InputBridge::on_key(int type, const EmscriptenKeyboardEvent& e) {
  // 229 / "Process": the key belongs to an IME composition; ImGui must not see it
  // (Enter confirming a candidate would otherwise also press Enter in the UI).
  if (e.keyCode == 229 || std::strcmp(e.key, "Process") == 0) return false;
  // Keys typed into some other DOM element (a dialog the app opened) are not ours; on a
  // control of the accessibility mirror (issue 14) Enter and Space are its click.
  const int route = glue_.call<int>("keyRoute");
  if (route == 0) return false;

  const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
  const ImGuiKey key = dom_key_to_imgui(e.key, e.code);
  // Tab and Shift+Tab move the DOM focus through the mirror, in the visible order: the
  // browser's, never ImGui's own tabbing.
  if (key == ImGuiKey_Tab) return false;
  if (route == 2 && (key == ImGuiKey_Enter || key == ImGuiKey_KeypadEnter || key == ImGuiKey_Space)) return false;
  add_modifiers(e.ctrlKey, e.shiftKey, e.altKey, e.metaKey);
  if (key != ImGuiKey_None) ImGui::GetIO().AddKeyEvent(key, down);
  hooks_.wake();
  if (!down) return false;

  const bool command = (e.ctrlKey || e.metaKey) && !e.altKey;
  if (command && key == ImGuiKey_V && hooks_.paste_shortcut) hooks_.paste_shortcut();
  return should_prevent_default(key, command);
}

void InputBridge::on_focus(bool focused) {
  window_focused_ = focused;
  ImGui::GetIO().AddFocusEvent(focused);
  if (!focused) buttons_down_ = 0;
  hooks_.wake();
}

void InputBridge::on_resize() { hooks_.wake(); }

}  // namespace gc::platform
