// Connection quality (issue 13 item 3; core/quality.hpp): the score's bands, rates from
// cumulative getStats counters, counter resets, unknown figures, the 60 s history.
#include "core/quality.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace {

using gc::core::Metric;
using gc::core::Millis;
using gc::core::QualityMeter;
using gc::core::quality_score;
using gc::core::StatsSample;

constexpr Millis kT0 = 1'700'000'000'000;

// A receive connection's sample: cumulative bytes and packets, 15 fps 320x240.
StatsSample inbound(double bytes, double received, double lost, double rtt_s = 0.02) {
  StatsSample s;
  s.bytes = bytes;
  s.packets_received = received;
  s.packets_lost = lost;
  s.fps = 15;
  s.width = 320;
  s.height = 240;
  s.jitter_s = 0.004;
  s.rtt_s = rtt_s;
  return s;
}

TEST(Quality, ScoreIsTheLowestGradeOfLossRttAndFps) {
  EXPECT_EQ(quality_score(0.0, 20.0, 15.0), 4);
  EXPECT_EQ(quality_score(1.9, 149.0, 12.0), 4);
  EXPECT_EQ(quality_score(2.0, 20.0, 15.0), 3) << "2 % loss";
  EXPECT_EQ(quality_score(0.0, 300.0, 15.0), 2) << "300 ms";
  EXPECT_EQ(quality_score(0.0, 20.0, 7.0), 2) << "7 fps";
  EXPECT_EQ(quality_score(12.0, 20.0, 15.0), 1);
  EXPECT_EQ(quality_score(25.0, 20.0, 15.0), 0);
  EXPECT_EQ(quality_score(0.0, 1000.0, 15.0), 0);
  EXPECT_EQ(quality_score(3.0, 400.0, 4.0), 1) << "fps 4 grades 1, RTT 2, loss 3";
}

TEST(Quality, UnmeasuredFiguresDoNotCountAndNothingMeasuredIsZero) {
  EXPECT_EQ(quality_score(std::nullopt, std::nullopt, std::nullopt), 0);
  EXPECT_EQ(quality_score(0.0, std::nullopt, std::nullopt), 4) << "loss alone";
  EXPECT_EQ(quality_score(std::nullopt, 600.0, std::nullopt), 1);
  EXPECT_EQ(quality_score(std::nullopt, std::nullopt, 9.0), 3);
  EXPECT_EQ(quality_score(std::nan(""), -1.0, std::nullopt), 0) << "NaN and negative are unmeasured";
}

TEST(Quality, BitrateAndLossComeFromCounterDeltas) {
  QualityMeter m;
  m.sample(inbound(100000, 1000, 10), kT0);
  EXPECT_EQ(m.figures().bitrate_kbps, 0) << "one sample has no rate";
  EXPECT_EQ(m.figures().loss_pct, 0);
  EXPECT_EQ(m.figures().fps, 15) << "instant figures are there at once";
  EXPECT_EQ(m.figures().width, 320);
  EXPECT_EQ(m.figures().height, 240);
  EXPECT_NEAR(m.figures().jitter_ms, 4, 1e-9);
  EXPECT_NEAR(m.figures().rtt_ms, 20, 1e-9);
  // 2 s later: 62,500 bytes more (250 kbit/s), 190 packets in, 10 lost (5 %).
  m.sample(inbound(162500, 1190, 20), kT0 + 2000);
  EXPECT_NEAR(m.figures().bitrate_kbps, 250, 1e-9);
  EXPECT_NEAR(m.figures().loss_pct, 5, 1e-9);
  EXPECT_EQ(m.figures().score, 2) << "5 % loss";
  EXPECT_TRUE(m.figures().measured);
}

TEST(Quality, CountersThatGoBackAreANewConnectionNotANegativeRate) {
  QualityMeter m;
  m.sample(inbound(5'000'000, 50000, 100), kT0);
  m.sample(inbound(5'125'000, 51000, 100), kT0 + 1000);
  EXPECT_NEAR(m.figures().bitrate_kbps, 1000, 1e-9);
  // A planned rejoin: a new RTCPeerConnection whose counters start again.
  m.sample(inbound(20000, 150, 0), kT0 + 2000);
  EXPECT_EQ(m.figures().bitrate_kbps, 0) << "the first sample of the new connection is a baseline";
  EXPECT_EQ(m.figures().loss_pct, 0);
  m.sample(inbound(57500, 250, 0), kT0 + 3000);
  EXPECT_NEAR(m.figures().bitrate_kbps, 300, 1e-9);
  EXPECT_EQ(m.figures().loss_pct, 0);
  EXPECT_EQ(m.figures().score, 4);
}

TEST(Quality, LostPacketsFoundAgainAreNoNegativeLoss) {
  QualityMeter m;
  m.sample(inbound(0, 1000, 30), kT0);
  m.sample(inbound(1000, 1100, 25), kT0 + 1000);  // 5 late packets arrived after all
  EXPECT_EQ(m.figures().loss_pct, 0);
  EXPECT_EQ(m.figures().bitrate_kbps, 8);
  // RTCP may even report packetsLost negative (duplicates).
  StatsSample s = inbound(2000, 1200, -3);
  m.sample(s, kT0 + 2000);
  EXPECT_EQ(m.figures().loss_pct, 0);
}

