#include "ui/shortcuts.hpp"

namespace gc::ui {
namespace {

constexpr ShortcutRow kRows[] = {
    {Shortcut::kMute, ImGuiKey_M, "M", StringId::kShortcutMute},
    {Shortcut::kCamera, ImGuiKey_V, "V", StringId::kShortcutCamera},
    {Shortcut::kShareScreen, ImGuiKey_S, "S", StringId::kShortcutShare},
    {Shortcut::kLayout, ImGuiKey_G, "G", StringId::kShortcutLayout},
    {Shortcut::kChat, ImGuiKey_C, "C", StringId::kShortcutChat},
    {Shortcut::kFiles, ImGuiKey_F, "F", StringId::kShortcutFiles},
    {Shortcut::kPinSpeaker, ImGuiKey_P, "P", StringId::kShortcutPin},
    {Shortcut::kHelp, ImGuiKey_Slash, "?", StringId::kShortcutHelp},
    {Shortcut::kClose, ImGuiKey_Escape, "Esc", StringId::kShortcutClose},
};

}  // namespace

Shortcut shortcut_for(ImGuiKey key, ImGuiKeyChord mods, bool text_field_active) {
  if (text_field_active) return Shortcut::kNone;
  if (mods & (ImGuiMod_Ctrl | ImGuiMod_Alt | ImGuiMod_Super)) return Shortcut::kNone;
  const bool shift = (mods & ImGuiMod_Shift) != 0;
  for (const ShortcutRow& row : kRows) {
    if (row.key != key) continue;
    // "?" is Shift+/; a bare "/" is nothing. Esc works with Shift too; letters do not.
    if (row.shortcut == Shortcut::kHelp) return shift ? Shortcut::kHelp : Shortcut::kNone;
    if (row.shortcut == Shortcut::kClose) return Shortcut::kClose;
    return shift ? Shortcut::kNone : row.shortcut;
  }
  return Shortcut::kNone;
}

const ShortcutRow* shortcut_rows(std::size_t* count) {
  *count = sizeof(kRows) / sizeof(kRows[0]);
  return kRows;
}

}  // namespace gc::ui
