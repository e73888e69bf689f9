#include "app/client.hpp"

#include <malloc.h>

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/links.hpp"
#include "platform/storage.hpp"
#include "ui/i18n.hpp"

namespace gc::app {
namespace {

using emscripten::val;
using Json = nlohmann::json;

// The Wasm heap: the linear memory's size (it only grows) and what malloc hands out now
// (emmalloc's mallinfo), so a soak can tell a leak from memory kept for reuse.
Json memory_json() {
  const struct mallinfo info = mallinfo();
  return Json{{"wasmHeapBytes", val::module_property("HEAP8")["length"].as<double>()},
              {"wasmHeapUsedBytes", info.uordblks}};
}

Json stalls_json(const core::StallCounts& s) { return Json{{"detected", s.detected}, {"acted", s.acted}}; }

using platform::js_number;
using platform::js_string;

constexpr const char* kCanvas = "#canvas";
constexpr double kStatsIntervalMs = 1000;

core::Millis now_ms() { return static_cast<core::Millis>(platform::monotonic_epoch_ms()); }

void console(const char* method, const std::string& text) {
  val::global("console").call<void>(method, val("[groupcall] " + text));
}

}  // namespace

// ---- construction -----------------------------------------------------------------------

std::unique_ptr<Client> Client::create(const PageInfo& page, core::DeployConfig deploy) {
  std::unique_ptr<Client> client(new Client(page, std::move(deploy)));
  client->start();
  return client;
}

Client::Client(const PageInfo& page, core::DeployConfig deploy)
    : page_(page),
      url_(core::parse_url_fragment(page.hash, page.protocol, page.host)),
      deploy_(std::move(deploy)),
      trust_(core::check_fragment(url_, deploy_, page.protocol, page.host)),
      config_problems_(deploy_.problems),
      session_timer_([this] { on_session_timer(); }),
      stats_timer_([this] { poll_stats(); }),
      redraw_timer_([this] {
        if (frontend_) frontend_->request_frame();
      }),
      reap_timer_([this] { reap(); }) {}

Client::~Client() {
  // Bridges first (they may call back into the Session while closing), then the rest.
  visibility_listener_.reset();
  hash_listener_.reset();
  wake_lock_pending_.reset();
  uploads_.clear();
  peers_.clear();
  sockets_.clear();
  reap();
}

void Client::start() {
  for (const auto& problem : url_.problems) console("warn", "URL fragment: " + problem);

  // STUN/TURN: config.json's; the fragment's ice= only where config.json names none.
  if (!deploy_.ice_servers.empty()) {
    ice_servers_ = deploy_.ice_servers;
    if (!url_.ice_servers.empty())
      config_problems_.push_back("ice= in the URL fragment is ignored: config.json sets iceServers");
  } else {
    for (const auto& url : url_.ice_servers) ice_servers_.push_back(core::IceServer{{url}, "", ""});
  }
  for (const auto& problem : config_problems_) console("warn", "config.json: " + problem);
  if (trust_.refused_server)
    console("error", "refused the server in the URL fragment (" +
                         std::string(deploy_.servers.empty() ? "only this page's own server may be chosen"
                                                             : "not listed in config.json servers") +
                         "): " + *trust_.refused_server);
  if (trust_.refused_upload)
    console("error", "refused the upload address in the URL fragment: " + *trust_.refused_upload);

  // Language: the fragment, else the last choice, else config.json's, else the browser's.
  std::string lang = url_.lang;
  if (lang.empty()) lang = platform::storage_get("lang").value_or("");
  if (lang.empty()) lang = deploy_.language;
  ui_.set_language(ui::language_from_tag(lang.empty() ? page_.language : lang));
  ui_.set_kiosk(url_.kiosk);
  // Kiosk defaults from config.json yield to the fragment's rotate= and publish=.
  const int rotate = url_.kiosk_page_seconds_set ? url_.kiosk_page_seconds
                                                 : deploy_.kiosk.rotate_seconds.value_or(url_.kiosk_page_seconds);
  ui_.set_kiosk_page_ms(static_cast<core::Millis>(rotate) * 1000);
  publish_ = url_.publish_set ? url_.publish : (url_.kiosk ? deploy_.kiosk.publish.value_or(false) : true);
  ui_.set_utc_offset_minutes(page_.utc_offset_minutes);
  ui_.set_refused(trust_.refused_server.value_or(""), trust_.refused_upload.value_or(""),
                  deploy_.source == core::ConfigSource::kFile);
  if (deploy_.source == core::ConfigSource::kError && !deploy_.problems.empty())
    ui_.set_config_notice(deploy_.problems.front());

  // Join defaults: what was remembered, overridden by the fragment when it may choose (a
  // refused server is never offered). Never a stored password.
  ui::JoinDefaults defaults;
  defaults.server = trust_.server_from_fragment ? trust_.server
                                                : platform::storage_get("server").value_or(trust_.server);
  defaults.room = url_.room ? std::to_string(*url_.room) : platform::storage_get("room").value_or("");
  defaults.user = url_.user ? std::to_string(*url_.user) : platform::storage_get("user").value_or("");
  defaults.password = url_.password.value_or("");
  ui_.set_join_defaults(defaults);

  std::optional<core::RoomId> room = url_.room;
  std::optional<core::UserId> user = url_.user;
  if (!room) room = core::parse_wire_integer(defaults.room);
  if (!user) user = core::parse_wire_integer(defaults.user);
  replace_session(session_config(defaults.server, room, user, url_.password));

  media_ = std::make_unique<platform::LocalMedia>(platform::LocalMedia::Callbacks{
      [this](bool has_audio, bool has_video) {
        if (overlay_) overlay_->set_self_stream(media_->stream());
        post(core::LocalMediaReady{has_audio, has_video});
      },
      [this](std::string reason) { post(core::LocalMediaFailed{std::move(reason)}); },
      [this](std::vector<platform::MediaDevice> devices) { on_devices(devices); },
      [this](val audio, val video) {
        for (auto& [id, entry] : peers_)
          if (entry.direction == core::Direction::kSendOnly && entry.peer)
            entry.peer->replace_tracks(audio, video);
        if (overlay_) overlay_->set_self_stream(media_->stream());
        devices_.camera_id = media_->current_camera_id();
        devices_.mic_id = media_->current_microphone_id();
        ui_.set_devices(devices_);
        if (frontend_) frontend_->request_frame();
      },
      [](std::string reason) { console("warn", "device switch failed: " + reason); }});
  platform::MediaConstraints constraints;
  constraints.width = url_.video_width;
  constraints.height = url_.video_height;
  constraints.fps = url_.video_fps;
  media_->set_constraints(constraints);

  overlay_ = std::make_unique<platform::VideoOverlay>(
      kCanvas, platform::VideoOverlay::Callbacks{
                   [this](bool blocked) {
                     sound_blocked_ = blocked;
                     ui_.set_sound_blocked(blocked);
                     if (frontend_) frontend_->request_frame();
                   },
                   [this](core::UserId owner) {
                     // The picture is on screen: the receiving connection carries media.
                     for (const auto& [id, entry] : peers_) {
                       if (entry.owner != owner || entry.direction != core::Direction::kRecvOnly) continue;
                       post(core::MediaFlowing{id});
                       return;
                     }
                   }});
  picker_ = std::make_unique<platform::FilePicker>(
      [this](std::vector<val> files) { queue_files(files); });

  frontend_ = platform::Frontend::create(
      kCanvas, platform::FrontendCallbacks{[this] { draw(); },
                                           [this](val file) { queue_files({file}); }});
  if (!frontend_) {
    // Without a canvas there is no UI to report in: say it on the loading screen instead.
    console("error", "no WebGL2 canvas: running without a UI");
    val loading = val::global("document").call<val>("getElementById", std::string("loading"));
    if (!loading.isNull()) {
      loading.set("textContent", std::string("WebGL2 could not be started in this browser. 无法在此浏览器中启动 WebGL2。"));
      loading["classList"].call<void>("add", std::string("error"));
    }
  }
  if (frontend_) {
    frontend_->ensure_glyphs(ui::all_text(ui_.language()));
    frontend_->ensure_glyphs(trust_.refused_server.value_or("") + trust_.refused_upload.value_or("") +
                             (config_problems_.empty() ? std::string() : config_problems_.front()));
    if (url_.kiosk) {
      frontend_->set_cursor_hidden_when_idle(true);
      // Before the first frame, so the first atlas is baked at the wall screen's size.
      const ImVec2 size = frontend_->logical_size();
      frontend_->set_text_size(ui::kiosk_text_size(size.x, size.y));
    }
  }

  if (ui_.refused()) {
    // A link asked for a server or upload address this deployment does not allow: the
    // refused screen says so, and nothing connects (no socket, no camera), kiosk or not.
  } else if (url_.kiosk) {
    request_wake_lock();
    // The lock is dropped whenever the page is hidden; take it again when it comes back.
    visibility_listener_ = std::make_unique<platform::EventListener>(
        val::global("document"), "visibilitychange", [this](val) {
          if (js_string(val::global("document"), "visibilityState") == "visible") request_wake_lock();
        });
    post(core::Join{});
  }
  // The fragment is the configuration: editing it in the address bar (which does not
  // reload the page) starts over with the new one.
  hash_listener_ = std::make_unique<platform::EventListener>(
      val::global("window"), "hashchange", [](val) { val::global("location").call<void>("reload"); });
  media_->enumerate_devices();
  after_change();
}

core::SessionConfig Client::session_config(const std::string& server,
                                           std::optional<core::RoomId> room,
                                           std::optional<core::UserId> user,
                                           std::optional<std::string> password) const {
  core::SessionConfig config;
  config.server_url = server;
  config.room = room.value_or(0);
  config.user_id = user.value_or(0);
  config.password = password.value_or("");
  config.publish = publish_;
  // config.json (rule 12's frame limit and rule 11's subscription cap, by deployment).
  config.max_send_frame_bytes = deploy_.max_frame_bytes;
  config.max_live_subscriptions = deploy_.max_live_subscriptions;
  // Rule 11: subscribe to what the grid shows (and its next page) once it says so, never
  // to everyone ahead of the first frame; a kiosk unpauses tiles over the cap by itself.
  config.wait_for_visible_set = true;
  config.auto_resume_video = url_.kiosk;
  // Close 4000 (the same user joined elsewhere): a kiosk tries again every minute, a person
  // chooses "use here"; never two windows kicking each other out in a loop.
  config.replaced_retry_ms = url_.kiosk ? 60000 : 0;
  config.seed = static_cast<std::uint64_t>(platform::monotonic_epoch_ms() * 1000);
  return config;
}

void Client::replace_session(core::SessionConfig config) {
  // A new server means a new Session: drop every bridge of the old one.
  for (auto& [id, socket] : sockets_) retire(std::move(socket));
  sockets_.clear();
  for (auto& [id, entry] : peers_) {
    if (overlay_ && entry.direction == core::Direction::kRecvOnly) overlay_->remove(entry.owner);
    retire(std::move(entry.peer));
  }
  peers_.clear();
  for (auto& [id, upload] : uploads_) retire(std::move(upload));
  uploads_.clear();
  files_.clear();
  ui_.set_server(config.server_url);
  certificate_url_ = core::certificate_page_url(config.server_url, page_.protocol, page_.host);
  server_answered_ = false;
  update_certificate_hint();
  session_ = std::make_unique<core::Session>(std::move(config));
  drawn_revision_ = glyph_revision_ = ~std::uint64_t{0};
}

void Client::update_certificate_hint() {
  ui_.set_certificate_hint(certificate_url_ && !server_answered_ ? *certificate_url_ : std::string());
}

// ---- Session plumbing -------------------------------------------------------------------

void Client::post(core::Event event) {
  pending_events_.push_back(std::move(event));
  if (!draining_) drain();
}

void Client::drain() {
  draining_ = true;
  while (!pending_events_.empty()) {
    core::Event event = std::move(pending_events_.front());
    pending_events_.pop_front();
    session_->handle(event, now_ms());
    for (const core::Command& command : session_->take_commands()) execute(command);
  }
  draining_ = false;
  after_change();
}

void Client::on_session_timer() {
  draining_ = true;
  session_->on_timeout(now_ms());
  for (const core::Command& command : session_->take_commands()) execute(command);
  draining_ = false;
  if (!pending_events_.empty())
    drain();
  else
    after_change();
}

void Client::after_change() {
  arm_session_timer();
  const std::uint64_t revision = session_->view().revision;
  if (revision != glyph_revision_) {
    glyph_revision_ = revision;
    ensure_glyphs_for_view();
  }
  if (revision != drawn_revision_ && frontend_) frontend_->request_frame();
  if (!peers_.empty() && !stats_timer_.armed()) stats_timer_.arm(kStatsIntervalMs);
}

void Client::arm_session_timer() {
  const auto due = session_->next_timeout();
  if (!due) {
    session_timer_.cancel();
    return;
  }
  session_timer_.arm(static_cast<double>(*due - now_ms()));
}

void Client::execute(const core::Command& command) {
  std::visit(
      [this](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, core::OpenSocket>) {
          open_socket(c.socket_id, c.url);
        } else if constexpr (std::is_same_v<T, core::CloseSocket>) {
          auto it = sockets_.find(c.socket_id);
          if (it != sockets_.end()) it->second->close(1000, "");
        } else if constexpr (std::is_same_v<T, core::SendText>) {
          largest_frame_sent_ = std::max(largest_frame_sent_, c.text.size());
          auto it = sockets_.find(c.socket_id);
          if (it == sockets_.end() || !it->second->send_text(c.text))
            console("warn", "dropped a frame for a socket that is not open");
        } else if constexpr (std::is_same_v<T, core::RequestLocalMedia>) {
          media_->request();
        } else if constexpr (std::is_same_v<T, core::ReleaseLocalMedia>) {
          media_->release();
          if (overlay_) overlay_->set_self_stream(val::null());
        } else if constexpr (std::is_same_v<T, core::SetLocalMediaEnabled>) {
          media_->set_enabled(c.audio, c.video);
        } else if constexpr (std::is_same_v<T, core::CreatePeer>) {
          create_peer(c);
        } else if constexpr (std::is_same_v<T, core::ClosePeer>) {
          close_peer(c.conn_id);
        } else if constexpr (std::is_same_v<T, core::ApplyRemoteAnswer>) {
          auto it = peers_.find(c.conn_id);
          if (it != peers_.end()) it->second.peer->apply_answer(c.sdp);
        } else if constexpr (std::is_same_v<T, core::AddRemoteCandidate>) {
          auto it = peers_.find(c.conn_id);
          if (it != peers_.end()) it->second.peer->add_candidate(c.candidate);
        } else if constexpr (std::is_same_v<T, core::StartUpload>) {
          start_upload(c.upload_id);
        } else if constexpr (std::is_same_v<T, core::ForgetUpload>) {
          files_.erase(c.upload_id);
        } else if constexpr (std::is_same_v<T, core::AbortUpload>) {
          if (!c.keep_file) files_.erase(c.upload_id);
          auto it = uploads_.find(c.upload_id);
          if (it != uploads_.end()) {
            it->second->abort();
            retire(std::move(it->second));
            uploads_.erase(it);
          }
        } else if constexpr (std::is_same_v<T, core::Log>) {
          log(c);
        }
      },
      command);
}

