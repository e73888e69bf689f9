// See level_meter.hpp for the rules.
#include "core/level_meter.hpp"

#include <algorithm>
#include <cmath>

namespace gc::core {

int meter_step(double level) {
  if (!(level > 0)) return 0;  // also NaN
  if (level >= 1) return kMeterSteps;
  const double dbov = 20.0 * std::log10(level);
  // -50 dBov and below: 0; each 5 dB above lights one more; 0 dBov lights all.
  const int lit = static_cast<int>(std::floor((dbov + 50.0) / 5.0));
  return std::clamp(lit, 0, kMeterSteps);
}

std::optional<Millis> MeterThrottle::on_level(int step, Millis now) const {
  if (step == drawn_) return std::nullopt;
  if (!last_frame_) return now;
  return std::max(now, *last_frame_ + kMeterFrameMs);
}

void MeterThrottle::on_drawn(int step, Millis now) {
  drawn_ = step;
  last_frame_ = now;
}

}  // namespace gc::core
