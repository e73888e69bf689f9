// Text entry through a hidden <textarea> (web/js/frontend.js, #gc-ime), the way an IME
// works in a canvas app: while ImGui wants text the textarea has the focus and sits at
// ImGui's caret (io.SetPlatformImeDataFn), so candidate windows open next to it; committed
// text ('input' insertText and 'compositionend' data) is forwarded once to
// io.AddInputCharactersUTF8. During a composition the textarea shows the pre-edit text.
#pragma once

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
  // After each frame: focus/blur the textarea and move it to the caret when needed.
  void sync(bool want_text_input);
  // Committed text from the textarea. Dropped when no ImGui text field is active.
  void on_text(std::string_view utf8);
  void set_composing(bool composing) { composing_ = composing; }

  bool active() const { return active_; }
  bool composing() const { return composing_; }

 private:
  emscripten::val glue_;
  ImGuiPlatformImeData ime_;
  bool active_ = false;
  bool composing_ = false;
  bool synced_once_ = false;
  ImVec2 synced_pos_{-1, -1};
  float synced_line_ = -1;
};

}  // namespace gc::platform
