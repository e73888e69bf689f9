// Speaking detection and the active speaker (issue 13 item 2; core/speaker.hpp): levels
// sampled every 250 ms, as the client polls them.
#include "core/speaker.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace {

using gc::core::ActiveSpeaker;
using gc::core::AudioLevelMeter;
using gc::core::AudioSample;
using gc::core::Millis;
using gc::core::SpeakerConfig;
using gc::core::SpeakingDetector;
using gc::core::UserId;

constexpr double kLoud = 0.2;
constexpr double kLouder = 0.4;
constexpr double kQuiet = 0.001;
constexpr Millis kStep = 250;

// Feeds each id its level every 250 ms over [from, to), updating after each round; returns
// the active speaker at the end.
template <typename LevelOf>
std::optional<UserId> run(ActiveSpeaker& a, Millis from, Millis to, std::initializer_list<UserId> ids, LevelOf level_of) {
  for (Millis t = from; t < to; t += kStep) {
    for (UserId id : ids) a.sample(id, level_of(id, t), t);
    a.update(t);
  }
  return a.active();
}

// ---- SpeakingDetector --------------------------------------------------------------------

TEST(SpeakingDetector, SpeaksFromTheFirstLoudSampleAndHoldsThroughPausesBetweenWords) {
  SpeakingDetector d;
  d.sample(kQuiet, 0);
  EXPECT_FALSE(d.speaking(0));
  d.sample(kLoud, 250);
  EXPECT_TRUE(d.speaking(250));
  // A 500 ms pause between words: still speaking, no flicker.
  d.sample(kQuiet, 500);
  d.sample(kQuiet, 750);
  EXPECT_TRUE(d.speaking(750));
  d.sample(kLoud, 1000);
  EXPECT_TRUE(d.speaking(1000));
  // Silence longer than the hold (1 s): no longer speaking.
  d.sample(kQuiet, 1250);
  d.sample(kQuiet, 2000);
  EXPECT_TRUE(d.speaking(2000));
  d.sample(kQuiet, 2250);
  EXPECT_FALSE(d.speaking(2250));
}

TEST(SpeakingDetector, ThresholdIsMinus35DbovAndLevelsAreClamped) {
  SpeakingDetector d;
  d.sample(0.017, 0);  // just under -35 dBov
  EXPECT_FALSE(d.speaking(0));
  d.sample(0.018, 250);
  EXPECT_TRUE(d.speaking(250));
  d.sample(7.0, 500);
  EXPECT_EQ(d.level(), 1.0);
  d.sample(-1.0, 750);
  EXPECT_EQ(d.level(), 0.0);
  d.sample(std::nan(""), 1000);
  EXPECT_EQ(d.level(), 0.0);
}

TEST(SpeakingDetector, EndsByItselfWhenSamplesStop) {
  SpeakingDetector d;
  d.sample(kLoud, 0);
  EXPECT_TRUE(d.speaking(900));
  EXPECT_FALSE(d.speaking(1001)) << "a closed connection sends no more samples";
}

TEST(SpeakingDetector, LoudnessIsSmoothedOverAboutASecond) {
  SpeakingDetector d;
  d.sample(0, 0);
  d.sample(1.0, 250);
  EXPECT_GT(d.loudness(), 0.15);
  EXPECT_LT(d.loudness(), 0.3) << "one loud sample is not yet loud";
  for (Millis t = 500; t <= 3000; t += kStep) d.sample(1.0, t);
  EXPECT_GT(d.loudness(), 0.9);
}

TEST(SpeakingDetector, LevelIsTheRmsOfTheIntervalFromEnergyCounters) {
  AudioLevelMeter m;
  // First sample: no interval yet, the instant level.
  EXPECT_EQ(m.sample(AudioSample{0.05, 1.0, 10.0}), 0.05);
  // 0.25 s at a constant 0.2: energy grows by 0.2^2 * 0.25.
  const auto level = m.sample(AudioSample{0.0, 1.0 + 0.04 * 0.25, 10.25});
  ASSERT_TRUE(level);
  EXPECT_NEAR(*level, 0.2, 1e-9) << "a beep between two polls is not missed";
  // No time passed in the counters: the instant level.
  EXPECT_EQ(m.sample(AudioSample{0.3, 1.0 + 0.04 * 0.25, 10.25}), 0.3);
}

