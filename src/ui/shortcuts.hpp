#pragma once
// Keyboard shortcuts of the room (issue 13 item 5), as a pure function of one key press, so
// the mapping is unit-tested (tests/ui/shortcuts_test.cpp) and the help overlay lists the
// same table the keys use.
//
// A shortcut is a bare key: with Ctrl, Alt or Cmd held it is the browser's or the text
// field's (Ctrl+C copies), never ours; Shift only for "?" (Shift+/). While a text field has
// the focus (ImGui's io.WantTextInput: the chat box, the join form) no key is a shortcut, so
// typing "m" in the chat never mutes. IME composition never reaches ImGui as keys at all
// (platform/input.cpp drops keyCode 229 / "Process"), and its committed text arrives as
// characters, not keys.
#include <cstddef>

#include <imgui.h>

#include "ui/i18n.hpp"

namespace gc::ui {

enum class Shortcut {
  kNone,
  kMute,         // M
  kCamera,       // V
  kShareScreen,  // S
  kLayout,       // G: grid / speaker layout
  kChat,         // C
  kFiles,        // F
  kPinSpeaker,   // P: pin the active speaker (again: unpin)
  kHelp,         // ? (Shift+/)
  kClose,        // Esc: popups and the help overlay
};

// `mods`: io.KeyMods (ImGuiMod_Ctrl | ImGuiMod_Shift | ...). `text_field_active`:
// io.WantTextInput.
Shortcut shortcut_for(ImGuiKey key, ImGuiKeyChord mods, bool text_field_active);

// One row of the table: the key as printed, what it does, and the key ImGui reports.
struct ShortcutRow {
  Shortcut shortcut;
  ImGuiKey key;
  const char* label;  // "M", "?", "Esc"
  StringId help;
};
// Every shortcut, in the help overlay's order.
const ShortcutRow* shortcut_rows(std::size_t* count);

}  // namespace gc::ui