void Client::open_socket(core::SocketId id, const std::string& url) {
  std::unique_ptr<platform::Socket> socket = platform::Socket::open(
      url, platform::Socket::Callbacks{
               [this, id] {
                 if (!server_answered_) {
                   server_answered_ = true;  // its certificate (if any) is accepted
                   update_certificate_hint();
                 }
                 post(core::SocketOpened{id});
               },
               [this, id](std::string text) { post(core::SocketText{id, std::move(text)}); },
               [this, id](int code, std::string reason) {
                 auto it = sockets_.find(id);
                 if (it != sockets_.end()) {
                   retire(std::move(it->second));
                   sockets_.erase(it);
                 }
                 post(core::SocketClosed{id, code, std::move(reason)});
               },
               [this, id] { post(core::SocketError{id}); }});
  if (!socket) {
    console("error", "cannot open a WebSocket to " + url);
    post(core::SocketError{id});
    post(core::SocketClosed{id, 1006, "invalid server URL"});
    return;
  }
  sockets_[id] = std::move(socket);
}

void Client::create_peer(const core::CreatePeer& c) {
  const core::ConnId id = c.conn_id;
  const core::UserId owner = c.owner;
  platform::PeerConfig config;
  config.ice_servers = ice_servers_;
  platform::Peer::Callbacks callbacks{
      [this, id](std::string sdp) { post(core::LocalOfferCreated{id, std::move(sdp)}); },
      [this, id](std::string reason) { post(core::LocalOfferFailed{id, std::move(reason)}); },
      [this, id](core::IceCandidate candidate) {
        post(core::LocalIceCandidate{id, std::move(candidate)});
      },
      [this, id] { post(core::RemoteAnswerApplied{id}); },
      [this, id](std::string reason) { post(core::RemoteAnswerFailed{id, std::move(reason)}); },
      [this, id](core::PeerState state) {
        if (state == core::PeerState::kConnected && !stats_timer_.armed())
          stats_timer_.arm(kStatsIntervalMs);
        post(core::PeerStateChanged{id, state});
      },
      [this, owner, direction = c.direction](val stream) {
        if (overlay_ && direction == core::Direction::kRecvOnly) overlay_->set_remote_stream(owner, stream);
        if (frontend_) frontend_->request_frame();
      },
      [this, id] { post(core::MediaFlowing{id}); },
      [this, id](core::Millis last_frame) {
        post(core::NoMedia{id, last_frame > 0 ? std::optional<core::Millis>(last_frame) : std::nullopt});
      }};
  std::string error;
  const val stream = c.direction == core::Direction::kSendOnly && media_->has_stream()
                         ? media_->stream()
                         : val::null();
  std::unique_ptr<platform::Peer> peer =
      platform::Peer::create(c.direction, stream, config, std::move(callbacks), &error);
  if (!peer) {
    post(core::LocalOfferFailed{id, error});
    return;
  }
  peers_[id] = PeerEntry{owner, c.direction, std::move(peer)};
}

