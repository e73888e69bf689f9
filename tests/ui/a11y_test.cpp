// Issue 14: the accessibility tree built from the view model and the drawn regions (names,
// roles, order, language switch, links only where the UI links), keyboard activation and
// the focus ring, and the Announcer (no duplicates, throttled, floods summarised).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/links.hpp"
#include "harness.hpp"
#include "ui/a11y.hpp"
#include "ui/widgets.hpp"

namespace gc::ui::test {
namespace {

std::vector<A11yNode> a11y_tree_of(Harness& h) {
  A11yInput in;
  h.ui.a11y_input(in, h.now);
  return build_a11y_tree(h.vm, in);
}

const A11yNode* a11y_find(const std::vector<A11yNode>& nodes, const std::string& id) {
  for (const A11yNode& n : nodes)
    if (n.id == id) return &n;
  return nullptr;
}

std::vector<std::string> a11y_focus_order(const std::vector<A11yNode>& nodes) {
  std::vector<std::string> ids;
  for (const A11yNode& n : nodes)
    if (n.focusable) ids.push_back(n.id);
  return ids;
}

std::size_t a11y_index(const std::vector<std::string>& ids, const std::string& id) {
  return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

core::ViewModel a11y_join_screen() {
  core::ViewModel vm;
  vm.revision = 1;
  vm.phase = core::Phase::kIdle;
  return vm;
}

TEST(UiA11y, JoinScreenHasNamedFieldsAndButtonsInVisibleOrder) {
  Harness h;
  h.vm = a11y_join_screen();
  h.ui.set_join_defaults({"ws://127.0.0.1:8080/groupcall", "1", "5", ""});
  h.frames_n(3);
  const auto nodes = a11y_tree_of(h);

  const A11yNode* join = a11y_find(nodes, "join/button");
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(join->role, A11yRole::kButton);
  EXPECT_EQ(join->name, "Join");
  EXPECT_TRUE(join->focusable);
  EXPECT_NE(join->item, 0u);  // activated by ImGui id, not by a synthetic click
  const A11yNode* server = a11y_find(nodes, "join/server");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->role, A11yRole::kTextbox);
  EXPECT_EQ(server->name, "Server");
  EXPECT_EQ(server->value, "ws://127.0.0.1:8080/groupcall");
  const A11yNode* password = a11y_find(nodes, "join/password");
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->role, A11yRole::kPassword);
  EXPECT_TRUE(password->value.empty());
  ASSERT_NE(a11y_find(nodes, "heading"), nullptr);
  EXPECT_EQ(a11y_find(nodes, "heading")->name, "Join a meeting");

  // Top bar, then the card from top to bottom.
  const auto order = a11y_focus_order(nodes);
  const std::vector<std::string> expected = {"text-size", "language", "join/server", "join/room", "join/user",
                                             "join/password", "join/button"};
  EXPECT_EQ(order, expected);
  // The rectangle is the drawn one (the focus ring goes around it).
  const Region* drawn = h.ui.region("join/button");
  ASSERT_NE(drawn, nullptr);
  EXPECT_EQ(join->x, drawn->x);
  EXPECT_EQ(join->w, drawn->w);
}

// Issue 14 item 4: the text size setting, a button in the top bar named with its value; each
// press is the next step (100, 125 ... 200, then 100 again), for the app to apply and keep.
TEST(UiA11y, TheTextSizeButtonStepsThroughTheScalesAndSaysWhichIsOn) {
  Harness h;
  h.vm = a11y_join_screen();
  h.frames_n(3);
  ASSERT_EQ(a11y_find(a11y_tree_of(h), "text-size")->name, "Text size 100%");
  std::vector<int> seen;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(h.click_region("text-size"));
    seen.push_back(h.ui.text_scale());
  }
  EXPECT_EQ(seen, (std::vector<int>{125, 150, 175, 200, 100}));
  ASSERT_TRUE(h.click_region("text-size"));
  h.frames_n(2);
  EXPECT_EQ(a11y_find(a11y_tree_of(h), "text-size")->name, "Text size 125%");
  h.ui.set_text_scale(130);  // not a step: ignored
  EXPECT_EQ(h.ui.text_scale(), 125);
  ASSERT_TRUE(h.click_region("language"));
  h.frames_n(2);
  EXPECT_EQ(a11y_find(a11y_tree_of(h), "text-size")->name, "文字大小 125%");
}

