// The speaker layout, the microphone meter beside Mute and the pre-join check (issue 13
// items 2 and 7) through the headless harness: G and the controls bar's layout button, a
// pin outranking the active speaker, P, the kiosk's layout=speaker, the meter's value, and
// the join screen's preview, meter and device pickers.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness.hpp"

namespace gc::ui {
namespace {

constexpr Millis kLayoutT0 = 1'700'000'000'000;

const TileRect* layout_rect_of(const Ui& ui, UserId id) {
  for (const TileRect& t : ui.tile_rects())
    if (!t.is_self && t.id == id) return &t;
  return nullptr;
}

// The largest tile on screen (the grid's are all the same size: none).
std::optional<UserId> layout_large_one(const Ui& ui) {
  const auto& r = ui.tile_rects();
  if (r.size() < 2) return std::nullopt;
  const auto big = std::max_element(r.begin(), r.end(), [](const TileRect& a, const TileRect& b) { return a.w < b.w; });
  for (const TileRect& t : r)
    if (&t != &*big && t.w >= big->w * 0.99f) return std::nullopt;
  return big->is_self ? UserId{1} : big->id;
}

class UiSpeakerLayout : public ::testing::Test {
 protected:
  UiSpeakerLayout() {
    h.vm = test::room_with(3);  // 100, 101, 102
    for (auto& p : h.vm.participants) p.tile = core::TileState::kLive;
    h.now = kLayoutT0;
    h.ui.set_live_media(&live);
  }
  void speaks(UserId id) {
    live.speakers.sample(id, 0.3, h.now);
    live.speakers.update(h.now);
    for (int i = 0; i < 16; ++i) {  // 3.2 s: past the 1 s hold of the last speaker and the 1.5 s hysteresis
      h.now += 200;
      for (UserId other : {100, 101, 102}) live.speakers.sample(other, other == id ? 0.3 : 0.0, h.now);
      live.speakers.update(h.now);
    }
    ASSERT_EQ(live.speakers.active(), std::optional<UserId>(id));
  }

