// Your own microphone's level meter (issue 13 items 2 and 7: beside Mute in the room, under
// the camera preview on the join screen), as what is drawn and when a frame is worth it.
//
// meter_step: the level (0..1, linear, 1 = 0 dBov: getStats' audioLevel or the preview's
// peak sample) as one of kMeterSteps + 1 lit segments, 5 dB each from -50 dBov (0 lit)
// to 0 dBov (all 10 lit). Speech at a normal distance is about -35 to -15 dBov (3 to 7
// lit), the speaking threshold (speaker.hpp) is 3 lit. A drawn meter changes only when
// this number does: a level that wanders inside one step redraws nothing.
//
// MeterThrottle: the client draws on demand (no frames while idle). A new level asks for
// a frame only when its step differs from the one the last frame drew, and then no sooner
// than kMeterFrameMs after the last frame (any frame: one drawn for another reason shows
// the meter as it is too), so the meter alone never draws more than 10 frames a second. A
// muted or absent microphone is step 0, always: it never asks for a frame.
//
// Pure: the app passes the time and arms its own timer for the answer.
#pragma once

#include <optional>

#include "core/events.hpp"

namespace gc::core {

inline constexpr int kMeterSteps = 10;
inline constexpr Millis kMeterFrameMs = 100;

// 0 .. kMeterSteps; a level that is not a finite number in 0..1 counts as 0 (or 1 above).
int meter_step(double level);

class MeterThrottle {
 public:
  // A new level's step: when to draw a frame for it (now or later), or nullopt when the
  // last frame already shows it. Ask again for every new level; a later answer replaces an
  // earlier one (the app may keep a timer that is already armed for an earlier time).
  std::optional<Millis> on_level(int step, Millis now) const;
  // A frame was drawn (for whatever reason) and showed `step`.
  void on_drawn(int step, Millis now);
  int drawn() const { return drawn_; }

 private:
  int drawn_ = 0;
  std::optional<Millis> last_frame_;
};

}  // namespace gc::core
