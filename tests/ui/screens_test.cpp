// Smoke tests of the screens with ImGui's null backend: each builds a view model, draws
// frames, simulates the user, and checks the intents and the tile rectangles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include <imgui_internal.h>

#include "harness.hpp"

namespace gc::ui::test {
namespace {

bool has_region_prefix(const Ui& ui, const std::string& prefix) {
  return std::any_of(ui.regions().begin(), ui.regions().end(),
                     [&](const Region& r) { return r.name.rfind(prefix, 0) == 0; });
}

bool window_drawn(const char* name) {
  ImGuiWindow* w = ImGui::FindWindowByName(name);
  return w != nullptr && w->WasActive;
}

// ---- join -------------------------------------------------------------------------------

TEST(UiJoin, RendersWithPrefilledValuesAndJoins) {
  Harness h;
  h.ui.set_join_defaults({"ws://127.0.0.1:8080/groupcall", "3", "5", ""});
  h.frames_n(3);
  for (const char* name : {"join/server", "join/room", "join/user", "join/password", "join/button"})
    EXPECT_NE(h.ui.region(name), nullptr) << name;
  EXPECT_FALSE(has_region_prefix(h.ui, "join/error/"));
  EXPECT_TRUE(h.ui.tile_rects().empty());

  ASSERT_TRUE(h.click_region("join/button"));
  ASSERT_EQ(h.all.joins.size(), 1u);
  EXPECT_EQ(h.all.joins[0].server, "ws://127.0.0.1:8080/groupcall");
  EXPECT_EQ(h.all.joins[0].room, 3);
  EXPECT_EQ(h.all.joins[0].user, 5);
  EXPECT_EQ(h.all.joins[0].password, "");
}

TEST(UiJoin, ValidationBlocksBadInput) {
  Harness h;
  h.ui.set_join_defaults({"http://example.com", "room one", "-5", ""});
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("join/button"));
  EXPECT_TRUE(h.all.joins.empty());
  h.frame();
  EXPECT_NE(h.ui.region("join/error/server"), nullptr);
  EXPECT_NE(h.ui.region("join/error/room"), nullptr);
  EXPECT_NE(h.ui.region("join/error/user"), nullptr);

  // Enter in a field is the same as the button: still blocked.
  ASSERT_TRUE(h.click_region("join/room"));
  h.key(ImGuiKey_Enter);
  EXPECT_TRUE(h.all.joins.empty());
}

TEST(UiJoin, TypingFixesTheFormAndEnterJoins) {
  Harness h;
  h.ui.set_join_defaults({"ws://h/groupcall", "", "", ""});
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("join/room"));
  h.type("12");
  ASSERT_TRUE(h.click_region("join/user"));
  h.type("x");
  h.frame();
  EXPECT_NE(h.ui.region("join/error/user"), nullptr);  // inline, before any submit
  h.key(ImGuiKey_Backspace);
  h.type("34");
  h.key(ImGuiKey_Enter);
  ASSERT_EQ(h.all.joins.size(), 1u);
  EXPECT_EQ(h.all.joins[0].room, 12);
  EXPECT_EQ(h.all.joins[0].user, 34);
}

// The form checks the server address with the core's rule, so an address it lets through
// never fails later as "invalid server URL": an empty host before '@' or ':' is refused.
TEST(UiJoin, ServerWithoutAHostIsRefused) {
  Harness h;
  h.ui.set_join_defaults({"", "1", "2", ""});
  h.frames_n(3);
  const auto replace_server = [&](const char* text) {
    ASSERT_TRUE(h.click_region("join/server"));
    h.select_all();
    h.type(text);
    h.frames_n(3);  // the text lands a frame after the Ctrl release, then the card re-sizes
  };
  for (const char* bad : {"ws://@h", "ws://:80", "wss://@h/groupcall", "ws://:80/groupcall"}) {
    replace_server(bad);
    EXPECT_EQ(h.ui.server_field(), bad);
    EXPECT_NE(h.ui.region("join/error/server"), nullptr) << bad;  // inline, before any submit
    h.key(ImGuiKey_Enter);
    ASSERT_TRUE(h.click_region("join/button"));
    EXPECT_TRUE(h.all.joins.empty()) << bad;
  }
  replace_server("ws://h:80");
  EXPECT_EQ(h.ui.server_field(), "ws://h:80");
  EXPECT_EQ(h.ui.region("join/error/server"), nullptr);
  ASSERT_TRUE(h.click_region("join/button"));
  ASSERT_EQ(h.all.joins.size(), 1u);
  EXPECT_EQ(h.all.joins[0].server, "ws://h:80");
}