TEST(UiA11y, PasswordNeverLeavesTheUi) {
  Harness h;
  h.vm = a11y_join_screen();
  h.ui.set_join_defaults({"ws://h/groupcall", "2", "1", "secret"});
  h.frames_n(3);
  for (const A11yNode& n : a11y_tree_of(h)) {
    EXPECT_EQ(n.value.find("secret"), std::string::npos) << n.id;
    EXPECT_EQ(n.name.find("secret"), std::string::npos) << n.id;
  }
}

TEST(UiA11y, LanguageSwitchRenamesEverything) {
  Harness h;
  h.vm = a11y_join_screen();
  h.frames_n(3);
  ASSERT_EQ(a11y_find(a11y_tree_of(h), "join/button")->name, "Join");
  ASSERT_TRUE(h.click_region("language"));
  h.frames_n(2);
  const auto nodes = a11y_tree_of(h);
  EXPECT_EQ(a11y_find(nodes, "join/button")->name, "加入");
  EXPECT_EQ(a11y_find(nodes, "join/room")->name, "房间号");
  // The button names the other language, in that language.
  EXPECT_EQ(a11y_find(nodes, "language")->name, "English");
  EXPECT_EQ(a11y_find(nodes, "language")->lang, "en");
}

TEST(UiA11y, FailedJoinIsAnAlert) {
  Harness h;
  h.vm = a11y_join_screen();
  h.vm.phase = core::Phase::kFailed;
  h.vm.failure = core::FailureReason::kPermissionDenied;
  h.frames_n(3);
  const auto nodes = a11y_tree_of(h);
  const A11yNode* alert = a11y_find(nodes, "join/failure");
  ASSERT_NE(alert, nullptr);
  EXPECT_EQ(alert->role, A11yRole::kAlert);
  EXPECT_NE(alert->name.find(text(Language::kEnglish, StringId::kErrPermissionDenied)), std::string::npos);
}

TEST(UiA11y, RoomHasControlsParticipantsLogAndFilesInOrder) {
  Harness h;
  h.vm = room_with(2);
  h.vm.chat.push_back(chat_line(4, 100, "hello", 0));
  h.ui.set_utc_offset_minutes(0);
  h.frames_n(4);
  const auto nodes = a11y_tree_of(h);

  for (const char* id : {"controls/mute", "controls/camera", "controls/share", "controls/devices", "controls/chat",
                         "controls/files", "controls/leave"}) {
    const A11yNode* n = a11y_find(nodes, id);
    ASSERT_NE(n, nullptr) << id;
    EXPECT_EQ(n->role, A11yRole::kButton) << id;
    EXPECT_TRUE(n->focusable) << id;
  }
  EXPECT_EQ(a11y_find(nodes, "controls/mute")->name, "Mute");
  EXPECT_EQ(a11y_find(nodes, "controls/leave")->name, "Leave");
  EXPECT_EQ(a11y_find(nodes, "controls/chat")->pressed, 1);  // the wide screen opens the chat

  const A11yNode* list = a11y_find(nodes, "participants");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->role, A11yRole::kList);
  EXPECT_EQ(list->name, "Participants (3)");
  const A11yNode* second = a11y_find(nodes, "participant/101");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->parent, "participants");
  EXPECT_EQ(second->name, "Dr. 用户1, Live");  // prefix name postfix, then the tile's state
  const A11yNode* self = a11y_find(nodes, "participant/self");
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(self->name, "You, Live");

  const A11yNode* log = a11y_find(nodes, "chat/history");
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->role, A11yRole::kLog);
  EXPECT_TRUE(log->live);
  const A11yNode* said = a11y_find(nodes, "chat/line/4");
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->parent, "chat/history");
  EXPECT_EQ(said->name, "用户0 (R&D), 00:00: hello");  // sender, time, text

  const A11yNode* input = a11y_find(nodes, "chat/input");
  ASSERT_NE(input, nullptr);
  EXPECT_EQ(input->role, A11yRole::kTextbox);
  EXPECT_TRUE(input->multiline);

  // Visible order: top bar, tiles, the side panel, the controls bar.
  const auto order = a11y_focus_order(nodes);
  EXPECT_LT(a11y_index(order, "language"), a11y_index(order, "chat/input"));
  EXPECT_LT(a11y_index(order, "chat/input"), a11y_index(order, "chat/send"));
  EXPECT_LT(a11y_index(order, "chat/send"), a11y_index(order, "controls/mute"));
  EXPECT_LT(a11y_index(order, "controls/mute"), a11y_index(order, "controls/leave"));
  // Every id once.
  for (std::size_t i = 0; i < nodes.size(); ++i)
    for (std::size_t j = i + 1; j < nodes.size(); ++j) EXPECT_NE(nodes[i].id, nodes[j].id);
}

