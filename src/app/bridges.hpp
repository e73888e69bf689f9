// The seam between the wiring (client.cpp) and the browser: every bridge the Client drives,
// as an abstract class, and `Bridges`, the page services plus the factory that makes them.
//
// The Wasm build passes the real ones (web_bridges.cpp, thin adapters over src/platform);
// the native ClientWiring tests pass fakes (tests/app/fake_bridges.hpp). So the wiring
// (which command reaches which bridge, when a bridge is destroyed, what state() says) is
// tested without a browser, and this header includes nothing from Emscripten.
//
// The contracts are src/platform's (socket.hpp, peer.hpp, media.hpp, upload.hpp,
// video_overlay.hpp, file_picker.hpp, frontend.hpp, timer.hpp, storage.hpp); only what the
// Client uses is here, and what holds no browser object is theirs (platform/callbacks.hpp). Two rules every implementation keeps:
//   - a bridge never calls back from inside its destructor, and nothing fires after it;
//   - a factory that fails returns nullptr without calling back (the Client reports it),
//     except start_upload, which always returns the upload and may report `failed` before
//     it returns (a refused URL).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <imgui.h>

#include "core/commands.hpp"
#include "core/deploy_config.hpp"
#include "core/events.hpp"
#include "core/quality.hpp"
#include "core/speaker.hpp"
#include "platform/callbacks.hpp"