TEST(Quality, UnknownFiguresAreZeroNeverAbsent) {
  QualityMeter m;
  EXPECT_EQ(m.figures().score, 0);
  EXPECT_FALSE(m.figures().measured);
  m.sample(StatsSample{}, kT0);
  m.sample(StatsSample{}, kT0 + 1000);
  const auto& f = m.figures();
  EXPECT_EQ(f.score, 0);
  EXPECT_FALSE(f.measured) << "the badge draws grey bars";
  EXPECT_EQ(f.fps, 0);
  EXPECT_EQ(f.bitrate_kbps, 0);
  EXPECT_EQ(f.loss_pct, 0);
  EXPECT_EQ(f.rtt_ms, 0);
  EXPECT_EQ(f.jitter_ms, 0);
  EXPECT_EQ(f.width, 0);
  EXPECT_EQ(f.height, 0);
  EXPECT_EQ(f.limitation, "");
  StatsSample nan;
  nan.fps = std::nan("");
  nan.rtt_s = -0.1;
  m.sample(nan, kT0 + 2000);
  EXPECT_EQ(m.figures().fps, 0);
  EXPECT_EQ(m.figures().rtt_ms, 0);
}

TEST(Quality, NoPacketsInAnIntervalIsUnmeasuredLossNotZeroScore) {
  QualityMeter m;
  StatsSample s = inbound(1000, 100, 0);
  s.fps = 0;  // camera off: no video frames
  s.rtt_s = std::nullopt;
  m.sample(s, kT0);
  m.sample(s, kT0 + 1000);
  EXPECT_EQ(m.figures().score, 0) << "nothing measured: no loss, no RTT, no frames";
  EXPECT_FALSE(m.figures().measured);
  s.rtt_s = 0.05;
  m.sample(s, kT0 + 2000);
  EXPECT_EQ(m.figures().score, 4) << "RTT alone";
}

TEST(Quality, OutboundLimitationAndBitrate) {
  QualityMeter m;
  StatsSample s;
  s.bytes = 0;
  s.fps = 15;
  s.limitation = "bandwidth";
  m.sample(s, kT0);
  s.bytes = 50000;  // 400 kbit in a second
  m.sample(s, kT0 + 1000);
  EXPECT_NEAR(m.figures().bitrate_kbps, 400, 1e-9);
  EXPECT_EQ(m.figures().limitation, "bandwidth");
  EXPECT_EQ(m.figures().score, 4);
}

TEST(Quality, SampleWithoutTimePassingIsIgnored) {
  QualityMeter m;
  m.sample(inbound(0, 0, 0), kT0);
  m.sample(inbound(1000, 10, 0), kT0 + 1000);
  m.sample(inbound(999999, 20, 0), kT0 + 1000);
  EXPECT_NEAR(m.figures().bitrate_kbps, 8, 1e-9);
}

TEST(Quality, HistoryHoldsSixtySecondsOldestFirstWithGapsAsZero) {
  QualityMeter m;
  EXPECT_EQ(m.history(Metric::kFps), std::vector<float>(60, 0.0f)) << "empty history: 60 zeros";
  double bytes = 0;
  for (int i = 0; i < 90; ++i) {
    if (i == 80 || i == 81) continue;  // missed polls (a throttled tab): 3 s between two
    StatsSample s = inbound(bytes, i * 100.0, 0);
    s.fps = i;
    m.sample(s, kT0 + i * 1000);
    bytes += 1000;
  }
  const std::vector<float> fps = m.history(Metric::kFps);
  ASSERT_EQ(fps.size(), 60u);
  EXPECT_EQ(fps.front(), 30) << "the last 60 seconds: 30..89";
  EXPECT_EQ(fps.back(), 89);
  EXPECT_EQ(fps[50], 0) << "seconds 80 and 81 had no sample";
  EXPECT_EQ(fps[51], 0);
  EXPECT_EQ(fps[49], 79);
  const std::vector<float> kbps = m.history(Metric::kBitrateKbps);
  EXPECT_NEAR(kbps.back(), 8, 1e-4);
  EXPECT_NEAR(kbps[52], 8.0 / 3, 1e-4) << "the sample after the gap rates over three seconds";
  EXPECT_EQ(m.history(Metric::kWidth).back(), 320);
  EXPECT_EQ(m.history(Metric::kHeight).back(), 240);
  EXPECT_NEAR(m.history(Metric::kRttMs).back(), 20, 1e-4);
  EXPECT_NEAR(m.history(Metric::kJitterMs).back(), 4, 1e-4);
  EXPECT_EQ(m.history(Metric::kLossPct).back(), 0);
  EXPECT_EQ(m.history_max(Metric::kFps), 89);
}

TEST(Quality, APollEveryTwoSecondsFillsTheSecondItSkipped) {
  QualityMeter m;
  double bytes = 0;
  for (int i = 0; i <= 20; i += 2) {
    StatsSample s = inbound(bytes, i * 100.0, 0);
    s.fps = 15;
    m.sample(s, kT0 + i * 1000 + 30);
    bytes += 2000;
  }
  const std::vector<float> fps = m.history(Metric::kFps);
  const std::vector<float> kbps = m.history(Metric::kBitrateKbps);
  for (int i = 40; i < 60; ++i) {
    EXPECT_EQ(fps[static_cast<std::size_t>(i)], 15) << "second " << i;
    EXPECT_NEAR(kbps[static_cast<std::size_t>(i)], 8, 1e-4) << "second " << i;
  }
  EXPECT_EQ(fps[38], 0) << "before the first sample";
}

TEST(Quality, TwoSamplesInOneSecondKeepTheLatest) {
  QualityMeter m;
  StatsSample s = inbound(0, 0, 0);
  s.fps = 10;
  m.sample(s, kT0 + 100);
  s.fps = 12;
  m.sample(s, kT0 + 900);
  EXPECT_EQ(m.history(Metric::kFps).back(), 12);
  EXPECT_EQ(m.history(Metric::kFps)[58], 0);
}

}  // namespace
