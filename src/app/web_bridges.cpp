// The real bridges: each adapter forwards to its src/platform object and turns the
// emscripten::val objects the wiring passes along into opaque JsRefs and back.
#include "app/web_bridges.hpp"

#include <malloc.h>

#include <utility>

#include "platform/a11y_mirror.hpp"
#include "platform/bridge_callback.hpp"
#include "platform/file_picker.hpp"
#include "platform/frontend.hpp"
#include "platform/media.hpp"
#include "platform/peer.hpp"
#include "platform/socket.hpp"
#include "platform/storage.hpp"
#include "platform/timer.hpp"
#include "platform/upload.hpp"
#include "platform/video_overlay.hpp"

namespace gc::app {
namespace {

using emscripten::val;

constexpr const char* kCanvas = "#canvas";

JsRef ref(const val& v) { return v.isNull() || v.isUndefined() ? JsRef() : JsRef::of(v); }
val unref(const JsRef& r) {
  const val* v = r.get<val>();
  return v ? *v : val::null();
}

class WebSocket final : public Socket {
 public:
  explicit WebSocket(std::unique_ptr<platform::Socket> s) : s_(std::move(s)) {}
  bool send_text(const std::string& text) override { return s_->send_text(text); }
  void close(unsigned short code, const std::string& reason) override { s_->close(code, reason); }

 private:
  std::unique_ptr<platform::Socket> s_;
};

class WebPeer final : public Peer {
 public:
  explicit WebPeer(std::unique_ptr<platform::Peer> p) : p_(std::move(p)) {}
  void apply_answer(const std::string& sdp) override { p_->apply_answer(sdp); }
  void add_candidate(const core::IceCandidate& candidate) override { p_->add_candidate(candidate); }
  void replace_tracks(const JsRef& audio, const JsRef& video) override {
    p_->replace_tracks(unref(audio), unref(video));
  }
  void set_video_track(const JsRef& track) override { p_->set_video_track(unref(track)); }
  void poll_stats() override { p_->poll_stats(); }
  bool poll_audio(bool on_screen) override { return p_->poll_audio(on_screen); }
  core::PeerState state() const override { return p_->state(); }
  std::uint64_t frames_decoded() const override { return p_->frames_decoded(); }
  void adopt(PeerCallbacks cb) override { p_->adopt(to_platform(std::move(cb))); }

  static platform::Peer::Callbacks to_platform(PeerCallbacks cb) {
    return platform::Peer::Callbacks{
        std::move(cb.offer),          std::move(cb.offer_failed),
        std::move(cb.ice_candidate),  std::move(cb.answer_applied),
        std::move(cb.answer_failed),  std::move(cb.state),
        [remote = std::move(cb.remote_stream)](val stream) { remote(ref(stream)); },
        std::move(cb.media_flowing),  std::move(cb.media_stalled),
        std::move(cb.stats),          std::move(cb.audio)};
  }

 private:
  std::unique_ptr<platform::Peer> p_;
};

class WebMedia final : public LocalMedia {
 public:
  explicit WebMedia(MediaCallbacks cb)
      : m_(platform::LocalMedia::Callbacks{
            std::move(cb.ready), std::move(cb.failed), std::move(cb.devices),
            [changed = std::move(cb.tracks_changed)](val audio, val video) { changed(ref(audio), ref(video)); },
            std::move(cb.switch_failed), std::move(cb.screen_started), std::move(cb.screen_failed),
            std::move(cb.screen_ended)}) {}