void Client::close_peer(core::ConnId id) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  if (it->second.direction == core::Direction::kRecvOnly && overlay_) {
    // Keep the element if another connection for the same owner already replaced this one.
    bool other = false;
    for (const auto& [cid, entry] : peers_)
      if (cid != id && entry.owner == it->second.owner &&
          entry.direction == core::Direction::kRecvOnly)
        other = true;
    if (!other) overlay_->remove(it->second.owner);
  }
  retire(std::move(it->second.peer));
  peers_.erase(it);
}

void Client::start_upload(core::UploadId id) {
  auto file = files_.find(id);
  if (file == files_.end()) {
    post(core::UploadFailed{id, "the file is no longer available"});
    return;
  }
  // The file stays until ForgetUpload: a failed or stalled upload starts again from it.
  const val blob = file->second;
  const std::string name = js_string(blob, "name", "file");
  uploads_[id] = platform::Upload::start(
      trust_.upload, blob, name,
      platform::Upload::Callbacks{
          [this, id](std::uint64_t sent, std::uint64_t total) {
            post(core::UploadProgress{id, sent, total});
          },
          [this, id](std::string url) {
            auto it = uploads_.find(id);
            if (it != uploads_.end()) {
              retire(std::move(it->second));
              uploads_.erase(it);
            }
            post(core::UploadFinished{id, std::move(url)});
          },
          [this, id](std::string reason) {
            auto it = uploads_.find(id);
            if (it != uploads_.end()) {
              retire(std::move(it->second));
              uploads_.erase(it);
            }
            post(core::UploadFailed{id, std::move(reason)});
          }});
}