  test::Harness h;
  core::LiveMedia live;
};

TEST_F(UiSpeakerLayout, GSwitchesToTheSpeakerLayoutAndBack) {
  h.frames_n(3);
  EXPECT_EQ(h.ui.layout(), core::ViewLayout::kGrid);
  EXPECT_EQ(layout_large_one(h.ui), std::nullopt);
  h.key(ImGuiKey_G);
  EXPECT_EQ(h.ui.layout(), core::ViewLayout::kSpeaker);
  EXPECT_EQ(layout_large_one(h.ui), std::optional<UserId>(100)) << "nobody has spoken: the first to have joined";
  speaks(102);
  h.frames_n(2);
  EXPECT_EQ(layout_large_one(h.ui), std::optional<UserId>(102));
  ASSERT_FALSE(h.all.visible.empty());
  auto visible = h.all.visible.back();
  std::sort(visible.begin(), visible.end());
  EXPECT_EQ(visible, (std::vector<UserId>{100, 101, 102})) << "the filmstrip is on screen: subscribed";
  EXPECT_EQ(h.ui.pinned(), std::nullopt) << "the speaker is large without a pin";
  h.key(ImGuiKey_G);
  EXPECT_EQ(h.ui.layout(), core::ViewLayout::kGrid);
  EXPECT_EQ(layout_large_one(h.ui), std::nullopt);
}

TEST_F(UiSpeakerLayout, TheLayoutButtonDoesWhatGDoesAndNamesTheOtherView) {
  h.frames_n(3);
  const Region* button = h.ui.region("controls/layout");
  ASSERT_NE(button, nullptr);
  const Region* devices = h.ui.region("controls/devices");
  ASSERT_NE(devices, nullptr);
  EXPECT_GE(button->x, devices->x + devices->w) << "after Devices";
  ASSERT_TRUE(h.click_region("controls/layout"));
  EXPECT_EQ(h.ui.layout(), core::ViewLayout::kSpeaker);
  EXPECT_NE(layout_large_one(h.ui), std::nullopt);
  ASSERT_TRUE(h.click_region("controls/layout"));
  EXPECT_EQ(h.ui.layout(), core::ViewLayout::kGrid);
  EXPECT_EQ(layout_large_one(h.ui), std::nullopt);
}

TEST_F(UiSpeakerLayout, APinOutranksTheSpeakerAndGFromAPinnedViewGoesToTheGridUnpinned) {
  h.ui.set_layout(core::ViewLayout::kSpeaker);
  speaks(101);
  h.frames_n(3);
  EXPECT_EQ(layout_large_one(h.ui), std::optional<UserId>(101));
  h.ui.toggle_pin(100);
  h.frames_n(2);
  EXPECT_EQ(layout_large_one(h.ui), std::optional<UserId>(100)) << "pinned beats the active speaker";
  ASSERT_NE(layout_rect_of(h.ui, 101), nullptr) << "who speaks stays on screen, in the filmstrip";
  h.ui.toggle_pin(100);
  h.frames_n(2);
  EXPECT_EQ(layout_large_one(h.ui), std::optional<UserId>(101)) << "unpinned: the speaker again";

  // In the grid a pin also shows one tile large: G then means "back to the grid".
  h.ui.set_layout(core::ViewLayout::kGrid);
  h.ui.toggle_pin(102);
  h.frames_n(2);
  EXPECT_EQ(layout_large_one(h.ui), std::optional<UserId>(102));
  h.key(ImGuiKey_G);
  EXPECT_EQ(h.ui.pinned(), std::nullopt);
  EXPECT_EQ(h.ui.layout(), core::ViewLayout::kGrid);
  EXPECT_EQ(layout_large_one(h.ui), std::nullopt);
}

TEST_F(UiSpeakerLayout, PPinsTheActiveSpeakerWhoThenStaysLargeWhenSomeoneElseSpeaks) {
  h.ui.set_layout(core::ViewLayout::kSpeaker);
  speaks(101);
  h.frames_n(3);
  h.key(ImGuiKey_P);
  EXPECT_EQ(h.ui.pinned(), std::optional<UserId>(101));
  speaks(102);
  h.frames_n(2);
  EXPECT_EQ(layout_large_one(h.ui), std::optional<UserId>(101));
  h.key(ImGuiKey_P);  // P unpins only the speaker it pinned: 102 speaks now, so 102 is pinned
  EXPECT_EQ(h.ui.pinned(), std::optional<UserId>(102));
}

TEST_F(UiSpeakerLayout, TheSpeakerLayoutNeverTurnsTheGridsPage) {
  h.vm = test::room_with(40);
  for (auto& p : h.vm.participants) p.tile = core::TileState::kLive;
  h.ui.set_layout(core::ViewLayout::kSpeaker);
  h.frames_n(3);
  live.speakers.sample(135, 0.3, h.now);
  live.speakers.update(h.now);
  h.frames_n(3);
  EXPECT_EQ(layout_large_one(h.ui), std::optional<UserId>(135));
  for (std::size_t page : h.all.pages) EXPECT_EQ(page, 0u) << "the filmstrip stays where it was";
}

TEST_F(UiSpeakerLayout, AKioskWithLayoutSpeakerShowsTheSpeakerLarge) {
  h.ui.set_kiosk(true);
  h.ui.set_layout(core::ViewLayout::kSpeaker);
  h.vm.self.publish = core::PublishState::kReceiveOnly;
  speaks(102);
  h.frames_n(3);
  EXPECT_EQ(layout_large_one(h.ui), std::optional<UserId>(102));
  EXPECT_EQ(h.ui.region("controls/layout"), nullptr) << "no buttons in a kiosk";
}

TEST_F(UiSpeakerLayout, AKioskTurnsTheFilmstripsPagesByItself) {
  h.ui.set_kiosk(true);
  h.ui.set_kiosk_page_ms(10000);
  h.ui.set_layout(core::ViewLayout::kSpeaker);
  h.vm = test::room_with(40);
  h.vm.self.publish = core::PublishState::kReceiveOnly;
  for (auto& p : h.vm.participants) p.tile = core::TileState::kLive;
  h.frames_n(2);
  ASSERT_NE(h.ui.redraw_at(), std::nullopt) << "the next page is due";
  const auto first = h.all.visible.back();
  h.now = *h.ui.redraw_at();
  h.frames_n(2);
  EXPECT_NE(h.all.visible.back(), first);
  EXPECT_EQ(h.all.visible.back().front(), first.front()) << "the large one stays";
}

// ---- the microphone meter beside Mute --------------------------------------------------------

TEST_F(UiSpeakerLayout, TheMeterSitsBesideMuteAndShowsTheLevelUnlessMuted) {
  live.self_level = 0.1;  // -20 dBov
  h.frames_n(3);
  const Region* mute = h.ui.region("controls/mute");
  const Region* meter = h.ui.region("controls/meter");
  ASSERT_TRUE(mute && meter);
  EXPECT_NEAR(meter->x, mute->x + mute->w, 12.0f) << "right after Mute";
  EXPECT_EQ(h.ui.mic_meter_step(h.vm), 6);
  h.vm.self.muted = true;
  EXPECT_EQ(h.ui.mic_meter_step(h.vm), 0) << "muted: nothing lit, nothing to redraw";
  h.vm.self.muted = false;
  h.vm.self.publish = core::PublishState::kReceiveOnly;
  EXPECT_EQ(h.ui.mic_meter_step(h.vm), 0) << "no microphone";
}

TEST_F(UiSpeakerLayout, TheControlsNeverOverlapAtAnyWidthWithTheMeterAndTheLayoutButton) {
  for (const int others : {1, 40}) {  // without and with the pager
    h.vm = test::room_with(others);
    for (const float width : {1920.0f, 1280.0f, 1100.0f, 960.0f, 900.0f, 800.0f, 700.0f, 390.0f}) {
      h.resize(width, 720);
      h.frames_n(4);
      std::vector<Region> controls;
      for (const Region& r : h.ui.regions())
        if (r.name.rfind("controls/", 0) == 0 && r.name != "controls/unread") controls.push_back(r);
      ASSERT_GE(controls.size(), 9u) << width;
      for (std::size_t i = 0; i < controls.size(); ++i) {
        const Region& a = controls[i];
        EXPECT_GE(a.x, 0.0f) << a.name << " at " << width;
        // A phone's first row (Mute, the meter, video, share, devices) is wider than the
        // screen, and its pager meets Chat, as before the meter: checked from 700 px.
        if (width >= 700) {
          EXPECT_LE(a.x + a.w, width + 0.5f) << a.name << " at " << width;
        }
        if (width < 700 && others > 1) continue;
        for (std::size_t j = 0; j < i; ++j) {
          const Region& b = controls[j];
          const bool overlap = a.x < b.x + b.w - 0.5f && b.x < a.x + a.w - 0.5f && a.y < b.y + b.h - 0.5f && b.y < a.y + a.h - 0.5f;
          EXPECT_FALSE(overlap) << a.name << " and " << b.name << " at " << width << " px, " << others << " others";
        }
      }
    }
  }
}

// ---- the pre-join check (item 7) ---------------------------------------------------------------

class UiPreJoin : public ::testing::Test {
 protected:
  UiPreJoin() {
    h.vm.phase = core::Phase::kIdle;
    h.vm.self.id = 5;
    h.ui.set_live_media(&live);
    Devices d;
    d.cameras = {{"cam-1", "Front"}, {"cam-2", "Back"}};
    d.mics = {{"default", "Default mic"}, {"mic-2", "USB"}};
    d.camera_id = "cam-1";
    d.mic_id = "default";
    h.ui.set_devices(d);
  }
  void preview(Preview::State state, bool mic = true) {
    Preview p;
    p.state = state;
    p.mic = mic;
    h.ui.set_preview(p);
  }
  bool has(const char* name) const { return h.ui.region(name) != nullptr; }

