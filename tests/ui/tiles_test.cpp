// build_tiles and page_sets (src/ui/tiles.hpp): the grid's content and its subscription sets,
// as pure functions of the view model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

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
  EXPECT_EQ(t[1].dot, colors::good());
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
  EXPECT_EQ(t[1].dot, colors::bad());
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
core::LayoutParams params_for(std::size_t count, std::size_t page, float width = 400, float height = 300,
                              float min_tile_width = 190) {
  core::LayoutParams p;
  p.canvas_width = width;
  p.canvas_height = height;
  p.tile_count = count;
  p.min_tile_width = min_tile_width;
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

// ---- arrange: the grid, or a pinned tile above a filmstrip (issue 13 item 4) -----------------

core::LayoutParams wide(std::size_t count) { return params_for(count, 0, 1280, 720, 160); }

bool inside(const core::Rect& r, const core::LayoutParams& p) {
  return r.x >= 0 && r.y >= 0 && r.x + r.w <= p.canvas_width + 0.01f && r.y + r.h <= p.canvas_height + 0.01f;
}

bool overlap(const core::Rect& a, const core::Rect& b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

TEST(Arrange, WithoutAPinOrWithAnUnknownOneItIsTheGrid) {
  const auto tiles = tiles_of(room(9));
  const core::LayoutParams p = params_for(tiles.size(), 1);
  const core::TileLayout layout = core::compute_layout(p);
  for (const std::optional<UserId> pin : {std::optional<UserId>(), std::optional<UserId>(999)}) {
    const Arrangement a = arrange(tiles, p, false, pin);
    ASSERT_EQ(a.placed.size(), layout.rects.size());
    for (std::size_t i = 0; i < a.placed.size(); ++i) {
      EXPECT_EQ(a.placed[i].index, layout.first_tile + i);
      EXPECT_EQ(a.placed[i].rect, layout.rects[i]);
      EXPECT_FALSE(a.placed[i].pinned);
    }
    EXPECT_EQ(a.page, layout.page);
    EXPECT_EQ(a.page_count, layout.page_count);
    const PageSets sets = page_sets(tiles, p, layout, false);
    EXPECT_EQ(a.sets.visible, sets.visible);
    EXPECT_EQ(a.sets.prefetch, sets.prefetch);
  }
}

TEST(Arrange, ThePinnedTileIsLargeAboveAFilmstripOfTheOthers) {
  const auto tiles = tiles_of(room(4));  // self + 100..103
  const core::LayoutParams p = wide(tiles.size());
  const Arrangement a = arrange(tiles, p, false, 102);
  ASSERT_EQ(a.placed.size(), 5u);
  EXPECT_EQ(a.page_count, 1u);
  const PlacedTile& big = a.placed[0];
  EXPECT_TRUE(big.pinned);
  EXPECT_EQ(tiles[big.index].id, 102u);
  EXPECT_GT(big.rect.h, p.canvas_height * 0.6f);
  EXPECT_NEAR(big.rect.w / big.rect.h, 16.0f / 9.0f, 0.01f);
  for (std::size_t i = 1; i < a.placed.size(); ++i) {
    const core::Rect& r = a.placed[i].rect;
    EXPECT_FALSE(a.placed[i].pinned);
    EXPECT_FLOAT_EQ(r.h, a.placed[1].rect.h) << "one row";
    EXPECT_GE(r.y, big.rect.y + big.rect.h) << "below the pinned tile";
    EXPECT_TRUE(inside(r, p));
    for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(overlap(r, a.placed[j].rect)) << i << " " << j;
  }
  EXPECT_TRUE(a.placed[1].index == 0 && tiles[0].is_self) << "the others keep their order, self first";
  EXPECT_EQ(a.sets.visible, (std::vector<UserId>{102, 100, 101, 103})) << "the pinned one first, never self";
  EXPECT_TRUE(a.sets.prefetch.empty());
}

TEST(Arrange, APinnedParticipantTheGridWouldPageAwayIsVisibleSoSubscribed) {
  const auto tiles = tiles_of(room(40));
  const core::LayoutParams p = wide(tiles.size());
  ASSERT_GT(core::compute_layout(p).page_count, 1u);
  const UserId last = tiles.back().id;
  const PageSets grid = page_sets(tiles, p, core::compute_layout(p), false);
  ASSERT_EQ(std::count(grid.visible.begin(), grid.visible.end(), last), 0);
  const Arrangement a = arrange(tiles, p, false, last);
  EXPECT_EQ(a.sets.visible.front(), last);
  EXPECT_EQ(std::count(a.sets.prefetch.begin(), a.sets.prefetch.end(), last), 0) << "not twice";
}

TEST(Arrange, AFilmstripThatDoesNotFitIsPagedAndItsNextPagePrefetched) {
  const auto tiles = tiles_of(room(20));
  core::LayoutParams p = wide(tiles.size());
  const Arrangement first = arrange(tiles, p, false, 105);
  ASSERT_GT(first.page_count, 1u);
  const std::size_t per_strip = first.placed.size() - 1;
  EXPECT_GE(per_strip, 4u);
  EXPECT_EQ(first.sets.prefetch.size(), per_strip);
  for (UserId id : first.sets.prefetch)
    EXPECT_EQ(std::count(first.sets.visible.begin(), first.sets.visible.end(), id), 0) << id;
  p.page = 99;  // clamped to the last strip
  const Arrangement last = arrange(tiles, p, false, 105);
  EXPECT_EQ(last.page, last.page_count - 1);
  EXPECT_TRUE(last.sets.prefetch.empty());
  EXPECT_EQ(last.sets.visible.front(), 105u) << "the pinned tile stays on every strip page";
  EXPECT_TRUE(arrange(tiles, p, true, 105).sets.prefetch.size() > 0) << "a kiosk's strip wraps";
}

TEST(Arrange, PinningYourselfShowsYouLargeButNeverAsksToSubscribeToYou) {
  const auto tiles = tiles_of(room(2));
  const Arrangement a = arrange(tiles, wide(tiles.size()), false, 1);
  ASSERT_TRUE(a.placed[0].pinned);
  EXPECT_TRUE(tiles[a.placed[0].index].is_self);
  EXPECT_EQ(a.sets.visible, (std::vector<UserId>{100, 101}));
}

TEST(Arrange, APinnedTileAloneFillsTheArea) {
  const auto tiles = tiles_of(room(0));
  const core::LayoutParams p = wide(tiles.size());
  const Arrangement a = arrange(tiles, p, false, 1);
  ASSERT_EQ(a.placed.size(), 1u);
  EXPECT_FLOAT_EQ(a.placed[0].rect.h, p.canvas_height - 2 * p.margin);
}

TEST(Arrange, ATinyOrBrokenCanvasGivesNoNaN) {
  const auto tiles = tiles_of(room(5));
  core::LayoutParams p = wide(tiles.size());
  for (float w : {0.0f, 3.0f, -10.0f, std::numeric_limits<float>::quiet_NaN()}) {
    p.canvas_width = w;
    p.canvas_height = w;
    for (const PlacedTile& t : arrange(tiles, p, false, 101).placed) {
      EXPECT_TRUE(std::isfinite(t.rect.x) && std::isfinite(t.rect.y) && std::isfinite(t.rect.w) && std::isfinite(t.rect.h));
      EXPECT_GE(t.rect.w, 0.0f);
    }
  }
}

// ---- the speaker layout (issue 13 item 2) ----------------------------------------------------

RoomView speaker_view(std::optional<UserId> speaker, std::optional<UserId> pinned = std::nullopt) {
  return RoomView{core::ViewLayout::kSpeaker, pinned, speaker};
}

TEST(LargeTile, TheGridHasNoneUnlessSomethingIsPinned) {
  const auto tiles = tiles_of(room(3));
  EXPECT_EQ(large_tile(tiles, RoomView{}), std::nullopt);
  EXPECT_EQ(large_tile(tiles, RoomView{core::ViewLayout::kGrid, std::nullopt, 101}), std::nullopt)
      << "an active speaker alone does not change the grid";
  EXPECT_EQ(large_tile(tiles, RoomView{core::ViewLayout::kGrid, 102, 101}), std::optional<std::size_t>(3));
}

TEST(LargeTile, TheSpeakerLayoutShowsTheActiveSpeakerAndAPinOutranksThem) {
  const auto tiles = tiles_of(room(3));  // self, 100, 101, 102
  EXPECT_EQ(large_tile(tiles, speaker_view(101)), std::optional<std::size_t>(2));
  EXPECT_EQ(large_tile(tiles, speaker_view(101, 102)), std::optional<std::size_t>(3)) << "the pin wins";
  EXPECT_EQ(large_tile(tiles, speaker_view(101, 1)), std::optional<std::size_t>(0)) << "a pinned self too";
  EXPECT_EQ(large_tile(tiles, speaker_view(101, 999)), std::optional<std::size_t>(2))
      << "a pin on someone who left counts as none";
}

TEST(LargeTile, BeforeAnyoneSpeaksTheFirstOtherParticipantAndAloneYourself) {
  EXPECT_EQ(large_tile(tiles_of(room(3)), speaker_view(std::nullopt)), std::optional<std::size_t>(1))
      << "100, the first to have joined: never an empty large slot";
  EXPECT_EQ(large_tile(tiles_of(room(3)), speaker_view(555)), std::optional<std::size_t>(1)) << "the speaker left";
  EXPECT_EQ(large_tile(tiles_of(room(3)), speaker_view(1)), std::optional<std::size_t>(1))
      << "your own voice never makes you the speaker";
  EXPECT_EQ(large_tile(tiles_of(room(0)), speaker_view(std::nullopt)), std::optional<std::size_t>(0)) << "alone";
  core::ViewModel receive_only = room(2);
  receive_only.self.publish = core::PublishState::kReceiveOnly;
  EXPECT_EQ(large_tile(tiles_of(receive_only), speaker_view(std::nullopt)), std::optional<std::size_t>(0))
      << "no self tile: 100 is the first tile";
  EXPECT_EQ(large_tile({}, speaker_view(std::nullopt)), std::nullopt) << "no tiles: nothing large";
}

TEST(ArrangeSpeaker, TheActiveSpeakerIsLargeAboveAFilmstripOfEveryoneElseInTheirOrder) {
  const auto tiles = tiles_of(room(4));  // self + 100..103
  const core::LayoutParams p = wide(tiles.size());
  const Arrangement a = arrange(tiles, p, false, speaker_view(102));
  ASSERT_EQ(a.placed.size(), 5u);
  EXPECT_TRUE(a.placed[0].large);
  EXPECT_FALSE(a.placed[0].pinned) << "large as the speaker, not pinned: no Pinned badge";
  EXPECT_EQ(tiles[a.placed[0].index].id, 102u);
  EXPECT_GT(a.placed[0].rect.h, p.canvas_height * 0.6f);
  std::vector<UserId> strip;
  for (std::size_t i = 1; i < a.placed.size(); ++i) {
    EXPECT_FALSE(a.placed[i].large);
    EXPECT_GE(a.placed[i].rect.y, a.placed[0].rect.y + a.placed[0].rect.h);
    strip.push_back(tiles[a.placed[i].index].id);
  }
  EXPECT_EQ(strip, (std::vector<UserId>{1, 100, 101, 103}));
  EXPECT_EQ(a.sets.visible, (std::vector<UserId>{102, 100, 101, 103})) << "what is on screen is subscribed";
  EXPECT_TRUE(a.sets.prefetch.empty());
}

TEST(ArrangeSpeaker, ThePinnedTileTakesTheLargeSlotAndTheSpeakerGoesToTheFilmstrip) {
  const auto tiles = tiles_of(room(4));
  const Arrangement a = arrange(tiles, wide(tiles.size()), false, speaker_view(102, 100));
  EXPECT_EQ(tiles[a.placed[0].index].id, 100u);
  EXPECT_TRUE(a.placed[0].pinned && a.placed[0].large);
  EXPECT_EQ(std::count(a.sets.visible.begin(), a.sets.visible.end(), 102u), 1) << "the speaker stays on screen";
}

TEST(ArrangeSpeaker, AFullFilmstripIsPagedItsNextPagePrefetchedAndTheKioskWraps) {
  const auto tiles = tiles_of(room(30));
  core::LayoutParams p = wide(tiles.size());
  const Arrangement first = arrange(tiles, p, false, speaker_view(120));
  ASSERT_GT(first.page_count, 1u);
  EXPECT_EQ(first.sets.visible.front(), 120u);
  const std::size_t per_strip = first.placed.size() - 1;
  EXPECT_EQ(first.sets.prefetch.size(), per_strip);
  for (UserId id : first.sets.prefetch) {
    EXPECT_EQ(std::count(first.sets.visible.begin(), first.sets.visible.end(), id), 0) << id;
    EXPECT_NE(id, 120u) << "the large one is not in the strip";
  }
  p.page = first.page_count - 1;
  const Arrangement last = arrange(tiles, p, false, speaker_view(120));
  EXPECT_EQ(last.page, first.page_count - 1);
  EXPECT_TRUE(last.sets.prefetch.empty());
  EXPECT_EQ(last.sets.visible.front(), 120u) << "the speaker stays large on every strip page";
  EXPECT_FALSE(arrange(tiles, p, true, speaker_view(120)).sets.prefetch.empty()) << "a kiosk's strip wraps";
}

TEST(ArrangeSpeaker, SwitchingLayoutsOrSpeakersOnlyMovesTilesEveryOneStaysSubscribable) {
  // The sets change with what is on screen; the Session offers an owner once per join
  // whatever they are (rule 11), so this is all the layout decides.
  const auto tiles = tiles_of(room(3));
  const core::LayoutParams p = wide(tiles.size());
  const Arrangement grid = arrange(tiles, p, false, RoomView{});
  const Arrangement s1 = arrange(tiles, p, false, speaker_view(101));
  const Arrangement s2 = arrange(tiles, p, false, speaker_view(102));
  const auto sorted = [](std::vector<UserId> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(sorted(grid.sets.visible), (std::vector<UserId>{100, 101, 102}));
  EXPECT_EQ(sorted(s1.sets.visible), sorted(grid.sets.visible)) << "a room that fits: the same people on screen";
  EXPECT_EQ(sorted(s2.sets.visible), sorted(grid.sets.visible));
  EXPECT_EQ(s1.placed.size(), grid.placed.size()) << "nobody is dropped, self included";
}

}  // namespace
}  // namespace gc::ui
