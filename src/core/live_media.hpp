// What the app measures of the room's media with getStats (issue 13 items 2 and 3), next to
// the Session's view model: who speaks, the active speaker, each stream's quality. The app
// (src/app/client.cpp) feeds it from the peers' stats and audio polls; the Ui draws it
// (speaking ring, signal bars, the quality panel) and state() reports it. Plain data.
#pragma once

#include <map>
#include <optional>

#include "core/events.hpp"
#include "core/quality.hpp"
#include "core/speaker.hpp"

namespace gc::core {

struct LiveMedia {
  ActiveSpeaker speakers;                  // remote participants only (speaker.hpp)
  std::map<UserId, QualityMeter> quality;  // each remote participant's receive connection
  QualityMeter self;                       // the stream we publish
  double self_level = 0;                   // our microphone, 0..1 (0 muted or unknown)
};

}  // namespace gc::core