TEST(UiA11y, FilesAreLinksOnlyWhereTheUiLinks) {
  const core::LinkBase saved = core::link_base();
  core::set_link_base({"http://127.0.0.1:8080/", ""});
  Harness h;
  h.vm = room_with(1);
  const auto add_file = [&](std::uint64_t seq, const std::string& name, const std::string& url) {
    core::SharedFile f;
    f.seq = seq;
    f.uploader = 100;
    f.name = name;
    f.url = url;
    f.linkable = core::is_linkable_url(url);
    h.vm.files.push_back(f);
  };
  add_file(1, "a.pdf", "/files/a.pdf");
  add_file(2, "evil", "#server=ws://127.0.0.1:9/groupcall&kiosk=1&publish=1");
  add_file(3, "js", "javascript:alert(1)");
  h.frames_n(3);
  const auto nodes = a11y_tree_of(h);
  const A11yNode* a = a11y_find(nodes, "file/1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->role, A11yRole::kLink);
  EXPECT_EQ(a->value, "http://127.0.0.1:8080/files/a.pdf");  // the resolved URL a click opens
  EXPECT_EQ(a->parent, "files/item/1");
  for (const char* id : {"file/2", "file/3"}) {
    const A11yNode* n = a11y_find(nodes, id);
    ASSERT_NE(n, nullptr) << id;
    EXPECT_EQ(n->role, A11yRole::kText) << id;
    EXPECT_TRUE(n->value.empty()) << id;
    EXPECT_FALSE(n->focusable) << id;
  }
  core::set_link_base(saved);
}

TEST(UiA11y, ChatLinksFollowTheSameRule) {
  const core::LinkBase saved = core::link_base();
  core::set_link_base({"http://127.0.0.1:8080/", ""});
  Harness h;
  h.vm = room_with(1);
  h.vm.chat.push_back(chat_line(9, 100, "see https://example.com/x and http://127.0.0.1:8080/#kiosk=1"));
  h.frames_n(3);
  const auto nodes = a11y_tree_of(h);
  const A11yNode* link = a11y_find(nodes, "chat/link/9/0");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->role, A11yRole::kLink);
  EXPECT_EQ(link->value, "https://example.com/x");
  EXPECT_NE(h.ui.region("chat/link/9/0"), nullptr) << "the drawn link has the same id: the focus ring finds it";
  EXPECT_EQ(a11y_find(nodes, "chat/link/9/1"), nullptr);  // the client's own page: never a link
  core::set_link_base(saved);
}

