// The client: owns the Session, every bridge, the Frontend and the Ui, and wires them.
//
// Data flow (DESIGN.md "The core is sans-IO"):
//   bridge callback / UI intent  →  post(Event)  →  Session::handle(event, now)
//   Session::take_commands()     →  execute(Command) on the bridges
//   Session::next_timeout()      →  the one-shot protocol timer (setTimeout, not frames)
//   view().revision changed      →  Frontend::request_frame() (+ ensure_glyphs for new text)
//   draw callback                →  Ui::draw() → UiOutput → post(...) ; videos → tile rects
//
// Events are queued and handled one at a time, never re-entrantly: a bridge callback that
// fires while commands are being executed (e.g. an upload failing synchronously) waits its
// turn. Bridge objects that the Session closes are destroyed on a later tick, never inside
// their own callback.
//
// The browser is behind app/bridges.hpp: the page passes the real bridges
// (web_bridges.hpp), the native ClientWiring tests pass fakes (tests/app).
//
// `now` is epoch milliseconds that never go backwards (Bridges::now_ms).
//
// Heap only: bridges hold `this`. One instance per page (the test hook finds it).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/bridges.hpp"
#include "core/deploy_config.hpp"
#include "core/level_meter.hpp"
#include "core/live_media.hpp"
#include "core/session.hpp"
#include "core/url_config.hpp"
#include "ui/a11y.hpp"
#include "ui/ui.hpp"

namespace gc::app {

struct PageInfo {
  std::string hash;      // location.hash, with the '#'
  std::string protocol;  // location.protocol, "http:"
  std::string host;      // location.host, "127.0.0.1:8080"
  std::string language;  // navigator.language
  int utc_offset_minutes = 0;
};

class Client {
 public:
  // How long a kiosk holds its first frame, and its canvas, ImGui and atlas set-up, back for
  // its first page's video (issue 12: first_frame_may_wait, frontend_setup_may_wait):
  // kFirstFrameHoldMs from start() while its join is unanswered or its room empty (then it
  // draws what there is), up to kFirstFrameHoldMaxMs while the first page's videos are on
  // their way (connecting, or decoded and not yet on screen). Nothing is drawn before the
  // first frame, so the set-up waits as long: on a loaded machine a set-up and first frame
  // at 4 s landed in the middle of 4 pages' negotiations and cost them seconds.
  static constexpr double kFirstFrameHoldMs = 4000;
  static constexpr double kFirstFrameHoldMaxMs = 8000;
  // A receive connection prepared as a join starts (keep_spare_peer) and not
  // taken by then is closed: its gathered candidates are not kept for hours.
  static constexpr double kSparePeerMs = 60000;
  // deploy: config.json as read before anything connects (core/deploy_config.hpp).
  // bridges: the browser (make_web_bridges()) or a test's fakes; the Client owns it.
  static std::unique_ptr<Client> create(const PageInfo& page, core::DeployConfig deploy,
                                        std::unique_ptr<Bridges> bridges);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Test hook / automation: the view model as JSON (README "Test hook").
  std::string state_json() const;
  // The UI's named interactive areas of the last frame (CSS px), for simulated clicks.
  std::string regions_json() const;
  // Queue a file for upload, as the file chooser does, in any phase (the Session starts it
  // when no other upload runs; its announcement waits for the room). False, and nothing
  // queued, when `file.file` is empty (JS null or undefined); true otherwise, whatever
  // happens to the upload later: how it ends shows in state().uploads.
  bool upload_file(PickedFile file);
  void send_chat(const std::string& text);
  void leave();
  void enable_sound();

 private:
  Client(const PageInfo& page, core::DeployConfig deploy, std::unique_ptr<Bridges> bridges);
  void start();
  void start_frontend();  // the canvas, ImGui, the atlas and the accessibility mirror
  // state().config: config.json as applied.
  nlohmann::json config_json() const;
  // state().preview and state().devices (the pre-join check).
  nlohmann::json preview_json() const;
  nlohmann::json devices_json() const;

  // ---- Session plumbing
  core::Millis now_ms() const;
  void post(core::Event event);
  void drain();
  void execute(const core::Command& command);
  void after_change();
  void arm_session_timer();
  void on_session_timer();
  core::SessionConfig session_config(const std::string& server, std::optional<core::RoomId> room,
                                     std::optional<core::UserId> user,
                                     std::optional<std::string> password) const;
  void replace_session(core::SessionConfig config);
  void update_certificate_hint();

  // ---- commands
  void open_socket(core::SocketId id, const std::string& url);
  void create_peer(const core::CreatePeer& command);
  void close_peer(core::ConnId id);
  void start_upload(core::UploadId id);

