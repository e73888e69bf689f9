// Fake bridges for the ClientWiring tests: every bridge the Client makes is recorded in a
// World the test owns (the Client owns the Bridges object itself), with what was asked of
// it, and a test fires its callbacks by hand. Time is virtual: timers fire only when the
// test advances the World's clock, so "a later tick" is a step the test takes.
//
// A bridge destroyed while one of its own callbacks runs is recorded as a violation
// (World::destroyed_in_own_callback), the rule the Client must keep.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "app/bridges.hpp"

namespace gc::app::test {

struct World;

// Shared by every fake: alive until destroyed, and whether one of its callbacks is running.
struct FakeBase {
  explicit FakeBase(World& w) : world(w) {}
  World& world;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
  int in_callback = 0;
  // Runs fn as the browser calls this bridge back.
  template <typename Fn>
  void fire(Fn&& fn);
  void on_destroy();
};

struct FakeSocket final : Socket, FakeBase {
  FakeSocket(World& w, std::string u, SocketCallbacks c) : FakeBase(w), url(std::move(u)), cb(std::move(c)) {}
  ~FakeSocket() override { on_destroy(); }
  bool send_text(const std::string& text) override {
    if (!open || closed) return false;
    sent.push_back(text);
    return true;
  }
  void close(unsigned short code, const std::string&) override { close_codes.push_back(code); }

  void opened() {
    open = true;
    fire([&] { cb.opened(); });
  }
  void text(const std::string& frame) {
    fire([&] { cb.text(frame); });
  }
  void closed_by_peer(int code, const std::string& reason) {
    closed = true;
    fire([&] { cb.closed(code, reason); });
  }

  std::string url;
  SocketCallbacks cb;
  bool open = false;
  bool closed = false;
  std::vector<std::string> sent;
  std::vector<int> close_codes;
};

struct FakePeer final : Peer, FakeBase {
  FakePeer(World& w, core::Direction d, JsRef stream, std::vector<core::IceServer> ice, PeerCallbacks c)
      : FakeBase(w), direction(d), local_stream(std::move(stream)), ice_servers(std::move(ice)), cb(std::move(c)) {}
  ~FakePeer() override { on_destroy(); }
  void apply_answer(const std::string& sdp) override { answers.push_back(sdp); }
  void add_candidate(const core::IceCandidate& candidate) override { candidates.push_back(candidate.candidate); }
  void replace_tracks(const JsRef& audio, const JsRef& video) override { replaced.push_back({audio, video}); }
  void set_video_track(const JsRef& track) override { video_tracks.push_back(track); }
  void poll_stats() override { ++stats_polls; }
  // As an analyser would: `tapped` is reported at once (and true returned).
  bool poll_audio(bool on_screen) override {
    ++(on_screen ? audio_polls : offscreen_audio_polls);
    if (!tapped) return false;
    const double level = *tapped;
    fire([&] { cb.audio(core::AudioSample{level, std::nullopt, std::nullopt}); });
    return true;
  }
  core::PeerState state() const override { return peer_state; }
  std::uint64_t frames_decoded() const override { return frames; }

  void offer(const std::string& sdp) {
    report([this, sdp] { cb.offer(sdp); });
  }
  void candidate(const core::IceCandidate& c) {
    report([this, c] { cb.ice_candidate(c); });
  }
  void set_state(core::PeerState s) {
    peer_state = s;
    report([this, s] { cb.state(s); });
  }
  // A prepared connection (prepare_receive_peer) holds its reports until adopted.
  void adopt(PeerCallbacks callbacks) override {
    cb = std::move(callbacks);
    ++adoptions;
    std::vector<std::function<void()>> reports = std::move(held);
    held.clear();
    for (const auto& r : reports) {
      if (!*alive) return;
      fire(r);
    }
  }
  void report(std::function<void()> fn) {
    if (prepared && adoptions == 0)
      held.push_back(std::move(fn));
    else
      fire(fn);
  }
  void remote_stream(JsRef stream) {
    fire([&] { cb.remote_stream(std::move(stream)); });
  }
  // A getStats answer to poll_stats() / poll_audio().
  void stats(const core::StatsSample& sample) {
    fire([&] { cb.stats(sample); });
  }
  void audio(const core::AudioSample& sample) {
    fire([&] { cb.audio(sample); });
  }