  void set_constraints(const MediaConstraints& c) override { m_.set_constraints(c); }
  MediaConstraints constraints() const override { return m_.constraints(); }
  void request() override { m_.request(); }
  void release() override { m_.release(); }
  void set_enabled(bool audio, bool video) override { m_.set_enabled(audio, video); }
  void enumerate_devices() override { m_.enumerate_devices(); }
  void switch_devices(const std::string& camera_id, const std::string& microphone_id) override {
    m_.switch_devices(camera_id, microphone_id);
  }
  bool has_stream() const override { return m_.has_stream(); }
  double input_level() override { return m_.input_level(); }
  void stop_input_level() override { m_.stop_input_level(); }
  JsRef stream() const override { return ref(m_.stream()); }
  std::string current_camera_id() const override { return m_.current_camera_id(); }
  std::string current_microphone_id() const override { return m_.current_microphone_id(); }
  void start_screen() override { m_.start_screen(); }
  void stop_screen() override { m_.stop_screen(); }
  JsRef screen_stream() const override { return ref(m_.screen_stream()); }
  JsRef screen_track() const override { return ref(m_.screen_track()); }
  JsRef camera_track() const override { return ref(m_.video_track()); }

 private:
  platform::LocalMedia m_;
};

class WebOverlay final : public VideoOverlay {
 public:
  explicit WebOverlay(OverlayCallbacks cb)
      : o_(kCanvas, std::move(cb)) {}
  void set_remote_stream(core::UserId owner, const JsRef& stream) override {
    o_.set_remote_stream(owner, unref(stream));
  }
  void remove(core::UserId owner) override { o_.remove(owner); }
  void set_self_stream(const JsRef& stream, bool screen) override { o_.set_self_stream(unref(stream), screen); }
  void place(const std::vector<VideoRect>& rects) override { o_.place(rects); }
  void enable_sound() override { o_.enable_sound(); }
  bool sound_blocked() const override { return o_.sound_blocked(); }

 private:
  platform::VideoOverlay o_;
};

class WebPicker final : public FilePicker {
 public:
  explicit WebPicker(std::function<void(std::vector<PickedFile>)> picked)
      : p_([picked = std::move(picked)](std::vector<val> files) {
          std::vector<PickedFile> out;
          out.reserve(files.size());
          for (const val& f : files) out.push_back(picked_file(f));
          picked(std::move(out));
        }) {}
  void open() override { p_.open(); }

 private:
  platform::FilePicker p_;
};

class WebUpload final : public Upload {
 public:
  explicit WebUpload(std::unique_ptr<platform::Upload> u) : u_(std::move(u)) {}
  void abort() override { u_->abort(); }

 private:
  std::unique_ptr<platform::Upload> u_;
};

class WebFrontend final : public Frontend {
 public:
  explicit WebFrontend(std::unique_ptr<platform::Frontend> f) : f_(std::move(f)) {}
  void request_frame() override { f_->request_frame(); }
  void request_one_frame() override { f_->request_one_frame(); }
  void ensure_glyphs(std::string_view utf8) override { f_->ensure_glyphs(utf8); }
  void set_text_size(float css_px) override { f_->set_text_size(css_px); }
  ImVec2 logical_size() const override { return f_->logical_size(); }
  std::uint64_t frames_drawn() const override { return f_->frames_drawn(); }
  bool frames_pending() const override { return f_->frames_pending(); }
  void set_cursor_hidden_when_idle(bool hidden) override { f_->set_cursor_hidden_when_idle(hidden); }
  void hold_frames(bool held) override { f_->hold_frames(held); }

 private:
  std::unique_ptr<platform::Frontend> f_;
};

class WebA11yMirror final : public A11yMirror {
 public:
  explicit WebA11yMirror(std::unique_ptr<platform::A11yMirror> m) : m_(std::move(m)) {}
  void update(const std::string& json) override { m_->update(json); }
  void announce(const std::string& text) override { m_->announce(text); }

 private:
  std::unique_ptr<platform::A11yMirror> m_;
};

class WebTimer final : public Timer {
 public:
  explicit WebTimer(std::function<void()> fire) : t_(std::move(fire)) {}
  void arm(double delay_ms) override { t_.arm(delay_ms); }
  void cancel() override { t_.cancel(); }
  bool armed() const override { return t_.armed(); }