TEST(UiA11y, AWrappedChatLinkIsOneLinkWithOneRegionAndTheNextKeepsItsNumber) {
  Harness h;
  h.vm = room_with(1);
  h.vm.chat.push_back(chat_line(4, 100, "https://example.com/" + std::string(300, 'a') + " and https://example.org/b"));
  h.frames_n(3);
  const auto nodes = a11y_tree_of(h);
  for (const char* id : {"chat/link/4/0", "chat/link/4/1"}) {
    EXPECT_NE(a11y_find(nodes, id), nullptr) << id;
    EXPECT_NE(h.ui.region(id), nullptr) << id;
  }
  EXPECT_EQ(a11y_find(nodes, "chat/link/4/1")->value, "https://example.org/b");
  EXPECT_EQ(h.ui.region("chat/link/4/2"), nullptr) << "the wrapped link's second line is not a third link";
}

TEST(UiA11y, NoticesAreAlertsButConnectionLostIsAnnouncedInstead) {
  Harness h;
  h.vm = room_with(1);
  core::Notice camera;
  camera.id = 1;
  camera.code = core::NoticeCode::kCameraUnavailable;
  core::Notice lost;
  lost.id = 2;
  lost.code = core::NoticeCode::kConnectionLost;
  h.vm.notices = {camera, lost};
  h.frames_n(3);
  const auto nodes = a11y_tree_of(h);
  ASSERT_NE(a11y_find(nodes, "toast/1"), nullptr);
  EXPECT_EQ(a11y_find(nodes, "toast/1")->role, A11yRole::kAlert);
  EXPECT_EQ(a11y_find(nodes, "toast/1")->name, text(Language::kEnglish, StringId::kNoticeCameraUnavailable));
  ASSERT_NE(a11y_find(nodes, "toast/2"), nullptr);
  EXPECT_EQ(a11y_find(nodes, "toast/2")->role, A11yRole::kText);
}

TEST(UiA11y, ActivateFromTheMirrorPressesTheButton) {
  Harness h;
  h.vm = room_with(1);
  h.frames_n(3);
  ASSERT_TRUE(h.ui.a11y_activate("controls/leave"));
  h.frames_n(3);
  EXPECT_EQ(h.all.leaves, 1);
  EXPECT_FALSE(h.ui.a11y_activate("no/such/control"));
}

TEST(UiA11y, WhatAnOpenPopupHoldsIsMarkedSoItCanTakeTheFocus) {
  Harness h;
  h.vm = room_with(1);
  h.ui.set_devices({{{"cam-a", "Front camera"}}, {{"mic-a", "Headset"}}, "cam-a", "mic-a"});
  h.frames_n(3);
  for (const A11yNode& n : a11y_tree_of(h)) EXPECT_FALSE(n.popup) << n.id << ": no popup is open";

  ASSERT_TRUE(h.ui.a11y_activate("controls/devices"));
  h.frames_n(3);
  auto nodes = a11y_tree_of(h);
  const A11yNode* camera = a11y_find(nodes, "camera/0");
  const A11yNode* mic = a11y_find(nodes, "mic/0");
  ASSERT_NE(camera, nullptr);
  ASSERT_NE(mic, nullptr);
  EXPECT_TRUE(camera->popup && camera->focusable);
  EXPECT_TRUE(mic->popup);
  EXPECT_EQ(camera->role, A11yRole::kMenuItem);
  EXPECT_FALSE(a11y_find(nodes, "controls/devices")->popup) << "the opener is not in the popup";
  // The popup's entries come after the opener in the Tab order (the page moves the focus).
  const auto order = a11y_focus_order(nodes);
  EXPECT_LT(a11y_index(order, "controls/devices"), a11y_index(order, "camera/0"));

  // The shortcut help: its Close button.
  h.key(ImGuiKey_Escape);
  h.frames_n(3);
  h.key(ImGuiKey_Slash, /*shift=*/true);
  h.frames_n(3);
  ASSERT_TRUE(h.ui.help_open());
  nodes = a11y_tree_of(h);
  ASSERT_NE(a11y_find(nodes, "help/close"), nullptr);
  EXPECT_TRUE(a11y_find(nodes, "help/close")->popup);
  EXPECT_EQ(a11y_find(nodes, "camera/0"), nullptr) << "Esc closed the devices menu";
}

