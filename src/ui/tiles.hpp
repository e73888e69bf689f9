#pragma once
// What the tile grid shows, as pure functions of the view model (no ImGui state), so the
// mapping and the subscription sets are unit-tested (tests/ui/tiles_test.cpp):
//   build_tiles  self first (when it has a picture), then everyone in join order, each
//                with its state badge, colour and flags;
//   page_sets    the participants on the current page (subscribed, shown) and on the page
//                that comes next (prefetched: the kiosk's next rotation, or the next page);
//   arrange      where each tile goes: that grid, or one pinned tile large above a
//                filmstrip of the others (issue 13 item 4), with the sets of either.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/layout.hpp"
#include "core/view_model.hpp"
#include "ui/i18n.hpp"

namespace gc::ui {

using core::Millis;
using core::UserId;

struct Tile {
  UserId id = 0;
  bool is_self = false;
  std::string name;
  StringId state = StringId::kTileConnecting;
  unsigned int dot = 0;  // ImU32 colour of the state badge's dot
  bool video = false;
  bool failed = false;
  bool capped = false;  // over the stream cap: "Show video" rejoins
  bool muted = false;
  bool camera_off = false;
  std::optional<Millis> retry_at;
};

// `self_name` is the translated "You"; `name_of` gives a participant's display name.
std::vector<Tile> build_tiles(const core::ViewModel& vm, bool kiosk, const std::string& self_name,
                              const std::function<std::string(UserId)>& name_of);

struct PageSets {
  std::vector<UserId> visible;   // on the page now, self excluded
  std::vector<UserId> prefetch;  // on the page that comes next, self excluded
};

// `layout` is compute_layout(params) for `tiles`; the kiosk's pages wrap around.
PageSets page_sets(const std::vector<Tile>& tiles, const core::LayoutParams& params,
                   const core::TileLayout& layout, bool kiosk);

struct PlacedTile {
  std::size_t index = 0;  // into the tiles
  core::Rect rect;
  bool pinned = false;
};

struct Arrangement {
  std::vector<PlacedTile> placed;  // the tiles on screen; a pinned one first
  std::size_t page = 0;            // of the grid, or of the filmstrip; clamped
  std::size_t page_count = 1;
  PageSets sets;
};

// Without a pin (or one no tile has: they left) the grid of compute_layout(params) and its
// page_sets. With `pinned` (a tile's id; the self tile's is the self id) the pinned tile
// takes the area above a filmstrip: one row of the others at a fifth of the height (never
// narrower than params.min_tile_width while the height allows), paged by params.page when
// they do not fit. The pinned participant is always in the visible set, so they are
// subscribed wherever the grid would have paged them (an owner is still offered once per
// join: the Session's rule 11); the filmstrip's next page is prefetched.
Arrangement arrange(const std::vector<Tile>& tiles, const core::LayoutParams& params, bool kiosk,
                    std::optional<UserId> pinned);

}  // namespace gc::ui
