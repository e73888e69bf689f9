#include "core/speaker.hpp"

#include <algorithm>
#include <cmath>

namespace gc::core {

std::optional<double> AudioLevelMeter::sample(const AudioSample& s) {
  std::optional<double> level;
  if (s.total_energy && s.total_duration) {
    const bool went_back = (energy_ && *s.total_energy < *energy_) || (duration_ && *s.total_duration < *duration_);
    if (energy_ && duration_ && !went_back) {
      const double duration = *s.total_duration - *duration_;
      // totalAudioEnergy sums level^2 * duration: its mean over the interval is the RMS^2.
      if (duration > 0) level = std::sqrt(std::max(0.0, *s.total_energy - *energy_) / duration);
    }
    energy_ = s.total_energy;
    duration_ = s.total_duration;
  }
  if (!level && s.level) level = *s.level;
  if (!level || !std::isfinite(*level)) return std::nullopt;
  return std::clamp(*level, 0.0, 1.0);
}

void SpeakingDetector::sample(double level, Millis now) {
  level_ = std::isfinite(level) ? std::clamp(level, 0.0, 1.0) : 0.0;
  if (!last_sample_) {
    loudness_ = level_;
  } else if (now > *last_sample_) {
    const double alpha = 1.0 - std::exp(-static_cast<double>(now - *last_sample_) /
                                        static_cast<double>(std::max<Millis>(config_.smoothing_ms, 1)));
    loudness_ += alpha * (level_ - loudness_);
  }
  if (!last_sample_ || now > *last_sample_) last_sample_ = now;
  if (level_ >= config_.threshold) last_loud_ = now;
}

void ActiveSpeaker::sample(UserId id, double level, Millis now) {
  auto it = entries_.find(id);
  if (it == entries_.end()) it = entries_.emplace(id, Entry{SpeakingDetector(config_), std::nullopt}).first;
  it->second.detector.sample(level, now);
}

void ActiveSpeaker::remove(UserId id) {
  entries_.erase(id);
  if (active_ == id) active_.reset();
}

void ActiveSpeaker::retain(const std::vector<UserId>& present) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (std::find(present.begin(), present.end(), it->first) != present.end()) {
      ++it;
      continue;
    }
    if (active_ == it->first) active_.reset();
    it = entries_.erase(it);
  }
  if (active_ && std::find(present.begin(), present.end(), *active_) == present.end()) active_.reset();
}

std::optional<UserId> ActiveSpeaker::update(Millis now) {
  if (!active_) {
    // Nobody to switch from: the loudest one speaking, at once (ties: the lower id).
    const Entry* best = nullptr;
    for (auto& [id, e] : entries_) {
      e.ahead_since.reset();
      if (!e.detector.speaking(now)) continue;
      if (!best || e.detector.loudness() > best->detector.loudness()) {
        best = &e;
        active_ = id;
      }
    }
    return active_;
  }
  const Entry& current = entries_.at(*active_);
  const bool current_speaking = current.detector.speaking(now);
  std::optional<UserId> winner;
  const Entry* winning = nullptr;
  for (auto& [id, e] : entries_) {
    if (id == *active_) continue;
    const bool ahead = e.detector.speaking(now) &&
                       (!current_speaking || e.detector.loudness() > current.detector.loudness());
    if (!ahead) {
      e.ahead_since.reset();
      continue;
    }
    if (!e.ahead_since) e.ahead_since = now;
    if (now - *e.ahead_since < config_.switch_after_ms) continue;
    // Ahead longest, then louder, then the lower id (map order).
    if (!winning || *e.ahead_since < *winning->ahead_since ||
        (*e.ahead_since == *winning->ahead_since && e.detector.loudness() > winning->detector.loudness())) {
      winning = &e;
      winner = id;
    }
  }
  if (winner) {
    active_ = winner;
    for (auto& [id, e] : entries_) e.ahead_since.reset();
  }
  return active_;
}

bool ActiveSpeaker::speaking(UserId id, Millis now) const {
  auto it = entries_.find(id);
  return it != entries_.end() && it->second.detector.speaking(now);
}

double ActiveSpeaker::level(UserId id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? 0.0 : it->second.detector.level();
}

}  // namespace gc::core
