#include "ui/tiles.hpp"

#include <algorithm>
#include <cmath>

#include "ui/widgets.hpp"

namespace gc::ui {

namespace {

Tile self_tile(const core::ViewModel& vm, const std::string& self_name) {
  using core::PublishState;
  Tile t;
  t.id = vm.self.id;
  t.is_self = true;
  t.name = self_name;
  const bool sharing = vm.self.screen == core::ScreenShare::kOn;
  t.video = vm.self.media_ready && (!vm.self.camera_off || sharing);  // camera off acts on the camera
  t.muted = vm.self.muted;
  t.camera_off = vm.self.camera_off && vm.self.media_ready;
  switch (vm.self.publish) {
    case PublishState::kLive:
      t.state = sharing ? StringId::kTileSharing : StringId::kTileLive;
      t.dot = colors::good();
      break;
    case PublishState::kFailed:
      t.state = vm.self.media_ready ? StringId::kTileFailed : StringId::kTileReceiveOnly;
      t.dot = vm.self.media_ready ? colors::bad() : colors::text_dim();
      t.failed = vm.self.media_ready;
      break;
    case PublishState::kReceiveOnly:
      t.state = StringId::kTileReceiveOnly;
      t.dot = colors::text_dim();
      break;
    case PublishState::kNone:
    case PublishState::kStarting:
      t.state = StringId::kTileConnecting;
      t.dot = colors::warn();
      break;
  }
  return t;
}

Tile participant_tile(const core::ParticipantView& p, bool recovering, std::string name) {
  using core::TileState;
  Tile t;
  t.id = p.id;
  t.name = std::move(name);
  switch (p.tile) {
    case TileState::kConnecting:
      t.state = StringId::kTileConnecting;
      t.dot = colors::warn();
      break;
    case TileState::kLive:
      t.state = StringId::kTileLive;
      t.dot = colors::good();
      t.video = true;
      break;
    case TileState::kNoMedia:
      t.state = StringId::kTileNoVideo;
      t.dot = colors::text_dim();
      break;
    case TileState::kFailed:
      t.state = StringId::kTileFailed;
      t.dot = colors::bad();
      t.failed = true;
      break;
    case TileState::kRetrying:
      t.state = StringId::kTileReconnecting;
      t.dot = colors::warn();
      t.retry_at = p.retry_at;
      break;
    case TileState::kPaused:
      t.state = StringId::kTilePaused;
      t.dot = colors::text_dim();
      break;
    case TileState::kCapped:
      t.state = StringId::kTileCapped;
      t.dot = colors::text_dim();
      t.capped = true;
      break;
  }
  if (recovering && !t.failed) {  // the whole room is reconnecting: no tile claims video
    t.state = StringId::kTileReconnecting;
    t.dot = colors::warn();
    t.video = false;
  }
  return t;
}

void append_ids(const std::vector<Tile>& tiles, const core::TileLayout& layout, std::vector<UserId>& out) {
  for (std::size_t i = 0; i < layout.rects.size(); ++i) {
    const Tile& t = tiles[layout.first_tile + i];
    if (!t.is_self) out.push_back(t.id);
  }
}

}  // namespace

std::vector<Tile> build_tiles(const core::ViewModel& vm, bool kiosk, const std::string& self_name,
                              const std::function<std::string(UserId)>& name_of) {
  using core::PublishState;
  std::vector<Tile> tiles;
  tiles.reserve(vm.participants.size() + 1);
  // A receive-only client has no picture of its own, so it has no tile; the kiosk shows
  // one only while it publishes (or tried to).
  const PublishState publish = vm.self.publish;
  const bool has_self = kiosk ? (publish == PublishState::kStarting || publish == PublishState::kLive ||
                                 publish == PublishState::kFailed)
                              : publish != PublishState::kReceiveOnly;
  if (has_self) tiles.push_back(self_tile(vm, self_name));
  const bool recovering = vm.phase != core::Phase::kInRoom;
  for (const core::ParticipantView& p : vm.participants) tiles.push_back(participant_tile(p, recovering, name_of(p.id)));
  return tiles;
}

PageSets page_sets(const std::vector<Tile>& tiles, const core::LayoutParams& params,
                   const core::TileLayout& layout, bool kiosk) {
  PageSets sets;
  append_ids(tiles, layout, sets.visible);
  if (layout.page_count > 1 && (kiosk || layout.page + 1 < layout.page_count)) {
    core::LayoutParams next = params;
    next.page = (layout.page + 1) % layout.page_count;
    append_ids(tiles, core::compute_layout(next), sets.prefetch);
  }
  return sets;
}

namespace {

float finite_non_negative(float v) { return std::isfinite(v) && v > 0 ? v : 0.0f; }

// The largest rect of `aspect` inside (x, y, w, h), centred.
core::Rect fit(float x, float y, float w, float h, float aspect) {
  const float tw = std::min(w, h * aspect);
  const float th = aspect > 0 ? tw / aspect : 0;
  return core::Rect{x + (w - tw) * 0.5f, y + (h - th) * 0.5f, tw, th};
}

Arrangement grid(const std::vector<Tile>& tiles, const core::LayoutParams& params, bool kiosk) {
  const core::TileLayout layout = core::compute_layout(params);
  Arrangement a;
  a.page = layout.page;
  a.page_count = layout.page_count;
  for (std::size_t i = 0; i < layout.rects.size(); ++i)
    a.placed.push_back({layout.first_tile + i, layout.rects[i], false, false});
  a.sets = page_sets(tiles, params, layout, kiosk);
  return a;
}

}  // namespace

std::optional<std::size_t> large_tile(const std::vector<Tile>& tiles, const RoomView& view) {
  const auto index_of = [&](std::optional<UserId> id) -> std::optional<std::size_t> {
    if (!id) return std::nullopt;
    const auto it = std::find_if(tiles.begin(), tiles.end(), [&](const Tile& t) { return t.id == *id; });
    return it == tiles.end() ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(it - tiles.begin()));
  };
  if (const auto pin = index_of(view.pinned)) return pin;
  if (view.layout != core::ViewLayout::kSpeaker || tiles.empty()) return std::nullopt;
  if (view.speaker) {
    const auto it = std::find_if(tiles.begin(), tiles.end(),
                                 [&](const Tile& t) { return !t.is_self && t.id == *view.speaker; });
    if (it != tiles.end()) return static_cast<std::size_t>(it - tiles.begin());
  }
  const auto other = std::find_if(tiles.begin(), tiles.end(), [](const Tile& t) { return !t.is_self; });
  return static_cast<std::size_t>((other != tiles.end() ? other : tiles.begin()) - tiles.begin());
}

