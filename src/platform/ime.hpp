// Text entry through a hidden <input> (web/js/frontend.js, #gc-ime), the way an IME
// works in a canvas app: while ImGui wants text the input has the focus and sits at
// ImGui's caret (io.SetPlatformImeDataFn), so candidate windows open next to it; committed
// text ('input' insertText and 'compositionend' data) is forwarded once to
// io.AddInputCharactersUTF8. During a composition the input shows the pre-edit text.
// While the active field is a password field (ImGuiInputTextFlags_Password) the input is
// type=password, autocomplete=new-password: browsers, IMEs and on-screen keyboards then
// neither suggest, learn nor show what is typed (issue 11 item 3); text otherwise.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <emscripten/val.h>
#include <imgui.h>

namespace gc::platform {

class TextInput {
 public:
  explicit TextInput(emscripten::val glue) : glue_(std::move(glue)) {}
  ~TextInput();
  TextInput(const TextInput&) = delete;
  TextInput& operator=(const TextInput&) = delete;

  // From io.SetPlatformImeDataFn (end of a frame, only when the data changed).
  void on_platform_ime_data(const ImGuiPlatformImeData& data) { ime_ = data; }
  // After each frame: focus/blur the input, move it to the caret and make it a password
  // input or a text input when needed. `password`: the active field is a password field.
  // `item`: the active field's ImGui id, `value` its text and `caret` its cursor (UTF-16
  // units): where the accessibility mirror has a field for it (issue 14), typing goes
  // there and it shows that text and caret to a screen reader (a password's field is
  // type=password there too, and is never given the text).
  void sync(bool want_text_input, bool password, std::uint32_t item = 0, const std::string& value = {},
            int caret = -1);
  // Committed text from the IME input or a mirror field. Text that arrives while no ImGui
  // field is active yet (Tab put the DOM focus on a mirror field, whose canvas field
  // activates a frame or more later) is held and given to the field when it activates;
  // held longer than kHoldMs, it is dropped (no field took it).
  void on_text(std::string_view utf8);
  static constexpr double kHoldMs = 1000;
  void set_composing(bool composing) { composing_ = composing; }

  bool active() const { return active_; }
  bool composing() const { return composing_; }

 private:
  emscripten::val glue_;
  ImGuiPlatformImeData ime_;
  bool active_ = false;
  bool password_ = false;
  bool composing_ = false;
  bool synced_once_ = false;
  ImVec2 synced_pos_{-1, -1};
  float synced_line_ = -1;
  std::uint32_t synced_item_ = 0;
  std::string synced_value_;
  int synced_caret_ = -1;
  std::string held_;      // typed before a field was active (on_text)
  double held_at_ = 0;    // emscripten_get_now() of its last character
};

}  // namespace gc::platform
