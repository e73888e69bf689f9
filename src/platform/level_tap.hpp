// An audio level read from WebAudio (gcBridge.levelTap in web/js/bridges.js): a tap on one
// track, in the page's one AudioContext.
//
// Why (issue 12 item 5): a call's speaking rings need a level for every tile on screen
// about every 250 ms. Through getStats that is one report a connection each time, which
// Chromium collects across its threads: the main thread's largest cost at rest. A tap is
// read in microseconds. It cannot always be used: the autoplay policy keeps an
// AudioContext suspended until the page's first user gesture (a kiosk may never have one,
// unless its browser allows autoplay), and some browsers have no WebAudio; then read() says
// nullopt and the caller asks getStats, as before.
//
// attach(from): a MediaStreamTrack, or an RTCRtpSender / RTCRtpReceiver, whose current
// track is tapped at each read (a device switch is followed without a call from here; a
// different `from` replaces the tap). kPeak is the largest sample of the last ~43 ms (the
// pre-join meter: an AnalyserNode's samples); kInterval the level since the previous read
// as WebRTC's totalAudioEnergy counts it (the RMS of a peak held ~110 ms, per 10 ms frame),
// so it is on the scale core::AudioLevelMeter gives for getStats and the speaking
// thresholds still hold. kInterval is computed on the audio thread by an AudioWorklet
// (web/worklets/levels.js), which posts every tap's sums in one message four times a
// second; a read turns two sums into a level. Until the worklet's module has loaded, or
// where there is none (an insecure origin), the analyser's samples are scanned instead.
// One call into JavaScript per read. The page's AudioContext is made on the first read
// that finds a track (not at attach(), which runs when a connection is made, on the way to
// its first video), at 16 kHz where the browser allows it (a peak per 10 ms frame is the
// same as at 48 kHz), suspended while no track is tapped (after a call, or the join
// screen's meter), and resumed by the next tap.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <emscripten/val.h>

#include "platform/bridge_callback.hpp"

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

// Fires once, after arm(), when the audio worklet next reports: with sound (a level at or
// over -50 dBov, below anything the rings or the meter show) on any tapped track, or at
// all (any_report). The worklet reports four times a second while a track has sound, and
// nothing while every track is silent. Its reports stop only with the page's AudioContext
// (suspended, interrupted or closed: a track that ends is silence, and reported as such);
// the wake then fires too, without sound. So a caller that reads its taps can let the
// reports pace its reads, with no timer of its own beside them, and in silence wait for the
// first sound: a quiet call's levels then wake the page's main thread not at all (issue 12
// item 5).
// available(): the worklet runs (its module loaded, the context running), so reports come;
// where it does not (an insecure origin: the analyser), nothing would fire. One armed wake
// per page.
class SoundWake {
 public:
  explicit SoundWake(std::function<void()> fire);
  ~SoundWake() { cancel(); }
  SoundWake(const SoundWake&) = delete;
  SoundWake& operator=(const SoundWake&) = delete;

  bool available() const;
  void arm(bool any_report);
  void cancel();
  bool armed() const { return armed_; }
  // The report that fired it last said a track had sound.
  bool sounding() const { return sounding_; }

 private:
  std::function<void()> fire_;
  JsCallback callback_;
  bool armed_ = false;
  bool sounding_ = false;
};

}  // namespace gc::platform
