// build_tiles and page_sets (src/ui/tiles.hpp): the grid's content and its subscription sets,
// as pure functions of the view model.
#include <gtest/gtest.h>

#include <algorithm>

#include "ui/tiles.hpp"
#include "ui/widgets.hpp"

namespace gc::ui {
namespace {

core::ViewModel room(int others) {
  core::ViewModel vm;
  vm.phase = core::Phase::kInRoom;
  vm.self.id = 1;
  vm.self.publish = core::PublishState::kLive;
  vm.self.media_ready = true;
  for (int i = 0; i < others; ++i) {
    core::ParticipantView p;
    p.id = static_cast<UserId>(100 + i);
    p.name = "p" + std::to_string(i);
    p.tile = core::TileState::kLive;
    vm.participants.push_back(p);
  }
  return vm;
}

std::vector<Tile> tiles_of(const core::ViewModel& vm, bool kiosk = false) {
  return build_tiles(vm, kiosk, "You", [](UserId id) { return "#" + std::to_string(id); });
}

TEST(BuildTiles, SelfFirstThenJoinOrderWithNames) {
  const auto t = tiles_of(room(3));
  ASSERT_EQ(t.size(), 4u);
  EXPECT_TRUE(t[0].is_self);
  EXPECT_EQ(t[0].name, "You");
  EXPECT_EQ(t[1].id, 100u);
  EXPECT_EQ(t[3].id, 102u);
  EXPECT_EQ(t[2].name, "#101");
  EXPECT_TRUE(t[1].video);
  EXPECT_EQ(t[1].state, StringId::kTileLive);
  EXPECT_EQ(t[1].dot, colors::kGood);
}

TEST(BuildTiles, AReceiveOnlyClientHasNoSelfTileAndAKioskOnlyWhilePublishing) {
  core::ViewModel vm = room(2);
  vm.self.publish = core::PublishState::kReceiveOnly;
  EXPECT_FALSE(tiles_of(vm)[0].is_self);
  EXPECT_FALSE(tiles_of(vm, true)[0].is_self);
  vm.self.publish = core::PublishState::kNone;
  EXPECT_TRUE(tiles_of(vm)[0].is_self);
  EXPECT_FALSE(tiles_of(vm, true)[0].is_self) << "a kiosk that never asked to publish shows no self tile";
  vm.self.publish = core::PublishState::kFailed;
  EXPECT_TRUE(tiles_of(vm, true)[0].is_self);
}

TEST(BuildTiles, EachTileStateHasItsBadgeAndFlags) {
  core::ViewModel vm = room(4);
  vm.participants[0].tile = core::TileState::kFailed;
  vm.participants[1].tile = core::TileState::kCapped;
  vm.participants[2].tile = core::TileState::kRetrying;
  vm.participants[2].retry_at = 5000;
  vm.participants[3].tile = core::TileState::kPaused;
  const auto t = tiles_of(vm);
  EXPECT_TRUE(t[1].failed);
  EXPECT_EQ(t[1].dot, colors::kBad);
  EXPECT_TRUE(t[2].capped);
  EXPECT_EQ(t[2].state, StringId::kTileCapped);
  EXPECT_FALSE(t[2].video);
  EXPECT_EQ(t[3].state, StringId::kTileReconnecting);
  EXPECT_EQ(t[3].retry_at, std::optional<Millis>(5000));
  EXPECT_EQ(t[4].state, StringId::kTilePaused);
}

TEST(BuildTiles, WhileTheRoomReconnectsNoTileClaimsVideoButFailedOnesStayFailed) {
  core::ViewModel vm = room(2);
  vm.participants[1].tile = core::TileState::kFailed;
  vm.phase = core::Phase::kReconnecting;
  const auto t = tiles_of(vm);
  EXPECT_FALSE(t[1].video);
  EXPECT_EQ(t[1].state, StringId::kTileReconnecting);
  EXPECT_EQ(t[2].state, StringId::kTileFailed);
}

TEST(BuildTiles, SelfMutedAndCameraOff) {
  core::ViewModel vm = room(0);
  vm.self.muted = true;
  vm.self.camera_off = true;
  const auto t = tiles_of(vm);
  EXPECT_TRUE(t[0].muted);
  EXPECT_TRUE(t[0].camera_off);
  EXPECT_FALSE(t[0].video);
}

// A layout where everyone is a small tile: 4 per page on a 400 x 300 canvas.
core::LayoutParams params_for(std::size_t count, std::size_t page) {
  core::LayoutParams p;
  p.canvas_width = 400;
  p.canvas_height = 300;
  p.tile_count = count;
  p.min_tile_width = 190;
  p.page = page;
  return p;
}

TEST(PageSets, TheVisibleSetIsThePageWithoutSelfAndThePrefetchTheNextPage) {
  const auto tiles = tiles_of(room(9));
  const core::LayoutParams p = params_for(tiles.size(), 0);
  const core::TileLayout layout = core::compute_layout(p);
  ASSERT_GT(layout.page_count, 1u);
  const PageSets s = page_sets(tiles, p, layout, false);
  EXPECT_EQ(s.visible.size(), layout.rects.size() - 1) << "self is on the first page but never in the set";
  EXPECT_EQ(s.visible.front(), 100u);
  ASSERT_FALSE(s.prefetch.empty());
  EXPECT_EQ(s.prefetch.front(), tiles[layout.rects.size()].id);
  for (UserId id : s.prefetch)
    EXPECT_EQ(std::count(s.visible.begin(), s.visible.end(), id), 0) << id;
}

TEST(PageSets, TheLastPagePrefetchesNothingButTheKioskWrapsToTheFirst) {
  const auto tiles = tiles_of(room(9));
  core::LayoutParams p = params_for(tiles.size(), 0);
  p.page = core::compute_layout(p).page_count - 1;
  const core::TileLayout last = core::compute_layout(p);
  EXPECT_TRUE(page_sets(tiles, p, last, false).prefetch.empty());
  const PageSets kiosk = page_sets(tiles, p, last, true);
  ASSERT_FALSE(kiosk.prefetch.empty());
  EXPECT_EQ(kiosk.prefetch.front(), 100u) << "page 1 again, self excluded";
}

TEST(PageSets, OnePageHasNoPrefetch) {
  const auto tiles = tiles_of(room(2));
  core::LayoutParams p = params_for(tiles.size(), 0);
  p.canvas_width = 1200;  // room for all three
  p.canvas_height = 800;
  ASSERT_EQ(core::compute_layout(p).page_count, 1u);
  const PageSets s = page_sets(tiles, p, core::compute_layout(p), true);
  EXPECT_EQ(s.visible, (std::vector<UserId>{100, 101}));
  EXPECT_TRUE(s.prefetch.empty());
}

}  // namespace
}  // namespace gc::ui
