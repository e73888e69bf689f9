#include "core/flow_monitor.hpp"

namespace gc::core {

FlowMonitor::Change FlowMonitor::sample(std::uint64_t frames_decoded, Millis now) {
  if (frames_decoded > frames_) {
    frames_ = frames_decoded;
    last_progress_ = now;
    samples_without_progress_ = 0;
    if (flowing_) return Change::kNone;
    flowing_ = true;
    return Change::kFlowing;
  }
  if (!flowing_) return Change::kNone;
  ++samples_without_progress_;
  if (samples_without_progress_ < config_.min_samples || now - *last_progress_ < config_.stall_after_ms)
    return Change::kNone;
  flowing_ = false;
  return Change::kStalled;
}

}  // namespace gc::core
