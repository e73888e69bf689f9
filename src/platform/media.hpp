// The local camera and microphone: getUserMedia, device lists, mute / camera off, switching
// devices.
//
// request() asks for audio + video with the configured constraints. A chosen device that is
// not there (OverconstrainedError: unplugged, or remembered from another visit; Chromium
// ignores `deviceId: {ideal}`, so the ids are `exact`) is dropped from the constraints and
// the same request made again for any device. If both together fail
// for a reason other than a denial, it retries audio only, then video only, so a machine
// without a camera still publishes its microphone; `ready` says what was obtained. A
// denial (NotAllowedError) or a missing API (plain http on a LAN address) fails at once
// with the browser's reason ("NotAllowedError: Permission denied").
//
// Mute and camera off only flip track.enabled: the send connection keeps running and the
// others see black video / silence. switch_devices() acquires the new device first, then
// calls `tracks_changed` so the peers can replaceTrack(); the old tracks stop afterwards.
//
// The microphone's level for the pre-join check's meter (issue 13 item 7): input_level()
// reads a WebAudio AnalyserNode on the audio track (platform/level_tap.hpp; opened on the
// first call, and again for a new track after a switch): the peak sample of the last ~43 ms,
// 0..1 linear as getStats' audioLevel. Before any user gesture the browser may keep the
// page's AudioContext suspended: 0 until the first click or key. stop_input_level() closes
// the analyser (release() too); the context stays for the call's levels (peer.hpp).
//
// Screen sharing: start_screen() asks getDisplayMedia for a screen (video only) and marks
// its track contentHint = "detail" (the encoder keeps resolution and drops frames rather
// than blurring text); `screen_started` or `screen_failed` answers, `screen_ended` reports
// the browser stopping it (its own "Stop sharing" bar). stop_screen() stops it, or the
// request still open. The camera's tracks are untouched throughout.
//
// Heap only: the promise handlers are owned by this object and die with it, so a
// getUserMedia that settles after destruction is a no-op (its tracks are stopped).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <emscripten/val.h>

#include "platform/bridge_callback.hpp"
#include "platform/callbacks.hpp"
#include "platform/level_tap.hpp"

namespace gc::platform {

class LocalMedia {
 public:
  struct Callbacks {
    std::function<void(bool has_audio, bool has_video)> ready;
    // denied: some attempt was refused (NotAllowedError / SecurityError), not just unavailable
    std::function<void(std::string reason, bool denied)> failed;
    std::function<void(std::vector<MediaDevice> devices)> devices;
    // New tracks after switch_devices() (either may be null when unchanged / absent).
    std::function<void(emscripten::val audio, emscripten::val video)> tracks_changed;
    // switch_devices() could not open the new device; the old tracks stay.
    std::function<void(std::string reason)> switch_failed;
    std::function<void()> screen_started;
    // denied: NotAllowedError (the user cancelled the picker, or a policy forbids capture)
    std::function<void(std::string reason, bool denied)> screen_failed;
    std::function<void()> screen_ended;
  };

  explicit LocalMedia(Callbacks callbacks);
  ~LocalMedia();
  LocalMedia(const LocalMedia&) = delete;
  LocalMedia& operator=(const LocalMedia&) = delete;

  void set_constraints(const MediaConstraints& constraints) { constraints_ = constraints; }
  const MediaConstraints& constraints() const { return constraints_; }

  void request();
  // Stops every track (camera light off).
  void release();
  void set_enabled(bool audio, bool video);
  // The device lists (Callbacks::devices), now and from then on after a camera opens (the
  // labels) and on every devicechange. A page that never asks (a kiosk: no pickers) never
  // enumerates: each costs the browser and its audio service about 15 ms (issue 12).
  void enumerate_devices();
  // Empty id = keep the current device.
  void switch_devices(const std::string& camera_id, const std::string& microphone_id);

  bool has_stream() const { return !stream_.isNull(); }
  // The MediaStream (null before ready / after release).
  const emscripten::val& stream() const { return stream_; }
  emscripten::val audio_track() const;
  emscripten::val video_track() const;
  std::string current_camera_id() const;
  std::string current_microphone_id() const;

  double input_level();
  void stop_input_level();

  void start_screen();
  void stop_screen();
  // The shared screen's MediaStream and video track (null unless sharing).
  const emscripten::val& screen_stream() const { return screen_; }
  emscripten::val screen_track() const;

 private:
  enum class Attempt { kBoth, kAudioOnly, kVideoOnly };
  void start_attempt(Attempt attempt);
  void on_stream(emscripten::val stream);
  void on_error(emscripten::val error);
  emscripten::val make_constraints(bool audio, bool video) const;
  void apply_enabled();

  Callbacks callbacks_;
  MediaConstraints constraints_;
  emscripten::val stream_ = emscripten::val::null();
  bool audio_enabled_ = true;
  bool video_enabled_ = true;
  Attempt attempt_ = Attempt::kBoth;
  std::string first_error_;
  bool denied_ = false;  // an attempt of this request was refused
  std::unique_ptr<PromiseHandlers> pending_;         // getUserMedia in flight
  emscripten::val pending_promise_ = emscripten::val::null();
  std::unique_ptr<PromiseHandlers> pending_switch_;  // switch_devices in flight
  emscripten::val pending_switch_promise_ = emscripten::val::null();
  std::unique_ptr<PromiseHandlers> pending_devices_;
  bool lists_devices_ = false;  // enumerate_devices() was asked for
  void refresh_devices();
  emscripten::val screen_ = emscripten::val::null();
  std::unique_ptr<PromiseHandlers> pending_screen_;  // getDisplayMedia in flight
  emscripten::val pending_screen_promise_ = emscripten::val::null();
  std::unique_ptr<EventListener> screen_ended_;
  std::unique_ptr<EventListener> device_change_;
  LevelTap level_;  // the join screen's meter
};

}  // namespace gc::platform