void Client::log(const core::Log& entry) {
  const char* method = "log";
  switch (entry.level) {
    case core::LogLevel::kDebug: method = "debug"; break;
    case core::LogLevel::kInfo: method = "info"; break;
    case core::LogLevel::kWarning: method = "warn"; break;
    case core::LogLevel::kError: method = "error"; break;
  }
  console(method, core::describe(entry));
}

template <typename T>
void Client::retire(std::unique_ptr<T> object) {
  if (!object) return;
  if constexpr (std::is_same_v<T, platform::Peer>) dead_peers_.push_back(std::move(object));
  if constexpr (std::is_same_v<T, platform::Socket>) dead_sockets_.push_back(std::move(object));
  if constexpr (std::is_same_v<T, platform::Upload>) dead_uploads_.push_back(std::move(object));
  if (!reap_timer_.armed()) reap_timer_.arm(0);
}

void Client::reap() {
  dead_peers_.clear();
  dead_sockets_.clear();
  dead_uploads_.clear();
}

// ---- bridges → app ----------------------------------------------------------------------

void Client::queue_files(const std::vector<val>& files) {
  for (const val& file : files) {
    const core::UploadId id = next_upload_id_++;
    const std::string name = js_string(file, "name", "file");
    const double size = js_number(file, "size");
    files_.emplace(id, file);
    if (frontend_) frontend_->ensure_glyphs(name);
    post(core::QueueUpload{id, name, size > 0 ? static_cast<std::uint64_t>(size) : 0});
  }
}