namespace gc::app {

using platform::MediaConstraints;
using platform::MediaDevice;
using platform::OverlayCallbacks;
using platform::SocketCallbacks;
using platform::UploadCallbacks;
using platform::VideoRect;

// A browser object the wiring only hands from one bridge to another (a File, a MediaStream,
// a MediaStreamTrack) without looking inside. Empty = JS null. Copies share the object.
class JsRef {
 public:
  JsRef() = default;
  template <typename T>
  static JsRef of(T value) {
    JsRef ref;
    ref.object_ = std::make_shared<const Holder<T>>(std::move(value));
    return ref;
  }
  // The object, if it was made by of<T>(); nullptr when empty or of another type.
  template <typename T>
  const T* get() const {
    const auto* holder = dynamic_cast<const Holder<T>*>(object_.get());
    return holder ? &holder->value : nullptr;
  }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  struct Base {
    virtual ~Base() = default;
  };
  template <typename T>
  struct Holder final : Base {
    explicit Holder(T v) : value(std::move(v)) {}
    T value;
  };
  std::shared_ptr<const Base> object_;
};

// A file the user chose, dropped or handed to window.groupcall.uploadFile.
struct PickedFile {
  JsRef file;            // the JS File/Blob; empty for null or undefined
  std::string name;      // its name, "file" when it has none
  std::uint64_t size = 0;
};

// Every bridge object: the Client keeps retired ones alive until a later tick.
class Bridge {
 public:
  virtual ~Bridge() = default;
};

// platform/socket.hpp
class Socket : public Bridge {
 public:
  virtual bool send_text(const std::string& text) = 0;  // false: not open, frame dropped
  virtual void close(unsigned short code, const std::string& reason) = 0;
};

// platform/peer.hpp
struct PeerCallbacks {
  std::function<void(std::string sdp)> offer;
  std::function<void(std::string reason)> offer_failed;
  std::function<void(core::IceCandidate candidate)> ice_candidate;
  std::function<void()> answer_applied;
  std::function<void(std::string reason)> answer_failed;
  std::function<void(core::PeerState state)> state;
  std::function<void(JsRef stream)> remote_stream;
  std::function<void()> media_flowing;
  std::function<void(core::Millis last_frame)> media_stalled;
  std::function<void(core::StatsSample sample)> stats;  // each poll_stats(), both directions
  std::function<void(core::AudioSample sample)> audio;  // each poll_audio()
};
class Peer : public Bridge {
 public:
  virtual void apply_answer(const std::string& sdp) = 0;
  virtual void add_candidate(const core::IceCandidate& candidate) = 0;
  virtual void replace_tracks(const JsRef& audio, const JsRef& video) = 0;
  // Send side: the video sender sends `track` (empty: nothing), by replaceTrack.
  virtual void set_video_track(const JsRef& track) = 0;
  virtual void poll_stats() = 0;  // every 1-2 s: stats (and decoding progress)
  // Every 250 ms: the audio level only. On screen (or your microphone): the analyser's, else
  // a small report; off screen only where an analyser is read (no report: the full one
  // every poll_stats() carries it). True: the analyser's level was reported before this
  // returned (platform::LevelTap).
  virtual bool poll_audio(bool on_screen) = 0;
  virtual core::PeerState state() const = 0;
  virtual std::uint64_t frames_decoded() const = 0;
  // A connection from Bridges::prepare_receive_peer: its callbacks, and the reports it held
  // until now (its offer, candidates, state changes), delivered to them before this returns.
  virtual void adopt(PeerCallbacks callbacks) = 0;
};

// platform/media.hpp
struct MediaCallbacks {
  std::function<void(bool has_audio, bool has_video)> ready;
  std::function<void(std::string reason, bool denied)> failed;
  std::function<void(std::vector<MediaDevice> devices)> devices;
  std::function<void(JsRef audio, JsRef video)> tracks_changed;
  std::function<void(std::string reason)> switch_failed;
  std::function<void()> screen_started;
  std::function<void(std::string reason, bool denied)> screen_failed;  // denied: NotAllowedError
  std::function<void()> screen_ended;  // the browser stopped the sharing itself
};
class LocalMedia : public Bridge {
 public:
  virtual void set_constraints(const MediaConstraints& constraints) = 0;
  virtual MediaConstraints constraints() const = 0;
  virtual void request() = 0;
  virtual void release() = 0;
  virtual void set_enabled(bool audio, bool video) = 0;
  virtual void enumerate_devices() = 0;
  virtual void switch_devices(const std::string& camera_id, const std::string& microphone_id) = 0;
  virtual bool has_stream() const = 0;
  virtual JsRef stream() const = 0;
  virtual std::string current_camera_id() const = 0;  // "" without a track
  virtual std::string current_microphone_id() const = 0;
  // The microphone's level now, 0..1 (the pre-join meter; a WebAudio analyser the bridge
  // opens on the first call), and closing that analyser.
  virtual double input_level() = 0;
  virtual void stop_input_level() = 0;
  // Screen sharing (getDisplayMedia, contentHint "detail"); the camera is left as it is.
  virtual void start_screen() = 0;
  virtual void stop_screen() = 0;
  virtual JsRef screen_stream() const = 0;  // empty unless sharing
  virtual JsRef screen_track() const = 0;
  virtual JsRef camera_track() const = 0;   // the camera's video track, empty without one
};

// platform/video_overlay.hpp
class VideoOverlay : public Bridge {
 public:
  virtual void set_remote_stream(core::UserId owner, const JsRef& stream) = 0;
  virtual void remove(core::UserId owner) = 0;
  // screen: a shared screen (shown whole, not mirrored), not the camera.
  virtual void set_self_stream(const JsRef& stream, bool screen) = 0;
  virtual void place(const std::vector<VideoRect>& rects) = 0;
  virtual void enable_sound() = 0;
  // Autoplay with sound was refused and the user has not enabled it yet: state().soundBlocked.
  virtual bool sound_blocked() const = 0;
};

// platform/file_picker.hpp
class FilePicker : public Bridge {
 public:
  virtual void open() = 0;
};

// platform/upload.hpp
class Upload : public Bridge {
 public:
  virtual void abort() = 0;
};

// platform/frontend.hpp
struct FrontendCallbacks {
  std::function<void()> draw;  // inside an ImGui frame
  std::function<void(PickedFile file)> file_dropped;
};
class Frontend : public Bridge {
 public:
  virtual void request_frame() = 0;
  virtual void request_one_frame() = 0;  // no settling frames: a meter's segments
  virtual void ensure_glyphs(std::string_view utf8) = 0;
  virtual void set_text_size(float css_px) = 0;
  virtual ImVec2 logical_size() const = 0;
  virtual std::uint64_t frames_drawn() const = 0;
  virtual bool frames_pending() const = 0;
  virtual void set_cursor_hidden_when_idle(bool hidden) = 0;
  virtual void hold_frames(bool held) = 0;  // no frame while held; the requested ones after
};

// platform/a11y_mirror.hpp: the visually hidden DOM copy of ui/a11y.hpp's tree (issue 14).
struct A11yCallbacks {
  std::function<void(const std::string& id)> focus;     // the DOM focus moved ("" = out of it)
  std::function<void(const std::string& id)> activate;  // Enter / Space / a click on a control
  std::function<void(bool reduced_motion, bool high_contrast)> preferences;
};
class A11yMirror : public Bridge {
 public:
  virtual void update(const std::string& json) = 0;  // {"lang", "nodes": [...]}
  virtual void announce(const std::string& text) = 0;
};

// platform/timer.hpp: one shot; arm() replaces a pending one.
class Timer : public Bridge {
 public:
  virtual void arm(double delay_ms) = 0;
  virtual void cancel() = 0;
  virtual bool armed() const = 0;
};

// platform/level_tap.hpp: one shot; fires at the audio worklet's next report with sound on
// any tapped track (none comes in a silent call), or at its next report at all (any_report:
// four a second while there is sound), or, without sound, when the reports stop (the page's
// AudioContext no longer runs). available(): the worklet runs, so reports come.
// sounding(): the report that fired it last said a track had sound (so another comes within
// 250 ms, or the wake for the reports' stop).
class SoundWake : public Bridge {
 public:
  virtual bool available() const = 0;
  virtual void arm(bool any_report) = 0;
  virtual void cancel() = 0;
  virtual bool armed() const = 0;
  virtual bool sounding() const = 0;
};

struct HeapUsage {
  double heap_bytes = 0;       // the Wasm linear memory's size
  std::uint64_t used_bytes = 0;  // what malloc hands out now
};

class Bridges {
 public:
  virtual ~Bridges() = default;

