// Tile layout for the room grid: a pure function of the canvas size, the tile count and
// the page. The overlay bridge places each participant's <video> at its rect; the session
// subscribes only to the tiles on the visible page (tiles_on_page).
//
// Geometry (logical px, origin top left):
//   canvas --margin-- [ top band ] --margin-- grid area --margin-- [ bottom band ] --margin--
// The grid area is what is left after the bands and `margin` on every side. Cells are
// separated by `gap`. Every tile has the same size, the largest that keeps `aspect`
// (width / height, default 16:9) inside its cell; the whole grid is centred in the grid
// area, and a last row with fewer tiles is centred horizontally.
//
// Grid choice: among cols x rows with cols <= max_cols, rows <= max_rows and
// cols * rows >= tiles on the page, take the one with the largest tile area; ties (within
// 0.1%) go to the fewest empty cells, then to the shape that follows the canvas (more
// columns on a landscape canvas, more rows on a portrait one). On a 16:9 canvas that gives
// 1 -> 1x1, 2 -> 2x1, 3-4 -> 2x2, 5-6 -> 3x2, 7-9 -> 3x3, 10-12 -> 4x3, 13-16 -> 4x4,
// 17-20 -> 5x4, 21-25 -> 5x5; on a portrait phone 2 -> 1x2.
//
// Paging: a page holds at most max_cols * max_rows tiles (25), and fewer when the canvas
// is so small that a tile would be narrower than min_tile_width: per_page is then the
// largest grid whose tiles are at least that wide (never less than 1). Tiles are paged in
// index order; the page index is clamped to the pages that exist. Zero tiles is one empty
// page.
//
// Non-finite or negative inputs are treated as 0 (aspect falls back to 16:9, max_cols and
// max_rows to at least 1), so a bad resize event never produces NaN rects.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace gc::core {

struct Rect {
  float x = 0;
  float y = 0;
  float w = 0;
  float h = 0;
  friend bool operator==(const Rect& a, const Rect& b) {
    return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
  }
  friend bool operator!=(const Rect& a, const Rect& b) { return !(a == b); }
};

struct LayoutParams {
  float canvas_width = 0;   // logical px (CSS px, not device px)
  float canvas_height = 0;
  std::size_t tile_count = 0;
  std::size_t page = 0;     // requested page; clamped
  float margin = 8;         // around the grid area and between it and the bands
  float gap = 8;            // between cells
  float top_band = 0;       // reserved above the grid (toolbar), 0 = none
  float bottom_band = 0;    // reserved below the grid (chat input, page switcher), 0 = none
  float aspect = 16.0f / 9.0f;
  int max_cols = 5;
  int max_rows = 5;
  float min_tile_width = 128;  // below this, fewer tiles per page
};

struct TileLayout {
  int cols = 1;                 // grid of the current page
  int rows = 1;
  std::size_t per_page = 1;     // tiles per full page
  std::size_t page_count = 1;   // >= 1
  std::size_t page = 0;         // the clamped page
  std::size_t first_tile = 0;   // index of the tile drawn at rects[0]
  float tile_width = 0;
  float tile_height = 0;
  Rect grid_area;               // the area the grid is centred in
  std::vector<Rect> rects;      // rects[i] is tile first_tile + i, row-major
};

TileLayout compute_layout(const LayoutParams& params);

// Indices (0-based, ascending) of the tiles shown on the page that compute_layout would
// show for `params` (after clamping): what the session should subscribe to.
std::vector<std::size_t> tiles_on_page(const LayoutParams& params);

// Same, from a computed layout.
std::vector<std::size_t> tiles_on_page(const TileLayout& layout);

// The page that shows tile `index` (clamped to the last page), e.g. to jump to a speaker.
std::size_t page_of_tile(const LayoutParams& params, std::size_t index);

// How the room shows its tiles (issue 13 item 2): every tile in the grid above, or the
// speaker layout: one tile large (the active speaker) above a filmstrip of the others
// (ui/tiles.hpp arrange). state().layout and the kiosk's `layout=` use these names.
enum class ViewLayout { kGrid, kSpeaker };
const char* to_string(ViewLayout layout);  // "grid", "speaker"
// "grid" or "speaker", any case; anything else is nullopt.
std::optional<ViewLayout> parse_view_layout(std::string_view text);

}  // namespace gc::core
