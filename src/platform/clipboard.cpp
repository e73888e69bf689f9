#include "clipboard.hpp"

#include <utility>

namespace gc::platform {

void Clipboard::install(ImGuiIO& io) {
  io.ClipboardUserData = this;
  io.SetClipboardTextFn = &Clipboard::set_text;
  io.GetClipboardTextFn = &Clipboard::get_text;
}

void Clipboard::uninstall(ImGuiIO& io) {
  if (io.ClipboardUserData != this) return;
  io.ClipboardUserData = nullptr;
  io.SetClipboardTextFn = nullptr;
  io.GetClipboardTextFn = nullptr;
}

void Clipboard::on_paste_shortcut() {
  pasted_.clear();
  shortcut_pending_ = true;
}

bool Clipboard::on_paste(std::string text) {
  if (shortcut_pending_) {
    // ImGui ignores typed characters while Ctrl is held, so the shortcut's own paste path
    // (GetClipboardTextFn on Ctrl+V) is used rather than AddInputCharactersUTF8.
    shortcut_pending_ = false;
    pasted_ = std::move(text);
    return false;
  }
  ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
  return true;
}

void Clipboard::set_text(void* self, const char* text) {
  static_cast<Clipboard*>(self)->glue_.call<void>("copyText", std::string(text ? text : ""));
}

const char* Clipboard::get_text(void* self) { return static_cast<Clipboard*>(self)->pasted_.c_str(); }

}  // namespace gc::platform
