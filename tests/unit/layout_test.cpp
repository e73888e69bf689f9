// The room grid: best-fit grids, 16:9 tiles, centring, bands, paging and tiny canvases.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <utility>

#include "core/layout.hpp"

namespace gc::core {
namespace {

LayoutParams canvas(float w, float h, std::size_t n, std::size_t page = 0) {
  LayoutParams p;
  p.canvas_width = w;
  p.canvas_height = h;
  p.tile_count = n;
  p.page = page;
  return p;
}

std::pair<int, int> grid(const LayoutParams& p) {
  TileLayout l = compute_layout(p);
  return {l.cols, l.rows};
}

bool inside(const Rect& r, const Rect& area) {
  const float eps = 1e-3f;
  return r.x >= area.x - eps && r.y >= area.y - eps && r.x + r.w <= area.x + area.w + eps &&
         r.y + r.h <= area.y + area.h + eps;
}

bool overlap(const Rect& a, const Rect& b) {
  const float eps = 1e-3f;
  return a.x + a.w > b.x + eps && b.x + b.w > a.x + eps && a.y + a.h > b.y + eps &&
         b.y + b.h > a.y + eps;
}

void expect_sane(const TileLayout& l) {
  for (std::size_t i = 0; i < l.rects.size(); ++i) {
    const Rect& r = l.rects[i];
    EXPECT_TRUE(std::isfinite(r.x) && std::isfinite(r.y) && std::isfinite(r.w) &&
                std::isfinite(r.h));
    EXPECT_GE(r.w, 0);
    EXPECT_GE(r.h, 0);
    EXPECT_TRUE(inside(r, l.grid_area)) << i;
    for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(overlap(r, l.rects[j])) << i << "," << j;
  }
}

TEST(Layout, LandscapeGridsFollowTheTileCount) {
  using G = std::pair<int, int>;
  const std::pair<std::size_t, G> expected[] = {
      {1, {1, 1}},  {2, {2, 1}},  {3, {2, 2}},  {4, {2, 2}},  {5, {3, 2}},
      {6, {3, 2}},  {7, {3, 3}},  {9, {3, 3}},  {10, {4, 3}}, {12, {4, 3}},
      {13, {4, 4}}, {16, {4, 4}}, {17, {5, 4}}, {20, {5, 4}}, {21, {5, 5}},
      {25, {5, 5}}};
  for (const auto& [n, g] : expected) {
    EXPECT_EQ(grid(canvas(1920, 1080, n)), g) << n << " tiles";
  }
}

TEST(Layout, PortraitCanvasStacksTwoTiles) {
  EXPECT_EQ(grid(canvas(390, 844, 2)), std::make_pair(1, 2));
  EXPECT_EQ(grid(canvas(1080, 1920, 2)), std::make_pair(1, 2));
}

TEST(Layout, TilesKeepTheTargetAspect) {
  for (std::size_t n : {1u, 2u, 5u, 11u, 25u}) {
    TileLayout l = compute_layout(canvas(1920, 1080, n));
    EXPECT_NEAR(l.tile_width / l.tile_height, 16.0f / 9.0f, 1e-3f);
    for (const Rect& r : l.rects) EXPECT_NEAR(r.w / r.h, 16.0f / 9.0f, 1e-3f);
  }
  LayoutParams square = canvas(1000, 1000, 4);
  square.aspect = 1.0f;
  TileLayout l = compute_layout(square);
  EXPECT_FLOAT_EQ(l.tile_width, l.tile_height);
}

TEST(Layout, SingleTileFillsTheCanvasAndIsCentred) {
  TileLayout l = compute_layout(canvas(1920, 1080, 1));
  ASSERT_EQ(l.rects.size(), 1u);
  // Grid area 1904 x 1064: height limits a 16:9 tile to 1064 high, 1891.6 wide.
  EXPECT_FLOAT_EQ(l.rects[0].h, 1064.0f);
  EXPECT_NEAR(l.rects[0].w, 1064.0f * 16 / 9, 1e-2);
  EXPECT_NEAR(l.rects[0].x + l.rects[0].w / 2, 960.0f, 1e-2);
  EXPECT_NEAR(l.rects[0].y + l.rects[0].h / 2, 540.0f, 1e-2);
}

TEST(Layout, TilesAreInsideTheGridAreaAndNeverOverlap) {
  for (std::size_t n = 0; n <= 30; ++n) {
    expect_sane(compute_layout(canvas(1920, 1080, n)));
    expect_sane(compute_layout(canvas(390, 844, n)));
    expect_sane(compute_layout(canvas(800, 800, n)));
  }
}

TEST(Layout, GapSeparatesNeighbours) {
  TileLayout l = compute_layout(canvas(1920, 1080, 4));
  ASSERT_EQ(l.rects.size(), 4u);
  EXPECT_NEAR(l.rects[1].x - (l.rects[0].x + l.rects[0].w), 8.0f, 1e-3);
  EXPECT_NEAR(l.rects[2].y - (l.rects[0].y + l.rects[0].h), 8.0f, 1e-3);
}

TEST(Layout, LastRowWithFewerTilesIsCentred) {
  TileLayout l = compute_layout(canvas(1920, 1080, 5));  // 3x2, last row holds 2
  ASSERT_EQ(l.rects.size(), 5u);
  float row0_centre = (l.rects[0].x + l.rects[2].x + l.rects[2].w) / 2;
  float row1_centre = (l.rects[3].x + l.rects[4].x + l.rects[4].w) / 2;
  EXPECT_NEAR(row0_centre, row1_centre, 1e-2);
  EXPECT_NEAR(row1_centre, 960.0f, 1e-2);
}

TEST(Layout, BandsAreNeverCovered) {
  LayoutParams p = canvas(1280, 720, 6);
  p.top_band = 40;
  p.bottom_band = 100;
  TileLayout l = compute_layout(p);
  EXPECT_FLOAT_EQ(l.grid_area.y, 48.0f);
  EXPECT_FLOAT_EQ(l.grid_area.h, 720.0f - 48.0f - 108.0f);
  for (const Rect& r : l.rects) {
    EXPECT_GE(r.y, 48.0f - 1e-3f);
    EXPECT_LE(r.y + r.h, 720.0f - 108.0f + 1e-3f);
  }
  expect_sane(l);
}

TEST(Layout, MoreThan25TilesArePagedBy25) {
  TileLayout first = compute_layout(canvas(1920, 1080, 60, 0));
  EXPECT_EQ(first.per_page, 25u);
  EXPECT_EQ(first.page_count, 3u);
  EXPECT_EQ(first.rects.size(), 25u);
  EXPECT_EQ(first.first_tile, 0u);
  TileLayout last = compute_layout(canvas(1920, 1080, 60, 2));
  EXPECT_EQ(last.first_tile, 50u);
  EXPECT_EQ(last.rects.size(), 10u);
  EXPECT_EQ(std::make_pair(last.cols, last.rows), std::make_pair(4, 3));
}

TEST(Layout, PageIndexIsClamped) {
  TileLayout l = compute_layout(canvas(1920, 1080, 30, 99));
  EXPECT_EQ(l.page, 1u);
  EXPECT_EQ(l.first_tile, 25u);
  EXPECT_EQ(l.rects.size(), 5u);
}

TEST(Layout, TinyCanvasPutsFewerTilesOnAPage) {
  TileLayout phone = compute_layout(canvas(390, 844, 30));
  EXPECT_LT(phone.per_page, 25u);
  EXPECT_GE(phone.tile_width, 128.0f);
  EXPECT_EQ(phone.page_count, (30 + phone.per_page - 1) / phone.per_page);
  TileLayout stamp = compute_layout(canvas(100, 60, 30));
  EXPECT_EQ(stamp.per_page, 1u);  // never less than one tile per page
  EXPECT_EQ(stamp.page_count, 30u);
  LayoutParams no_min = canvas(390, 844, 30);
  no_min.min_tile_width = 0;
  EXPECT_EQ(compute_layout(no_min).per_page, 25u);
}

TEST(Layout, ZeroTilesIsOneEmptyPage) {
  TileLayout l = compute_layout(canvas(1920, 1080, 0, 3));
  EXPECT_EQ(l.page_count, 1u);
  EXPECT_EQ(l.page, 0u);
  EXPECT_TRUE(l.rects.empty());
  EXPECT_TRUE(tiles_on_page(l).empty());
}

TEST(Layout, DegenerateInputsGiveFiniteEmptyRects) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (auto [w, h] : {std::make_pair(0.0f, 0.0f), std::make_pair(-5.0f, 100.0f),
                      std::make_pair(nan, 600.0f), std::make_pair(800.0f, inf)}) {
    LayoutParams p = canvas(w, h, 7);
    p.gap = nan;
    p.aspect = -1;
    TileLayout l = compute_layout(p);
    EXPECT_GE(l.page_count, 1u);
    for (const Rect& r : l.rects) {
      EXPECT_TRUE(std::isfinite(r.x) && std::isfinite(r.y));
      EXPECT_EQ(r.w, 0.0f);
      EXPECT_EQ(r.h, 0.0f);
    }
  }
  LayoutParams bad_grid = canvas(1920, 1080, 4);
  bad_grid.max_cols = 0;
  bad_grid.max_rows = -3;
  TileLayout l = compute_layout(bad_grid);
  EXPECT_EQ(l.per_page, 1u);
  EXPECT_EQ(l.page_count, 4u);
}

TEST(Layout, TilesOnPageListsWhatTheSessionShouldSubscribeTo) {
  EXPECT_EQ(tiles_on_page(canvas(1920, 1080, 3)), (std::vector<std::size_t>{0, 1, 2}));
  std::vector<std::size_t> second = tiles_on_page(canvas(1920, 1080, 28, 1));
  EXPECT_EQ(second, (std::vector<std::size_t>{25, 26, 27}));
}

TEST(Layout, PageOfTileFindsTheTilesPage) {
  LayoutParams p = canvas(1920, 1080, 60);
  EXPECT_EQ(page_of_tile(p, 0), 0u);
  EXPECT_EQ(page_of_tile(p, 24), 0u);
  EXPECT_EQ(page_of_tile(p, 25), 1u);
  EXPECT_EQ(page_of_tile(p, 59), 2u);
  EXPECT_EQ(page_of_tile(p, 1000), 2u);
}

TEST(Layout, CustomMaxGridLimitsThePage) {
  LayoutParams p = canvas(1920, 1080, 10);
  p.max_cols = 3;
  p.max_rows = 2;
  TileLayout l = compute_layout(p);
  EXPECT_EQ(l.per_page, 6u);
  EXPECT_EQ(l.page_count, 2u);
  EXPECT_EQ(std::make_pair(l.cols, l.rows), std::make_pair(3, 2));
}

}  // namespace
}  // namespace gc::core