 private:
  platform::Timer t_;
};

class WebSoundWake final : public SoundWake {
 public:
  explicit WebSoundWake(std::function<void()> fire) : w_(std::move(fire)) {}
  bool available() const override { return w_.available(); }
  void arm(bool any_report) override { w_.arm(any_report); }
  void cancel() override { w_.cancel(); }
  bool armed() const override { return w_.armed(); }
  bool sounding() const override { return w_.sounding(); }

 private:
  platform::SoundWake w_;
};

class WebBridges final : public Bridges {
 public:
  double now_ms() override { return platform::monotonic_epoch_ms(); }

  void console(core::LogLevel level, const std::string& text) override {
    const char* method = "log";
    switch (level) {
      case core::LogLevel::kDebug: method = "debug"; break;
      case core::LogLevel::kInfo: method = "info"; break;
      case core::LogLevel::kWarning: method = "warn"; break;
      case core::LogLevel::kError: method = "error"; break;
    }
    val::global("console").call<void>(method, val("[groupcall] " + text));
  }

  std::optional<std::string> storage_get(const std::string& key) override { return platform::storage_get(key); }
  void storage_set(const std::string& key, const std::string& value) override { platform::storage_set(key, value); }

  void open_url(const std::string& url) override {
    val::global("window").call<val>("open", url, std::string("_blank"), std::string("noopener"));
  }

  void show_startup_error(const std::string& text) override {
    val loading = val::global("document").call<val>("getElementById", std::string("loading"));
    if (loading.isNull()) return;
    loading.set("textContent", text);
    loading["classList"].call<void>("add", std::string("error"));
  }

  void keep_screen_awake() override {
    request_wake_lock();
    // The lock is dropped whenever the page is hidden; take it again when it comes back.
    if (!visibility_listener_)
      visibility_listener_ = std::make_unique<platform::EventListener>(
          val::global("document"), "visibilitychange", [this](val) {
            if (platform::js_string(val::global("document"), "visibilityState") == "visible") request_wake_lock();
          });
  }

  void reload_on_hash_change() override {
    if (!hash_listener_)
      hash_listener_ = std::make_unique<platform::EventListener>(
          val::global("window"), "hashchange", [](val) { val::global("location").call<void>("reload"); });
  }

  ImVec2 canvas_size() const override { return platform::Frontend::css_size_of(kCanvas); }

  // The linear memory's size (it only grows) and what malloc hands out now (emmalloc's
  // mallinfo), so a soak can tell a leak from memory kept for reuse.
  HeapUsage heap() const override {
    const struct mallinfo info = mallinfo();
    return HeapUsage{val::module_property("HEAP8")["length"].as<double>(),
                     static_cast<std::uint64_t>(info.uordblks)};
  }

  std::unique_ptr<Socket> open_socket(const std::string& url, SocketCallbacks cb) override {
    auto s = platform::Socket::open(url, std::move(cb));
    if (!s) return nullptr;
    return std::make_unique<WebSocket>(std::move(s));
  }

  std::unique_ptr<Peer> create_peer(core::Direction direction, const JsRef& local_stream,
                                    const std::vector<core::IceServer>& ice_servers, PeerCallbacks cb,
                                    std::string* error) override {
    platform::PeerConfig config;
    config.ice_servers = ice_servers;
    auto p = platform::Peer::create(direction, unref(local_stream), config, WebPeer::to_platform(std::move(cb)), error);
    if (!p) return nullptr;
    return std::make_unique<WebPeer>(std::move(p));
  }
  std::unique_ptr<Peer> prepare_receive_peer(const std::vector<core::IceServer>& ice_servers) override {
    platform::PeerConfig config;
    config.ice_servers = ice_servers;
    std::string error;
    auto p = platform::Peer::prepare(config, &error);
    if (!p) return nullptr;  // the connection made for the owner says why, should it fail too
    return std::make_unique<WebPeer>(std::move(p));
  }