TEST(SpeakingDetector, EnergyCountersThatGoBackAreANewConnection) {
  AudioLevelMeter m;
  m.sample(AudioSample{std::nullopt, 5.0, 100.0});
  // New connection: counters restart near zero; the instant level stands in.
  EXPECT_EQ(m.sample(AudioSample{0.1, 0.001, 0.5}), 0.1);
  const auto next = m.sample(AudioSample{std::nullopt, 0.001 + 0.01 * 0.5, 1.0});
  ASSERT_TRUE(next);
  EXPECT_NEAR(*next, 0.1, 1e-9);
}

TEST(SpeakingDetector, NothingMeasuredIsNoLevel) {
  AudioLevelMeter m;
  EXPECT_FALSE(m.sample(AudioSample{}));
  EXPECT_FALSE(m.sample(AudioSample{std::nan(""), std::nullopt, std::nullopt}));
  EXPECT_EQ(m.sample(AudioSample{3.0, std::nullopt, std::nullopt}), 1.0);
}

// ---- ActiveSpeaker -----------------------------------------------------------------------

TEST(ActiveSpeaker, NobodyIsActiveInARoomThatNeverSpoke) {
  ActiveSpeaker a;
  EXPECT_EQ(run(a, 0, 5000, {2, 3}, [](UserId, Millis) { return kQuiet; }), std::nullopt);
  EXPECT_FALSE(a.speaking(2, 5000));
}

TEST(ActiveSpeaker, TheFirstSpeakerIsActiveAtOnce) {
  ActiveSpeaker a;
  a.sample(2, kQuiet, 0);
  a.sample(3, kLoud, 0);
  EXPECT_EQ(a.update(0), 3);
  EXPECT_TRUE(a.speaking(3, 0));
  EXPECT_DOUBLE_EQ(a.level(3), kLoud);
  EXPECT_EQ(a.level(99), 0.0) << "unknown: 0";
}

TEST(ActiveSpeaker, ALouderSpeakerTakesOverOnlyAfterLeadingForOneAndAHalfSeconds) {
  ActiveSpeaker a;
  run(a, 0, 2000, {2, 3}, [](UserId id, Millis) { return id == 2 ? kLoud : kQuiet; });
  ASSERT_EQ(a.active(), 2);
  // From t=2000, 3 speaks louder than 2. Its smoothed loudness needs a moment to pass 2's,
  // then the lead must last 1.5 s.
  Millis switched = -1;
  for (Millis t = 2000; t < 8000 && switched < 0; t += kStep) {
    a.sample(2, kLoud, t);
    a.sample(3, kLouder, t);
    if (a.update(t) == 3) switched = t;
  }
  ASSERT_GE(switched, 0);
  EXPECT_GE(switched - 2000, 1500) << "hysteresis";
  EXPECT_LE(switched - 2000, 3000);
}

TEST(ActiveSpeaker, ACoughShorterThanTheHysteresisNeverTakesOver) {
  ActiveSpeaker a;
  run(a, 0, 3000, {2, 3}, [](UserId id, Millis) { return id == 2 ? kLoud : kQuiet; });
  // 3 coughs loudly for 500 ms, then is quiet; 2 keeps talking.
  run(a, 3000, 10000, {2, 3}, [](UserId id, Millis t) {
    if (id == 2) return kLoud;
    return t < 3500 ? 1.0 : kQuiet;
  });
  EXPECT_EQ(a.active(), 2);
}

TEST(ActiveSpeaker, ASilentRoomKeepsTheLastSpeaker) {
  ActiveSpeaker a;
  run(a, 0, 2000, {2, 3}, [](UserId id, Millis) { return id == 3 ? kLoud : kQuiet; });
  ASSERT_EQ(a.active(), 3);
  run(a, 2000, 60000, {2, 3}, [](UserId, Millis) { return kQuiet; });
  EXPECT_EQ(a.active(), 3);
  EXPECT_FALSE(a.speaking(3, 60000));
}