TEST(UiJoin, PermissionDeniedLetsYouRetryWithAnotherPassword) {
  Harness h;
  h.ui.set_join_defaults({"ws://h/groupcall", "1", "2", "wrong"});
  h.vm.phase = core::Phase::kFailed;
  h.vm.failure = core::FailureReason::kPermissionDenied;
  h.frames_n(3);
  EXPECT_NE(h.ui.region("join/failure"), nullptr);
  // The password box has the focus: select all, type the new one, Enter.
  h.select_all();
  h.type("secret");
  h.key(ImGuiKey_Enter);
  ASSERT_EQ(h.all.joins.size(), 1u);
  EXPECT_EQ(h.all.joins[0].password, "secret");
}

TEST(UiJoin, AReplacedSessionSaysSoAndUseHereRetries) {
  Harness h;
  h.ui.set_join_defaults({"ws://h/groupcall", "1", "2", ""});
  h.vm.phase = core::Phase::kFailed;
  h.vm.failure = core::FailureReason::kReplaced;
  h.frames_n(3);
  EXPECT_NE(h.ui.region("join/failure"), nullptr);
  ASSERT_TRUE(h.click_region("join/use-here"));
  EXPECT_EQ(h.all.retries, 1);
  // Other failures have no such button.
  h.vm.failure = core::FailureReason::kPermissionDenied;
  h.frames_n(2);
  EXPECT_EQ(h.ui.region("join/use-here"), nullptr);
}

TEST(UiJoin, ServerUnreachableShowsCountdownAndRetry) {
  Harness h;
  h.ui.set_join_defaults({"ws://h/groupcall", "1", "2", ""});
  h.vm.phase = core::Phase::kReconnecting;
  h.vm.failure = core::FailureReason::kServerUnreachable;
  h.vm.reconnect_at = h.now + 4500;
  h.vm.reconnect_attempts = 2;
  h.frames_n(12);  // past the regions' settling
  EXPECT_NE(h.ui.region("join/countdown"), nullptr);
  // The countdown asks for a frame when its number changes, not for every frame.
  EXPECT_FALSE(h.ui.wants_animation());
  ASSERT_TRUE(h.ui.redraw_at());
  EXPECT_GT(*h.ui.redraw_at(), h.now);
  EXPECT_LE(*h.ui.redraw_at() - h.now, 1000);
  ASSERT_TRUE(h.click_region("join/retry"));
  EXPECT_EQ(h.all.retries, 1);
  ASSERT_TRUE(h.click_region("join/cancel"));
  EXPECT_EQ(h.all.leaves, 1);
  // The form stays usable: joining with a corrected address replaces the attempt.
  ASSERT_TRUE(h.click_region("join/button"));
  ASSERT_EQ(h.all.joins.size(), 1u);
  EXPECT_EQ(h.all.joins[0].server, "ws://h/groupcall");
}

TEST(UiJoin, JoinIsDisabledWhileConnecting) {
  Harness h;
  h.ui.set_join_defaults({"ws://h/groupcall", "1", "2", ""});
  h.vm.phase = core::Phase::kJoining;
  h.frames_n(12);  // past the regions' settling
  // The dots move at 400 ms steps: the next frame is asked for then, none in between.
  EXPECT_FALSE(h.ui.wants_animation());
  ASSERT_TRUE(h.ui.redraw_at());
  EXPECT_GT(*h.ui.redraw_at(), h.now);
  EXPECT_LE(*h.ui.redraw_at() - h.now, 400);
  ASSERT_TRUE(h.click_region("join/button"));
  EXPECT_TRUE(h.all.joins.empty());
  ASSERT_TRUE(h.click_region("join/cancel"));
  EXPECT_EQ(h.all.leaves, 1);
}

TEST(UiJoin, LanguageSwitchesAtRuntime) {
  Harness h;
  h.frames_n(2);
  ASSERT_TRUE(h.click_region("language"));
  ASSERT_EQ(h.all.languages.size(), 1u);
  EXPECT_EQ(h.all.languages[0], Language::kZhCn);
  EXPECT_EQ(h.ui.language(), Language::kZhCn);
}

// ---- room grid ----------------------------------------------------------------------------