  core::Direction direction;
  JsRef local_stream;
  std::vector<core::IceServer> ice_servers;
  PeerCallbacks cb;
  std::vector<std::string> answers;
  std::vector<std::string> candidates;
  std::vector<std::pair<JsRef, JsRef>> replaced;
  std::vector<JsRef> video_tracks;  // set_video_track, in order (screen sharing)
  int stats_polls = 0;
  int audio_polls = 0;
  int offscreen_audio_polls = 0;  // poll_audio(false): the analyser only
  std::optional<double> tapped;    // the analyser's level; nullopt: none (getStats)
  core::PeerState peer_state = core::PeerState::kNew;
  std::uint64_t frames = 0;
  bool prepared = false;  // made by prepare_receive_peer
  int adoptions = 0;
  std::vector<std::function<void()>> held;  // reports before adopt()
};

struct FakeMedia final : LocalMedia, FakeBase {
  FakeMedia(World& w, MediaCallbacks c) : FakeBase(w), cb(std::move(c)) {}
  ~FakeMedia() override { on_destroy(); }
  void set_constraints(const MediaConstraints& c) override {
    chosen = c;
    ++constraint_sets;
  }
  MediaConstraints constraints() const override { return chosen; }
  void request() override {
    ++requests;
    // As platform::LocalMedia: with a stream already open, ready at once.
    if (stream_ref) fire([&] { cb.ready(true, true); });
  }
  void release() override {
    ++releases;
    stream_ref = JsRef();
    camera = mic = "";
  }
  void set_enabled(bool audio, bool video) override { enabled.push_back({audio, video}); }
  void enumerate_devices() override { ++enumerations; }
  void switch_devices(const std::string& camera_id, const std::string& microphone_id) override {
    switches.push_back({camera_id, microphone_id});
    // As platform::LocalMedia: the choice is recorded at once, the tracks come later.
    if (!camera_id.empty() && camera_id != camera) chosen.camera_id = camera_id;
    if (!microphone_id.empty() && microphone_id != mic) chosen.microphone_id = microphone_id;
  }
  bool has_stream() const override { return static_cast<bool>(stream_ref); }
  JsRef stream() const override { return stream_ref; }
  double input_level() override {
    ++level_reads;
    return stream_ref ? level : 0;
  }
  void stop_input_level() override { ++level_stops; }
  std::string current_camera_id() const override { return camera; }
  std::string current_microphone_id() const override { return mic; }
  void start_screen() override { ++screen_requests; }
  void stop_screen() override {
    ++screen_stops;
    screen_ref = JsRef();
  }
  JsRef screen_stream() const override { return screen_ref; }
  JsRef screen_track() const override { return screen_ref ? JsRef::of(std::string("screen-track")) : JsRef(); }
  JsRef camera_track() const override { return stream_ref ? JsRef::of(std::string("camera-track")) : JsRef(); }

  // getDisplayMedia answered: a screen, or an error (denied: NotAllowedError).
  void share_screen() {
    screen_ref = JsRef::of(std::string("screen-stream"));
    fire([&] { cb.screen_started(); });
  }
  void screen_refused(const std::string& reason, bool denied) {
    fire([&] { cb.screen_failed(reason, denied); });
  }
  // The browser's own "Stop sharing": the track ended.
  void screen_ended() {
    fire([&] { cb.screen_ended(); });
  }

  // getUserMedia answered with the constraints' devices (or these defaults).
  void grant(const std::string& default_camera = "cam-1", const std::string& default_mic = "mic-1") {
    stream_ref = JsRef::of(std::string("stream-") + std::to_string(++streams));
    camera = chosen.camera_id.empty() ? default_camera : chosen.camera_id;
    mic = chosen.microphone_id.empty() ? default_mic : chosen.microphone_id;
    fire([&] { cb.ready(true, true); });
  }
  // getUserMedia failed (denied: NotAllowedError).
  void refuse(const std::string& reason, bool denied) {
    fire([&] { cb.failed(reason, denied); });
  }
  // The switch finished: new tracks for what switch_devices asked.
  void finish_switch() {
    const auto& [cam, microphone] = switches.back();
    JsRef audio, video;
    if (!cam.empty() && cam != camera) {
      camera = cam;
      video = JsRef::of(std::string("video:") + cam);
    }
    if (!microphone.empty() && microphone != mic) {
      mic = microphone;
      audio = JsRef::of(std::string("audio:") + microphone);
    }
    fire([&] { cb.tracks_changed(audio, video); });
  }
  void devices(std::vector<MediaDevice> list) {
    fire([&] { cb.devices(std::move(list)); });
  }

