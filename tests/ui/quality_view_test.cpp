// The speaking ring and the quality badge and panel (issue 13 items 2, 3; ui/quality_view.cpp)
// driven through the headless harness: the badge is a clickable region, the panel opens and
// closes, the kiosk hides the badges.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace gc::ui {
namespace {

constexpr Millis kQualityT0 = 1'700'000'000'000;

core::ViewModel quality_room(int others) {
  core::ViewModel vm;
  vm.phase = core::Phase::kInRoom;
  vm.room = 1;
  vm.self.id = 1;
  vm.self.publish = core::PublishState::kLive;
  vm.self.media_ready = true;
  for (int i = 0; i < others; ++i) {
    core::ParticipantView p;
    p.id = static_cast<UserId>(2 + i);
    p.name = "p" + std::to_string(i);
    p.tile = core::TileState::kLive;
    p.visible = true;
    vm.participants.push_back(p);
  }
  return vm;
}

// Two seconds of a receive connection at 250 kbit/s, 15 fps, 320x240.
void measure_link(core::QualityMeter& meter) {
  core::StatsSample s;
  s.packets_lost = 0;
  s.fps = 15;
  s.width = 320;
  s.height = 240;
  s.rtt_s = 0.02;
  for (int i = 0; i < 3; ++i) {
    s.bytes = 31250.0 * i;
    s.packets_received = 30.0 * i;
    meter.sample(s, kQualityT0 + i * 1000);
  }
}

class UiQuality : public ::testing::Test {
 protected:
  UiQuality() {
    h.vm = quality_room(3);
    h.now = kQualityT0 + 3000;
    measure_link(live.quality[2]);
    measure_link(live.self);
    h.ui.set_live_media(&live);
  }
  bool has(const std::string& name) const { return h.ui.region(name) != nullptr; }

  test::Harness h;
  core::LiveMedia live;
};

TEST_F(UiQuality, EveryTileHasABadgeThatOpensItsPanelAndCloses) {
  h.frames_n(3);
  EXPECT_TRUE(has("tile/2/quality"));
  EXPECT_TRUE(has("tile/3/quality")) << "unmeasured: grey bars, still there";
  EXPECT_TRUE(has("tile/self/quality"));
  EXPECT_FALSE(has("quality/panel"));
  EXPECT_FALSE(h.ui.quality_panel_open());
  ASSERT_TRUE(h.click_region("tile/2/quality"));
  EXPECT_TRUE(h.ui.quality_panel_open());
  h.frames_n(2);
  ASSERT_TRUE(has("quality/panel"));
  // On screen, below the badge.
  const Region* panel = h.ui.region("quality/panel");
  const Region* badge = h.ui.region("tile/2/quality");
  EXPECT_GE(panel->y, badge->y + badge->h);
  EXPECT_GE(panel->x, 0);
  EXPECT_LE(panel->x + panel->w, 1280);
  ASSERT_TRUE(h.click_region("quality/close"));
  EXPECT_FALSE(h.ui.quality_panel_open());
  h.frame();
  EXPECT_FALSE(has("quality/panel"));
}

TEST_F(UiQuality, TheBadgeTogglesAndAnotherBadgeSwitchesThePanel) {
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("tile/2/quality"));
  ASSERT_TRUE(h.click_region("tile/self/quality"));
  EXPECT_TRUE(h.ui.quality_panel_open()) << "now your own stream's";
  ASSERT_TRUE(h.click_region("tile/self/quality"));
  EXPECT_FALSE(h.ui.quality_panel_open());
}

TEST_F(UiQuality, ThePanelClosesWhenItsParticipantLeaves) {
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("tile/3/quality"));
  h.frames_n(2);
  EXPECT_TRUE(has("quality/panel")) << "unmeasured: 'no measurements yet'";
  h.vm.participants.pop_back();
  h.vm.participants.pop_back();
  h.frames_n(2);
  EXPECT_FALSE(h.ui.quality_panel_open());
  EXPECT_FALSE(has("quality/panel"));
}

TEST_F(UiQuality, TheKioskHidesTheBadges) {
  h.ui.set_kiosk(true);
  h.frames_n(3);
  EXPECT_FALSE(has("tile/2/quality"));
  EXPECT_FALSE(has("tile/self/quality"));
}

TEST_F(UiQuality, WithoutLiveMediaThereAreNoBadges) {
  h.ui.set_live_media(nullptr);
  h.frames_n(3);
  EXPECT_FALSE(has("tile/2/quality"));
}

TEST_F(UiQuality, ThePanelIsTranslated) {
  h.ui.set_language(Language::kZhCn);
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("tile/2/quality"));
  h.frames_n(2);
  EXPECT_TRUE(has("quality/panel"));
  EXPECT_STRNE(text(Language::kZhCn, StringId::kQualityBitrate), text(Language::kEnglish, StringId::kQualityBitrate));
}

}  // namespace
}  // namespace gc::ui