struct GridShape {
  std::size_t cols;
  std::size_t rows;
};

// Columns = the fullest row (a short last row is centred, so its x's differ).
GridShape shape_of(const std::vector<TileRect>& rects) {
  std::map<float, std::size_t> per_row;
  for (const TileRect& r : rects) ++per_row[std::round(r.y)];
  std::size_t cols = 0;
  for (const auto& [y, n] : per_row) cols = std::max(cols, n);
  return {cols, per_row.size()};
}

void expect_sane_tiles(const Harness& h, std::size_t count) {
  const auto& rects = h.ui.tile_rects();
  ASSERT_EQ(rects.size(), count);
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  for (std::size_t i = 0; i < rects.size(); ++i) {
    const TileRect& a = rects[i];
    EXPECT_GT(a.w, 0);
    EXPECT_NEAR(a.w / a.h, 16.0f / 9.0f, 0.02f);
    EXPECT_FLOAT_EQ(a.w, rects[0].w);
    EXPECT_GE(a.x, 0);
    EXPECT_GE(a.y, 0);
    EXPECT_LE(a.x + a.w, display.x);
    EXPECT_LE(a.y + a.h, display.y);
    for (std::size_t j = i + 1; j < rects.size(); ++j) {
      const TileRect& b = rects[j];
      const bool overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      EXPECT_FALSE(overlap) << i << " overlaps " << j;
    }
  }
}

// Room drawn with the side panel closed, so the grid has the whole width.
Harness& room_without_panel(Harness& h) {
  h.frames_n(2);
  if (h.ui.region("panel/close")) h.click_region("panel/close");
  h.frames_n(2);
  return h;
}

TEST(UiRoom, AloneShowsOnlyTheSelfTile) {
  Harness h;
  h.vm = room_with(0);
  room_without_panel(h);
  expect_sane_tiles(h, 1);
  EXPECT_TRUE(h.ui.tile_rects()[0].is_self);
  EXPECT_EQ(h.ui.tile_rects()[0].id, 1);
  EXPECT_TRUE(h.ui.tile_rects()[0].video_visible);
  ASSERT_FALSE(h.all.visible.empty());
  EXPECT_TRUE(h.all.visible.back().empty());
}

TEST(UiRoom, OneOtherGivesTwoSideBySide) {
  Harness h;
  h.vm = room_with(1);
  room_without_panel(h);
  expect_sane_tiles(h, 2);
  const GridShape s = shape_of(h.ui.tile_rects());
  EXPECT_EQ(s.cols, 2u);
  EXPECT_EQ(s.rows, 1u);
  EXPECT_EQ(h.all.visible.back(), (std::vector<UserId>{100}));
}

TEST(UiRoom, FourOthersGiveThreeByTwo) {
  Harness h;
  h.vm = room_with(4);
  room_without_panel(h);
  expect_sane_tiles(h, 5);
  const GridShape s = shape_of(h.ui.tile_rects());
  EXPECT_EQ(s.cols, 3u);
  EXPECT_EQ(s.rows, 2u);
  // Live tiles let the video through; the others cover it with an avatar.
  for (const TileRect& r : h.ui.tile_rects()) {
    if (r.is_self) continue;
    const core::ParticipantView* p = h.vm.find(r.id);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(r.video_visible, p->tile == core::TileState::kLive) << r.id;
  }
}

TEST(UiRoom, TwentySixOthersArePaged) {
  Harness h;
  h.vm = room_with(26);
  room_without_panel(h);
  expect_sane_tiles(h, 25);
  const GridShape s = shape_of(h.ui.tile_rects());
  EXPECT_EQ(s.cols, 5u);
  EXPECT_EQ(s.rows, 5u);
  ASSERT_FALSE(h.all.visible.empty());
  EXPECT_EQ(h.all.visible.back().size(), 24u);  // the self tile is the 25th
  EXPECT_NE(h.ui.region("controls/page_label"), nullptr);

  h.reset_all();
  ASSERT_TRUE(h.click_region("controls/page_next"));
  ASSERT_EQ(h.all.pages.size(), 1u);
  EXPECT_EQ(h.all.pages[0], 1u);
  expect_sane_tiles(h, 2);
  ASSERT_EQ(h.all.visible.size(), 1u);
  EXPECT_EQ(h.all.visible[0], (std::vector<UserId>{124, 125}));
  for (const TileRect& r : h.ui.tile_rects()) EXPECT_FALSE(r.is_self);

  // Nothing changes: nothing is sent again.
  h.reset_all();
  h.frames_n(3);
  EXPECT_TRUE(h.all.visible.empty());
  // A fresh Session (re-join) starts with everyone visible: the page's set is sent again.
  for (core::ParticipantView& p : h.vm.participants) p.visible = true;
  h.frames_n(2);
  ASSERT_EQ(h.all.visible.size(), 1u);
  EXPECT_EQ(h.all.visible[0], (std::vector<UserId>{124, 125}));

  // Someone leaves: the page that no longer exists is clamped back.
  h.reset_all();
  h.vm.participants.resize(24);
  h.frames_n(2);
  EXPECT_EQ(h.ui.tile_rects().size(), 25u);
  ASSERT_FALSE(h.all.pages.empty());
  EXPECT_EQ(h.all.pages.back(), 0u);
}