  MediaCallbacks cb;
  MediaConstraints chosen;
  JsRef stream_ref;
  int streams = 0;
  std::string camera, mic;
  int requests = 0, releases = 0, enumerations = 0, constraint_sets = 0;
  double level = 0;  // what input_level() reads while a stream is open
  int level_reads = 0, level_stops = 0;
  JsRef screen_ref;
  int screen_requests = 0, screen_stops = 0;
  std::vector<std::pair<bool, bool>> enabled;
  std::vector<std::pair<std::string, std::string>> switches;
};

struct FakeOverlay final : VideoOverlay, FakeBase {
  FakeOverlay(World& w, OverlayCallbacks c) : FakeBase(w), cb(std::move(c)) {}
  ~FakeOverlay() override { on_destroy(); }
  void set_remote_stream(core::UserId owner, const JsRef& stream) override { remote[owner] = stream; }
  void remove(core::UserId owner) override {
    removed.push_back(owner);
    remote.erase(owner);
  }
  void set_self_stream(const JsRef& stream, bool screen) override {
    self = stream;
    self_is_screen = screen;
  }
  void place(const std::vector<VideoRect>& r) override {
    rects = r;
    ++placements;
  }
  void enable_sound() override {
    ++enables;
    block(false);
  }
  bool sound_blocked() const override { return blocked; }

  // As platform::VideoOverlay: reports only a change.
  void block(bool b) {
    if (b == blocked) return;
    blocked = b;
    fire([&] { cb.sound_blocked(b); });
  }

  OverlayCallbacks cb;
  std::map<core::UserId, JsRef> remote;
  std::vector<core::UserId> removed;
  JsRef self;
  bool self_is_screen = false;
  std::vector<VideoRect> rects;
  int placements = 0;
  int enables = 0;
  bool blocked = false;
};

struct FakePicker final : FilePicker, FakeBase {
  FakePicker(World& w, std::function<void(std::vector<PickedFile>)> p) : FakeBase(w), picked(std::move(p)) {}
  ~FakePicker() override { on_destroy(); }
  void open() override { ++opens; }
  std::function<void(std::vector<PickedFile>)> picked;
  int opens = 0;
};

struct FakeUpload final : Upload, FakeBase {
  FakeUpload(World& w, core::UploadApi a, PickedFile f, UploadCallbacks c)
      : FakeBase(w), api(std::move(a)), file(std::move(f)), cb(std::move(c)) {}
  ~FakeUpload() override { on_destroy(); }
  void abort() override { ++aborts; }
  void finish(const std::string& url) {
    fire([&] { cb.finished(url); });
  }
  void fail(const std::string& reason, bool too_large = false) {
    fire([&] { cb.failed(reason, too_large); });
  }
  core::UploadApi api;
  PickedFile file;
  UploadCallbacks cb;
  int aborts = 0;
};

struct FakeFrontend final : Frontend, FakeBase {
  FakeFrontend(World& w, FrontendCallbacks c) : FakeBase(w), cb(std::move(c)) {}
  ~FakeFrontend() override { on_destroy(); }
  void request_frame() override { ++frame_requests; }
  void request_one_frame() override {
    ++frame_requests;
    ++one_frame_requests;
  }
  void ensure_glyphs(std::string_view utf8) override { glyphs.append(utf8); }
  void set_text_size(float css_px) override { text_size = css_px; }
  ImVec2 logical_size() const override { return ImVec2(1280, 720); }
  std::uint64_t frames_drawn() const override { return drawn; }
  bool frames_pending() const override { return frame_requests > 0; }
  void set_cursor_hidden_when_idle(bool hidden) override { cursor_hidden = hidden; }
  void hold_frames(bool h) override { held = h; }