  // ---- bridges → app
  void queue_files(std::vector<PickedFile> files);
  void on_devices(const std::vector<MediaDevice>& devices);
  void show_devices();
  void select_devices(const std::optional<std::string>& camera, const std::optional<std::string>& mic);
  // Screen sharing: what the send connections' video sender carries and the self preview
  // shows (the screen while media_ has one, else the camera).
  void show_self_preview();
  void send_video(const JsRef& track);
  double stats_interval_ms() const;
  void poll_stats();
  // Speaking and quality (issue 13 items 2, 3): a connection's stats and audio level polls.
  // Why the levels are read: a timer or a change (kPoll), or the audio worklet's report that
  // woke the read, saying a track had sound (kSoundReport) or not (kReport).
  enum class AudioRead { kPoll, kReport, kSoundReport };
  void poll_audio(AudioRead why = AudioRead::kPoll);
  void on_stats(core::ConnId id, const core::StatsSample& sample);
  void on_audio(core::ConnId id, const core::AudioSample& sample);
  void redraw_if_live_changed();
  // The pre-join check (issue 13 item 7) and the own microphone's meter (item 2).
  bool preview_enabled() const;  // this page has a join screen with a preview
  // The join screen shows now and the preview may open the camera itself: before Join,
  // after a failed or cancelled one, after leaving a room only once asked again.
  bool preview_opens() const;
  // Opens the camera for the preview where the join screen wants one, keeps the meter's
  // poll running while it shows, and tells the Ui what the preview shows.
  void update_preview();
  void poll_level();   // the preview's microphone, every 100 ms on the join screen
  void check_meter();  // a frame when the meter's drawn step changed (core::MeterThrottle)

  // ---- UI
  void draw();
  void apply(const ui::UiOutput& out);
  void place_videos();
  void ensure_glyphs_for_view();
  // The accessibility mirror (issue 14): the tree is rebuilt and sent only when what it is
  // built from changed (the view model's revision, the drawn regions' names, the language,
  // the form), never for a frame that only moved the mouse; announcements when due.
  void update_a11y(core::Millis now);
  void announce_due();

  // ---- retiring bridges: destroyed by reap() on a later tick, never inside a callback
  struct PeerEntry {
    core::UserId owner = 0;
    core::Direction direction = core::Direction::kRecvOnly;
    std::unique_ptr<Peer> peer;
    core::AudioLevelMeter audio;  // this connection's energy counters
    bool connected = false;       // its PeerState reached kConnected
    core::Millis connected_at = 0;  // when it last did
    bool offered = false;         // its offer was created (or failed): the Session has it
  };
  void retire(std::unique_ptr<Bridge> bridge);
  void retire(PeerEntry&& entry) { retire(std::move(entry.peer)); }
  // Find, retire, erase: false when `id` is not there.
  template <typename Map>
  bool retire_from(Map& map, const typename Map::key_type& id);
  template <typename Map>
  void retire_all(Map& map);
  void reap();

  // First: every bridge below is made by it and may be used until the Client is gone.
  std::unique_ptr<Bridges> bridges_;
  PageInfo page_;
  core::UrlConfig url_;
  core::DeployConfig deploy_;
  // What the fragment may choose (server=, upload=) against config.json and this page.
  core::FragmentTrust trust_;
  std::vector<std::string> config_problems_;  // config.json's, plus how the app applied it
  std::vector<core::IceServer> ice_servers_;
  bool publish_ = true;
  // The current server's https://host:port/ (wss: on another origin), and whether a socket
  // to it ever opened: the certificate hint is shown only while it never did.
  std::optional<std::string> certificate_url_;
  bool server_answered_ = false;
  std::unique_ptr<core::Session> session_;
  std::uint64_t drawn_revision_ = ~std::uint64_t{0};
  std::uint64_t glyph_revision_ = ~std::uint64_t{0};
  // The last chat line and file whose text was given to the atlas (ensure_glyphs_for_view):
  // a line's text never changes, so each is scanned once, not at every change of the view.
  std::uint64_t glyph_chat_seq_ = 0;
  std::uint64_t glyph_file_seq_ = 0;
  // state_json()'s chat array, dumped, and the view revision it was made at.
  mutable std::uint64_t state_chat_revision_ = ~std::uint64_t{0};
  mutable std::string state_chat_json_;

  std::deque<core::Event> pending_events_;
  bool draining_ = false;

