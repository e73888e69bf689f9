// Keyboard shortcuts (src/ui/shortcuts.hpp, issue 13 item 5) as a pure mapping, then through
// the room: keys with no text field focused act, typing in the chat box never does; the help
// overlay; pinning by double-click and by the tile menu (item 4) and screen sharing's button
// (item 1).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "harness.hpp"
#include "ui/shortcuts.hpp"

namespace gc::ui::test {
namespace {

TEST(Shortcuts, EachLetterIsItsAction) {
  EXPECT_EQ(shortcut_for(ImGuiKey_M, 0, false), Shortcut::kMute);
  EXPECT_EQ(shortcut_for(ImGuiKey_V, 0, false), Shortcut::kCamera);
  EXPECT_EQ(shortcut_for(ImGuiKey_S, 0, false), Shortcut::kShareScreen);
  EXPECT_EQ(shortcut_for(ImGuiKey_G, 0, false), Shortcut::kLayout);
  EXPECT_EQ(shortcut_for(ImGuiKey_C, 0, false), Shortcut::kChat);
  EXPECT_EQ(shortcut_for(ImGuiKey_F, 0, false), Shortcut::kFiles);
  EXPECT_EQ(shortcut_for(ImGuiKey_P, 0, false), Shortcut::kPinSpeaker);
  EXPECT_EQ(shortcut_for(ImGuiKey_Escape, 0, false), Shortcut::kClose);
  EXPECT_EQ(shortcut_for(ImGuiKey_A, 0, false), Shortcut::kNone);
  EXPECT_EQ(shortcut_for(ImGuiKey_Enter, 0, false), Shortcut::kNone);
}

TEST(Shortcuts, QuestionMarkIsShiftSlashAndABareSlashIsNothing) {
  EXPECT_EQ(shortcut_for(ImGuiKey_Slash, ImGuiMod_Shift, false), Shortcut::kHelp);
  EXPECT_EQ(shortcut_for(ImGuiKey_Slash, 0, false), Shortcut::kNone);
  EXPECT_EQ(shortcut_for(ImGuiKey_Escape, ImGuiMod_Shift, false), Shortcut::kClose);
}

TEST(Shortcuts, NoKeyIsAShortcutWhileATextFieldHasTheFocus) {
  std::size_t n = 0;
  const ShortcutRow* rows = shortcut_rows(&n);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(shortcut_for(rows[i].key, 0, true), Shortcut::kNone) << rows[i].label;
    EXPECT_EQ(shortcut_for(rows[i].key, ImGuiMod_Shift, true), Shortcut::kNone) << rows[i].label;
  }
}

TEST(Shortcuts, WithCtrlAltOrCmdTheKeyBelongsToTheBrowser) {
  for (ImGuiKeyChord mods : {ImGuiKeyChord(ImGuiMod_Ctrl), ImGuiKeyChord(ImGuiMod_Alt), ImGuiKeyChord(ImGuiMod_Super),
                              ImGuiKeyChord(ImGuiMod_Ctrl | ImGuiMod_Shift)}) {
    EXPECT_EQ(shortcut_for(ImGuiKey_C, mods, false), Shortcut::kNone) << "Ctrl+C copies";
    EXPECT_EQ(shortcut_for(ImGuiKey_M, mods, false), Shortcut::kNone);
    EXPECT_EQ(shortcut_for(ImGuiKey_Slash, mods, false), Shortcut::kNone);
  }
  EXPECT_EQ(shortcut_for(ImGuiKey_M, ImGuiMod_Shift, false), Shortcut::kNone) << "Shift+M is a capital, not M";
}

TEST(Shortcuts, TheTableHasEveryShortcutOnceAndBothLanguagesDescribeIt) {
  std::size_t n = 0;
  const ShortcutRow* rows = shortcut_rows(&n);
  std::set<Shortcut> seen;
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_TRUE(seen.insert(rows[i].shortcut).second) << rows[i].label;
    EXPECT_NE(std::strcmp(text(Language::kEnglish, rows[i].help), text(Language::kZhCn, rows[i].help)), 0);
  }
  EXPECT_EQ(seen.size(), 9u);
}