Arrangement arrange(const std::vector<Tile>& tiles, const core::LayoutParams& params, bool kiosk,
                    std::optional<UserId> pinned) {
  return arrange(tiles, params, kiosk, RoomView{core::ViewLayout::kGrid, pinned, std::nullopt});
}

Arrangement arrange(const std::vector<Tile>& tiles, const core::LayoutParams& params, bool kiosk,
                    const RoomView& view) {
  const std::optional<std::size_t> large = large_tile(tiles, view);
  if (!large) return grid(tiles, params, kiosk);
  const std::size_t pin = *large;
  const bool pinned = view.pinned && tiles[pin].id == *view.pinned;
  // The area the grid would use: the canvas less the margins (and the bands, if any).
  const float width = finite_non_negative(params.canvas_width);
  const float height = finite_non_negative(params.canvas_height);
  const float margin = finite_non_negative(params.margin);
  const float gap = finite_non_negative(params.gap);
  const float aspect = std::isfinite(params.aspect) && params.aspect > 0 ? params.aspect : 16.0f / 9.0f;
  const float top = params.top_band > 0 ? finite_non_negative(params.top_band) + margin : margin;
  const float bottom = params.bottom_band > 0 ? finite_non_negative(params.bottom_band) + margin : margin;
  const float ax = std::min(margin, width);
  const float ay = std::min(top, height);
  const float aw = std::max(0.0f, width - 2 * margin);
  const float ah = std::max(0.0f, height - top - bottom);

  std::vector<std::size_t> others;
  for (std::size_t i = 0; i < tiles.size(); ++i)
    if (i != pin) others.push_back(i);

  Arrangement a;
  if (others.empty()) {
    a.placed.push_back({pin, fit(ax, ay, aw, ah, aspect), pinned, true});
  } else {
    // The filmstrip: a fifth of the height, wider if that is under min_tile_width, at most
    // a third of the height.
    float th = ah * 0.2f;
    const float min_w = std::min(finite_non_negative(params.min_tile_width), aw);
    if (th * aspect < min_w) th = min_w / aspect;
    th = std::min(th, ah / 3.0f);
    const float tw = std::min(th * aspect, aw);
    th = tw / aspect;
    const std::size_t per_strip =
        tw + gap > 0 ? std::max<std::size_t>(1, static_cast<std::size_t>(std::floor((aw + gap) / (tw + gap)))) : 1;
    a.page_count = (others.size() + per_strip - 1) / per_strip;
    a.page = std::min(params.page, a.page_count - 1);

    a.placed.push_back({pin, fit(ax, ay, aw, std::max(0.0f, ah - th - gap), aspect), pinned, true});
    const std::size_t first = a.page * per_strip;
    const std::size_t shown = std::min(per_strip, others.size() - first);
    const float row_w = static_cast<float>(shown) * tw + static_cast<float>(shown - 1) * gap;
    const float x0 = ax + (aw - row_w) * 0.5f;
    const float y0 = ay + ah - th;
    for (std::size_t k = 0; k < shown; ++k)
      a.placed.push_back({others[first + k], core::Rect{x0 + static_cast<float>(k) * (tw + gap), y0, tw, th}, false, false});

    const bool next = a.page_count > 1 && (kiosk || a.page + 1 < a.page_count);
    if (next) {
      const std::size_t from = ((a.page + 1) % a.page_count) * per_strip;
      for (std::size_t k = from; k < std::min(from + per_strip, others.size()); ++k)
        if (!tiles[others[k]].is_self) a.sets.prefetch.push_back(tiles[others[k]].id);
    }
  }
  for (const PlacedTile& p : a.placed)
    if (!tiles[p.index].is_self) a.sets.visible.push_back(tiles[p.index].id);
  return a;
}

}  // namespace gc::ui