TEST(UiA11y, ActivateATextFieldTakesTypingAndTheJoinButtonJoins) {
  Harness h;
  h.vm = a11y_join_screen();
  h.ui.set_join_defaults({"ws://127.0.0.1:8080/groupcall", "1", "", ""});
  h.frames_n(3);
  ASSERT_TRUE(h.ui.a11y_activate("join/user"));
  h.frames_n(2);
  h.type("7");
  h.frames_n(1);
  EXPECT_EQ(h.ui.user_field(), "7");
  h.ui.a11y_focus("join/button");  // Tab: the field lets go
  ASSERT_TRUE(h.ui.a11y_activate("join/button"));
  h.frames_n(3);
  ASSERT_EQ(h.all.joins.size(), 1u);
  EXPECT_EQ(h.all.joins[0].user, 7);
}

TEST(UiA11y, FocusRingIsDrawnAroundTheFocusedControl) {
  Harness h;
  h.vm = room_with(1);
  h.frames_n(3);
  const auto vertices = [] {
    const ImDrawData* data = ImGui::GetDrawData();
    int n = 0;
    for (int i = 0; i < data->CmdListsCount; ++i) n += data->CmdLists[i]->VtxBuffer.Size;
    return n;
  };
  const int before = vertices();
  h.ui.a11y_focus("controls/leave");
  h.frames_n(1);
  EXPECT_GT(vertices(), before);  // two outlines more
  EXPECT_EQ(h.ui.a11y_focused(), "controls/leave");
}

TEST(UiA11y, HighContrastThemeIsBlackAndWhite) {
  Harness h;
  h.vm = room_with(1);
  h.ui.set_high_contrast(true);
  h.frames_n(2);
  const ImGuiStyle& style = ImGui::GetStyle();
  EXPECT_EQ(style.Colors[ImGuiCol_WindowBg].x, 0.0f);
  EXPECT_EQ(style.Colors[ImGuiCol_Text].x, 1.0f);
  EXPECT_EQ(style.FrameBorderSize, 1.0f);
  h.ui.set_high_contrast(false);
  h.frames_n(1);
  EXPECT_NE(ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x, 0.0f);
}