TEST(UiRoom, TheNextPageIsPrefetchedWithTheVisibleSet) {
  Harness h;
  h.vm = room_with(26);
  room_without_panel(h);
  ASSERT_FALSE(h.all.prefetch.empty());
  EXPECT_EQ(h.all.prefetch.back(), (std::vector<UserId>{124, 125}));  // page 2 of 2
  h.reset_all();
  ASSERT_TRUE(h.click_region("controls/page_next"));
  ASSERT_EQ(h.all.prefetch.size(), 1u);
  EXPECT_TRUE(h.all.prefetch[0].empty());  // the last page has no next page
  EXPECT_TRUE(h.vm.find(124)->visible);
  EXPECT_FALSE(h.vm.find(124)->prefetch);
}

TEST(UiRoom, ATileOverTheStreamCapSaysSoAndShowVideoAsksForIt) {
  Harness h;
  h.vm = room_with(3);
  h.vm.participants[1].tile = core::TileState::kCapped;
  room_without_panel(h);
  const std::string name = "tile/" + std::to_string(h.vm.participants[1].id) + "/show-video";
  ASSERT_NE(h.ui.region(name), nullptr);
  EXPECT_EQ(h.ui.region("tile/" + std::to_string(h.vm.participants[0].id) + "/show-video"), nullptr);
  EXPECT_TRUE(h.click_region(name));
  EXPECT_EQ(h.all.resume_video, 1);
  // The kiosk has no button: it rejoins by itself.
  Harness k;
  k.ui.set_kiosk(true);
  k.vm = h.vm;
  k.frames_n(3);
  EXPECT_FALSE(has_region_prefix(k.ui, "tile/"));
}

TEST(UiRoom, PanelOpenKeepsTilesLeftOfThePanel) {
  Harness h;
  h.vm = room_with(4);
  h.frames_n(3);
  ASSERT_NE(h.ui.region("panel/close"), nullptr);
  const Region* close = h.ui.region("panel/close");
  expect_sane_tiles(h, 5);
  for (const TileRect& r : h.ui.tile_rects()) EXPECT_LE(r.x + r.w, close->x);
}

TEST(UiRoom, RendersAtCommonSizesAndTiny) {
  for (auto [w, hgt] : {std::pair{1920.f, 1080.f}, {1280.f, 720.f}, {390.f, 844.f}, {200.f, 120.f}}) {
    Harness h(w, hgt);
    h.vm = room_with(9);
    h.frames_n(3);
    EXPECT_FALSE(h.ui.tile_rects().empty()) << w << "x" << hgt;
  }
}

TEST(UiRoom, ControlsProduceIntents) {
  Harness h;
  h.vm = room_with(2);
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("controls/mute"));
  ASSERT_EQ(h.all.muted.size(), 1u);
  EXPECT_TRUE(h.all.muted[0]);
  ASSERT_TRUE(h.click_region("controls/leave"));
  EXPECT_EQ(h.all.leaves, 1);

  h.ui.set_devices({{{"cam-a", "Front camera"}, {"cam-b", "USB camera"}}, {{"mic-a", "Headset"}}, "cam-a", "mic-a"});
  ASSERT_TRUE(h.click_region("controls/devices"));
  ASSERT_NE(h.ui.region("camera/1"), nullptr);
  h.reset_all();
  UiOutput last;
  const Region* cam_b = h.ui.region("camera/1");
  ImGui::GetIO().AddMousePosEvent(cam_b->x + 5, cam_b->y + cam_b->h * 0.5f);
  h.frame();
  ImGui::GetIO().AddMouseButtonEvent(0, true);
  h.frame();
  ImGui::GetIO().AddMouseButtonEvent(0, false);
  last = h.frame();
  ASSERT_TRUE(last.select_camera);
  EXPECT_EQ(*last.select_camera, "cam-b");
}

