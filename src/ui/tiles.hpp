#pragma once
// What the tile grid shows, as pure functions of the view model (no ImGui state), so the
// mapping and the subscription sets are unit-tested (tests/ui/tiles_test.cpp):
//   build_tiles  self first (when it has a picture), then everyone in join order, each
//                with its state badge, colour and flags;
//   page_sets    the participants on the current page (subscribed, shown) and on the page
//                that comes next (prefetched: the kiosk's next rotation, or the next page).
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

}  // namespace gc::ui