// ---- through the room ----------------------------------------------------------------------

TEST(UiShortcuts, KeysActWhenNoTextFieldHasTheFocus) {
  Harness h;
  h.vm = room_with(2);
  h.frames_n(3);
  h.key(ImGuiKey_M);
  ASSERT_EQ(h.all.muted.size(), 1u);
  EXPECT_TRUE(h.all.muted[0]);
  h.key(ImGuiKey_V);
  ASSERT_EQ(h.all.camera_off.size(), 1u);
  h.key(ImGuiKey_S);
  ASSERT_EQ(h.all.share_screen.size(), 1u);
  EXPECT_TRUE(h.all.share_screen[0]);
  h.vm.self.screen = core::ScreenShare::kOn;
  h.key(ImGuiKey_S);
  ASSERT_EQ(h.all.share_screen.size(), 2u);
  EXPECT_FALSE(h.all.share_screen[1]) << "S again stops sharing";

  h.key(ImGuiKey_F);
  EXPECT_NE(h.ui.region("files/upload"), nullptr);
  h.key(ImGuiKey_C);
  EXPECT_NE(h.ui.region("chat/input"), nullptr);
  h.key(ImGuiKey_C);
  EXPECT_EQ(h.ui.region("chat/input"), nullptr) << "C again closes the chat";
}

TEST(UiShortcuts, TypingMInTheChatBoxNeverMutes) {
  Harness h;
  h.vm = room_with(2);
  h.frames_n(3);
  if (!h.ui.region("chat/input")) h.key(ImGuiKey_C);  // a wide screen starts with the chat open
  ASSERT_TRUE(h.click_region("chat/input"));
  h.reset_all();
  // A browser sends the key and, through the IME input, the character.
  h.key(ImGuiKey_M);
  h.type("m");
  h.key(ImGuiKey_S);
  h.type("s");
  h.key(ImGuiKey_Slash, /*shift=*/true);
  h.type("?");
  EXPECT_TRUE(h.all.muted.empty());
  EXPECT_TRUE(h.all.share_screen.empty());
  EXPECT_FALSE(h.ui.help_open());
  h.key(ImGuiKey_Enter);
  ASSERT_EQ(h.all.chats.size(), 1u);
  EXPECT_EQ(h.all.chats[0], "ms?");
}

TEST(UiShortcuts, QuestionMarkOpensTheHelpAndEscClosesIt) {
  Harness h;
  h.vm = room_with(1);
  h.frames_n(3);
  EXPECT_EQ(h.ui.region("help"), nullptr);
  h.key(ImGuiKey_Slash, /*shift=*/true);
  EXPECT_TRUE(h.ui.help_open());
  ASSERT_NE(h.ui.region("help"), nullptr);
  h.key(ImGuiKey_Escape);
  EXPECT_FALSE(h.ui.help_open());
  EXPECT_EQ(h.ui.region("help"), nullptr);
  h.key(ImGuiKey_Slash, true);
  ASSERT_TRUE(h.click_region("help/close"));
  EXPECT_FALSE(h.ui.help_open());
}

TEST(UiShortcuts, GSwitchesTheLayoutAndFromAPinGoesBackToTheGrid) {
  Harness h;
  h.vm = room_with(2);
  h.frames_n(3);
  h.key(ImGuiKey_G);
  EXPECT_EQ(h.ui.layout(), core::ViewLayout::kSpeaker) << "the speaker layout, before anyone has spoken too";
  h.key(ImGuiKey_P);
  EXPECT_EQ(h.ui.pinned(), std::nullopt) << "nobody has spoken: nobody to pin";
  h.key(ImGuiKey_G);
  EXPECT_EQ(h.ui.layout(), core::ViewLayout::kGrid);
  h.ui.toggle_pin(101);
  h.frames_n(2);
  h.key(ImGuiKey_G);
  EXPECT_EQ(h.ui.pinned(), std::nullopt) << "G goes back to the grid";
  EXPECT_EQ(h.ui.layout(), core::ViewLayout::kGrid);
}

