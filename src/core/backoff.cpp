#include "core/backoff.hpp"

#include <algorithm>

namespace gc::core {

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double SplitMix64::next_unit() {
  // 53 random bits -> [0, 1) exactly representable as a double.
  return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0);
}

Backoff::Backoff(BackoffConfig config, std::uint64_t seed) : config_(config), rng_(seed) {
  config_.initial_ms = std::max<Millis>(config_.initial_ms, 1);
  config_.max_ms = std::max(config_.max_ms, config_.initial_ms);
  config_.multiplier = std::max(config_.multiplier, 1.0);
  config_.jitter = std::clamp(config_.jitter, 0.0, 1.0);
}

Millis Backoff::base_delay(int attempt) const {
  double d = static_cast<double>(config_.initial_ms);
  const double cap = static_cast<double>(config_.max_ms);
  for (int i = 0; i < attempt && d < cap; ++i) d *= config_.multiplier;
  return static_cast<Millis>(std::min(d, cap));
}

Millis Backoff::next_delay() {
  const Millis base = base_delay(attempts_);
  if (attempts_ < 1000000) ++attempts_;
  const double shave = config_.jitter * rng_.next_unit() * static_cast<double>(base);
  const Millis d = base - static_cast<Millis>(shave);
  return std::max<Millis>(d, 1);
}

}  // namespace gc::core