TEST(UiRoom, ReceiveOnlyHasNoSelfTileAndDisabledMedia) {
  Harness h;
  h.vm = room_with(1);
  h.vm.self.publish = core::PublishState::kReceiveOnly;
  h.vm.self.media_ready = false;
  h.frames_n(3);
  ASSERT_EQ(h.ui.tile_rects().size(), 1u);
  EXPECT_FALSE(h.ui.tile_rects()[0].is_self);
  ASSERT_TRUE(h.click_region("controls/mute"));
  EXPECT_TRUE(h.all.muted.empty());
}

TEST(UiRoom, ReconnectingKeepsTheRoomWithBannerAndRetry) {
  Harness h;
  h.vm = room_with(2);
  h.frames_n(2);
  h.vm.phase = core::Phase::kReconnecting;
  h.vm.reconnect_at = h.now + 3000;
  h.frames_n(2);
  EXPECT_NE(h.ui.region("room/reconnect"), nullptr);
  EXPECT_EQ(h.ui.region("join/button"), nullptr);
  for (const TileRect& r : h.ui.tile_rects()) {
    if (!r.is_self) {
      EXPECT_FALSE(r.video_visible);
    }
  }
  ASSERT_TRUE(h.click_region("room/retry"));
  EXPECT_EQ(h.all.retries, 1);
}

TEST(UiRoom, NoticesBecomeToasts) {
  Harness h;
  h.vm = room_with(1);
  core::Notice notice;
  notice.id = 5;
  notice.code = core::NoticeCode::kCameraUnavailable;
  notice.detail = "NotAllowedError: Permission denied";
  notice.time = h.now;
  h.vm.notices.push_back(notice);
  h.frames_n(2);
  EXPECT_NE(h.ui.region("toast/5"), nullptr);
  ASSERT_TRUE(h.ui.redraw_at());
  h.now += 60000;
  h.frames_n(2);
  EXPECT_EQ(h.ui.region("toast/5"), nullptr);
}

// ---- chat ---------------------------------------------------------------------------------

TEST(UiChat, EnterSendsAndShiftEnterBreaksTheLine) {
  Harness h;
  h.vm = room_with(1);
  h.frames_n(2);
  h.ui.focus_chat_input();
  h.frames_n(2);
  h.type("你好 hello");
  h.key(ImGuiKey_Enter);
  ASSERT_EQ(h.all.chats.size(), 1u);
  EXPECT_EQ(h.all.chats[0], "你好 hello");

  // The box was cleared: Enter on an empty box sends nothing.
  h.key(ImGuiKey_Enter);
  EXPECT_EQ(h.all.chats.size(), 1u);

  h.type("line 1");
  h.key(ImGuiKey_Enter, /*shift=*/true);
  h.type("line 2");
  EXPECT_EQ(h.all.chats.size(), 1u);
  h.key(ImGuiKey_KeypadEnter);
  ASSERT_EQ(h.all.chats.size(), 2u);
  EXPECT_EQ(h.all.chats[1], "line 1\nline 2");
}

TEST(UiChat, SendButtonSendsAndTooLongIsKept) {
  Harness h;
  h.vm = room_with(1);
  h.ui.set_max_chat_bytes(8);
  h.frames_n(2);
  h.ui.focus_chat_input();
  h.frames_n(2);
  h.type("much too long");
  h.key(ImGuiKey_Enter);
  EXPECT_TRUE(h.all.chats.empty());
  h.frame();
  // Nothing was lost: shorten it and send with the button.
  for (int i = 0; i < 5; ++i) h.key(ImGuiKey_Backspace);
  ASSERT_TRUE(h.click_region("chat/send"));
  ASSERT_EQ(h.all.chats.size(), 1u);
  EXPECT_EQ(h.all.chats[0], "much too");
}

