// Connection quality of one media stream (issue 13 item 3): the figures of the last getStats
// poll, a 0..4 score for the tile's signal bars, and a 60 s history for the sparklines.
//
// The bridge reads one StatsSample per connection about once a second: for a receive
// connection inbound-rtp video (bytesReceived, packetsReceived, packetsLost, framesPerSecond,
// frameWidth/Height, jitter) and the nominated candidate pair's currentRoundTripTime; for the
// publishing connection outbound-rtp video (bytesSent, framesPerSecond, frameWidth/Height,
// qualityLimitationReason) and the same round-trip time. Rates come from the cumulative
// counters between two samples; a counter that went back means a new connection (a planned
// rejoin keeps the participant, not the RTCPeerConnection), so that sample only becomes the
// new baseline. A figure that is unknown is 0, never absent: state() and the plots read 0.
//
// Score: the lowest of three grades, each counted only when measured.
//   loss %   <2 → 4, <5 → 3, <10 → 2, <20 → 1, else 0. VP8 with NACK and Opus with FEC
//            hide about 2 %; from 5 % video shows artefacts and audio gaps; at 10-20 % a call
//            is barely usable (Jitsi and LiveKit put their bands at similar places).
//   RTT ms   <150 → 4, <300 → 3, <500 → 2, <1000 → 1, else 0. ITU-T G.114: up to 150 ms one
//            way is transparent for conversation, 400 ms the limit; this is one leg (client
//            to server), so the full path is about twice it.
//   fps      >=12 → 4, >=8 → 3, >=5 → 2, >=1 → 1. Video is sent at 15 fps (rooms of three
//            or more, a deployment's default); below 8 motion looks jerky, below 5 it is a
//            slide show. Counted only while frames arrive: video that stopped is the tile's
//            own state (reconnecting), and a camera that is off is no quality problem.
// Jitter is shown, not scored: the jitter buffer turns it into delay, which RTT already grades.
// No figure measured at all: score 0 and `measured` false (the badge draws grey bars).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/backoff.hpp"  // Millis

namespace gc::core {

// One poll of getStats for one connection; absent figures are nullopt.
struct StatsSample {
  std::optional<double> bytes;             // cumulative: bytesReceived, or bytesSent
  std::optional<double> packets_received;  // cumulative, receive side
  std::optional<double> packets_lost;      // cumulative, receive side (may go down a little)
  std::optional<double> fps;               // framesPerSecond
  std::optional<double> width;             // frameWidth
  std::optional<double> height;            // frameHeight
  std::optional<double> jitter_s;          // inbound-rtp jitter, seconds
  std::optional<double> rtt_s;             // candidate pair currentRoundTripTime, seconds
  std::string limitation;                  // qualityLimitationReason, send side ("" = unknown)
};

struct QualityFigures {
  int score = 0;  // 0..4
  bool measured = false;  // loss, RTT or fps was measured: the score means something
  double fps = 0;
  double bitrate_kbps = 0;
  double loss_pct = 0;
  double rtt_ms = 0;
  double jitter_ms = 0;
  int width = 0;
  int height = 0;
  std::string limitation;  // "none", "bandwidth", "cpu", "other"; "" = unknown
};

// The grade of each figure (header comment); a negative or non-finite figure is unmeasured.
int quality_score(std::optional<double> loss_pct, std::optional<double> rtt_ms, std::optional<double> fps);

enum class Metric { kBitrateKbps, kFps, kWidth, kHeight, kLossPct, kJitterMs, kRttMs };
inline constexpr int kMetricCount = 7;

class QualityMeter {
 public:
  static constexpr int kHistorySeconds = 60;

  void sample(const StatsSample& s, Millis now);
  const QualityFigures& figures() const { return figures_; }
  // A sample at most this long after the one before also fills the seconds between them
  // (the polls are 2 s apart at rest, Client::stats_interval_ms).
  static constexpr double kFillGapSeconds = 2.5;

  // kHistorySeconds values, oldest first, one per second up to the latest sample's second;
  // a second a sample stood for (above) has its values, other seconds without one are 0. Floats: what ImGui::PlotLines takes.
  std::vector<float> history(Metric metric) const;
  // The largest value of history(metric), 0 when empty.
  float history_max(Metric metric) const;

 private:
  struct Point {
    std::int64_t second = -1;
    std::array<float, kMetricCount> values{};
  };
  QualityFigures figures_;
  std::optional<Millis> last_time_;
  std::optional<double> bytes_;
  std::optional<double> received_;
  std::optional<double> lost_;
  std::array<Point, kHistorySeconds> ring_{};
  std::optional<std::int64_t> last_second_;
};

}  // namespace gc::core
