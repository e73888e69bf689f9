#include "platform/media.hpp"

namespace gc::platform {
namespace {

using emscripten::val;

val first_track(const val& stream, const char* getter) {
  if (stream.isNull() || stream.isUndefined()) return val::null();
  const val tracks = stream.call<val>(getter);
  return tracks["length"].as<int>() > 0 ? tracks[0] : val::null();
}

std::string track_device_id(const val& track) {
  if (track.isNull()) return {};
  const val settings = track.call<val>("getSettings");
  return js_string(settings, "deviceId");
}

void stop_all(const val& stream) {
  if (stream.isNull() || stream.isUndefined()) return;
  const val tracks = stream.call<val>("getTracks");
  const int n = tracks["length"].as<int>();
  for (int i = 0; i < n; ++i) tracks[i].call<void>("stop");
}

}  // namespace

LocalMedia::LocalMedia(Callbacks callbacks) : callbacks_(std::move(callbacks)) {
  const val devices = val::global("navigator")["mediaDevices"];
  if (!devices.isUndefined() && !devices.isNull())
    device_change_ = std::make_unique<EventListener>(devices, "devicechange",
                                                     [this](val) { if (lists_devices_) refresh_devices(); });
}

LocalMedia::~LocalMedia() {
  device_change_.reset();
  // A getUserMedia still in flight would hand its tracks to nobody: stop them when it lands.
  if (pending_) js_bridge().call<void>("stopWhenResolved", pending_promise_);
  if (pending_switch_) js_bridge().call<void>("stopWhenResolved", pending_switch_promise_);
  stop_input_level();
  stop_all(stream_);
  stop_screen();
}

val LocalMedia::make_constraints(bool audio, bool video) const {
  val c = val::object();
  if (audio) {
    if (constraints_.microphone_id.empty()) {
      c.set("audio", true);
    } else {
      val a = val::object();
      val exact = val::object();
      exact.set("exact", constraints_.microphone_id);
      a.set("deviceId", exact);
      c.set("audio", a);
    }
  } else {
    c.set("audio", false);
  }
  if (video) {
    val v = val::object();
    val w = val::object();
    w.set("ideal", constraints_.width);
    val h = val::object();
    h.set("ideal", constraints_.height);
    val f = val::object();
    f.set("ideal", constraints_.fps);
    f.set("max", constraints_.fps);
    v.set("width", w);
    v.set("height", h);
    v.set("frameRate", f);
    if (!constraints_.camera_id.empty()) {
      val exact = val::object();
      exact.set("exact", constraints_.camera_id);
      v.set("deviceId", exact);
    }
    c.set("video", v);
  } else {
    c.set("video", false);
  }
  return c;
}

void LocalMedia::request() {
  if (pending_) return;  // one request at a time; its answer serves this one too
  if (!stream_.isNull()) {
    const bool has_audio = !audio_track().isNull();
    const bool has_video = !video_track().isNull();
    if (callbacks_.ready) callbacks_.ready(has_audio, has_video);
    return;
  }
  first_error_.clear();
  denied_ = false;
  start_attempt(Attempt::kBoth);
}

void LocalMedia::start_attempt(Attempt attempt) {
  attempt_ = attempt;
  const bool audio = attempt != Attempt::kVideoOnly;
  const bool video = attempt != Attempt::kAudioOnly;
  pending_promise_ = js_bridge().call<val>("getUserMedia", make_constraints(audio, video));
  pending_ = std::make_unique<PromiseHandlers>([this](val s) { on_stream(std::move(s)); },
                                               [this](val e) { on_error(std::move(e)); });
  js_then(pending_promise_, *pending_);
}

void LocalMedia::on_stream(val stream) {
  pending_.reset();
  pending_promise_ = val::null();
  stream_ = std::move(stream);
  apply_enabled();
  const bool has_audio = !audio_track().isNull();
  const bool has_video = !video_track().isNull();
  if (callbacks_.ready) callbacks_.ready(has_audio, has_video);
  if (lists_devices_) refresh_devices();  // labels become visible once permission is granted
}

void LocalMedia::on_error(val error) {
  pending_.reset();
  pending_promise_ = val::null();
  const std::string reason = js_describe(error);
  const std::string name = js_string(error, "name");
  if (name == "OverconstrainedError" && (!constraints_.camera_id.empty() || !constraints_.microphone_id.empty())) {
    constraints_.camera_id.clear();  // the chosen devices are gone: any device will do
    constraints_.microphone_id.clear();
    return start_attempt(attempt_);
  }
  if (first_error_.empty()) first_error_ = reason;
  denied_ = denied_ || name == "NotAllowedError" || name == "SecurityError";
  const bool give_up = name == "NotAllowedError" || name == "SecurityError" ||
                       name == "NotSupportedError" || name == "AbortError";
  if (!give_up && attempt_ == Attempt::kBoth) return start_attempt(Attempt::kAudioOnly);
  if (!give_up && attempt_ == Attempt::kAudioOnly) return start_attempt(Attempt::kVideoOnly);
  if (callbacks_.failed) callbacks_.failed(first_error_, denied_);
}

void LocalMedia::release() {
  stop_input_level();
  stop_all(stream_);
  stream_ = val::null();
}

void LocalMedia::set_enabled(bool audio, bool video) {
  audio_enabled_ = audio;
  video_enabled_ = video;
  apply_enabled();
}

void LocalMedia::apply_enabled() {
  val a = audio_track();
  if (!a.isNull()) a.set("enabled", audio_enabled_);
  val v = video_track();
  if (!v.isNull()) v.set("enabled", video_enabled_);
}

val LocalMedia::audio_track() const { return first_track(stream_, "getAudioTracks"); }
val LocalMedia::video_track() const { return first_track(stream_, "getVideoTracks"); }
std::string LocalMedia::current_camera_id() const { return track_device_id(video_track()); }
std::string LocalMedia::current_microphone_id() const { return track_device_id(audio_track()); }

void LocalMedia::enumerate_devices() {
  lists_devices_ = true;
  refresh_devices();
}

void LocalMedia::refresh_devices() {
  if (pending_devices_) return;
  const val promise = js_bridge().call<val>("enumerateDevices");
  pending_devices_ = std::make_unique<PromiseHandlers>(
      [this](val list) {
        pending_devices_.reset();
        std::vector<MediaDevice> devices;
        const int n = list["length"].isNumber() ? list["length"].as<int>() : 0;
        for (int i = 0; i < n; ++i) {
          const val d = list[i];
          const std::string kind = js_string(d, "kind");
          MediaDevice device;
          if (kind == "videoinput")
            device.kind = MediaDevice::Kind::kCamera;
          else if (kind == "audioinput")
            device.kind = MediaDevice::Kind::kMicrophone;
          else
            continue;
          device.id = js_string(d, "deviceId");
          device.label = js_string(d, "label");
          devices.push_back(std::move(device));
        }
        if (callbacks_.devices) callbacks_.devices(std::move(devices));
      },
      [this](val) { pending_devices_.reset(); });
  js_then(promise, *pending_devices_);
}

void LocalMedia::switch_devices(const std::string& camera_id, const std::string& microphone_id) {
  if (stream_.isNull() || pending_switch_) return;
  const bool new_video = !camera_id.empty() && camera_id != current_camera_id();
  const bool new_audio = !microphone_id.empty() && microphone_id != current_microphone_id();
  if (!new_video && !new_audio) return;
  if (new_video) constraints_.camera_id = camera_id;
  if (new_audio) constraints_.microphone_id = microphone_id;
  // Some cameras cannot be opened twice: free the old one first when switching video.
  if (new_video) {
    const val old = video_track();
    if (!old.isNull()) old.call<void>("stop");
  }
  pending_switch_promise_ = js_bridge().call<val>("getUserMedia", make_constraints(new_audio, new_video));
  pending_switch_ = std::make_unique<PromiseHandlers>(
      [this, new_audio, new_video](val fresh) {
        pending_switch_.reset();
        pending_switch_promise_ = val::null();
        val audio = val::null();
        val video = val::null();
        if (new_audio) {
          audio = first_track(fresh, "getAudioTracks");
          const val old = audio_track();
          if (!old.isNull()) {
            old.call<void>("stop");
            stream_.call<void>("removeTrack", old);
          }
          if (!audio.isNull()) stream_.call<void>("addTrack", audio);
        }
        if (new_video) {
          video = first_track(fresh, "getVideoTracks");
          const val old = video_track();
          if (!old.isNull()) stream_.call<void>("removeTrack", old);
          if (!video.isNull()) stream_.call<void>("addTrack", video);
        }
        apply_enabled();
        if (callbacks_.tracks_changed) callbacks_.tracks_changed(audio, video);
      },
      [this](val error) {
        pending_switch_.reset();
        pending_switch_promise_ = val::null();
        if (callbacks_.switch_failed) callbacks_.switch_failed(js_describe(error));
      });
  js_then(pending_switch_promise_, *pending_switch_);
}

double LocalMedia::input_level() {
  level_.attach(audio_track());
  return level_.read(LevelTap::Kind::kPeak).value_or(0);
}

void LocalMedia::stop_input_level() { level_.close(); }

val LocalMedia::screen_track() const { return first_track(screen_, "getVideoTracks"); }

void LocalMedia::start_screen() {
  if (pending_screen_ || !screen_.isNull()) return;
  pending_screen_promise_ = js_bridge().call<val>("getDisplayMedia");
  pending_screen_ = std::make_unique<PromiseHandlers>(
      [this](val stream) {
        pending_screen_.reset();
        pending_screen_promise_ = val::null();
        screen_ = std::move(stream);
        val track = screen_track();
        if (!track.isNull()) {
          track.set("contentHint", std::string("detail"));
          // The browser's own "Stop sharing" ends the track; nothing else tells the page.
          screen_ended_ = std::make_unique<EventListener>(track, "ended", [this](val) {
            if (callbacks_.screen_ended) callbacks_.screen_ended();
          });
        }
        if (callbacks_.screen_started) callbacks_.screen_started();
      },
      [this](val error) {
        pending_screen_.reset();
        pending_screen_promise_ = val::null();
        const std::string name = js_string(error, "name");
        if (callbacks_.screen_failed) callbacks_.screen_failed(js_describe(error), name == "NotAllowedError");
      });
  js_then(pending_screen_promise_, *pending_screen_);
}

void LocalMedia::stop_screen() {
  if (pending_screen_) {
    js_bridge().call<void>("stopWhenResolved", pending_screen_promise_);
    pending_screen_.reset();
    pending_screen_promise_ = val::null();
  }
  screen_ended_.reset();  // stop() does not fire 'ended'; nothing must report it anyway
  stop_all(screen_);
  screen_ = val::null();
}

}  // namespace gc::platform
