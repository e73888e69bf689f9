#include "core/quality.hpp"

#include <algorithm>
#include <cmath>

namespace gc::core {
namespace {

std::optional<double> finite(std::optional<double> v) {
  if (!v || !std::isfinite(*v) || *v < 0) return std::nullopt;
  return v;
}

// The grade of `value` against descending (or, with lower_is_better, ascending) bounds.
int grade(double value, const std::array<double, 4>& bounds, bool lower_is_better) {
  int g = 0;
  for (double bound : bounds) {
    if (lower_is_better ? value < bound : value >= bound) return 4 - g;
    ++g;
  }
  return 0;
}

std::size_t slot(std::int64_t second) {
  const std::int64_t n = QualityMeter::kHistorySeconds;
  return static_cast<std::size_t>(((second % n) + n) % n);
}

}  // namespace

int quality_score(std::optional<double> loss_pct, std::optional<double> rtt_ms, std::optional<double> fps) {
  loss_pct = finite(loss_pct);
  rtt_ms = finite(rtt_ms);
  fps = finite(fps);
  if (!loss_pct && !rtt_ms && !fps) return 0;
  int score = 4;
  if (loss_pct) score = std::min(score, grade(*loss_pct, {2, 5, 10, 20}, true));
  if (rtt_ms) score = std::min(score, grade(*rtt_ms, {150, 300, 500, 1000}, true));
  if (fps) score = std::min(score, grade(*fps, {12, 8, 5, 1}, false));
  return score;
}

void QualityMeter::sample(const StatsSample& in, Millis now) {
  if (last_time_ && now <= *last_time_) return;  // no time passed: nothing to rate against
  const std::optional<double> bytes = finite(in.bytes);
  const std::optional<double> received = finite(in.packets_received);
  const std::optional<double> lost = in.packets_lost && std::isfinite(*in.packets_lost)
                                         ? in.packets_lost : std::nullopt;  // RTCP may report it negative
  // A counter that went back: a new RTCPeerConnection. This sample is only the new baseline.
  const bool reset = (bytes && bytes_ && *bytes < *bytes_) || (received && received_ && *received < *received_);
  const bool rated = last_time_ && !reset;
  const double seconds = last_time_ ? static_cast<double>(now - *last_time_) / 1000.0 : 0;

  QualityFigures f;
  std::optional<double> loss;
  if (rated && bytes && bytes_) f.bitrate_kbps = (*bytes - *bytes_) * 8.0 / 1000.0 / seconds;
  if (rated && received && received_) {
    const double got = *received - *received_;
    // Lost packets can be "found" again (late or duplicate): a drop is no negative loss.
    const double missed = lost && lost_ ? std::max(0.0, *lost - *lost_) : 0.0;
    if (got + missed > 0) loss = 100.0 * missed / (got + missed);
  }
  f.loss_pct = loss.value_or(0);
  f.fps = finite(in.fps).value_or(0);
  f.width = static_cast<int>(finite(in.width).value_or(0));
  f.height = static_cast<int>(finite(in.height).value_or(0));
  f.jitter_ms = finite(in.jitter_s).value_or(0) * 1000.0;
  f.rtt_ms = finite(in.rtt_s).value_or(0) * 1000.0;
  f.limitation = in.limitation;
  f.score = quality_score(loss, f.rtt_ms > 0 ? std::optional<double>(f.rtt_ms) : std::nullopt,
                          f.fps > 0 ? std::optional<double>(f.fps) : std::nullopt);
  f.measured = loss || f.rtt_ms > 0 || f.fps > 0;  // what the score grades
  figures_ = f;

  last_time_ = now;
  bytes_ = bytes;
  received_ = received;
  lost_ = lost;

  const std::int64_t second = now / 1000;
  const std::array<float, kMetricCount> values = {
      static_cast<float>(f.bitrate_kbps), static_cast<float>(f.fps),      static_cast<float>(f.width),
      static_cast<float>(f.height),       static_cast<float>(f.loss_pct), static_cast<float>(f.jitter_ms),
      static_cast<float>(f.rtt_ms)};
  // A sample rates the time since the one before: at the steady poll (every 2 s) it stands
  // for the second it skipped too. A longer gap (a throttled tab) stays a gap.
  std::int64_t from = second;
  if (rated && last_second_ && seconds <= kFillGapSeconds) from = std::min(second, *last_second_ + 1);
  for (std::int64_t s = from; s <= second; ++s) {
    Point& p = ring_[slot(s)];
    p.second = s;
    p.values = values;
  }
  last_second_ = last_second_ ? std::max(*last_second_, second) : second;
}

std::vector<float> QualityMeter::history(Metric metric) const {
  std::vector<float> out(kHistorySeconds, 0.0f);
  if (!last_second_) return out;
  for (int i = 0; i < kHistorySeconds; ++i) {
    const std::int64_t second = *last_second_ - (kHistorySeconds - 1) + i;
    const Point& p = ring_[slot(second)];
    if (p.second == second) out[static_cast<std::size_t>(i)] = p.values[static_cast<std::size_t>(metric)];
  }
  return out;
}

float QualityMeter::history_max(Metric metric) const {
  const std::vector<float> h = history(metric);
  return *std::max_element(h.begin(), h.end());
}

}  // namespace gc::core