TEST(ActiveSpeaker, WhenTheActiveOneFallsSilentAnotherSpeakerTakesOverAfterTheHysteresis) {
  ActiveSpeaker a;
  run(a, 0, 2000, {2, 3}, [](UserId id, Millis) { return id == 2 ? kLoud : kQuiet; });
  // 2 stops; 3 starts, quieter than 2 was: speaking while the active one is not is enough.
  Millis switched = -1;
  for (Millis t = 2000; t < 8000 && switched < 0; t += kStep) {
    a.sample(2, kQuiet, t);
    a.sample(3, 0.05, t);
    if (a.update(t) == 3) switched = t;
  }
  ASSERT_GE(switched, 0);
  EXPECT_GE(switched - 2000, 1500);
}

TEST(ActiveSpeaker, TiesKeepTheActiveSpeaker) {
  ActiveSpeaker a;
  run(a, 0, 1000, {2}, [](UserId, Millis) { return kLoud; });
  ASSERT_EQ(a.active(), 2);
  // 3 joins in and is exactly as loud for a long time: never strictly louder.
  run(a, 1000, 20000, {2, 3}, [](UserId, Millis) { return kLoud; });
  EXPECT_EQ(a.active(), 2);
}

TEST(ActiveSpeaker, TiesAtTheStartGoToTheLowerId) {
  ActiveSpeaker a;
  a.sample(5, kLoud, 0);
  a.sample(4, kLoud, 0);
  EXPECT_EQ(a.update(0), 4);
}

TEST(ActiveSpeaker, OfTwoChallengersTheOneAheadLongestWins) {
  ActiveSpeaker a;
  run(a, 0, 2000, {2}, [](UserId, Millis) { return kLoud; });
  a.sample(2, kQuiet, 2000);
  a.update(2000);
  // 2 is silent from 2000; 3 speaks from 2000, 4 (louder) from 2500.
  std::optional<UserId> first;
  for (Millis t = 2250; t < 6000; t += kStep) {
    a.sample(2, kQuiet, t);
    a.sample(3, kLoud, t);
    a.sample(4, t >= 2500 ? kLouder : kQuiet, t);
    a.update(t);
    if (!first && a.active() != 2) first = a.active();
  }
  EXPECT_EQ(first, 3);
}

TEST(ActiveSpeaker, TheActiveSpeakerLeavingClearsItAndTheNextSpeakerIsActiveAtOnce) {
  ActiveSpeaker a;
  run(a, 0, 2000, {2, 3}, [](UserId id, Millis) { return id == 2 ? kLouder : kLoud; });
  ASSERT_EQ(a.active(), 2);
  a.remove(2);
  EXPECT_EQ(a.active(), std::nullopt);
  EXPECT_FALSE(a.speaking(2, 2000));
  a.sample(3, kLoud, 2000);
  EXPECT_EQ(a.update(2000), 3) << "nobody to switch from: no hysteresis";
}

TEST(ActiveSpeaker, RetainForgetsWhoIsNoLongerInTheRoom) {
  ActiveSpeaker a;
  run(a, 0, 1000, {2, 3}, [](UserId id, Millis) { return id == 2 ? kLoud : kQuiet; });
  a.retain({3});
  EXPECT_EQ(a.active(), std::nullopt);
  EXPECT_EQ(a.level(2), 0.0);
  a.retain({});
  EXPECT_EQ(a.update(1000), std::nullopt);
}

TEST(ActiveSpeaker, AChallengerWhoseLeadBreaksStartsAgain) {
  SpeakerConfig c;
  c.hold_ms = 0;  // no hold: a quiet sample ends speaking at once
  ActiveSpeaker a(c);
  run(a, 0, 1000, {2}, [](UserId, Millis) { return kLoud; });
  a.sample(2, kQuiet, 1000);
  // 3 speaks for 1.25 s, breaks for one sample, speaks again for 1.25 s: never 1.5 s in a row.
  run(a, 1000, 3750, {2, 3}, [](UserId id, Millis t) {
    if (id == 2) return kQuiet;
    return (t >= 2250 && t < 2500) ? kQuiet : kLoud;
  });
  EXPECT_EQ(a.active(), 2);
  run(a, 3750, 4500, {2, 3}, [](UserId id, Millis) { return id == 2 ? kQuiet : kLoud; });
  EXPECT_EQ(a.active(), 3);
}

}  // namespace