TEST(UiChat, LinksInChatOpenAndUnreadIsMarked) {
  Harness h;
  h.vm = room_with(1);
  h.vm.unread = 2;
  h.vm.chat.push_back(chat_line(9, 100, "看这个 https://example.com/a?b=1 好", h.now));
  core::ChatLine own;
  own.seq = 10;
  own.sender = 1;
  own.is_self = true;
  own.text = "javascript:alert(1) is not a link";
  own.status = core::ChatStatus::kPending;
  h.vm.chat.push_back(own);
  h.frames_n(3);
  EXPECT_GE(h.all.mark_read, 1);
  ASSERT_FALSE(h.all.chat_visible.empty());
  EXPECT_TRUE(h.all.chat_visible.back());
  EXPECT_NE(h.ui.region("chat/mark/10"), nullptr);
  EXPECT_EQ(h.ui.region("chat/link/10/0"), nullptr);
  ASSERT_TRUE(h.click_region("chat/link/9/0"));
  ASSERT_EQ(h.all.urls.size(), 1u);
  EXPECT_EQ(h.all.urls[0], "https://example.com/a?b=1");
}

TEST(UiChat, FollowsNewLinesUnlessScrolledUp) {
  Harness h;
  h.vm = room_with(1);
  const auto add_line = [&](std::uint64_t seq) {
    h.vm.chat.push_back(chat_line(seq, 100, "第 " + std::to_string(seq) + " 行 line", h.now));
  };
  for (std::uint64_t i = 1; i <= 80; ++i) add_line(i);
  h.frames_n(4);
  ImGuiWindow* log = nullptr;
  for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
    if (std::string(w->Name).find("##chat_log") != std::string::npos) log = w;
  ASSERT_NE(log, nullptr);
  EXPECT_GT(log->ScrollMax.y, 0.0f);
  EXPECT_FLOAT_EQ(log->Scroll.y, log->ScrollMax.y);  // starts at the newest line

  add_line(81);
  h.frames_n(3);
  EXPECT_FLOAT_EQ(log->Scroll.y, log->ScrollMax.y);  // followed
  EXPECT_EQ(h.ui.region("chat/new_messages"), nullptr);

  // The reader scrolls up: a new line does not pull the view down, a hint appears instead.
  const Region* area = h.ui.region("chat/log");
  ASSERT_NE(area, nullptr);
  ImGui::GetIO().AddMousePosEvent(area->x + area->w / 2, area->y + area->h / 2);
  h.frame();
  ImGui::GetIO().AddMouseWheelEvent(0, 10);
  h.frames_n(2);
  const float scrolled = log->Scroll.y;
  EXPECT_LT(scrolled, log->ScrollMax.y);
  add_line(82);
  h.frames_n(3);
  EXPECT_FLOAT_EQ(log->Scroll.y, scrolled);
  ASSERT_NE(h.ui.region("chat/new_messages"), nullptr);
  ASSERT_TRUE(h.click_region("chat/new_messages"));
  h.frames_n(2);
  EXPECT_FLOAT_EQ(log->Scroll.y, log->ScrollMax.y);
}

TEST(UiChat, HiddenChatShowsUnreadBadge) {
  Harness h;
  h.vm = room_with(1);
  h.frames_n(2);
  ASSERT_TRUE(h.click_region("controls/chat"));  // open by default on a wide screen: close
  h.vm.unread = 3;
  h.reset_all();
  h.frames_n(2);
  EXPECT_NE(h.ui.region("controls/unread"), nullptr);
  EXPECT_EQ(h.all.mark_read, 0);
}

TEST(UiChat, ANotConfirmedLineOffersSendAgainAndOthersDoNot) {
  Harness h;
  h.vm = room_with(1);
  core::ChatLine sent{1, h.vm.self.id, true, "arrived", h.now, core::ChatStatus::kSent};
  core::ChatLine lost{2, h.vm.self.id, true, "maybe dropped", h.now, core::ChatStatus::kNotConfirmed};
  lost.resendable = true;
  core::ChatLine old{3, h.vm.self.id, true, "other room", h.now, core::ChatStatus::kNotConfirmed};
  h.vm.chat = {sent, lost, old};
  core::SharedFile file;
  file.seq = 4;
  file.uploader = h.vm.self.id;
  file.is_self = true;
  file.name = "a.pdf";
  file.url = "https://files.example.com/a.pdf";
  file.status = core::ChatStatus::kNotConfirmed;
  file.resendable = true;
  h.vm.files.push_back(file);
  h.frames_n(3);
  EXPECT_EQ(h.ui.region("chat/resend/1"), nullptr);
  EXPECT_EQ(h.ui.region("chat/resend/3"), nullptr) << "only lines of this room can be sent again";
  ASSERT_TRUE(h.click_region("chat/resend/2"));
  EXPECT_EQ(h.all.resends, (std::vector<std::uint64_t>{2}));
  ASSERT_TRUE(h.click_region("panel/files_tab"));
  ASSERT_TRUE(h.click_region("file/4/resend"));
  EXPECT_EQ(h.all.resends, (std::vector<std::uint64_t>{2, 4}));
}

