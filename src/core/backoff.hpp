// Exponential backoff with bounded jitter, deterministic under a seed.
//
// Attempt n (0-based) has a base delay min(max_ms, initial_ms * multiplier^n); the delay
// actually returned is drawn uniformly from [base * (1 - jitter), base], so it never
// exceeds the cap and never drops below (1 - jitter) of the base. The jitter source is
// splitmix64: the same seed gives the same delays on every platform (native and Wasm).
#pragma once

#include <cstdint>

namespace gc::core {

using Millis = std::int64_t;

struct BackoffConfig {
  Millis initial_ms = 500;
  Millis max_ms = 30000;
  double multiplier = 2.0;
  double jitter = 0.2;  // fraction of the base delay that may be shaved off, 0 .. 1
};

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for jitter.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [0, 1).
  double next_unit();

 private:
  std::uint64_t state_;
};

class Backoff {
 public:
  Backoff(BackoffConfig config, std::uint64_t seed);

  // The delay before the next attempt; advances the attempt counter.
  Millis next_delay();
  // Forget past failures: the next delay is the initial one again.
  void reset() { attempts_ = 0; }
  // How many delays were handed out since the last reset.
  int attempts() const { return attempts_; }
  const BackoffConfig& config() const { return config_; }

 private:
  // The un-jittered delay of attempt n (0-based), capped.
  Millis base_delay(int attempt) const;

  BackoffConfig config_;
  SplitMix64 rng_;
  int attempts_ = 0;
};

}  // namespace gc::core
