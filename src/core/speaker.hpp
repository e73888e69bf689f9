// Who is speaking, and who is the active speaker (issue 13 item 2), from audio level samples.
//
// A level is getStats' audioLevel scale: linear amplitude 0..1, 1.0 = 0 dBov. The bridge
// reads one per receive connection about every 250 ms (AudioLevelMeter turns the cumulative
// totalAudioEnergy / totalSamplesDuration counters into the RMS level of the interval, so a
// short sound between two polls is not missed; else it takes the instant audioLevel).
//
// SpeakingDetector (one participant): speaking from the first sample at or over `threshold`
// until `hold_ms` after the last such sample. The hold bridges the pauses between words
// (200-500 ms), so the ring does not flicker; without new samples (a closed connection) it
// ends by itself. `loudness` is the level smoothed over about `smoothing_ms`.
//
// ActiveSpeaker (the room): the loudest *sustained* speaker.
//   - With no active speaker, the loudest one speaking becomes active at once.
//   - Another participant takes over only after being speaking and louder (smoothed) than the
//     active one, or speaking while the active one is not, for `switch_after_ms` without a
//     break. A cough or a laugh never takes the big tile; ties keep the active speaker.
//     Among several such challengers the one ahead longest wins, then the louder, then the
//     lower id (deterministic).
//   - A silent room keeps the last speaker: the speaker layout keeps showing who spoke last
//     rather than emptying or jumping (as Jitsi and Zoom do). Only leaving (remove) clears it;
//     then the next speaker becomes active at once.
//   - Only the participants fed to it count: the app feeds remote participants, never
//     yourself (your own face large on your own screen helps no one).
//
// Thresholds: LiveKit's default `active_level` is 35 (-35 dBov = 0.0178 linear), above the
// noise floor a browser's noise suppression leaves (< -50 dBov) and below quiet speech
// (-30 to -20 dBov). Pure and deterministic: time is passed in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/backoff.hpp"  // Millis
#include "core/events.hpp"   // UserId

namespace gc::core {

struct SpeakerConfig {
  double threshold = 0.0178;      // -35 dBov
  Millis hold_ms = 1000;          // speaking lasts this long after the last loud sample
  Millis smoothing_ms = 1000;     // time constant of the loudness average
  Millis switch_after_ms = 1500;  // how long a challenger must lead before taking over
};

// One audio level reading from getStats (inbound-rtp audio, or media-source for the mic).
// Counters are cumulative; absent figures are nullopt.
struct AudioSample {
  std::optional<double> level;           // audioLevel, 0..1
  std::optional<double> total_energy;    // totalAudioEnergy
  std::optional<double> total_duration;  // totalSamplesDuration, seconds
};

// Turns successive AudioSamples of one connection into levels: the RMS over the interval
// when the energy counters advanced, else the instant audioLevel. A counter that went back
// (a new connection) restarts from that sample.
class AudioLevelMeter {
 public:
  // The level for this sample, clamped to 0..1; nullopt when nothing was measured.
  std::optional<double> sample(const AudioSample& s);

 private:
  std::optional<double> energy_;
  std::optional<double> duration_;
};

class SpeakingDetector {
 public:
  explicit SpeakingDetector(SpeakerConfig config = {}) : config_(config) {}

  void sample(double level, Millis now);
  bool speaking(Millis now) const { return last_loud_ && now - *last_loud_ <= config_.hold_ms; }
  double level() const { return level_; }  // the last sample, 0..1
  double loudness() const { return loudness_; }

 private:
  SpeakerConfig config_;
  double level_ = 0;
  double loudness_ = 0;
  std::optional<Millis> last_sample_;
  std::optional<Millis> last_loud_;
};

class ActiveSpeaker {
 public:
  explicit ActiveSpeaker(SpeakerConfig config = {}) : config_(config) {}

  void sample(UserId id, double level, Millis now);
  // The participant left: forgotten, and no longer the active speaker.
  void remove(UserId id);
  // Forgets everyone not in `present`.
  void retain(const std::vector<UserId>& present);
  // Applies the switching rule at `now`; returns the active speaker. Call it after samples
  // and from time to time (a challenger's lead is measured between calls).
  std::optional<UserId> update(Millis now);

  std::optional<UserId> active() const { return active_; }
  bool speaking(UserId id, Millis now) const;
  double level(UserId id) const;  // 0 when unknown

 private:
  struct Entry {
    SpeakingDetector detector;
    std::optional<Millis> ahead_since;  // speaking and louder than the active speaker since
  };
  SpeakerConfig config_;
  std::map<UserId, Entry> entries_;
  std::optional<UserId> active_;
};

}  // namespace gc::core