// ---- files --------------------------------------------------------------------------------

TEST(UiFiles, OnlyLinkableFilesOpen) {
  Harness h;
  h.vm = room_with(1);
  core::SharedFile bad;
  bad.seq = 1;
  bad.uploader = 100;
  bad.name = "evil.html";
  bad.url = "javascript:alert(document.cookie)";
  bad.linkable = false;
  h.vm.files.push_back(bad);
  core::SharedFile good;
  good.seq = 2;
  good.uploader = 100;
  good.name = "报告.pdf";
  good.url = "https://files.example.com/报告.pdf";
  good.linkable = true;
  h.vm.files.push_back(good);
  core::UploadView up;
  up.id = 77;
  up.name = "movie.mp4";
  up.state = core::UploadState::kUploading;
  up.percent = 42;
  h.vm.uploads.push_back(up);
  core::UploadView failed;
  failed.id = 78;
  failed.name = "huge.iso";
  failed.state = core::UploadState::kFailed;
  failed.error = "HTTP 413";
  failed.failure = core::UploadError::kTooLarge;
  h.vm.uploads.push_back(failed);
  core::UploadView broken = failed;  // the same words, but not typed as too large
  broken.id = 79;
  broken.failure = core::UploadError::kFailed;
  h.vm.uploads.push_back(broken);

  h.frames_n(2);
  ASSERT_TRUE(h.click_region("panel/files_tab"));
  ASSERT_NE(h.ui.region("file/1"), nullptr);

  ASSERT_TRUE(h.click_region("file/1"));
  EXPECT_TRUE(h.all.urls.empty()) << "an unsafe url must never become open_url";

  ASSERT_TRUE(h.click_region("file/2"));
  ASSERT_EQ(h.all.urls.size(), 1u);
  EXPECT_EQ(h.all.urls[0], "https://files.example.com/报告.pdf");

  EXPECT_NE(h.ui.region("upload/77/progress"), nullptr);
  EXPECT_NE(h.ui.region("upload/78/error"), nullptr);
  EXPECT_EQ(h.ui.region("upload/78/retry"), nullptr) << "a file the server said is too large cannot be retried";
  EXPECT_NE(h.ui.region("upload/79/retry"), nullptr) << "the UI reads the typed failure, not the words";
  ASSERT_TRUE(h.click_region("upload/77/cancel"));
  EXPECT_EQ(h.all.cancels, (std::vector<UploadId>{77}));
  ASSERT_TRUE(h.click_region("files/upload"));
  EXPECT_EQ(h.all.pick_files, 1);
}

// ---- kiosk --------------------------------------------------------------------------------

TEST(UiKiosk, GridWithNamesOnlyAndNoChrome) {
  Harness h(1920, 1080);
  h.ui.set_kiosk(true);
  h.vm = room_with(3);
  h.vm.self.publish = core::PublishState::kReceiveOnly;
  h.vm.self.media_ready = false;
  h.vm.unread = 4;
  h.frames_n(3);
  expect_sane_tiles(h, 3);
  for (const char* prefix : {"join/", "chat/", "controls/", "panel/", "status/", "files/", "language"})
    EXPECT_FALSE(has_region_prefix(h.ui, prefix)) << prefix;
  EXPECT_FALSE(window_drawn("##join_card"));
  EXPECT_FALSE(window_drawn("##panel"));
  EXPECT_FALSE(window_drawn("##controls"));
  EXPECT_FALSE(window_drawn("##status"));
  EXPECT_EQ(h.all.mark_read, 0);
  // The tiles fill the window: nearly no margin.
  float right = 0;
  for (const TileRect& r : h.ui.tile_rects()) right = std::max(right, r.x + r.w);
  EXPECT_GT(right, 1900.0f);
}

