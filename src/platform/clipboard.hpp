// Clipboard for ImGui. Copy: io.SetClipboardTextFn -> navigator.clipboard.writeText (an
// execCommand('copy') fallback in web/js/frontend.js). Paste: browsers only hand out the
// clipboard in a 'paste' event, which Ctrl/Cmd+V fires on the focused IME input before
// ImGui processes the shortcut; the text is kept and returned by io.GetClipboardTextFn when
// ImGui asks. A paste without the shortcut (context menu) is typed in as text instead.
#pragma once

#include <string>
#include <utility>

#include <emscripten/val.h>
#include <imgui.h>

namespace gc::platform {

class Clipboard {
 public:
  explicit Clipboard(emscripten::val glue) : glue_(std::move(glue)) {}
  Clipboard(const Clipboard&) = delete;
  Clipboard& operator=(const Clipboard&) = delete;

  // Installs the ImGui callbacks (io.ClipboardUserData = this).
  void install(ImGuiIO& io);
  void uninstall(ImGuiIO& io);

  // Ctrl/Cmd+V went down: forget the previous paste so an empty clipboard pastes nothing.
  void on_paste_shortcut();
  // The browser's 'paste' event. Returns true when the text was typed in directly.
  bool on_paste(std::string text);

 private:
  static void set_text(void* self, const char* text);
  static const char* get_text(void* self);

  emscripten::val glue_;
  std::string pasted_;
  bool shortcut_pending_ = false;
};

}  // namespace gc::platform