  // Bridges, keyed by the Session's ids.
  std::map<core::SocketId, std::unique_ptr<Socket>> sockets_;
  std::map<core::ConnId, PeerEntry> peers_;
  // Issue 12 (time to video): the receive connection prepared for the first subscription
  // as a join starts (Bridges::prepare_receive_peer); one per join, taken by the first
  // receive CreatePeer, closed after kSparePeerMs or when the Session leaves the room.
  std::unique_ptr<Peer> spare_peer_;
  std::unique_ptr<Timer> spare_timer_;
  bool spare_prepared_ = false;
  void keep_spare_peer();
  std::map<core::UserId, std::uint64_t> frames_decoded_;  // per media owner, for state()
  core::LiveMedia live_;         // levels, speakers, quality (the Ui draws it; state() reports it)
  std::string live_drawn_;       // what of live_ the last frame showed (redraw on a change)
  std::size_t largest_frame_sent_ = 0;  // bytes, any socket (rule 12), for state() and the bench
  // Owns the device selection (its constraints, else its tracks) and the camera stream.
  std::unique_ptr<LocalMedia> media_;
  // Owns sound_blocked (state().soundBlocked); the Ui is told when it changes.
  std::unique_ptr<VideoOverlay> overlay_;
  std::unique_ptr<FilePicker> picker_;
  std::map<core::UploadId, PickedFile> files_;  // kept until ForgetUpload (a retry reuses it)
  std::map<core::UploadId, std::unique_ptr<Upload>> uploads_;
  core::UploadId next_upload_id_ = 1;

  std::unique_ptr<Frontend> frontend_;
  // A kiosk's frontend starts once frontend_setup_may_wait() says so, or at the limit, and
  // once the canvas's code is in (Bridges::load_ui_code: asked for then, not before).
  std::unique_ptr<Timer> frontend_timer_;
  // start()'s part a kiosk's join does not need, in a task after it (start_rest); auto_join:
  // start()'s (a kiosk that joins from its URL).
  std::unique_ptr<Timer> start_rest_timer_;
  void start_rest(bool auto_join);
  bool frontend_started_ = false;
  bool ui_code_requested_ = false;
  void start_frontend_when_loaded();
  bool frontend_setup_may_wait() const;
  void set_up_frontend_unless_waiting();
  // A kiosk's first frame is held until its first page's videos are on screen (shown by the
  // overlay before it), at most kFirstFrameHoldMs or kFirstFrameHoldMaxMs (issue 12); the
  // timer ends the hold (on_hold_limit).
  bool first_frame_held_ = false;
  std::set<core::UserId> presented_;  // while held: whose video has presented a frame
  std::unique_ptr<Timer> hold_timer_;
  core::Millis started_at_ = 0;
  bool first_frame_may_wait() const;
  bool first_page_on_its_way() const;
  void on_hold_limit();
  void release_first_frame();
  std::uint64_t frames_drawn_ = 0;
  core::ViewLayout layout_kept_ = core::ViewLayout::kGrid;  // what storage "layout" says
  ui::Ui ui_;
  std::vector<MediaDevice> devices_;  // the last enumerateDevices(); the selection is media_'s
  // Who asked for the camera: the Session (a RequestLocalMedia not answered yet: its answer
  // is posted) or the preview (its answer only shows). A stream open for the preview is
  // the one the Session gets at Join: request() answers at once with it.
  bool session_wants_media_ = false;
  bool preview_requested_ = false;
  // Left a room: the camera stays off until "Check camera and microphone" (a Cancel while
  // joining keeps the preview).
  bool preview_stopped_ = false;
  bool has_audio_ = false;         // of the open stream
  bool has_video_ = false;
  std::optional<std::pair<std::string, bool>> preview_error_;  // reason, denied
  core::MeterThrottle meter_;
  std::vector<ui::TileRect> last_rects_;

  std::unique_ptr<Timer> session_timer_;
  std::unique_ptr<Timer> stats_timer_;
  std::unique_ptr<Timer> audio_timer_;
  std::unique_ptr<SoundWake> sound_wake_;  // poll_audio() at the audio worklet's next report
  bool quality_panel_was_open_ = false;  // at the last frame
  std::unique_ptr<Timer> redraw_timer_;
  std::unique_ptr<Timer> reap_timer_;
  std::unique_ptr<Timer> level_timer_;  // the preview's meter
  std::unique_ptr<Timer> meter_timer_;  // a frame for the meter, throttled
  std::vector<std::unique_ptr<Bridge>> retired_;

  std::unique_ptr<A11yMirror> a11y_;
  std::unique_ptr<Timer> a11y_timer_;  // the Announcer's next release
  ui::Announcer announcer_;
  std::uint64_t announced_revision_ = ~std::uint64_t{0};
  std::string a11y_key_;   // what the last tree was built from, but the live figures
  std::string a11y_live_key_;  // the live figures it was built with (live_drawn_)
  core::Millis a11y_built_at_ = 0;
  std::unique_ptr<Timer> a11y_live_timer_;  // a live-only change waiting for kA11yLiveMs
  static constexpr core::Millis kA11yLiveMs = 1000;
  std::string a11y_json_;  // the last tree sent
  std::uint64_t a11y_builds_ = 0;  // trees built (state().a11y.builds; the UI-frame bench)
};

}  // namespace gc::app