  FrontendCallbacks cb;
  int frame_requests = 0;
  int one_frame_requests = 0;  // request_one_frame(): no settling frames
  std::uint64_t drawn = 0;
  std::string glyphs;
  float text_size = 0;
  bool cursor_hidden = false;
  bool held = false;  // hold_frames(): the Client's wish (a test's frame() draws regardless)
};

// The accessibility mirror: the trees the Client hands over.
struct FakeA11yMirror final : A11yMirror, FakeBase {
  FakeA11yMirror(World& w, A11yCallbacks c) : FakeBase(w), cb(std::move(c)) {}
  ~FakeA11yMirror() override { on_destroy(); }
  void update(const std::string& json) override {
    ++updates;
    last = json;
  }
  void announce(const std::string& text) override { announced.push_back(text); }
  A11yCallbacks cb;
  int updates = 0;
  std::string last;
  std::vector<std::string> announced;
};

struct FakeSoundWake final : SoundWake, FakeBase {
  FakeSoundWake(World& w, std::function<void()> f) : FakeBase(w), fire_fn(std::move(f)) {}
  ~FakeSoundWake() override { on_destroy(); }
  bool available() const override {
    ++availability_checks;
    return is_available;
  }
  void arm(bool any) override {
    is_armed = true;
    any_report = any;
  }
  void cancel() override { is_armed = false; }
  bool armed() const override { return is_armed; }
  bool sounding() const override { return last_sound; }
  // The worklet reported, with sound on some track or not.
  void report(bool sound) {
    if (sound || any_report) wake(sound);
  }
  // The worklet's reports stopped (the page's AudioContext no longer runs): bridges.js fires
  // an armed wake, without sound.
  void stopped() { wake(false); }
  // An armed wake fires once (gcBridge.wakeOnSound forgets the function it called).
  void wake(bool sound) {
    if (!is_armed) return;
    is_armed = false;
    last_sound = sound;
    fire([&] { fire_fn(); });
  }
  std::function<void()> fire_fn;
  bool is_available = true;  // the worklet runs
  bool is_armed = false;
  bool any_report = false;
  bool last_sound = false;
  mutable int availability_checks = 0;  // available() calls (each one a call into JavaScript)
};

struct FakeTimer final : Timer, FakeBase {
  FakeTimer(World& w, std::function<void()> f) : FakeBase(w), fire_fn(std::move(f)) {}
  ~FakeTimer() override { on_destroy(); }
  void arm(double delay_ms) override;
  void cancel() override { due.reset(); }
  bool armed() const override { return due.has_value(); }
  std::function<void()> fire_fn;
  std::optional<double> due;
  int arms = 0;
};

// One bridge the Client made, and whether it still exists.
template <typename T>
struct Made {
  T* fake;
  std::shared_ptr<bool> is_alive;
  bool alive() const { return *is_alive; }
  T* operator->() const { return fake; }
};

struct World {
  double now = 1'700'000'000'000.0;
  std::map<std::string, std::optional<std::string>> storage;  // absent key: never stored
  std::vector<std::pair<core::LogLevel, std::string>> console;
  std::vector<std::string> opened_urls;
  std::vector<std::string> startup_errors;
  int keep_awake = 0;
  int reload_watch = 0;
  bool frontend_fails = false;
  bool sockets_fail = false;
  // load_ui_code (the module's second half): asked for how often; with ui_code_later its
  // `ready` waits in ui_code_waiting until a test runs it (the fetch ends), else it runs at once.
  int ui_code_requests = 0;
  bool ui_code_later = false;
  std::vector<std::function<void()>> ui_code_waiting;
  int destroyed_in_own_callback = 0;
  // prepare_receive_peer makes a (held) receive connection only when set; else nullptr, as
  // bridges that make none.
  bool prepare_peers = false;

  // Every one made, in order; check alive() before touching one.
  std::vector<Made<FakeSocket>> sockets;
  std::vector<Made<FakePeer>> peers;
  std::vector<Made<FakeUpload>> uploads;
  std::vector<Made<FakeTimer>> timers;
  // One each, as long as the Client lives.
  FakeMedia* media = nullptr;
  FakeOverlay* overlay = nullptr;
  FakePicker* picker = nullptr;
  FakeFrontend* frontend = nullptr;
  FakeA11yMirror* a11y = nullptr;
  FakeSoundWake* sound_wake = nullptr;

  // Fires every timer due by `now + ms`, in order of due time, the clock following.
  void advance(double ms) {
    const double until = now + ms;
    for (;;) {
      FakeTimer* next = nullptr;
      for (const auto& t : timers)
        if (t.alive() && t->due && *t->due <= until && (!next || *t->due < *next->due)) next = t.fake;
      if (!next) break;
      now = std::max(now, *next->due);
      next->due.reset();
      next->fire([&] { next->fire_fn(); });
    }
    now = until;
  }
  // A later tick: what was armed for 0 ms runs.
  void tick() { advance(0); }

  template <typename T>
  static std::vector<T*> live(const std::vector<Made<T>>& made) {
    std::vector<T*> out;
    for (const auto& m : made)
      if (m.alive()) out.push_back(m.fake);
    return out;
  }
};

template <typename Fn>
void FakeBase::fire(Fn&& fn) {
  ++in_callback;
  const std::shared_ptr<bool> still = alive;
  fn();
  if (*still) --in_callback;
}

inline void FakeBase::on_destroy() {
  if (in_callback > 0) ++world.destroyed_in_own_callback;
  *alive = false;
}

inline void FakeTimer::arm(double delay_ms) {
  due = world.now + std::max(0.0, delay_ms);
  ++arms;
}

class FakeBridges final : public Bridges {
 public:
  explicit FakeBridges(World& w) : w_(w) {}