void Client::on_devices(const std::vector<platform::MediaDevice>& devices) {
  devices_.cameras.clear();
  devices_.mics.clear();
  for (const auto& d : devices) {
    ui::Device device{d.id, d.label};
    if (frontend_) frontend_->ensure_glyphs(d.label);
    if (d.kind == platform::MediaDevice::Kind::kCamera)
      devices_.cameras.push_back(std::move(device));
    else
      devices_.mics.push_back(std::move(device));
  }
  devices_.camera_id = media_->current_camera_id();
  devices_.mic_id = media_->current_microphone_id();
  ui_.set_devices(devices_);
  if (frontend_) frontend_->request_frame();
}

void Client::poll_stats() {
  bool any = false;
  for (auto& [id, entry] : peers_) {
    if (!entry.peer || entry.direction != core::Direction::kRecvOnly) continue;
    any = true;
    std::uint64_t& frames = frames_decoded_[entry.owner];
    frames = std::max(frames, entry.peer->frames_decoded());
    if (entry.peer->state() == core::PeerState::kConnected) entry.peer->poll_stats();
  }
  if (any) stats_timer_.arm(kStatsIntervalMs);
}

void Client::request_wake_lock() {
  if (wake_lock_pending_) return;
  const val promise = val::module_property("gcBridge").call<val>("requestWakeLock");
  wake_lock_pending_ = std::make_unique<platform::PromiseHandlers>(
      [this](val sentinel) {
        wake_lock_pending_.reset();
        if (!sentinel.isNull()) wake_lock_ = sentinel;
      },
      [this](val) { wake_lock_pending_.reset(); });
  platform::js_then(promise, *wake_lock_pending_);
}