  // ---- the page
  // Epoch milliseconds that never go backwards (performance.timeOrigin + now()).
  virtual double now_ms() = 0;
  // console.debug/info/warn/error, prefixed "[groupcall] ".
  virtual void console(core::LogLevel level, const std::string& text) = 0;
  virtual std::optional<std::string> storage_get(const std::string& key) = 0;
  virtual void storage_set(const std::string& key, const std::string& value) = 0;
  // window.open(url, "_blank", "noopener").
  virtual void open_url(const std::string& url) = 0;
  // No canvas could be created: the loading screen says `text` instead.
  virtual void show_startup_error(const std::string& text) = 0;
  // Kiosk: Screen Wake Lock now and again whenever the page becomes visible.
  virtual void keep_screen_awake() = 0;
  // Editing the fragment in the address bar (which does not reload) reloads the page.
  virtual void reload_on_hash_change() = 0;
  // The canvas's CSS size, for a kiosk's plan before its Frontend exists (Frontend::
  // logical_size() after).
  virtual ImVec2 canvas_size() const = 0;
  virtual HeapUsage heap() const = 0;

  // ---- the bridges (nullptr: the browser refused)
  virtual std::unique_ptr<Socket> open_socket(const std::string& url, SocketCallbacks callbacks) = 0;
  // local_stream: the camera for kSendOnly (may be empty). On nullptr, *error says why.
  virtual std::unique_ptr<Peer> create_peer(core::Direction direction, const JsRef& local_stream,
                                            const std::vector<core::IceServer>& ice_servers,
                                            PeerCallbacks callbacks, std::string* error) = 0;
  // Issue 12 (time to video): a receive connection made before its owner is known; it makes
  // its offer at once and holds its reports until Peer::adopt. nullptr: none (the browser
  // refused, or these bridges make none).
  virtual std::unique_ptr<Peer> prepare_receive_peer(const std::vector<core::IceServer>& ice_servers) {
    (void)ice_servers;
    return nullptr;
  }
  virtual std::unique_ptr<LocalMedia> create_media(MediaCallbacks callbacks) = 0;
  virtual std::unique_ptr<VideoOverlay> create_overlay(OverlayCallbacks callbacks) = 0;
  virtual std::unique_ptr<FilePicker> create_file_picker(std::function<void(std::vector<PickedFile>)> picked) = 0;
  virtual std::unique_ptr<Upload> start_upload(const core::UploadApi& api, const PickedFile& file,
                                               UploadCallbacks callbacks) = 0;
  virtual std::unique_ptr<Frontend> create_frontend(FrontendCallbacks callbacks) = 0;
  // The canvas's code (Dear ImGui, the renderer, the glyph atlas, the screens) is the
  // module's second half, groupcall.deferred.wasm (issue 12, src/app/CMakeLists.txt): a
  // kiosk fetches it only once it asks here, before create_frontend. `ready` runs once it
  // is in (at once when it already is: a person's page has both halves before main()), in
  // a task of its own otherwise; never after this Bridges is destroyed. The default (the
  // native fakes): at once.
  virtual void load_ui_code(std::function<void()> ready) { ready(); }
  virtual std::unique_ptr<Timer> create_timer(std::function<void()> fire) = 0;
  virtual std::unique_ptr<SoundWake> create_sound_wake(std::function<void()> fire) = 0;
  // nullptr: no mirror (the default, e.g. fakes that do not test it).
  virtual std::unique_ptr<A11yMirror> create_a11y_mirror(A11yCallbacks) { return nullptr; }
};

}  // namespace gc::app