// WCAG contrast ratio of two opaque colours.
double a11y_contrast(ImU32 a, ImU32 b) {
  auto lum = [](ImU32 c) {
    auto ch = [](unsigned v) {
      const double s = v / 255.0;
      return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * ch(c & 0xFF) + 0.7152 * ch((c >> 8) & 0xFF) + 0.0722 * ch((c >> 16) & 0xFF);
  };
  const double la = lum(a), lb = lum(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

TEST(UiA11y, HighContrastPaletteIsReadableOnBlackAndIsWhatTheRoomDraws) {
  set_high_contrast_colors(false);
  const ImU32 dark_dim = colors::text_dim();
  const std::vector<ImU32> dark = {colors::background(), colors::panel(), colors::panel_border(),
                                   colors::tile_empty(), colors::tile_frame(), colors::text_dim(),
                                   colors::text(), colors::accent(), colors::control(), colors::control_on(),
                                   colors::meter_off(), colors::overlay(), colors::name_bar(), avatar_color(3)};
  Harness h;
  h.vm = room_with(3);
  h.ui.set_high_contrast(true);
  h.frames_n(3);
  EXPECT_EQ(colors::background(), IM_COL32(0, 0, 0, 255));
  EXPECT_EQ(colors::panel(), IM_COL32(0, 0, 0, 255));
  EXPECT_EQ(colors::name_bar() >> IM_COL32_A_SHIFT, 255u) << "name bars over video are opaque";
  const std::pair<const char*, ImU32> text_colors[] = {
      {"text", colors::text()}, {"text_dim", colors::text_dim()}, {"accent", colors::accent()},
      {"link", colors::link()}, {"good", colors::good()},         {"warn", colors::warn()},
      {"bad", colors::bad()},   {"danger", colors::danger()},     {"tile_frame", colors::tile_frame()}};
  for (const auto& [name, c] : text_colors) EXPECT_GE(a11y_contrast(c, colors::background()), 7.0) << name;
  // Nothing the room drew (tiles, names, controls, the meter, the open devices menu) kept a
  // dark-theme colour.
  h.ui.set_devices({{{"cam-a", "Front camera"}}, {{"mic-a", "Headset"}}, "cam-a", "mic-a"});
  ASSERT_TRUE(h.ui.a11y_activate("controls/devices"));
  h.frames_n(3);
  const ImDrawData* data = ImGui::GetDrawData();
  ASSERT_NE(data, nullptr);
  int vertices = 0;
  for (int i = 0; i < data->CmdListsCount; ++i)
    for (const ImDrawVert& v : data->CmdLists[i]->VtxBuffer) {
      ++vertices;
      const bool kept = std::find(dark.begin(), dark.end(), v.col) != dark.end();
      ASSERT_FALSE(kept) << "a dark-theme colour " << std::hex << v.col << " drawn in high contrast";
    }
  EXPECT_GT(vertices, 1000);
  h.ui.set_high_contrast(false);
  EXPECT_EQ(colors::text_dim(), dark_dim);
}

TEST(UiA11y, ReducedMotionStopsTheConnectingDots) {
  Harness h;
  h.vm = a11y_join_screen();
  h.vm.phase = core::Phase::kConnecting;
  h.frames_n(12);  // past the regions' settling
  ASSERT_TRUE(h.ui.redraw_at()) << "the dots move: a frame at their next step";
  EXPECT_LE(*h.ui.redraw_at() - h.now, 400);
  h.ui.set_reduced_motion(true);
  h.frames_n(12);
  EXPECT_FALSE(h.ui.wants_animation());
  EXPECT_FALSE(h.ui.redraw_at()) << "dots that stay at three ask for no frame";
}

// ---- the Announcer ------------------------------------------------------------------

std::string a11y_name(UserId id) { return "user" + std::to_string(id); }

TEST(UiA11y, AnnouncesJoinLeaveAndFilesOnceNotTheRoomAlreadyThere) {
  Announcer a;
  core::ViewModel vm = room_with(2);
  core::Millis now = 10'000;
  a.observe(vm, Language::kEnglish, now, a11y_name);
  EXPECT_FALSE(a.take(now));  // who was there when we came in is not news
  core::ParticipantView p;
  p.id = 200;
  vm.participants.push_back(p);
  a.observe(vm, Language::kEnglish, now, a11y_name);
  a.observe(vm, Language::kEnglish, now, a11y_name);  // the same view model again: nothing new
  EXPECT_EQ(a.take(now).value_or(""), "user200 joined");
  EXPECT_FALSE(a.take(now + 5000));  // said once
  vm.participants.erase(vm.participants.begin());
  core::SharedFile f;
  f.seq = 1;
  f.uploader = 101;
  f.name = "plan.pdf";
  vm.files.push_back(f);
  now += 5000;
  a.observe(vm, Language::kEnglish, now, a11y_name);
  EXPECT_EQ(a.take(now).value_or(""), "user100 left. user101 shared plan.pdf");
}

TEST(UiA11y, AnnouncementsAreThrottledAndMerged) {
  Announcer a;
  core::ViewModel vm = room_with(0);
  core::Millis now = 10'000;
  a.observe(vm, Language::kEnglish, now, a11y_name);
  for (int i = 0; i < 6; ++i) {
    core::ParticipantView p;
    p.id = 300 + i;
    vm.participants.push_back(p);
    a.observe(vm, Language::kEnglish, now, a11y_name);
    if (i == 0) {
      EXPECT_EQ(a.take(now).value_or(""), "user300 joined");
    }
    now += 100;
  }
  EXPECT_FALSE(a.take(now));  // within the gap after the last one
  ASSERT_TRUE(a.next_at());
  const std::string merged = a.take(*a.next_at()).value_or("");
  EXPECT_EQ(merged, "user301 joined. user302 joined. user303 joined. and 2 more");
  EXPECT_FALSE(a.next_at());
}

TEST(UiA11y, ConnectionLostAndRecoveredOnceEach) {
  Announcer a;
  core::ViewModel vm = room_with(1);
  core::Millis now = 10'000;
  a.observe(vm, Language::kZhCn, now, a11y_name);
  vm.phase = core::Phase::kReconnecting;
  vm.disconnect_cause = core::DisconnectCause::kSocketClosed;
  vm.participants.clear();  // nobody "left": the list empties while reconnecting
  a.observe(vm, Language::kZhCn, now, a11y_name);
  a.observe(vm, Language::kZhCn, now + 100, a11y_name);
  EXPECT_EQ(a.take(now + 100).value_or(""), text(Language::kZhCn, StringId::kNoticeConnectionLost));
  vm = room_with(1);
  now += 3000;
  a.observe(vm, Language::kZhCn, now, a11y_name);
  EXPECT_EQ(a.take(now).value_or(""), text(Language::kZhCn, StringId::kNoticeReconnected));
  EXPECT_FALSE(a.take(now + 5000));
}

TEST(UiA11y, ChatFloodTurnsTheLogQuietAndIsSummarised) {
  Announcer a;
  core::ViewModel vm = room_with(1);
  core::Millis now = 10'000;
  a.observe(vm, Language::kEnglish, now, a11y_name);
  for (int i = 1; i <= 10; ++i) {
    vm.chat.push_back(chat_line(static_cast<std::uint64_t>(i), 100, "line"));
    a.observe(vm, Language::kEnglish, now, a11y_name);
    EXPECT_EQ(a.chat_flood(), i > Announcer::kChatBurst) << i;
    now += 200;
  }
  EXPECT_FALSE(a.take(now));  // chat lines are the log's to read, never announced as well
  ASSERT_TRUE(a.next_at());
  now = *a.next_at();
  EXPECT_EQ(a.take(now).value_or(""), "7 new messages");  // the 3 read by the log are not counted
  EXPECT_FALSE(a.chat_flood());
}

TEST(UiA11y, ALongLineIsReadOutToItsFirstThousandCharactersAndSaysHowManyMore) {
  Harness h;
  h.vm = room_with(2);
  std::string long_text;
  for (int i = 0; i < 1500; ++i) long_text += i % 2 ? "用" : "a";  // 1,500 characters, 2,250 bytes
  h.vm.chat.push_back(chat_line(4, 100, long_text, 0));
  std::string exact;
  for (int i = 0; i < 1000; ++i) exact += "字";
  h.vm.chat.push_back(chat_line(5, 100, exact, 0));
  h.ui.set_utc_offset_minutes(0);
  h.frames_n(4);
  const auto nodes = a11y_tree_of(h);
  const A11yNode* cut = a11y_find(nodes, "chat/line/4");
  ASSERT_NE(cut, nullptr);
  const std::string head = "用户0 (R&D), 00:00: ";
  ASSERT_EQ(cut->name.compare(0, head.size(), head), 0) << cut->name;
  // The first 1,000 characters (500 "a" and 500 "用": 2,000 bytes), then the rest's count.
  EXPECT_EQ(cut->name.substr(head.size(), 2000), long_text.substr(0, 2000));
  EXPECT_EQ(cut->name.substr(head.size() + 2000), "… (500 more characters, shown in the chat)");
  // A line of exactly 1,000 characters is read whole.
  EXPECT_EQ(a11y_find(nodes, "chat/line/5")->name, head + exact);
  // The canvas's line is whole.
  EXPECT_EQ(h.vm.chat[0].text, long_text);
}

}  // namespace
}  // namespace gc::ui::test