  std::unique_ptr<LocalMedia> create_media(MediaCallbacks cb) override {
    return std::make_unique<WebMedia>(std::move(cb));
  }
  std::unique_ptr<VideoOverlay> create_overlay(OverlayCallbacks cb) override {
    return std::make_unique<WebOverlay>(std::move(cb));
  }
  std::unique_ptr<FilePicker> create_file_picker(std::function<void(std::vector<PickedFile>)> picked) override {
    return std::make_unique<WebPicker>(std::move(picked));
  }
  std::unique_ptr<Upload> start_upload(const core::UploadApi& api, const PickedFile& file,
                                       UploadCallbacks cb) override {
    return std::make_unique<WebUpload>(platform::Upload::start(api, unref(file.file), file.name, std::move(cb)));
  }
  std::unique_ptr<Frontend> create_frontend(FrontendCallbacks cb) override {
    auto f = platform::Frontend::create(
        kCanvas, platform::FrontendCallbacks{std::move(cb.draw), [dropped = std::move(cb.file_dropped)](val file) {
                                               dropped(picked_file(file));
                                             }});
    if (!f) return nullptr;
    return std::make_unique<WebFrontend>(std::move(f));
  }
  void load_ui_code(std::function<void()> ready) override {
    // Module.gcBridge.loadUiCode (web/js/bridges.js): null when the second half is in (a
    // person's page), else a promise of it that never rejects (it retries).
    const val loading = platform::js_bridge().call<val>("loadUiCode");
    if (loading.isNull()) return ready();
    auto done = [this, ready = std::move(ready)](val) mutable {
      auto run = std::move(ready);
      ui_code_pending_.reset();  // destroys this handler (the dispatch runs a copy): keep `run`
      run();
    };
    ui_code_pending_ = std::make_unique<platform::PromiseHandlers>(done, [](val) {});
    platform::js_then(loading, *ui_code_pending_);
  }
  std::unique_ptr<Timer> create_timer(std::function<void()> fire) override {
    return std::make_unique<WebTimer>(std::move(fire));
  }
  std::unique_ptr<SoundWake> create_sound_wake(std::function<void()> fire) override {
    return std::make_unique<WebSoundWake>(std::move(fire));
  }
  std::unique_ptr<A11yMirror> create_a11y_mirror(A11yCallbacks cb) override {
    auto m = platform::A11yMirror::create(
        platform::A11yCallbacks{std::move(cb.focus), std::move(cb.activate), std::move(cb.preferences)});
    if (!m) return nullptr;
    return std::make_unique<WebA11yMirror>(std::move(m));
  }

 private:
  void request_wake_lock() {
    if (wake_lock_pending_) return;
    const val promise = platform::js_bridge().call<val>("requestWakeLock");
    wake_lock_pending_ = std::make_unique<platform::PromiseHandlers>(
        [this](val sentinel) {
          wake_lock_pending_.reset();
          if (!sentinel.isNull()) wake_lock_ = sentinel;
        },
        [this](val) { wake_lock_pending_.reset(); });
    platform::js_then(promise, *wake_lock_pending_);
  }

  val wake_lock_ = val::null();
  std::unique_ptr<platform::PromiseHandlers> wake_lock_pending_;
  std::unique_ptr<platform::PromiseHandlers> ui_code_pending_;
  std::unique_ptr<platform::EventListener> visibility_listener_;
  std::unique_ptr<platform::EventListener> hash_listener_;
};

}  // namespace

std::unique_ptr<Bridges> make_web_bridges() { return std::make_unique<WebBridges>(); }

PickedFile picked_file(const val& file) {
  if (file.isNull() || file.isUndefined()) return PickedFile{};
  const double size = platform::js_number(file, "size");
  return PickedFile{JsRef::of(file), platform::js_string(file, "name", "file"),
                    size > 0 ? static_cast<std::uint64_t>(size) : 0};
}

}  // namespace gc::app