// ---- UI -------------------------------------------------------------------------------

void Client::draw() {
  const core::Millis now = now_ms();
  if (url_.kiosk && frontend_) {
    const ImVec2 size = frontend_->logical_size();
    frontend_->set_text_size(ui::kiosk_text_size(size.x, size.y));  // next frame when it changed
  }
  drawn_revision_ = session_->view().revision;
  ui::UiOutput out;
  ui_.draw(session_->view(), now, out);
  last_rects_ = ui_.tile_rects();
  place_videos();
  if (ui_.wants_animation() && frontend_) frontend_->request_frame();
  if (const auto at = ui_.redraw_at())
    redraw_timer_.arm(static_cast<double>(std::max<core::Millis>(*at - now, 0)));
  else
    redraw_timer_.cancel();
  if (!out.empty()) apply(out);
}

void Client::place_videos() {
  if (!overlay_) return;
  std::vector<platform::VideoRect> rects;
  rects.reserve(last_rects_.size());
  for (const ui::TileRect& t : last_rects_)
    rects.push_back({t.id, t.is_self, t.x, t.y, t.w, t.h, t.rounding, t.video_visible});
  overlay_->place(rects);
}

void Client::apply(const ui::UiOutput& out) {
  if (out.join) {
    const ui::JoinRequest& j = *out.join;
    platform::storage_set("server", j.server);
    platform::storage_set("room", std::to_string(j.room));
    platform::storage_set("user", std::to_string(j.user));
    // Another server is another Session (also while the old one is still trying to reach
    // an unreachable server: that is how a mistyped URL gets fixed).
    if (j.server != session_->config().server_url && session_->view().phase != core::Phase::kInRoom)
      replace_session(session_config(j.server, j.room, j.user, j.password));
    post(core::Join{j.room, j.user, j.password});
  }
  if (out.retry) post(core::Retry{});
  if (out.leave) post(core::Leave{});
  if (out.send_chat) post(core::SendChat{*out.send_chat});
  if (out.pick_files && picker_) picker_->open();
  for (core::UploadId id : out.cancel_uploads) post(core::CancelUpload{id});
  if (out.visible_participants)
    post(core::SetVisibleParticipants{out.visible_participants, out.prefetch_participants});
  if (out.resume_video) post(core::ResumeVideo{});
  for (core::UploadId id : out.retry_uploads) post(core::RetryUpload{id});
  if (out.set_muted) post(core::SetMuted{*out.set_muted});
  if (out.set_camera_off) post(core::SetCameraOff{*out.set_camera_off});
  if (out.select_camera || out.select_mic) {
    if (out.select_camera) devices_.camera_id = *out.select_camera;
    if (out.select_mic) devices_.mic_id = *out.select_mic;
    ui_.set_devices(devices_);
    platform::MediaConstraints c = media_->constraints();
    if (out.select_camera) c.camera_id = *out.select_camera;
    if (out.select_mic) c.microphone_id = *out.select_mic;
    if (media_->has_stream())
      media_->switch_devices(out.select_camera.value_or(""), out.select_mic.value_or(""));
    else
      media_->set_constraints(c);  // used by the next getUserMedia
  }
  if (out.language) {
    platform::storage_set("lang", ui::language_tag(*out.language));
    if (frontend_) frontend_->ensure_glyphs(ui::all_text(*out.language));
  }
  if (out.enable_sound) enable_sound();
  if (out.chat_visible) post(core::SetChatVisible{*out.chat_visible});
  if (out.mark_chat_read) post(core::MarkChatRead{});
  if (out.open_url && core::is_linkable_url(*out.open_url))
    val::global("window").call<val>("open", *out.open_url, std::string("_blank"),
                                    std::string("noopener"));
  // The certificate hint's link: only ever the current server's own https://host:port/.
  if (out.open_certificate_page && certificate_url_ && !server_answered_)
    val::global("window").call<val>("open", *certificate_url_, std::string("_blank"),
                                    std::string("noopener"));
  if (frontend_) frontend_->request_frame();
}

