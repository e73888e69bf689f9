// Is video still arriving on a receive connection? Decoding progress from periodic samples of
// the connection's framesDecoded (the bridge polls getStats about once a second).
//
// kFlowing is reported when the count first rises, and again after a stall. kStalled is
// reported once, when video that flowed has shown no new frame for stall_after_ms of wall
// time *and* over at least min_samples samples: slow video (a frame every few seconds on a
// starved machine or a poor link) is still flowing, because any new frame restarts the
// clock; and a single late sample (the page was busy for seconds) is not a stall by itself.
// A count that goes backwards (a stats report that lost the track) is ignored.
#pragma once

#include <cstdint>
#include <optional>

#include "core/backoff.hpp"  // Millis

namespace gc::core {

struct FlowConfig {
  Millis stall_after_ms = 10000;
  int min_samples = 3;
};

class FlowMonitor {
 public:
  enum class Change { kNone, kFlowing, kStalled };

  explicit FlowMonitor(FlowConfig config = {}) : config_(config) {}

  Change sample(std::uint64_t frames_decoded, Millis now);

  std::uint64_t frames() const { return frames_; }
  bool flowing() const { return flowing_; }
  // When the count last rose (the last new frame), if it ever did.
  std::optional<Millis> last_progress() const { return last_progress_; }

 private:
  FlowConfig config_;
  std::uint64_t frames_ = 0;
  bool flowing_ = false;
  std::optional<Millis> last_progress_;
  int samples_without_progress_ = 0;
};

}  // namespace gc::core