TEST(UiKiosk, NeverShowsTheJoinScreenAndTapEnablesSound) {
  Harness h;
  h.ui.set_kiosk(true);
  h.vm.phase = core::Phase::kFailed;
  h.vm.failure = core::FailureReason::kPermissionDenied;
  h.frames_n(2);
  EXPECT_FALSE(has_region_prefix(h.ui, "join/"));
  EXPECT_NE(h.ui.region("kiosk/status"), nullptr);

  h.vm = room_with(2);
  h.vm.self.publish = core::PublishState::kReceiveOnly;
  h.ui.set_sound_blocked(true);
  h.frames_n(2);
  ASSERT_NE(h.ui.region("sound_hint"), nullptr);
  h.click(100, 100);  // anywhere
  EXPECT_EQ(h.all.enable_sound, 1);
}

TEST(UiKiosk, TextGrowsWithTheWallScreen) {
  EXPECT_EQ(kiosk_text_size(1920, 1080), 40.0f);  // read from across the room
  EXPECT_EQ(kiosk_text_size(3840, 2160), 48.0f);  // capped
  EXPECT_EQ(kiosk_text_size(1280, 720), 27.0f);
  EXPECT_EQ(kiosk_text_size(640, 400), 16.0f);    // never below the normal size
  EXPECT_EQ(kiosk_text_size(1080, 1920), 40.0f);  // portrait: the shorter side counts
}

// The key that makes a field valid never draws "invalid" for a frame: the check runs on what
// the field holds after this frame's edit (a one-frame error line moved the Join button from
// under a click in CI).
TEST(UiJoin, AFieldTurningValidDrawsNoErrorInThatFrame) {
  Harness h;
  h.ui.set_join_defaults({"ws://h/groupcall", "1", "99", ""});
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("join/user"));
  h.select_all();
  h.key(ImGuiKey_Backspace);
  EXPECT_EQ(h.ui.user_field(), "");
  ImGui::GetIO().AddInputCharactersUTF8("7");
  for (int i = 0; i < 4; ++i) {
    h.frame();
    EXPECT_EQ(h.ui.region("join/error/user"), nullptr) << "frame " << i << " holds '" << h.ui.user_field() << "'";
  }
  EXPECT_EQ(h.ui.user_field(), "7");
}

// Render on demand: a frame whose layout moved asks for another, until two frames agree.
TEST(UiJoin, ALayoutThatMovedAsksForMoreFramesUntilItSettles) {
  Harness h;
  h.ui.set_join_defaults({"ws://h/groupcall", "1", "2", ""});
  h.frames_n(5);
  EXPECT_FALSE(h.ui.wants_animation()) << "a settled join screen draws nothing more";
  const float before = h.ui.region("join/button")->y;
  h.vm.phase = core::Phase::kFailed;  // a message box appears above the fields
  h.vm.failure = core::FailureReason::kUserNotFound;
  h.frame();
  EXPECT_TRUE(h.ui.wants_animation());
  int frames = 1;
  while (h.ui.wants_animation() && frames < 20) {
    h.frame();
    ++frames;
  }
  EXPECT_FALSE(h.ui.wants_animation());
  EXPECT_LE(frames, 9);
  EXPECT_NE(h.ui.region("join/button")->y, before);
  const Region settled = *h.ui.region("join/button");
  h.frame();
  EXPECT_EQ(*h.ui.region("join/button"), settled);
}

// A phone's width: every control of the bar stays on screen (the rows that do not fit get
// narrower padding, then Devices moves to the second row), in both languages; 360 px is the
// narrowest common phone, 320 px fits without a pager. (Narrower, or 320 px with a pager on
// the second row, still overflows: not handled.)
TEST(UiRoom, ControlsStayOnScreenOnNarrowWidths) {
  for (Language lang : {Language::kEnglish, Language::kZhCn}) {
    for (float w : {320.f, 360.f, 390.f, 414.f}) {
      for (int people : {2, 30}) {
        if (w < 360 && people > 9) continue;
        Harness h(w, 800, lang);
        h.vm = room_with(people);
        h.frames_n(3);
        int controls = 0;
        for (const Region& r : h.ui.regions()) {
          if (r.name.rfind("controls/", 0) != 0 || r.name == "controls/unread") continue;
          ++controls;
          EXPECT_GE(r.x, -0.5f) << r.name << " at " << w << " px, " << people << " people";
          EXPECT_LE(r.x + r.w, w + 0.5f) << r.name << " at " << w << " px, " << people << " people";
        }
        EXPECT_GE(controls, 9) << w;
      }
    }
  }
}

}  // namespace
}  // namespace gc::ui::test