void Client::ensure_glyphs_for_view() {
  if (!frontend_) return;
  const core::ViewModel& vm = session_->view();
  std::string text;
  for (const auto& p : vm.participants) text += p.prefix + p.name + p.postfix;
  for (const auto& line : vm.chat) text += line.text;
  for (const auto& file : vm.files) text += file.name + file.url;  // the host is drawn too
  for (const auto& upload : vm.uploads) text += upload.name + upload.error;
  for (const auto& notice : vm.notices) text += notice.detail;
  text += vm.detail;
  text += ui_.certificate_hint();
  frontend_->ensure_glyphs(text);
}

// ---- test hook ------------------------------------------------------------------------

std::string Client::state_json() const {
  const core::ViewModel& vm = session_->view();
  auto rect_of = [this](core::UserId id, bool is_self) -> Json {
    for (const ui::TileRect& t : last_rects_)
      if (t.is_self == is_self && (is_self || t.id == id))
        return Json{{"x", t.x}, {"y", t.y}, {"w", t.w}, {"h", t.h}, {"videoVisible", t.video_visible}};
    return nullptr;
  };
  Json participants = Json::array();
  for (const auto& p : vm.participants) {
    auto frames = frames_decoded_.find(p.id);
    std::uint64_t decoded = frames == frames_decoded_.end() ? 0 : frames->second;
    for (const auto& [cid, entry] : peers_)
      if (cid == p.conn_id && entry.peer) decoded = std::max(decoded, entry.peer->frames_decoded());
    participants.push_back(Json{{"id", p.id},
                                {"name", p.name},
                                {"prefix", p.prefix},
                                {"postfix", p.postfix},
                                {"tile", rect_of(p.id, false)},
                                {"media", core::to_string(p.tile)},
                                {"subscribed", p.subscribed},
                                {"visible", p.visible},
                                {"prefetch", p.prefetch},
                                {"negotiated", p.negotiated},
                                {"framesDecoded", decoded},
                                {"stalls", stalls_json(p.stalls)}});
  }
  Json chat = Json::array();
  for (const auto& line : vm.chat)
    chat.push_back(Json{{"seq", line.seq},
                        {"sender", line.sender},
                        {"self", line.is_self},
                        {"text", line.text},
                        {"pending", line.status == core::ChatStatus::kQueued ||
                                        line.status == core::ChatStatus::kPending},
                        {"status", core::to_string(line.status)},
                        {"truncated", line.truncated},
                        {"time", line.time}});
  Json files = Json::array();
  for (const auto& f : vm.files)
    files.push_back(Json{{"name", f.name},
                         {"url", f.url},
                         {"linkable", f.linkable},
                         {"uploader", f.uploader},
                         {"self", f.is_self},
                         {"pending", f.status == core::ChatStatus::kQueued || f.status == core::ChatStatus::kPending},
                         {"status", core::to_string(f.status)},
                         {"time", f.time}});
  Json uploads = Json::array();
  for (const auto& u : vm.uploads)
    uploads.push_back(Json{{"id", u.id},
                           {"name", u.name},
                           {"size", u.size},
                           {"percent", u.percent},
                           {"state", core::to_string(u.state)},
                           {"error", u.error}});
  Json notices = Json::array();
  for (const auto& n : vm.notices)
    notices.push_back(Json{{"id", n.id}, {"code", core::to_string(n.code)}, {"detail", n.detail}});

  Json state{
      {"revision", vm.revision},
      {"phase", core::to_string(vm.phase)},
      {"error",
       Json{{"failure", core::to_string(vm.failure)},
            {"cause", core::to_string(vm.disconnect_cause)},
            {"detail", vm.detail}}},
      {"reconnectAt", vm.reconnect_at ? Json(*vm.reconnect_at) : Json(nullptr)},
      {"reconnectAttempts", vm.reconnect_attempts},
      {"server", session_->config().server_url},
      {"room", vm.room},
      {"selfId", vm.self.id},
      {"self",
       Json{{"id", vm.self.id},
            {"publish", core::to_string(vm.self.publish)},
            {"muted", vm.self.muted},
            {"cameraOff", vm.self.camera_off},
            {"mediaReady", vm.self.media_ready},
            {"mediaError", vm.self.media_error},
            {"tile", rect_of(vm.self.id, true)}}},
      {"participants", participants},
      {"chat", chat},
      {"unread", vm.unread},
      {"files", files},
      {"uploads", uploads},
      {"notices", notices},
      {"stalls", stalls_json(vm.stalls)},
      {"rejoins",
       Json{{"count", vm.rejoins.count},
            {"lastCause", core::to_string(vm.rejoins.last_cause)},
            {"pendingAt", vm.rejoins.pending_at ? Json(*vm.rejoins.pending_at) : Json(nullptr)}}},
      {"resubscribes", vm.resubscribes},
      {"liveSubscriptions", vm.live_subscriptions},
      {"maxLiveSubscriptions", session_->config().max_live_subscriptions},
      {"maxFrameBytes", session_->config().max_send_frame_bytes},
      {"largestFrameSent", largest_frame_sent_},
      {"kiosk", url_.kiosk},
      {"config", config_json()},
      {"refusedServer", trust_.refused_server ? Json(*trust_.refused_server) : Json(nullptr)},
      {"refusedUpload", trust_.refused_upload ? Json(*trust_.refused_upload) : Json(nullptr)},
      {"refusedScreen", ui_.refused()},
      {"certificateHint", ui_.certificate_hint().empty() ? Json(nullptr) : Json(ui_.certificate_hint())},
      {"upload", Json{{"url", trust_.upload.url}, {"field", trust_.upload.field}, {"urlPath", trust_.upload.url_path}}},
      {"soundBlocked", sound_blocked_},
      {"language", ui::language_tag(ui_.language())},
      {"framesDrawn", frontend_ ? frontend_->frames_drawn() : 0},
      {"framesPending", frontend_ ? frontend_->frames_pending() : false},
      {"memory", memory_json()},
      {"form",
       Json{{"server", ui_.server_field()},
            {"room", ui_.room_field()},
            {"user", ui_.user_field()},
            {"passwordBytes", ui_.password_length()}}},
  };
  return state.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// config.json as applied (never a credential: ICE servers are counted, not listed).
nlohmann::json Client::config_json() const {
  Json uploads = Json::array();
  for (const auto& u : deploy_.uploads) uploads.push_back(u.url);
  return Json{{"source", core::to_string(deploy_.source)},
              {"servers", deploy_.servers},
              {"problems", config_problems_},
              {"uploads", uploads},
              {"files", deploy_.files},
              {"iceServers", ice_servers_.size()},
              {"language", deploy_.language}};
}

std::string Client::regions_json() const {
  Json regions = Json::array();
  for (const ui::Region& r : ui_.regions())
    regions.push_back(Json{{"name", r.name}, {"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}});
  return regions.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool Client::upload_file(const val& file) {
  if (file.isNull() || file.isUndefined()) return false;
  queue_files({file});
  return true;
}

void Client::send_chat(const std::string& text) { post(core::SendChat{text}); }

void Client::leave() { post(core::Leave{}); }

void Client::enable_sound() {
  if (overlay_) overlay_->enable_sound();
  sound_blocked_ = false;
  ui_.set_sound_blocked(false);
  if (frontend_) frontend_->request_frame();
}

}  // namespace gc::app
