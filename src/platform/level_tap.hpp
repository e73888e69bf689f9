// An audio level read from WebAudio (gcBridge.levelTap in web/js/bridges.js): an
// AnalyserNode on one track, in the page's one AudioContext.
//
// Why (issue 12 item 5): a call's speaking rings need a level for every tile on screen
// about every 250 ms. Through getStats that is one report a connection each time, which
// Chromium collects across its threads: the main thread's largest cost at rest. An
// analyser is read in microseconds. It cannot always be used: the autoplay policy keeps an
// AudioContext suspended until the page's first user gesture (a kiosk may never have one,
// unless its browser allows autoplay), and some browsers have no WebAudio; then read() says
// nullopt and the caller asks getStats, as before.
//
// attach(from): a MediaStreamTrack, or an RTCRtpSender / RTCRtpReceiver, whose current
// track is tapped at each read (a device switch is followed without a call from here; a
// different `from` replaces the tap). kPeak is the largest sample of the last ~43 ms (the
// pre-join meter); kInterval the level since the previous read as WebRTC's
// totalAudioEnergy counts it (the RMS of a peak held ~110 ms, per 10 ms frame), so it is on
// the scale core::AudioLevelMeter gives for getStats and the speaking thresholds still hold.
// One call into JavaScript per read: the Peers read theirs four times a second. The page's
// AudioContext is made on the first read that finds a track (not at attach(), which runs
// when a connection is made, on the way to its first video), at 16 kHz where the browser
// allows it (a third of the samples to read at 48 kHz; a peak per 10 ms frame is the same),
// suspended while no track is tapped (after a call, or the join screen's meter), and
// resumed by the next tap.
#pragma once

#include <optional>

#include <emscripten/val.h>

namespace gc::platform {

class LevelTap {
 public:
  enum class Kind { kPeak, kInterval };

  LevelTap() = default;
  ~LevelTap() { close(); }
  LevelTap(const LevelTap&) = delete;
  LevelTap& operator=(const LevelTap&) = delete;

  void attach(const emscripten::val& from);
  // 0..1, or nullopt when there is no track, no WebAudio or the context does not run.
  std::optional<double> read(Kind kind) const;
  void close();

 private:
  emscripten::val tap_ = emscripten::val::null();
  emscripten::val from_ = emscripten::val::null();  // what tap_ listens to
};

}  // namespace gc::platform
