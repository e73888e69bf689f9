// The speaking ring and the quality badge and panel (issue 13 items 2, 3; ui/quality_view.cpp)
// driven through the headless harness: the badge is a clickable region, the panel opens and
// closes, the kiosk hides the badges.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace gc::ui {
namespace {

constexpr Millis kQualityT0 = 1'700'000'000'000;

// Two seconds of a receive connection at 250 kbit/s, 15 fps, 320x240.
void measure_link(core::QualityMeter& meter) {
  for (int i = 0; i < 3; ++i) {
    // bytes, packets received and lost, fps, width, height, jitter, RTT (s)
    meter.sample(core::StatsSample{31250.0 * i, 30.0 * i, 0.0, 15.0, 320.0, 240.0, std::nullopt, 0.02, ""},
                 kQualityT0 + i * 1000);
  }
}

class UiQuality : public ::testing::Test {
 protected:
  UiQuality() {
    h.vm = test::room_with(3);
    h.now = kQualityT0 + 3000;
    measure_link(live.quality[100]);
    measure_link(live.self);
    h.ui.set_live_media(&live);
  }
  bool has(const std::string& name) const { return h.ui.region(name) != nullptr; }

  test::Harness h;
  core::LiveMedia live;
};

TEST_F(UiQuality, EveryTileHasABadgeThatOpensItsPanelAndCloses) {
  h.frames_n(3);
  EXPECT_TRUE(has("tile/100/quality"));
  EXPECT_TRUE(has("tile/101/quality")) << "unmeasured: grey bars, still there";
  EXPECT_TRUE(has("tile/self/quality"));
  EXPECT_FALSE(has("quality/panel"));
  EXPECT_FALSE(h.ui.quality_panel_open());
  ASSERT_TRUE(h.click_region("tile/100/quality"));
  EXPECT_TRUE(h.ui.quality_panel_open());
  h.frames_n(2);
  ASSERT_TRUE(has("quality/panel"));
  // On screen, below the badge.
  const Region* panel = h.ui.region("quality/panel");
  const Region* badge = h.ui.region("tile/100/quality");
  EXPECT_GE(panel->y, badge->y + badge->h);
  EXPECT_GE(panel->x, 0);
  EXPECT_LE(panel->x + panel->w, 1280);
  ASSERT_TRUE(h.click_region("quality/close"));
  EXPECT_FALSE(h.ui.quality_panel_open());
  h.frame();
  EXPECT_FALSE(has("quality/panel"));
}

// Esc closes it like every other popup (issue 14: keyboard only).
TEST_F(UiQuality, EscClosesThePanel) {
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("tile/100/quality"));
  h.frames_n(2);
  ASSERT_TRUE(has("quality/panel"));
  h.key(ImGuiKey_Escape);
  EXPECT_FALSE(h.ui.quality_panel_open());
  h.frame();
  EXPECT_FALSE(has("quality/panel"));
}

TEST_F(UiQuality, TheBadgeTogglesAndAnotherBadgeSwitchesThePanel) {
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("tile/100/quality"));
  ASSERT_TRUE(h.click_region("tile/self/quality"));
  EXPECT_TRUE(h.ui.quality_panel_open()) << "now your own stream's";
  ASSERT_TRUE(h.click_region("tile/self/quality"));
  EXPECT_FALSE(h.ui.quality_panel_open());
}

TEST_F(UiQuality, ThePanelClosesWhenItsParticipantLeaves) {
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("tile/101/quality"));
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
  EXPECT_FALSE(has("tile/100/quality"));
  EXPECT_FALSE(has("tile/self/quality"));
}

TEST_F(UiQuality, WithoutLiveMediaThereAreNoBadges) {
  h.ui.set_live_media(nullptr);
  h.frames_n(3);
  EXPECT_FALSE(has("tile/100/quality"));
}

TEST_F(UiQuality, TheGridTurnsToANewActiveSpeakerOffThePageOnceAndTheUserMayPageAway) {
  h.vm = test::room_with(40);  // two pages at 1280x720
  h.frames_n(3);
  ASSERT_TRUE(h.ui.region("controls/page_next"));
  EXPECT_TRUE(h.all.pages.empty());
  live.speakers.sample(135, 0.3, h.now);  // the 37th tile: page 2
  live.speakers.update(h.now);
  h.frames_n(2);
  ASSERT_FALSE(h.all.pages.empty());
  EXPECT_EQ(h.all.pages.back(), 1u);
  ASSERT_TRUE(h.click_region("controls/page_prev"));
  h.frames_n(3);
  EXPECT_EQ(h.all.pages.back(), 0u) << "the same speaker does not pull the page back";
  // Nobody speaking: the active speaker stays, so does the page.
  live.speakers.sample(135, 0.0, h.now + 5000);
  live.speakers.update(h.now + 5000);
  h.frames_n(3);
  EXPECT_EQ(h.all.pages.back(), 0u);
}

TEST_F(UiQuality, ThePanelIsTranslated) {
  h.ui.set_language(Language::kZhCn);
  h.frames_n(3);
  ASSERT_TRUE(h.click_region("tile/100/quality"));
  h.frames_n(2);
  EXPECT_TRUE(has("quality/panel"));
  EXPECT_STRNE(text(Language::kZhCn, StringId::kQualityBitrate), text(Language::kEnglish, StringId::kQualityBitrate));
}

}  // namespace
}  // namespace gc::ui
