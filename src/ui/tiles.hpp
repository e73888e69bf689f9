#pragma once
// What the tile grid shows, as pure functions of the view model (no ImGui state), so the
// mapping and the subscription sets are unit-tested (tests/ui/tiles_test.cpp):
//   build_tiles  self first (when it has a picture), then everyone in join order, each
//                with its state badge, colour and flags;
//   page_sets    the participants on the current page (subscribed, shown) and on the page
//                that comes next (prefetched: the kiosk's next rotation, or the next page);
//   large_tile   which tile the speaker layout or a pin shows large (issue 13 items 2, 4);
//   arrange      where each tile goes: that grid, or that one tile large above a filmstrip
//                of the others, with the sets of either.
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
  bool pinned = false;  // large because it is pinned
  bool large = false;   // the large one: pinned, or the speaker layout's
};

// What the room is asked to show: the layout, the pinned tile (an id; the self tile's is
// the self id) and the active speaker (a remote participant, from core::ActiveSpeaker).
struct RoomView {
  core::ViewLayout layout = core::ViewLayout::kGrid;
  std::optional<UserId> pinned;
  std::optional<UserId> speaker;
};

// The tile shown large, as an index into `tiles`, or nullopt for the grid:
//  1. the pinned tile, in either layout (a pin is a deliberate choice: it outranks the
//     active speaker, who keeps their ring in the filmstrip);
//  2. in the speaker layout, the active speaker's tile;
//  3. in the speaker layout before anyone has spoken (or once the active speaker left), the
//     first other participant in join order, and yourself only when you are alone, so the
//     large slot is never empty while there is a tile.
// A pin or speaker no tile has (they left) counts as none.
std::optional<std::size_t> large_tile(const std::vector<Tile>& tiles, const RoomView& view);

struct Arrangement {
  std::vector<PlacedTile> placed;  // the tiles on screen; a pinned one first
  std::size_t page = 0;            // of the grid, or of the filmstrip; clamped
  std::size_t page_count = 1;
  PageSets sets;
};

// Without a large tile (large_tile) the grid of compute_layout(params) and its page_sets.
// With one, it takes the area above a filmstrip: one row of the others, in their order, at
// a fifth of the height (never narrower than params.min_tile_width while the height
// allows), paged by params.page when they do not fit (the kiosk turns these pages by
// itself). The large participant and the filmstrip's tiles on screen are the visible set,
// subscribed as the grid's page is: a large participant the grid would have paged away is
// subscribed too, and switching layouts or speakers only moves <video> elements, since an
// owner is offered once per join whatever is on screen (the Session's rule 11). The
// filmstrip's next page is prefetched.
Arrangement arrange(const std::vector<Tile>& tiles, const core::LayoutParams& params, bool kiosk,
                    const RoomView& view);
// The grid layout with `pinned` (as before the speaker layout existed).
Arrangement arrange(const std::vector<Tile>& tiles, const core::LayoutParams& params, bool kiosk,
                    std::optional<UserId> pinned);

}  // namespace gc::ui
