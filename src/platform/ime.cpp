#include "ime.hpp"

#include <string>

#include <emscripten/emscripten.h>

namespace gc::platform {

TextInput::~TextInput() {
  if (active_) glue_.call<void>("setTextInput", false, 0, 0, 0, false);
}

void TextInput::sync(bool want_text_input, bool password, std::uint32_t item, const std::string& value,
                     int caret) {
  // WantVisible is set in the very frame a field activates; io.WantTextInput only a frame
  // later. Either one means the keyboard should feed text.
  const bool active = want_text_input || ime_.WantVisible;
  if (!held_.empty()) {
    // The field the held text was typed for is active now (next frame's input), or it
    // never became active in time.
    const bool fresh = emscripten_get_now() - held_at_ <= kHoldMs;
    if (active && fresh) ImGui::GetIO().AddInputCharactersUTF8(held_.c_str());
    if (active || !fresh) held_.clear();
  }
  password = active && password;
  const ImVec2 pos = ime_.InputPos;
  const float line = ime_.InputLineHeight > 0 ? ime_.InputLineHeight : 16.0f;
  if (!active) item = 0;
  if (synced_once_ && active == active_ && password == password_ && pos.x == synced_pos_.x && pos.y == synced_pos_.y &&
      line == synced_line_ && item == synced_item_ && (item == 0 || (value == synced_value_ && caret == synced_caret_))) {
    return;
  }
  synced_item_ = item;
  synced_value_ = item && !password ? value : std::string();
  synced_caret_ = item ? caret : -1;
  synced_once_ = true;
  active_ = active;
  password_ = password;
  synced_pos_ = pos;
  synced_line_ = line;
  glue_.call<void>("setTextInput", active, pos.x, pos.y, line, password, static_cast<double>(item), synced_value_,
                   synced_caret_);
}

void TextInput::on_text(std::string_view utf8) {
  if (utf8.empty()) return;
  if (!active_) {
    held_.append(utf8);
    held_at_ = emscripten_get_now();
    return;
  }
  const std::string text(utf8);
  ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
}

}  // namespace gc::platform