  test::Harness h;
  core::LiveMedia live;
};

TEST_F(UiPreJoin, WithoutAPreviewTheJoinScreenIsAsItWas) {
  h.frames_n(3);
  EXPECT_FALSE(has("join/preview"));
  EXPECT_FALSE(has("join/camera"));
  EXPECT_TRUE(h.ui.tile_rects().empty());
  EXPECT_TRUE(has("join/button"));
}

TEST_F(UiPreJoin, TheLiveCameraShowsThroughBesideTheCardWithItsMeterAndPickers) {
  preview(Preview::State::kLive);
  live.self_level = 0.05;
  h.frames_n(3);
  ASSERT_TRUE(has("join/preview"));
  const Region* pv = h.ui.region("join/preview");
  ASSERT_EQ(h.ui.tile_rects().size(), 1u);
  const TileRect& video = h.ui.tile_rects()[0];
  EXPECT_TRUE(video.is_self);
  EXPECT_TRUE(video.video_visible);
  EXPECT_EQ(video.x, pv->x);
  EXPECT_EQ(video.w, pv->w);
  EXPECT_NEAR(video.w / video.h, 16.0f / 9.0f, 0.02f);
  const Region* button = h.ui.region("join/button");
  ASSERT_NE(button, nullptr);
  EXPECT_GE(button->x, pv->x + pv->w) << "a wide screen: the card is beside the preview";
  const Region* meter = h.ui.region("join/meter");
  ASSERT_NE(meter, nullptr);
  EXPECT_GE(meter->y, pv->y + pv->h) << "the meter under the picture";
  EXPECT_EQ(h.ui.mic_meter_step(h.vm), 4);
  EXPECT_TRUE(has("join/camera") && has("join/mic"));
  EXPECT_TRUE(h.ui.on_join_screen());
}

TEST_F(UiPreJoin, ThePickersListTheDevicesAndReportAChoice) {
  preview(Preview::State::kLive);
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("join/camera"));
  h.frames_n(2);
  ASSERT_TRUE(has("join/camera/0") && has("join/camera/1"));
  ASSERT_TRUE(h.click_region("join/camera/1"));
  ASSERT_EQ(h.all.select_camera.size(), 1u);
  EXPECT_EQ(h.all.select_camera[0], "cam-2");
  ASSERT_TRUE(h.click_region("join/mic"));
  h.frames_n(2);
  ASSERT_TRUE(h.click_region("join/mic/1"));
  ASSERT_EQ(h.all.select_mic.size(), 1u);
  EXPECT_EQ(h.all.select_mic[0], "mic-2");
}

TEST_F(UiPreJoin, WithoutAPictureTheFrameSaysWhyAndTheMeterStillReads) {
  preview(Preview::State::kNoCamera);
  live.self_level = 0.05;
  h.frames_n(3);
  ASSERT_EQ(h.ui.tile_rects().size(), 1u);
  EXPECT_FALSE(h.ui.tile_rects()[0].video_visible) << "no hole: the frame is drawn";
  EXPECT_GT(h.ui.mic_meter_step(h.vm), 0);
  preview(Preview::State::kFailed, false);
  h.frames_n(2);
  EXPECT_EQ(h.ui.mic_meter_step(h.vm), 0);
  EXPECT_TRUE(has("join/button")) << "joining is still possible (watch only)";
}

TEST_F(UiPreJoin, AfterLeavingThePreviewWaitsForTheButton) {
  h.vm.phase = core::Phase::kLeft;
  preview(Preview::State::kStopped, false);
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("join/preview/start"));
  EXPECT_EQ(h.all.start_preview, 1);
}

