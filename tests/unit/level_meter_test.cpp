// The own microphone's meter (src/core/level_meter.hpp): levels as lit segments, and when a
// changed segment count is worth a frame (at most 10 a second, none for a steady level).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/level_meter.hpp"

namespace gc::core {
namespace {

double from_dbov(double db) { return std::pow(10.0, db / 20.0); }

TEST(LevelMeter, FiveDecibelsASegmentFromMinus50To0Dbov) {
  EXPECT_EQ(meter_step(0.0), 0);
  EXPECT_EQ(meter_step(from_dbov(-60)), 0);
  EXPECT_EQ(meter_step(from_dbov(-49)), 0);
  EXPECT_EQ(meter_step(from_dbov(-44)), 1);
  EXPECT_EQ(meter_step(from_dbov(-34)), 3) << "the speaking threshold (-35 dBov) lights 3";
  EXPECT_EQ(meter_step(from_dbov(-20)), 6);
  EXPECT_EQ(meter_step(from_dbov(-1)), 9);
  EXPECT_EQ(meter_step(1.0), kMeterSteps);
  EXPECT_EQ(meter_step(7.0), kMeterSteps);
  EXPECT_EQ(meter_step(-0.5), 0);
  EXPECT_EQ(meter_step(std::numeric_limits<double>::quiet_NaN()), 0);
  EXPECT_EQ(meter_step(std::numeric_limits<double>::infinity()), kMeterSteps);
  int last = 0;
  for (double db = -70; db <= 0; db += 0.5) {  // never goes down as the level rises
    const int s = meter_step(from_dbov(db));
    EXPECT_GE(s, last) << db;
    last = s;
  }
}

TEST(LevelMeter, ASteadyOrSilentMicrophoneAsksForNoFrame) {
  MeterThrottle t;
  EXPECT_EQ(t.on_level(0, 1000), std::nullopt) << "silence is what an undrawn meter shows";
  t.on_drawn(4, 1000);
  for (Millis now = 1000; now < 5000; now += 250) EXPECT_EQ(t.on_level(4, now), std::nullopt) << now;
  t.on_drawn(0, 5000);
  for (Millis now = 5000; now < 9000; now += 100) EXPECT_EQ(t.on_level(meter_step(0.0), now), std::nullopt);
}

TEST(LevelMeter, AChangedStepDrawsAtOnceOrWhenTheLastFrameIs100MsOld) {
  MeterThrottle t;
  EXPECT_EQ(t.on_level(5, 1000), std::optional<Millis>(1000)) << "nothing drawn yet: now";
  t.on_drawn(5, 1000);
  EXPECT_EQ(t.on_level(6, 1040), std::optional<Millis>(1100)) << "40 ms after a frame: at 100 ms";
  EXPECT_EQ(t.on_level(5, 1050), std::nullopt) << "back to what is drawn: no frame needed";
  EXPECT_EQ(t.on_level(7, 1250), std::optional<Millis>(1250));
  t.on_drawn(5, 1300);  // a frame for something else shows the meter too
  EXPECT_EQ(t.on_level(5, 1310), std::nullopt);
  EXPECT_EQ(t.on_level(2, 1310), std::optional<Millis>(1400));
}

TEST(LevelMeter, ALevelChangingEveryFewMillisecondsDrawsAtMostTenFramesASecond) {
  MeterThrottle t;
  Millis next_frame = -1;
  int frames = 0;
  for (Millis now = 0; now < 10'000; now += 5) {
    if (next_frame >= 0 && now >= next_frame) {  // the app's timer fires: a frame
      t.on_drawn(static_cast<int>((now / 5) % 11), now);
      ++frames;
      next_frame = -1;
    }
    const int step = static_cast<int>((now / 5) % 11);  // a new step every 5 ms
    if (const auto at = t.on_level(step, now); at && next_frame < 0) next_frame = *at;
  }
  EXPECT_LE(frames, 101);
  EXPECT_GE(frames, 90) << "but it keeps up";
}

}  // namespace
}  // namespace gc::core
