#include "ui/tiles.hpp"

#include "ui/widgets.hpp"

namespace gc::ui {

namespace {

Tile self_tile(const core::ViewModel& vm, const std::string& self_name) {
  using core::PublishState;
  Tile t;
  t.id = vm.self.id;
  t.is_self = true;
  t.name = self_name;
  t.video = vm.self.media_ready && !vm.self.camera_off;
  t.muted = vm.self.muted;
  t.camera_off = vm.self.camera_off && vm.self.media_ready;
  switch (vm.self.publish) {
    case PublishState::kLive:
      t.state = StringId::kTileLive;
      t.dot = colors::kGood;
      break;
    case PublishState::kFailed:
      t.state = vm.self.media_ready ? StringId::kTileFailed : StringId::kTileReceiveOnly;
      t.dot = vm.self.media_ready ? colors::kBad : colors::kTextDim;
      t.failed = vm.self.media_ready;
      break;
    case PublishState::kReceiveOnly:
      t.state = StringId::kTileReceiveOnly;
      t.dot = colors::kTextDim;
      break;
    case PublishState::kNone:
    case PublishState::kStarting:
      t.state = StringId::kTileConnecting;
      t.dot = colors::kWarn;
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
      t.dot = colors::kWarn;
      break;
    case TileState::kLive:
      t.state = StringId::kTileLive;
      t.dot = colors::kGood;
      t.video = true;
      break;
    case TileState::kNoMedia:
      t.state = StringId::kTileNoVideo;
      t.dot = colors::kTextDim;
      break;
    case TileState::kFailed:
      t.state = StringId::kTileFailed;
      t.dot = colors::kBad;
      t.failed = true;
      break;
    case TileState::kRetrying:
      t.state = StringId::kTileReconnecting;
      t.dot = colors::kWarn;
      t.retry_at = p.retry_at;
      break;
    case TileState::kPaused:
      t.state = StringId::kTilePaused;
      t.dot = colors::kTextDim;
      break;
    case TileState::kCapped:
      t.state = StringId::kTileCapped;
      t.dot = colors::kTextDim;
      t.capped = true;
      break;
  }
  if (recovering && !t.failed) {  // the whole room is reconnecting: no tile claims video
    t.state = StringId::kTileReconnecting;
    t.dot = colors::kWarn;
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

}  // namespace gc::ui