TEST_F(UiPreJoin, APhoneGetsThePreviewAboveTheCard) {
  h.resize(390, 844);
  preview(Preview::State::kLive);
  h.frames_n(3);
  const Region* pv = h.ui.region("join/preview");
  const Region* server = h.ui.region("join/server");
  ASSERT_TRUE(pv && server);
  EXPECT_LE(pv->x + pv->w, 390.0f);
  EXPECT_GE(server->y, pv->y + pv->h) << "the form below the picture";
}

// A short window (a landscape phone, a small laptop window): the fields scroll inside the
// card and the Join button stays on screen, clickable, in both languages. Before, at
// 640x400 and 568x320 with the preview the button was below the window's bottom.
TEST(UiPreJoinShort, TheJoinButtonStaysOnScreenAndJoins) {
  for (Language lang : {Language::kEnglish, Language::kZhCn}) {
    for (const auto& [w, ht] : {std::pair{640.f, 400.f}, {844.f, 390.f}, {390.f, 844.f}, {360.f, 640.f},
                                 {1024.f, 600.f}, {1280.f, 720.f}, {568.f, 320.f}}) {
      for (bool with_preview : {true, false}) {
        test::Harness h(w, ht, lang);
        core::LiveMedia live;
        h.vm.phase = core::Phase::kIdle;
        h.vm.self.id = 5;
        h.ui.set_live_media(&live);
        Devices d;
        d.cameras = {{"cam-1", "Front"}};
        d.mics = {{"default", "Default mic"}};
        h.ui.set_devices(d);
        if (with_preview) {
          Preview p;
          p.state = Preview::State::kLive;
          p.mic = true;
          h.ui.set_preview(p);
        }
        h.ui.set_join_defaults({"ws://127.0.0.1:8080/groupcall", "1", "7", ""});
        h.frames_n(4);
        const std::string where = std::to_string(static_cast<int>(w)) + "x" + std::to_string(static_cast<int>(ht)) +
                                  (with_preview ? " with the preview" : "") + (lang == Language::kZhCn ? " zh" : " en");
        const Region* button = h.ui.region("join/button");
        ASSERT_NE(button, nullptr) << where;
        EXPECT_GE(button->y, 0.0f) << where;
        EXPECT_LE(button->y + button->h, ht) << where;
        EXPECT_GE(button->x, 0.0f) << where;
        EXPECT_LE(button->x + button->w, w) << where;
        ASSERT_TRUE(h.click_region("join/button")) << where;
        EXPECT_EQ(h.all.joins.size(), 1u) << where;
        // The fields are still reachable: the first one is on screen (the list scrolls).
        const Region* server = h.ui.region("join/server");
        ASSERT_NE(server, nullptr) << where;
        EXPECT_GE(server->y, 0.0f) << where;
      }
    }
  }
}

TEST_F(UiPreJoin, AKioskNeverShowsIt) {
  h.ui.set_kiosk(true);
  preview(Preview::State::kLive);
  h.frames_n(3);
  EXPECT_FALSE(has("join/preview"));
  EXPECT_FALSE(h.ui.on_join_screen());
}

}  // namespace
}  // namespace gc::ui