  double now_ms() override { return w_.now; }
  void console(core::LogLevel level, const std::string& text) override { w_.console.push_back({level, text}); }
  std::optional<std::string> storage_get(const std::string& key) override {
    auto it = w_.storage.find(key);
    return it == w_.storage.end() ? std::nullopt : it->second;
  }
  void storage_set(const std::string& key, const std::string& value) override { w_.storage[key] = value; }
  void open_url(const std::string& url) override { w_.opened_urls.push_back(url); }
  void show_startup_error(const std::string& text) override { w_.startup_errors.push_back(text); }
  void keep_screen_awake() override { ++w_.keep_awake; }
  void reload_on_hash_change() override { ++w_.reload_watch; }
  ImVec2 canvas_size() const override { return ImVec2(1280, 720); }  // as FakeFrontend
  HeapUsage heap() const override { return HeapUsage{16777216, 123456}; }

  std::unique_ptr<Socket> open_socket(const std::string& url, SocketCallbacks callbacks) override {
    if (w_.sockets_fail) return nullptr;
    return made(w_.sockets, std::make_unique<FakeSocket>(w_, url, std::move(callbacks)));
  }
  std::unique_ptr<Peer> create_peer(core::Direction direction, const JsRef& local_stream,
                                    const std::vector<core::IceServer>& ice_servers, PeerCallbacks callbacks,
                                    std::string*) override {
    return made(w_.peers, std::make_unique<FakePeer>(w_, direction, local_stream, ice_servers, std::move(callbacks)));
  }
  std::unique_ptr<Peer> prepare_receive_peer(const std::vector<core::IceServer>& ice_servers) override {
    if (!w_.prepare_peers) return nullptr;
    auto peer = std::make_unique<FakePeer>(w_, core::Direction::kRecvOnly, JsRef(), ice_servers, PeerCallbacks{});
    peer->prepared = true;
    return made(w_.peers, std::move(peer));
  }
  std::unique_ptr<LocalMedia> create_media(MediaCallbacks callbacks) override {
    return one(w_.media, std::make_unique<FakeMedia>(w_, std::move(callbacks)));
  }
  std::unique_ptr<VideoOverlay> create_overlay(OverlayCallbacks callbacks) override {
    return one(w_.overlay, std::make_unique<FakeOverlay>(w_, std::move(callbacks)));
  }
  std::unique_ptr<FilePicker> create_file_picker(std::function<void(std::vector<PickedFile>)> picked) override {
    return one(w_.picker, std::make_unique<FakePicker>(w_, std::move(picked)));
  }
  std::unique_ptr<Upload> start_upload(const core::UploadApi& api, const PickedFile& file,
                                       UploadCallbacks callbacks) override {
    return made(w_.uploads, std::make_unique<FakeUpload>(w_, api, file, std::move(callbacks)));
  }
  std::unique_ptr<Frontend> create_frontend(FrontendCallbacks callbacks) override {
    if (w_.frontend_fails) return nullptr;
    return one(w_.frontend, std::make_unique<FakeFrontend>(w_, std::move(callbacks)));
  }
  void load_ui_code(std::function<void()> ready) override {
    ++w_.ui_code_requests;
    if (w_.ui_code_later) w_.ui_code_waiting.push_back(std::move(ready));
    else ready();
  }
  std::unique_ptr<A11yMirror> create_a11y_mirror(A11yCallbacks callbacks) override {
    return one(w_.a11y, std::make_unique<FakeA11yMirror>(w_, std::move(callbacks)));
  }
  std::unique_ptr<Timer> create_timer(std::function<void()> fire) override {
    return made(w_.timers, std::make_unique<FakeTimer>(w_, std::move(fire)));
  }
  std::unique_ptr<SoundWake> create_sound_wake(std::function<void()> fire) override {
    return one(w_.sound_wake, std::make_unique<FakeSoundWake>(w_, std::move(fire)));
  }

 private:
  template <typename T>
  std::unique_ptr<T> made(std::vector<Made<T>>& list, std::unique_ptr<T> fake) {
    list.push_back(Made<T>{fake.get(), fake->alive});
    return fake;
  }
  template <typename T>
  std::unique_ptr<T> one(T*& slot, std::unique_ptr<T> fake) {
    slot = fake.get();
    return fake;
  }
  World& w_;
};

}  // namespace gc::app::test