// ---- pinning (item 4) ------------------------------------------------------------------------

const TileRect* rect_of(const Ui& ui, UserId id) {
  for (const TileRect& t : ui.tile_rects())
    if (!t.is_self && t.id == id) return &t;
  return nullptr;
}

void double_click(Harness& h, float x, float y) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMousePosEvent(x, y);
  h.frame();
  for (int i = 0; i < 2; ++i) {
    io.AddMouseButtonEvent(0, true);
    h.frame();
    io.AddMouseButtonEvent(0, false);
    h.frame();
  }
  h.frames_n(2);
}

TEST(UiPin, DoubleClickPinsATileLargeAndAgainUnpins) {
  Harness h;
  h.vm = room_with(3);
  h.frames_n(3);
  const TileRect before = *rect_of(h.ui, 101);
  double_click(h, before.x + before.w * 0.5f, before.y + before.h * 0.5f);
  ASSERT_EQ(h.ui.pinned(), std::optional<UserId>(101));
  const TileRect* pinned = rect_of(h.ui, 101);
  ASSERT_NE(pinned, nullptr);
  EXPECT_GT(pinned->w, before.w * 1.5f);
  for (const TileRect& t : h.ui.tile_rects()) {
    if (t.is_self || t.id != 101) {
      EXPECT_LT(t.w, pinned->w * 0.5f) << t.id;
    }
  }
  double_click(h, pinned->x + pinned->w * 0.5f, pinned->y + pinned->h * 0.5f);
  EXPECT_EQ(h.ui.pinned(), std::nullopt);
  EXPECT_FLOAT_EQ(rect_of(h.ui, 101)->w, before.w);
}

TEST(UiPin, TheTileMenuPinsAndUnpins) {
  Harness h;
  h.vm = room_with(2);
  h.frames_n(3);
  const TileRect t = *rect_of(h.ui, 100);
  h.click(t.x + t.w * 0.5f, t.y + t.h * 0.5f, /*button=*/1);
  ASSERT_TRUE(h.click_region("tile/menu/pin"));
  EXPECT_EQ(h.ui.pinned(), std::optional<UserId>(100));
  const TileRect* p = rect_of(h.ui, 100);
  h.click(p->x + p->w * 0.5f, p->y + p->h * 0.5f, 1);
  ASSERT_TRUE(h.click_region("tile/menu/pin"));
  EXPECT_EQ(h.ui.pinned(), std::nullopt);
}

TEST(UiPin, APinnedParticipantOnAnotherPageIsShownAndSubscribedAndLeavingUnpins) {
  Harness h;
  h.vm = room_with(30);
  h.frames_n(3);
  ASSERT_EQ(rect_of(h.ui, 129), nullptr) << "on a later page of the grid";
  h.ui.toggle_pin(129);
  h.frames_n(2);
  ASSERT_NE(rect_of(h.ui, 129), nullptr);
  const auto& visible = h.all.visible.back();
  EXPECT_NE(std::find(visible.begin(), visible.end(), 129u), visible.end()) << "asked to subscribe";
  h.vm.participants.pop_back();  // 129 leaves
  h.frames_n(2);
  EXPECT_EQ(h.ui.pinned(), std::nullopt);
}

TEST(UiShare, TheButtonSharesAndStopsAndTheSelfTileSaysSo) {
  Harness h;
  h.vm = room_with(1);
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("controls/share"));
  ASSERT_EQ(h.all.share_screen.size(), 1u);
  EXPECT_TRUE(h.all.share_screen[0]);
  h.vm.self.screen = core::ScreenShare::kOn;
  h.vm.self.camera_off = true;  // camera off acts on the camera: the screen still shows
  h.frames_n(2);
  bool self_video = false;
  for (const TileRect& t : h.ui.tile_rects())
    if (t.is_self) self_video = t.video_visible;
  EXPECT_TRUE(self_video);
  ASSERT_TRUE(h.click_region("controls/share"));
  ASSERT_EQ(h.all.share_screen.size(), 2u);
  EXPECT_FALSE(h.all.share_screen[1]);
}

}  // namespace
}  // namespace gc::ui::test
