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
// `now` is epoch milliseconds that never go backwards (performance.timeOrigin + now()).
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

#include <emscripten/val.h>
#include <nlohmann/json.hpp>

#include "core/deploy_config.hpp"
#include "core/session.hpp"
#include "core/url_config.hpp"
#include "platform/bridge_callback.hpp"
#include "platform/file_picker.hpp"
#include "platform/frontend.hpp"
#include "platform/media.hpp"
#include "platform/peer.hpp"
#include "platform/socket.hpp"
#include "platform/timer.hpp"
#include "platform/upload.hpp"
#include "platform/video_overlay.hpp"
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
  // deploy: config.json as read before anything connects (core/deploy_config.hpp).
  static std::unique_ptr<Client> create(const PageInfo& page, core::DeployConfig deploy);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Test hook / automation: the view model as JSON (README "Test hook").
  std::string state_json() const;
  // state().config: config.json as applied.
  nlohmann::json config_json() const;
  // The UI's named interactive areas of the last frame (CSS px), for simulated clicks.
  std::string regions_json() const;
  // Queue a JS File for upload, as the file chooser does, in any phase (the Session starts
  // it when no other upload runs; its announcement waits for the room). False only for a
  // null or undefined `file`; how the upload ends shows in the view model's uploads.
  bool upload_file(const emscripten::val& file);
  void send_chat(const std::string& text);
  void leave();
  void enable_sound();

 private:
  Client(const PageInfo& page, core::DeployConfig deploy);
  void start();

  // ---- Session plumbing
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
  void log(const core::Log& entry);

  // ---- bridges → app
  void queue_files(const std::vector<emscripten::val>& files);
  void on_devices(const std::vector<platform::MediaDevice>& devices);
  void poll_stats();
  void request_wake_lock();

  // ---- UI
  void draw();
  void apply(const ui::UiOutput& out);
  void place_videos();
  void ensure_glyphs_for_view();

  template <typename T>
  void retire(std::unique_ptr<T> object);
  void reap();

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

  std::deque<core::Event> pending_events_;
  bool draining_ = false;

  // Bridges, keyed by the Session's ids.
  std::map<core::SocketId, std::unique_ptr<platform::Socket>> sockets_;
  struct PeerEntry {
    core::UserId owner = 0;
    core::Direction direction = core::Direction::kRecvOnly;
    std::unique_ptr<platform::Peer> peer;
  };
  std::map<core::ConnId, PeerEntry> peers_;
  std::map<core::UserId, std::uint64_t> frames_decoded_;  // per media owner, for state()
  std::size_t largest_frame_sent_ = 0;  // bytes, any socket (rule 12), for state() and the bench
  std::unique_ptr<platform::LocalMedia> media_;
  std::unique_ptr<platform::VideoOverlay> overlay_;
  std::unique_ptr<platform::FilePicker> picker_;
  std::map<core::UploadId, emscripten::val> files_;  // queued, not yet started
  std::map<core::UploadId, std::unique_ptr<platform::Upload>> uploads_;
  core::UploadId next_upload_id_ = 1;

  std::unique_ptr<platform::Frontend> frontend_;
  ui::Ui ui_;
  ui::Devices devices_;
  bool sound_blocked_ = false;
  std::vector<ui::TileRect> last_rects_;

  platform::Timer session_timer_;
  platform::Timer stats_timer_;
  platform::Timer redraw_timer_;
  platform::Timer reap_timer_;
  std::vector<std::unique_ptr<platform::Peer>> dead_peers_;
  std::vector<std::unique_ptr<platform::Socket>> dead_sockets_;
  std::vector<std::unique_ptr<platform::Upload>> dead_uploads_;

  emscripten::val wake_lock_ = emscripten::val::null();
  std::unique_ptr<platform::PromiseHandlers> wake_lock_pending_;
  std::unique_ptr<platform::EventListener> visibility_listener_;
  std::unique_ptr<platform::EventListener> hash_listener_;
};

}  // namespace gc::app
