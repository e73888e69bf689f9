#include "app/client.hpp"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/display.hpp"
#include "core/links.hpp"
#include "ui/i18n.hpp"

namespace gc::app {
namespace {

using Json = nlohmann::json;

Json stalls_json(const core::StallCounts& s) { return Json{{"detected", s.detected}, {"acted", s.acted}}; }

// participants[].quality: every figure a number, 0 when unknown (issue 13's contract).
Json quality_json(const core::QualityFigures& q) {
  return Json{{"score", q.score},         {"fps", q.fps},       {"bitrateKbps", q.bitrate_kbps},
              {"lossPct", q.loss_pct},    {"rttMs", q.rtt_ms},  {"jitterMs", q.jitter_ms},
              {"width", q.width},         {"height", q.height}};
}

// The full report once a second until every connection's video shows and its quality is
// measured, and while the quality panel plots; every 2 s at rest (Client::stats_interval_ms).
constexpr double kStatsIntervalMs = 1000;
constexpr double kStatsRestIntervalMs = 2000;
// ...and a connection that has shown no frame this long after connecting (a participant
// without a camera) rests too.
constexpr core::Millis kNoVideoWaitMs = 10000;
// The speaking ring needs a level a few times a second: the analyser's (Peer::poll_audio), or
// where no AudioContext runs only the audio's own stats, for the tiles on screen.
constexpr double kAudioIntervalMs = 250;
// Below this a level shows nothing (-50 dBov: the meter lights from -45, a ring from -35),
// and the audio worklet reports nothing (web/worklets/levels.js' FLOOR).
constexpr double kSilentLevel = 0.00316;
// The worklet's last report said silence: the speaking rings' hold still has to end, so a
// read this long after it (then again until the hold is over).
constexpr double kAudioReportWaitMs = 350;
// The pre-join meter reads the microphone's analyser this often (a frame only when the
// drawn step changes: core::MeterThrottle).
constexpr double kPreviewLevelMs = 100;

// The selected device: what the next getUserMedia asks for, else what the open track is.
std::string selected(const std::string& chosen, const std::string& current) {
  return chosen.empty() ? current : chosen;
}

}  // namespace

// ---- construction -----------------------------------------------------------------------

std::unique_ptr<Client> Client::create(const PageInfo& page, core::DeployConfig deploy,
                                       std::unique_ptr<Bridges> bridges) {
  std::unique_ptr<Client> client(new Client(page, std::move(deploy), std::move(bridges)));
  client->start();
  return client;
}

Client::Client(const PageInfo& page, core::DeployConfig deploy, std::unique_ptr<Bridges> bridges)
    : bridges_(std::move(bridges)),
      page_(page),
      url_(core::parse_url_fragment(page.hash, page.protocol, page.host)),
      deploy_(std::move(deploy)),
      trust_(core::check_fragment(url_, deploy_, page.protocol, page.host)),
      config_problems_(deploy_.problems),
      session_timer_(bridges_->create_timer([this] { on_session_timer(); })),
      stats_timer_(bridges_->create_timer([this] { poll_stats(); })),
      audio_timer_(bridges_->create_timer([this] { poll_audio(); })),
      sound_wake_(bridges_->create_sound_wake([this] {
        poll_audio(sound_wake_->sounding() ? AudioRead::kSoundReport : AudioRead::kReport);
      })),
      redraw_timer_(bridges_->create_timer([this] {
        if (frontend_) frontend_->request_frame();
      })),
      reap_timer_(bridges_->create_timer([this] { reap(); })),
      level_timer_(bridges_->create_timer([this] { poll_level(); })),
      meter_timer_(bridges_->create_timer([this] {
        if (frontend_) frontend_->request_one_frame();
      })) {}

Client::~Client() {
  // The Session's bridges first, while everything they might reach still exists.
  uploads_.clear();
  peers_.clear();
  sockets_.clear();
  reap();
}

core::Millis Client::now_ms() const { return static_cast<core::Millis>(bridges_->now_ms()); }

void Client::start() {
  const auto warn = [this](const std::string& text) { bridges_->console(core::LogLevel::kWarning, text); };
  for (const auto& problem : url_.problems) warn("URL fragment: " + problem);

  // STUN/TURN: config.json's; the fragment's ice= only where config.json names none.
  if (!deploy_.ice_servers.empty()) {
    ice_servers_ = deploy_.ice_servers;
    if (!url_.ice_servers.empty())
      config_problems_.push_back("ice= in the URL fragment is ignored: config.json sets iceServers");
  } else {
    for (const auto& url : url_.ice_servers) ice_servers_.push_back(core::IceServer{{url}, "", ""});
  }
  for (const auto& problem : config_problems_) warn("config.json: " + problem);
  if (trust_.refused_server)
    bridges_->console(core::LogLevel::kError, "refused the server in the URL fragment (" +
                         std::string(deploy_.servers.empty() ? "only this page's own server may be chosen"
                                                             : "not listed in config.json servers") +
                         "): " + *trust_.refused_server);
  if (trust_.refused_upload)
    bridges_->console(core::LogLevel::kError, "refused the upload address in the URL fragment: " + *trust_.refused_upload);

  // Language: the fragment, else the last choice, else config.json's, else the browser's.
  std::string lang = url_.lang;
  if (lang.empty()) lang = bridges_->storage_get("lang").value_or("");
  if (lang.empty()) lang = deploy_.language;
  ui_.set_language(ui::language_from_tag(lang.empty() ? page_.language : lang));
  ui_.set_kiosk(url_.kiosk);
  ui_.set_live_media(&live_);
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
                                                : bridges_->storage_get("server").value_or(trust_.server);
  defaults.room = url_.room ? std::to_string(*url_.room) : bridges_->storage_get("room").value_or("");
  defaults.user = url_.user ? std::to_string(*url_.user) : bridges_->storage_get("user").value_or("");
  defaults.password = url_.password.value_or("");
  ui_.set_join_defaults(defaults);

  std::optional<core::RoomId> room = url_.room;
  std::optional<core::UserId> user = url_.user;
  if (!room) room = core::parse_wire_integer(defaults.room);
  if (!user) user = core::parse_wire_integer(defaults.user);
  replace_session(session_config(defaults.server, room, user, url_.password));

  media_ = bridges_->create_media(MediaCallbacks{
      [this](bool has_audio, bool has_video) {
        has_audio_ = has_audio;
        has_video_ = has_video;
        preview_requested_ = false;
        preview_error_.reset();
        // What opened, should it differ from the choice (a remembered device that is gone).
        MediaConstraints c = media_->constraints();
        const std::string camera = media_->current_camera_id(), mic = media_->current_microphone_id();
        if (!c.camera_id.empty() && !camera.empty() && camera != c.camera_id) c.camera_id = camera;
        if (!c.microphone_id.empty() && !mic.empty() && mic != c.microphone_id) c.microphone_id = mic;
        if (c.camera_id != media_->constraints().camera_id || c.microphone_id != media_->constraints().microphone_id)
          media_->set_constraints(c);
        show_self_preview();
        show_devices();
        if (session_wants_media_) {
          session_wants_media_ = false;
          post(core::LocalMediaReady{has_audio, has_video});
        } else if (preview_opens()) {
          update_preview();  // the preview's own answer: shown, not the Session's business
        } else {
          // Nobody wants it any more (left while it was being opened): the camera goes off.
          media_->release();
          has_audio_ = has_video_ = false;
          if (overlay_) overlay_->set_self_stream(JsRef(), false);
          update_preview();
        }
      },
      [this](std::string reason, bool denied) {
        preview_requested_ = false;
        preview_error_ = std::make_pair(reason, denied);
        if (session_wants_media_) {
          session_wants_media_ = false;
          post(core::LocalMediaFailed{std::move(reason), denied});
        } else {
          update_preview();
        }
      },
      [this](std::vector<MediaDevice> devices) { on_devices(devices); },
      [this](JsRef audio, JsRef video) {
        // While a screen is shared the new camera waits: Stop sharing puts it on.
        const bool sharing = static_cast<bool>(media_->screen_track());
        for (auto& [id, entry] : peers_)
          if (entry.direction == core::Direction::kSendOnly && entry.peer)
            entry.peer->replace_tracks(audio, sharing ? JsRef() : video);
        show_self_preview();
        show_devices();
      },
      [this](std::string reason) { bridges_->console(core::LogLevel::kWarning, "device switch failed: " + reason); },
      [this] {
        send_video(media_->screen_track());
        show_self_preview();
        post(core::ScreenShareStarted{});
      },
      [this](std::string reason, bool denied) { post(core::ScreenShareFailed{std::move(reason), denied}); },
      [this] { post(core::ScreenShareEnded{}); }});
  MediaConstraints constraints;
  constraints.width = url_.video_width;
  constraints.height = url_.video_height;
  constraints.fps = url_.video_fps;
  // The devices chosen last time (the join screen's pickers or the room's popup), preferred.
  constraints.camera_id = bridges_->storage_get("camera").value_or("");
  constraints.microphone_id = bridges_->storage_get("mic").value_or("");
  media_->set_constraints(constraints);
  // The layout: the fragment's, else (not in a kiosk) the one chosen last time.
  ui_.set_layout(url_.layout_set || url_.kiosk
                     ? url_.layout
                     : core::parse_view_layout(bridges_->storage_get("layout").value_or("")).value_or(url_.layout));
  layout_kept_ = ui_.layout();

  overlay_ = bridges_->create_overlay(OverlayCallbacks{
      [this](bool blocked) {
        ui_.set_sound_blocked(blocked);
        if (frontend_) frontend_->request_frame();
      },
      [this](core::UserId owner) {
        // A frame was decoded (the element may still be hidden): the connection carries media.
        for (const auto& [id, entry] : peers_) {
          if (entry.owner != owner || entry.direction != core::Direction::kRecvOnly) continue;
          post(core::MediaFlowing{id});
          return;
        }
      },
      [this](core::UserId owner) {
        // Shown before a kiosk's first frame and now on screen: that frame may come.
        if (!first_frame_held_) return;
        presented_.insert(owner);
        if (!first_frame_may_wait()) release_first_frame();
      }});

  // A kiosk joins from its URL: the socket and the camera start now, before the canvas,
  // ImGui and the glyph atlas are set up, so their handshakes run while that work does
  // (issue 12: time to video). A refused link connects nothing (the refused screen says so).
  const bool auto_join = url_.kiosk && !ui_.refused();
  if (auto_join) post(core::Join{});

  // A kiosk's canvas, ImGui and glyph atlas are set up in a task of their own once its join
  // is answered, its camera and first offers are out and its first page's videos are on
  // screen (frontend_setup_may_wait), or at the hold's limit (on_hold_limit; issue 12):
  // their first calls compile lazily and wait on the GPU process for 60-90 ms (much more on
  // a loaded machine), and the join, the participant list, the offers, the camera's answer,
  // the answers and the ICE candidates (each a task on this thread) should not wait behind
  // them. Its first frame is held from the start (first_frame_may_wait). A person's page
  // draws its join screen at once.
  if (auto_join) {
    first_frame_held_ = true;
    started_at_ = now_ms();
    hold_timer_ = bridges_->create_timer([this] { on_hold_limit(); });
    hold_timer_->arm(kFirstFrameHoldMs);
    frontend_timer_ = bridges_->create_timer([this] { start_frontend_when_loaded(); });
  } else {
    start_frontend_when_loaded();  // both halves of the module are in: at once
  }
  // What the join does not need (the file picker, the wake lock, the hash watch) comes in
  // a task after it for a kiosk: the join goes out in this one (the socket's open is a
  // microtask when early.js's socket is open already; issue 12).
  if (auto_join) {
    start_rest_timer_ = bridges_->create_timer([this] { start_rest(true); });
    start_rest_timer_->arm(0);
  } else {
    start_rest(false);
  }
  after_change();
}

void Client::start_rest(bool auto_join) {
  picker_ = bridges_->create_file_picker([this](std::vector<PickedFile> files) { queue_files(std::move(files)); });
  if (auto_join) bridges_->keep_screen_awake();
  // The fragment is the configuration: editing it in the address bar (which does not
  // reload the page) starts over with the new one.
  bridges_->reload_on_hash_change();
  // The device pickers' lists; a kiosk has no pickers.
  if (!url_.kiosk) media_->enumerate_devices();
}

// The frontend once the module's second half, the canvas's code, is in (issue 12: a kiosk
// fetches it only now, once its join's work is done; a person's page has it from the start).
void Client::start_frontend_when_loaded() {
  if (frontend_started_ || ui_code_requested_) return;
  ui_code_requested_ = true;
  bridges_->load_ui_code([this] { start_frontend(); });
}

void Client::start_frontend() {
  if (frontend_started_) return;  // once: a failed create is reported, not retried
  frontend_started_ = true;
  frontend_ = bridges_->create_frontend(
      FrontendCallbacks{[this] { draw(); }, [this](PickedFile file) { queue_files({std::move(file)}); }});
  if (!frontend_) {
    // Without a canvas there is no UI to report in: say it on the loading screen instead.
    bridges_->console(core::LogLevel::kError, "no WebGL2 canvas: running without a UI");
    bridges_->show_startup_error("WebGL2 could not be started in this browser. 无法在此浏览器中启动 WebGL2。");
  }
  if (frontend_) {
    frontend_->ensure_glyphs(ui::all_text(ui_.language()));
    frontend_->ensure_glyphs(trust_.refused_server.value_or("") + trust_.refused_upload.value_or("") +
                             (config_problems_.empty() ? std::string() : config_problems_.front()));
    // A kiosk's first frame waits for the first page's media (first_frame_may_wait; held
    // since start()); the loading text stays until then.
    if (first_frame_held_) frontend_->hold_frames(true);
    if (!url_.kiosk) {
      // The text size setting chosen last time (issue 14), before the first atlas is baked.
      if (const auto stored = core::parse_wire_integer(bridges_->storage_get("textScale").value_or("")))
        ui_.set_text_scale(static_cast<int>(*stored));
      frontend_->set_text_size(ui_.text_size_css());
    }
    if (url_.kiosk) {
      frontend_->set_cursor_hidden_when_idle(true);
      // Before the first frame, so the first atlas is baked at the wall screen's size.
      const ImVec2 size = frontend_->logical_size();
      frontend_->set_text_size(ui::kiosk_text_size(size.x, size.y));
    }
  }

  if (frontend_) {
    a11y_timer_ = bridges_->create_timer([this] { announce_due(); });
    a11y_live_timer_ = bridges_->create_timer([this] { update_a11y(now_ms()); });
    const auto redraw = [this] {
      if (frontend_) frontend_->request_frame();
    };
    a11y_ = bridges_->create_a11y_mirror(A11yCallbacks{
        [this, redraw](const std::string& id) {
          ui_.a11y_focus(id);
          redraw();  // the focus ring moves
        },
        [this, redraw](const std::string& id) {
          if (ui_.a11y_activate(id)) redraw();
        },
        [this, redraw](bool reduced_motion, bool high_contrast) {
          ui_.set_reduced_motion(reduced_motion);
          ui_.set_high_contrast(high_contrast);
          redraw();
        }});
  }

  glyph_revision_ = ~std::uint64_t{0};  // a kiosk's join ran before there was an atlas
  glyph_chat_seq_ = glyph_file_seq_ = 0;
  after_change();
}

// ---- the pre-join check and the microphone meter -------------------------------------------

bool Client::preview_enabled() const { return !url_.kiosk && publish_ && !ui_.refused(); }

bool Client::preview_opens() const {
  using core::Phase;
  const Phase phase = session_->view().phase;
  return preview_enabled() &&
         (phase == Phase::kIdle || phase == Phase::kFailed || (phase == Phase::kLeft && !preview_stopped_));
}

void Client::update_preview() {
  using core::Phase;
  if (!media_) return;  // start() has not made it yet
  const Phase phase = session_->view().phase;
  if (phase == Phase::kInRoom) preview_stopped_ = true;  // leaving this room turns it off
  ui::Preview preview;
  if (preview_enabled()) {
    // Before Join (and after a failed one) the preview opens the camera itself; after a
    // Leave it stays off until asked; in between the stream is the Session's.
    const bool opens = preview_opens();
    if (opens && !media_->has_stream() && !preview_requested_ && !session_wants_media_ && !preview_error_) {
      preview_requested_ = true;
      media_->request();
    }
    using State = ui::Preview::State;
    if (media_->has_stream()) {
      preview.state = has_video_ ? State::kLive : State::kNoCamera;
      preview.mic = has_audio_;
    } else if (preview_requested_ || session_wants_media_) {
      preview.state = State::kStarting;
    } else if (preview_error_) {
      preview.state = State::kFailed;
      preview.denied = preview_error_->second;
    } else {
      preview.state = opens ? State::kStarting : State::kStopped;
    }
  }
  const ui::Preview& shown = ui_.preview();
  if ((shown.state != preview.state || shown.mic != preview.mic || shown.denied != preview.denied) && frontend_)
    frontend_->request_frame();
  ui_.set_preview(preview);
  // The meter under the preview reads the microphone while the join screen shows it.
  const bool meter = preview.mic && ui_.on_join_screen();
  if (meter && !level_timer_->armed()) level_timer_->arm(kPreviewLevelMs);
}

void Client::poll_level() {
  update_preview();
  if (!ui_.preview().mic || !ui_.on_join_screen()) {
    media_->stop_input_level();  // the room's meter reads getStats instead
    live_.self_level = 0;
    return;
  }
  live_.self_level = media_->input_level();
  check_meter();
}

void Client::check_meter() {
  const core::Millis now = now_ms();
  const auto at = meter_.on_level(ui_.mic_meter_step(session_->view()), now);
  if (!at) return;
  if (*at <= now) {
    if (frontend_) frontend_->request_one_frame();  // only the segments change
  } else if (!meter_timer_->armed()) {
    meter_timer_->arm(static_cast<double>(*at - now));
  }
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
  config.seed = static_cast<std::uint64_t>(bridges_->now_ms() * 1000);
  return config;
}

void Client::replace_session(core::SessionConfig config) {
  // A new server means a new Session: drop every bridge of the old one.
  retire_all(sockets_);
  for (auto& [id, entry] : peers_)
    if (overlay_ && entry.direction == core::Direction::kRecvOnly) overlay_->remove(entry.owner);
  retire_all(peers_);
  retire_all(uploads_);
  files_.clear();
  ui_.set_server(config.server_url);
  ui_.set_max_chat_bytes(config.max_chat_bytes);  // the box refuses what the Session would
  session_wants_media_ = false;  // the new Session asks for itself
  certificate_url_ = core::certificate_page_url(config.server_url, page_.protocol, page_.host);
  server_answered_ = false;
  update_certificate_hint();
  session_ = std::make_unique<core::Session>(std::move(config));
  drawn_revision_ = glyph_revision_ = state_chat_revision_ = ~std::uint64_t{0};
  glyph_chat_seq_ = glyph_file_seq_ = 0;  // a new Session numbers its lines from the start
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
  keep_spare_peer();
  const std::uint64_t revision = session_->view().revision;
  if (revision != glyph_revision_) {
    glyph_revision_ = revision;
    ensure_glyphs_for_view();
  }
  if (revision != drawn_revision_ && frontend_) frontend_->request_frame();
  if (!peers_.empty() && !stats_timer_->armed()) stats_timer_->arm(stats_interval_ms());
  update_preview();
  // A kiosk in the room before its first frame subscribes to what that frame will show
  // now, not after it (the first frame compiles and uploads for hundreds of milliseconds),
  // and shows the videos that are live already. Not while its first join is on its way:
  // there is nothing to show or subscribe to yet, and reading the canvas's size lays the
  // page out (8 ms of this thread on a loaded machine) before the join is sent (issue 12).
  const core::Phase phase = session_->view().phase;
  const bool first_join = phase == core::Phase::kIdle || phase == core::Phase::kConnecting ||
                          phase == core::Phase::kJoining;
  if (url_.kiosk && frames_drawn_ == 0 && !first_join) {
    const ImVec2 size = frontend_ ? frontend_->logical_size() : bridges_->canvas_size();
    ui::UiOutput out;
    ui_.plan_kiosk_grid(session_->view(), now_ms(), size.x, size.y, out);
    // Its live videos are shown where that frame will put them, before it is drawn.
    last_rects_ = ui_.tile_rects();
    place_videos();
    if (!out.empty()) apply(out);
  }
  if (first_frame_held_ && !first_frame_may_wait()) release_first_frame();
  set_up_frontend_unless_waiting();
}

// A kiosk whose set-up waited (frontend_setup_may_wait): now, in a task of its own.
void Client::set_up_frontend_unless_waiting() {
  if (!frontend_started_ && frontend_timer_ && !frontend_setup_may_wait()) frontend_timer_->arm(0);
}

// Issue 12: a kiosk's frontend set-up (start()) waits while its join is on its way, and in
// the room while the camera the Session asked for has not answered, a connection has no
// offer yet, or its first frame is still held for the first page's video
// (first_frame_may_wait): every one of those steps (the answers, the ICE candidates, the
// first decoded frames are tasks on this thread too) is on the way to the first video, and
// the set-up (the WebGL context, the canvas's buffer, ImGui) would delay it by 100-200 ms
// without a GPU. Anything else (failed, reconnecting, left) has something to show at once.
bool Client::frontend_setup_may_wait() const {
  using core::Phase;
  const Phase phase = session_->view().phase;
  if (phase == Phase::kConnecting || phase == Phase::kJoining) return true;
  if (phase != Phase::kInRoom) return false;
  if (session_wants_media_) return true;
  if (std::any_of(peers_.begin(), peers_.end(), [](const auto& p) { return !p.second.offered; })) return true;
  return first_frame_held_ && first_frame_may_wait();
}

// Issue 12: until a kiosk's first page shows video its main thread is better spent on the
// socket and the connections than on its first frame (lazy compilation, shaders, the atlas
// upload, a canvas readback: 0.5-1 s on this kind of machine). It waits while joining, while
// the room is empty (someone joining at the same time is about to be announced), and while
// a tile on the first page is connecting (negotiating, or connected with no frame decoded
// yet, or decoded but not presented yet); never when there is something else to show
// (failed, reconnecting, left). The videos themselves are shown before it (after_change).
bool Client::first_frame_may_wait() const {
  using core::Phase;
  const core::ViewModel& vm = session_->view();
  if (vm.phase == Phase::kConnecting || vm.phase == Phase::kJoining) return true;
  if (vm.phase != Phase::kInRoom) return false;
  if (vm.participants.empty()) return true;
  return first_page_on_its_way();
}

// A tile on the first page is connecting (negotiating, or connected with no frame decoded
// yet), or decoded and not presented yet. Live: its video is shown before the first frame
// (after_change) and is on screen once it has presented a frame, so a person sees it
// without waiting for the canvas.
bool Client::first_page_on_its_way() const {
  const core::ViewModel& vm = session_->view();
  if (vm.phase != core::Phase::kInRoom) return false;
  for (const core::ParticipantView& p : vm.participants) {
    if (!p.visible) continue;
    if (p.tile == core::TileState::kConnecting) return true;
    if (p.tile == core::TileState::kLive && !presented_.count(p.id)) return true;
  }
  return false;
}

// kFirstFrameHoldMs after start: the first frame and the set-up now, unless the first
// page's videos are on their way (then up to kFirstFrameHoldMaxMs).
void Client::on_hold_limit() {
  const core::Millis waited = now_ms() - started_at_;
  if (first_page_on_its_way() && waited < static_cast<core::Millis>(kFirstFrameHoldMaxMs)) {
    hold_timer_->arm(kFirstFrameHoldMaxMs - static_cast<double>(waited));
    return;
  }
  release_first_frame();
  if (!frontend_started_ && frontend_timer_) frontend_timer_->arm(0);
}

void Client::release_first_frame() {
  if (!first_frame_held_) return;
  first_frame_held_ = false;
  presented_.clear();
  if (hold_timer_) hold_timer_->cancel();
  if (frontend_) frontend_->hold_frames(false);
  if (media_ && media_->has_stream()) show_self_preview();  // held back until now
  set_up_frontend_unless_waiting();  // it may have waited for this
}

void Client::arm_session_timer() {
  const auto due = session_->next_timeout();
  if (!due) {
    session_timer_->cancel();
    return;
  }
  session_timer_->arm(static_cast<double>(*due - now_ms()));
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
            bridges_->console(core::LogLevel::kWarning, "dropped a frame for a socket that is not open");
        } else if constexpr (std::is_same_v<T, core::RequestLocalMedia>) {
          session_wants_media_ = true;
          media_->request();  // the preview's stream, if open, answers at once
        } else if constexpr (std::is_same_v<T, core::ReleaseLocalMedia>) {
          session_wants_media_ = false;
          // Back on the join screen after a failed join (the phase is already the Session's
          // new one): the preview goes on with the same camera, whole again.
          if (preview_opens() && media_->has_stream()) {
            media_->set_enabled(true, true);
          } else {
            media_->release();
            has_audio_ = has_video_ = false;
            live_.self_level = 0;
            if (overlay_) overlay_->set_self_stream(JsRef(), false);
          }
        } else if constexpr (std::is_same_v<T, core::SetLocalMediaEnabled>) {
          media_->set_enabled(c.audio, c.video);
        } else if constexpr (std::is_same_v<T, core::StartScreenShare>) {
          media_->start_screen();
        } else if constexpr (std::is_same_v<T, core::StopScreenShare>) {
          media_->stop_screen();
          send_video(media_->camera_track());
          show_self_preview();
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
          if (it != uploads_.end()) it->second->abort();
          retire_from(uploads_, c.upload_id);
        } else if constexpr (std::is_same_v<T, core::Log>) {
          bridges_->console(c.level, core::describe(c));
        }
      },
      command);
}

void Client::open_socket(core::SocketId id, const std::string& url) {
  std::unique_ptr<Socket> socket = bridges_->open_socket(
      url, SocketCallbacks{
               [this, id] {
                 if (!server_answered_) {
                   server_answered_ = true;  // its certificate (if any) is accepted
                   update_certificate_hint();
                 }
                 post(core::SocketOpened{id});
               },
               [this, id](std::string text) { post(core::SocketText{id, std::move(text)}); },
               [this, id](int code, std::string reason) {
                 retire_from(sockets_, id);
                 post(core::SocketClosed{id, code, std::move(reason)});
               },
               [this, id] { post(core::SocketError{id}); }});
  if (!socket) {
    bridges_->console(core::LogLevel::kError, "cannot open a WebSocket to " + url);
    post(core::SocketError{id});
    post(core::SocketClosed{id, 1006, "invalid server URL"});
    return;
  }
  sockets_[id] = std::move(socket);
}

void Client::create_peer(const core::CreatePeer& c) {
  const core::ConnId id = c.conn_id;
  const core::UserId owner = c.owner;
  PeerCallbacks callbacks{
      [this, id](std::string sdp) {
        if (auto it = peers_.find(id); it != peers_.end()) it->second.offered = true;
        post(core::LocalOfferCreated{id, std::move(sdp)});
      },
      [this, id](std::string reason) {
        if (auto it = peers_.find(id); it != peers_.end()) it->second.offered = true;
        post(core::LocalOfferFailed{id, std::move(reason)});
      },
      [this, id](core::IceCandidate candidate) {
        post(core::LocalIceCandidate{id, std::move(candidate)});
      },
      [this, id] { post(core::RemoteAnswerApplied{id}); },
      [this, id](std::string reason) { post(core::RemoteAnswerFailed{id, std::move(reason)}); },
      [this, id](core::PeerState state) {
        if (auto it = peers_.find(id); it != peers_.end()) {
          PeerEntry& entry = it->second;
          if (state == core::PeerState::kConnected && !entry.connected) entry.connected_at = now_ms();
          entry.connected = state == core::PeerState::kConnected;
        }
        if (state == core::PeerState::kConnected && !stats_timer_->armed())
          stats_timer_->arm(stats_interval_ms());
        if (state == core::PeerState::kConnected && !audio_timer_->armed())
          audio_timer_->arm(kAudioIntervalMs);
        post(core::PeerStateChanged{id, state});
      },
      [this, owner, direction = c.direction](JsRef stream) {
        if (overlay_ && direction == core::Direction::kRecvOnly) overlay_->set_remote_stream(owner, stream);
        if (frontend_) frontend_->request_frame();
      },
      [this, id] { post(core::MediaFlowing{id}); },
      [this, id](core::Millis last_frame) {
        post(core::NoMedia{id, last_frame > 0 ? std::optional<core::Millis>(last_frame) : std::nullopt});
      },
      [this, id](core::StatsSample sample) { on_stats(id, sample); },
      [this, id](core::AudioSample sample) { on_audio(id, sample); }};
  std::string error;
  const JsRef stream =
      c.direction == core::Direction::kSendOnly && media_->has_stream() ? media_->stream() : JsRef();
  // The prepared receive connection (keep_spare_peer), its offer likely made already.
  const bool spare = c.direction == core::Direction::kRecvOnly && spare_peer_;
  std::unique_ptr<Peer> peer;
  if (spare)
    peer = std::move(spare_peer_);
  else
    peer = bridges_->create_peer(c.direction, stream, ice_servers_, std::move(callbacks), &error);
  if (!peer) {
    post(core::LocalOfferFailed{id, error});
    return;
  }
  if (spare && spare_timer_) spare_timer_->cancel();
  // A send connection made while sharing (a rejoin) carries the screen from the start.
  if (c.direction == core::Direction::kSendOnly && media_->screen_track()) peer->set_video_track(media_->screen_track());
  PeerEntry& entry = peers_[id];
  entry = PeerEntry{};
  entry.owner = owner;
  entry.direction = c.direction;
  entry.peer = std::move(peer);
  // Its held reports now, with the entry in place (they post, so the Session sees them next).
  if (spare) entry.peer->adopt(std::move(callbacks));
}

// Issue 12 (time to video): as a join starts, a receive connection is made for the first
// subscription, so its offer (the connection, its transceivers, createOffer and
// setLocalDescription: 50-100 ms of this thread's tasks on a loaded machine) is ready when
// the list (or the first arrival) names whom it is for. It is made while the socket opens,
// not once the join is sent: made then, its set-up delayed the list's handling by as much
// as it saved (late joiner, 12 rounds each: join to list 48 ms against 15, offer 36 ms
// later). Only one per join: the first subscription is the first video. Unused, it is
// closed after kSparePeerMs, or as soon as the Session is neither connecting, joining nor
// in the room (left, failed, reconnecting: a rejoin makes its own).
void Client::keep_spare_peer() {
  const core::Phase phase = session_->view().phase;
  if (phase != core::Phase::kConnecting && phase != core::Phase::kJoining && phase != core::Phase::kInRoom) {
    spare_peer_.reset();
    if (spare_timer_) spare_timer_->cancel();
    spare_prepared_ = false;
    return;
  }
  if (phase == core::Phase::kInRoom || spare_prepared_) return;
  spare_prepared_ = true;
  spare_peer_ = bridges_->prepare_receive_peer(ice_servers_);
  if (!spare_peer_) return;
  if (!spare_timer_) spare_timer_ = bridges_->create_timer([this] { spare_peer_.reset(); });
  spare_timer_->arm(kSparePeerMs);
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
  retire_from(peers_, id);
}

void Client::start_upload(core::UploadId id) {
  auto file = files_.find(id);
  if (file == files_.end()) {
    post(core::UploadFailed{id, "the file is no longer available"});
    return;
  }
  // The file stays until ForgetUpload: a failed or stalled upload starts again from it.
  uploads_[id] = bridges_->start_upload(
      trust_.upload, file->second,
      UploadCallbacks{
          [this, id](std::uint64_t sent, std::uint64_t total) {
            post(core::UploadProgress{id, sent, total});
          },
          [this, id](std::string url) {
            retire_from(uploads_, id);
            post(core::UploadFinished{id, std::move(url)});
          },
          [this, id](std::string reason, bool too_large) {
            retire_from(uploads_, id);
            post(core::UploadFailed{id, std::move(reason), too_large});
          }});
}

void Client::retire(std::unique_ptr<Bridge> bridge) {
  if (!bridge) return;
  retired_.push_back(std::move(bridge));
  if (!reap_timer_->armed()) reap_timer_->arm(0);
}

template <typename Map>
bool Client::retire_from(Map& map, const typename Map::key_type& id) {
  auto it = map.find(id);
  if (it == map.end()) return false;
  retire(std::move(it->second));
  map.erase(it);
  return true;
}

template <typename Map>
void Client::retire_all(Map& map) {
  for (auto& [id, bridge] : map) retire(std::move(bridge));
  map.clear();
}

void Client::reap() { retired_.clear(); }

// ---- bridges → app ----------------------------------------------------------------------

void Client::queue_files(std::vector<PickedFile> files) {
  for (PickedFile& file : files) {
    const core::UploadId id = next_upload_id_++;
    if (frontend_) frontend_->ensure_glyphs(file.name);
    const core::QueueUpload queued{id, file.name, file.size};
    files_.emplace(id, std::move(file));
    post(queued);
  }
}

void Client::on_devices(const std::vector<MediaDevice>& devices) {
  devices_ = devices;
  if (frontend_)
    for (const MediaDevice& d : devices_) frontend_->ensure_glyphs(d.label);
  show_devices();
}

// The Ui's copy of the device lists and selection, made afresh from devices_ and media_.
void Client::show_devices() {
  ui::Devices shown;
  for (const MediaDevice& d : devices_)
    (d.kind == MediaDevice::Kind::kCamera ? shown.cameras : shown.mics).push_back(ui::Device{d.id, d.label});
  const MediaConstraints chosen = media_->constraints();
  shown.camera_id = selected(chosen.camera_id, media_->current_camera_id());
  shown.mic_id = selected(chosen.microphone_id, media_->current_microphone_id());
  ui_.set_devices(std::move(shown));
  if (frontend_) frontend_->request_frame();
}

// With a camera open the media bridge switches now (and reports tracks_changed); without
// one the choice waits in its constraints for the next getUserMedia.
void Client::select_devices(const std::optional<std::string>& camera, const std::optional<std::string>& mic) {
  // Remembered for the next visit (the pre-join check, issue 13 item 7).
  if (camera) bridges_->storage_set("camera", *camera);
  if (mic) bridges_->storage_set("mic", *mic);
  preview_error_.reset();  // another device may open: the preview tries again
  if (media_->has_stream()) {
    media_->switch_devices(camera.value_or(""), mic.value_or(""));
  } else {
    MediaConstraints c = media_->constraints();
    if (camera) c.camera_id = *camera;
    if (mic) c.microphone_id = *mic;
    media_->set_constraints(c);
  }
  show_devices();
}

// Your own camera (or shared screen) in its tile. A kiosk shows it with its first frame, not
// before (issue 12): until its first page's videos are on screen, scaling its own video into
// a large tile on every camera frame costs the compositor (10-15 % of a core here, without a
// GPU) while the connections are set up; 4-user rounds came 12 % sooner without it.
void Client::show_self_preview() {
  if (!overlay_ || first_frame_held_) return;
  const JsRef screen = media_->screen_stream();
  overlay_->set_self_stream(screen ? screen : media_->stream(), static_cast<bool>(screen));
}

void Client::send_video(const JsRef& track) {
  for (auto& [id, entry] : peers_)
    if (entry.direction == core::Direction::kSendOnly && entry.peer) entry.peer->set_video_track(track);
}

void Client::poll_stats() {
  // A kiosk's first frame is held (issue 12): nothing shows these figures yet (a first
  // decoded frame is reported by the overlay), and each getStats call costs the threads
  // that are setting up the connections. The polls start with that frame.
  if (first_frame_held_) return stats_timer_->arm(stats_interval_ms());
  bool any = false;
  for (auto& [id, entry] : peers_) {
    if (!entry.peer) continue;
    any = true;
    if (entry.direction == core::Direction::kRecvOnly) {
      std::uint64_t& frames = frames_decoded_[entry.owner];
      frames = std::max(frames, entry.peer->frames_decoded());
    }
    if (entry.peer->state() == core::PeerState::kConnected) entry.peer->poll_stats();
  }
  if (any) stats_timer_->arm(stats_interval_ms());
}

// Each report costs the page's main thread more than anything else a call at rest does (issue
// 12 item 5: Chromium builds it across its threads and hands it over as JavaScript objects).
// What needs it often: a new connection's first frames (MediaFlowing shows the tile's video
// as live) and first quality figures (the tile's bars), and the quality panel's plots. A
// stall is still seen after SessionConfig::stalled_media_timeout_ms (FlowConfig: 10 s and 3
// polls), and the plots' history fills the second a 2 s poll skips (core::QualityMeter).
double Client::stats_interval_ms() const {
  if (ui_.quality_panel_open()) return kStatsIntervalMs;
  const core::Millis now = now_ms();
  for (const auto& [id, entry] : peers_) {
    if (!entry.peer) continue;
    if (entry.direction == core::Direction::kSendOnly) {
      if (!live_.self.figures().measured) return kStatsIntervalMs;
      continue;
    }
    const auto q = live_.quality.find(entry.owner);
    // No frame yet: once a second while one may come; a connection that has shown none for
    // kNoVideoWaitMs (a participant without a camera) rests like the others.
    const bool awaiting_video = entry.peer->frames_decoded() == 0 &&
                                (!entry.connected || now - entry.connected_at < kNoVideoWaitMs);
    if (awaiting_video || q == live_.quality.end() || !q->second.figures().measured) return kStatsIntervalMs;
  }
  return kStatsRestIntervalMs;
}

// Every connection's level where a tap is read (platform::LevelTap): the audio worklet's,
// read at each of its reports (SoundWake) and not at all in silence, or an analyser's every
// 250 ms. Where none is (no AudioContext runs: a kiosk that had no gesture) the tiles on
// screen (and your microphone) ask their audio's stats every 250 ms; the others' levels
// then come with the full report, enough for the active speaker, at a fraction of the cost.
void Client::poll_audio(AudioRead why) {
  const bool sound_reported = why == AudioRead::kSoundReport;
  sound_wake_->cancel();
  if (first_frame_held_) return audio_timer_->arm(kAudioIntervalMs);  // as poll_stats
  std::vector<core::UserId> present, shown;
  for (const auto& p : session_->view().participants) {
    present.push_back(p.id);
    if (p.visible) shown.push_back(p.id);
  }
  bool any = false;
  bool all_tapped = true;
  for (auto& [id, entry] : peers_) {
    if (!entry.peer) continue;
    any = true;
    const bool on_screen = entry.direction == core::Direction::kSendOnly ||
                           std::find(shown.begin(), shown.end(), entry.owner) != shown.end();
    if (entry.peer->state() == core::PeerState::kConnected && !entry.peer->poll_audio(on_screen)) all_tapped = false;
  }
  // Who left is forgotten; the switching rule runs even when no sample came (silence).
  live_.speakers.retain(present);
  for (auto it = live_.quality.begin(); it != live_.quality.end();)
    it = std::find(present.begin(), present.end(), it->first) == present.end() ? live_.quality.erase(it) : std::next(it);
  const core::Millis now = now_ms();
  live_.speakers.update(now);
  redraw_if_live_changed();
  if (!any) return;
  // A read the worklet's report woke needs no check that its reports come (a call into
  // JavaScript at each report, 2-40 us here).
  if (!all_tapped || (why == AudioRead::kPoll && !sound_wake_->available())) return audio_timer_->arm(kAudioIntervalMs);
  // Every level from the audio worklet: its reports pace the reads (SoundWake), not a timer
  // beside them (one task per report, not two). Silence everywhere: it reports nothing until
  // a track has sound, so a silent call's levels cost the main thread nothing and the first
  // sound after is read at once. After sound, the rings' hold still ends on the timer.
  bool quiet = live_.self_level < kSilentLevel;
  for (core::UserId id : present)
    quiet = quiet && !live_.speakers.speaking(id, now) && live_.speakers.level(id) < kSilentLevel;
  sound_wake_->arm(/*any_report=*/!quiet);
  // After a report with sound the worklet reports again within 250 ms, the one that says
  // silence included; should its reports stop instead (its context no longer runs), the
  // bridge fires the wake (platform::SoundWake): no timer beside the reports (issue 12 item 5:
  // a check once a second was a talking room's largest timer).
  if (quiet || sound_reported)
    audio_timer_->cancel();
  else
    audio_timer_->arm(kAudioReportWaitMs);
}

void Client::on_stats(core::ConnId id, const core::StatsSample& sample) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  const PeerEntry& entry = it->second;
  if (entry.direction == core::Direction::kRecvOnly)
    live_.quality[entry.owner].sample(sample, now_ms());
  else
    live_.self.sample(sample, now_ms());
  redraw_if_live_changed();
}

void Client::on_audio(core::ConnId id, const core::AudioSample& sample) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  PeerEntry& entry = it->second;
  const std::optional<double> level = entry.audio.sample(sample);
  if (!level) return;
  if (entry.direction == core::Direction::kRecvOnly) {
    live_.speakers.sample(entry.owner, *level, now_ms());
  } else {
    live_.self_level = *level;
    check_meter();  // the meter beside Mute
  }
}

// A frame only when what the tiles show changed (a ring, the bars, the active speaker), or
// every poll while the quality panel plots: an idle room draws nothing. A ring or the bars
// alone change no layout: one frame, not the settling ones (issue 12 item 5: a talking
// room redraws its rings about once a second); a new active speaker can move the tiles.
void Client::redraw_if_live_changed() {
  const core::Millis now = now_ms();
  const std::string active = std::to_string(live_.speakers.active().value_or(-1)) + ' ';
  std::string shown = active;
  for (const auto& p : session_->view().participants) {
    auto q = live_.quality.find(p.id);
    shown += ' ' + std::to_string(p.id) + (live_.speakers.speaking(p.id, now) ? "s" : "-") +
             (q == live_.quality.end() ? "?" : std::to_string(q->second.figures().score));
  }
  shown += ' ' + std::to_string(live_.self.figures().score);
  if (shown == live_drawn_ && !ui_.quality_panel_open()) return;
  const bool moves = live_drawn_.compare(0, active.size(), active) != 0 || ui_.quality_panel_open();
  live_drawn_ = std::move(shown);
  if (!frontend_) return;
  if (moves)
    frontend_->request_frame();
  else
    frontend_->request_one_frame();
}

// ---- UI -------------------------------------------------------------------------------

void Client::draw() {
  const core::Millis now = now_ms();
  if (url_.kiosk && frontend_) {
    const ImVec2 size = frontend_->logical_size();
    frontend_->set_text_size(ui::kiosk_text_size(size.x, size.y));  // next frame when it changed
  }
  drawn_revision_ = session_->view().revision;
  ++frames_drawn_;
  ui::UiOutput out;
  ui_.draw(session_->view(), now, out);
  meter_.on_drawn(ui_.mic_meter_step(session_->view()), now);
  if (!url_.kiosk && ui_.layout() != layout_kept_) {  // G or the layout button: remembered
    layout_kept_ = ui_.layout();
    bridges_->storage_set("layout", core::to_string(layout_kept_));
  }
  // The quality panel plots once a second: its first report now, not at the next 2 s one.
  const bool plotting = ui_.quality_panel_open();
  if (plotting && !quality_panel_was_open_) poll_stats();
  quality_panel_was_open_ = plotting;
  last_rects_ = ui_.tile_rects();
  place_videos();
  update_a11y(now);
  if (ui_.wants_animation() && frontend_) frontend_->request_frame();
  if (const auto at = ui_.redraw_at())
    redraw_timer_->arm(static_cast<double>(std::max<core::Millis>(*at - now, 0)));
  else
    redraw_timer_->cancel();
  if (!out.empty()) apply(out);
}

void Client::place_videos() {
  if (!overlay_) return;
  std::vector<VideoRect> rects;
  rects.reserve(last_rects_.size());
  for (const ui::TileRect& t : last_rects_)
    rects.push_back({t.id, t.is_self, t.x, t.y, t.w, t.h, t.rounding, t.video_visible});
  overlay_->place(rects);
}

void Client::apply(const ui::UiOutput& out) {
  if (out.join) {
    const ui::JoinRequest& j = *out.join;
    bridges_->storage_set("server", j.server);
    bridges_->storage_set("room", std::to_string(j.room));
    bridges_->storage_set("user", std::to_string(j.user));
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
  for (std::uint64_t seq : out.resend_lines) post(core::ResendLine{seq});
  if (out.set_muted) post(core::SetMuted{*out.set_muted});
  if (out.set_camera_off) post(core::SetCameraOff{*out.set_camera_off});
  if (out.share_screen) post(core::SetScreenShare{*out.share_screen});
  if (out.select_camera || out.select_mic) select_devices(out.select_camera, out.select_mic);
  if (out.language) {
    bridges_->storage_set("lang", ui::language_tag(*out.language));
    if (frontend_) frontend_->ensure_glyphs(ui::all_text(*out.language));
  }
  if (out.text_scale) {
    bridges_->storage_set("textScale", std::to_string(*out.text_scale));
    if (frontend_) frontend_->set_text_size(ui_.text_size_css());  // the Ui already uses the new scale
  }
  if (out.enable_sound) enable_sound();
  if (out.chat_visible) post(core::SetChatVisible{*out.chat_visible});
  if (out.mark_chat_read) post(core::MarkChatRead{});
  if (out.open_url && core::is_linkable_url(*out.open_url)) bridges_->open_url(*out.open_url);
  // The certificate hint's link: only ever the current server's own https://host:port/.
  if (out.open_certificate_page && certificate_url_ && !server_answered_) bridges_->open_url(*certificate_url_);
  if (out.start_preview) preview_stopped_ = false;
  update_preview();
  if (frontend_) frontend_->request_frame();
}

void Client::update_a11y(core::Millis now) {
  if (!a11y_) return;
  const core::ViewModel& vm = session_->view();
  if (vm.revision != announced_revision_) {
    announced_revision_ = vm.revision;
    announcer_.observe(vm, ui_.language(), now, [&vm](core::UserId id) {
      if (const core::ParticipantView* p = vm.find(id)) {
        const protocol::Participant wire{p->id, p->name, p->prefix, p->postfix};
        if (core::has_display_name(wire)) return core::display_name(wire);
      }
      return std::to_string(id);
    });
    announce_due();
  }
  ui::A11yInput in;
  ui_.a11y_input(in, now);
  in.chat_quiet = announcer_.chat_flood();
  // What the tree is made of, besides the view model: a frame that only moved the mouse
  // (or a caret blink) leaves it alone. Rectangles are not part of it: the DOM copy is
  // visually hidden, and the ring reads the regions of the frame it is drawn in.
  std::string key = std::to_string(vm.revision);
  key += ui::language_tag(in.language);
  key += std::to_string(in.text_scale);
  key += in.chat_quiet ? "q" : "l";
  key += in.chat_open ? "c" : in.files_open ? "f" : "-";
  key += std::to_string(in.page) + "/" + std::to_string(in.page_count);
  for (const ui::Region& r : ui_.regions()) {
    key += r.name;
    key += '\x1f';
  }
  key += in.server + '\x1f' + in.room + '\x1f' + in.user + '\x1f' + in.chat_draft;
  // What only the live figures changed (who is speaking, the active speaker, quality
  // scores: several times a second in a room where people talk) reaches the mirror at most
  // once per kA11yLiveMs. The canvas shows it at once; the list saying who speaks is read,
  // not announced, and each tree is the whole screen, serialised here and parsed and
  // compared by the page (issue 12: the talking room's steady cost).
  const bool live_only = key == a11y_key_;
  if (live_only && live_drawn_ == a11y_live_key_) return;
  if (live_only && now < a11y_built_at_ + kA11yLiveMs) {
    if (a11y_live_timer_ && !a11y_live_timer_->armed())
      a11y_live_timer_->arm(static_cast<double>(a11y_built_at_ + kA11yLiveMs - now));
    return;
  }
  a11y_key_ = std::move(key);
  a11y_live_key_ = live_drawn_;
  a11y_built_at_ = now;
  if (a11y_live_timer_) a11y_live_timer_->cancel();

  ++a11y_builds_;
  Json nodes = Json::array();
  for (const ui::A11yNode& n : ui::build_a11y_tree(vm, in)) {
    Json j{{"id", n.id}, {"role", ui::to_string(n.role)}, {"name", n.name}};
    if (!n.description.empty()) j["desc"] = n.description;
    if (!n.value.empty()) j["value"] = n.value;
    if (!n.parent.empty()) j["parent"] = n.parent;
    if (!n.lang.empty()) j["lang"] = n.lang;
    if (n.item) j["item"] = n.item;
    if (n.focusable) j["focus"] = true;
    if (n.disabled) j["disabled"] = true;
    if (n.pressed >= 0) j["pressed"] = n.pressed == 1;
    if (n.multiline) j["multi"] = true;
    if (n.popup) j["popup"] = true;
    if (n.role == ui::A11yRole::kLog) j["live"] = n.live;
    nodes.push_back(std::move(j));
  }
  std::string json = Json{{"lang", ui::language_tag(in.language)}, {"nodes", std::move(nodes)}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
  if (json == a11y_json_) return;
  a11y_json_ = std::move(json);
  a11y_->update(a11y_json_);
}

void Client::announce_due() {
  if (!a11y_) return;
  const core::Millis now = now_ms();
  const bool flood = announcer_.chat_flood();
  if (const auto text = announcer_.take(now)) a11y_->announce(*text);
  // The flood is over: the log is live again in the next tree.
  if (flood != announcer_.chat_flood() && frontend_) frontend_->request_frame();
  if (const auto at = announcer_.next_at())
    a11y_timer_->arm(static_cast<double>(std::max<core::Millis>(*at - now, 0)));
  else
    a11y_timer_->cancel();
}

void Client::ensure_glyphs_for_view() {
  if (!frontend_) return;
  const core::ViewModel& vm = session_->view();
  std::string text;
  for (const auto& p : vm.participants) text += p.prefix + p.name + p.postfix;
  // Only lines and files not given before: the atlas remembers what was requested, and the
  // chat may hold hundreds of KB (scenario 22 scanned 336 KB at every message).
  for (const auto& line : vm.chat)
    if (line.seq > glyph_chat_seq_) text += line.text;
  for (const auto& file : vm.files)
    if (file.seq > glyph_file_seq_) text += file.name + file.url;  // the host is drawn too
  if (!vm.chat.empty()) glyph_chat_seq_ = std::max(glyph_chat_seq_, vm.chat.back().seq);
  if (!vm.files.empty()) glyph_file_seq_ = std::max(glyph_file_seq_, vm.files.back().seq);
  for (const auto& upload : vm.uploads) text += upload.name + upload.error;
  for (const auto& notice : vm.notices) text += notice.detail;
  text += vm.detail;
  text += ui_.certificate_hint();
  frontend_->ensure_glyphs(text);
}

// ---- test hook ------------------------------------------------------------------------

namespace {
constexpr const char* kChatPlaceholder = "\x01" "chat" "\x01";
}  // namespace

std::string Client::state_json() const {
  const core::ViewModel& vm = session_->view();
  const HeapUsage heap = bridges_->heap();
  auto rect_of = [this](core::UserId id, bool is_self) -> Json {
    for (const ui::TileRect& t : last_rects_)
      if (t.is_self == is_self && (is_self || t.id == id))
        return Json{{"x", t.x}, {"y", t.y}, {"w", t.w}, {"h", t.h}, {"videoVisible", t.video_visible}};
    return nullptr;
  };
  const core::Millis now = now_ms();
  Json participants = Json::array();
  for (const auto& p : vm.participants) {
    auto quality = live_.quality.find(p.id);
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
                                {"stalls", stalls_json(p.stalls)},
                                {"audioLevel", live_.speakers.level(p.id)},
                                {"speaking", live_.speakers.speaking(p.id, now)},
                                {"quality", quality_json(quality == live_.quality.end() ? core::QualityFigures{}
                                                                                       : quality->second.figures())}});
  }
  // The chat's part of the answer is kept from the last call while the view is the same:
  // it is most of the answer's size (up to 2,000 lines of 16 KiB), and tests ask many times
  // a second (scenario 22 asked 30 times a second for 350 KB).
  if (state_chat_revision_ != vm.revision) {  // ~0 until the first call and for a new Session
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
                          {"resendable", line.resendable},
                          {"time", line.time}});
    state_chat_json_ = chat.dump(-1, ' ', false, Json::error_handler_t::replace);
    state_chat_revision_ = vm.revision;
  }
  Json files = Json::array();
  for (const auto& f : vm.files)
    files.push_back(Json{{"name", f.name},
                         {"url", f.url},
                         {"linkable", f.linkable},
                         {"uploader", f.uploader},
                         {"self", f.is_self},
                         {"pending", f.status == core::ChatStatus::kQueued || f.status == core::ChatStatus::kPending},
                         {"status", core::to_string(f.status)},
                         {"seq", f.seq},
                         {"resendable", f.resendable},
                         {"time", f.time}});
  Json uploads = Json::array();
  for (const auto& u : vm.uploads)
    uploads.push_back(Json{{"id", u.id},
                           {"name", u.name},
                           {"size", u.size},
                           {"percent", u.percent},
                           {"state", core::to_string(u.state)},
                           {"error", u.error},
                           {"failure", core::to_string(u.failure)}});
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
            {"mediaFailure", core::to_string(vm.self.media_failure)},
            {"sharing", vm.self.screen == core::ScreenShare::kOn},
            {"screenShare", core::to_string(vm.self.screen)},
            {"tile", rect_of(vm.self.id, true)},
            {"audioLevel", live_.self_level},
            {"quality",
             Json{{"bitrateKbps", live_.self.figures().bitrate_kbps},
                  {"fps", live_.self.figures().fps},
                  {"limitation", live_.self.figures().limitation},
                  {"width", live_.self.figures().width},
                  {"height", live_.self.figures().height},
                  {"rttMs", live_.self.figures().rtt_ms}}}}},
      {"participants", participants},
      {"activeSpeaker", live_.speakers.active() ? Json(*live_.speakers.active()) : Json(nullptr)},
      {"pinned", ui_.pinned() ? Json(*ui_.pinned()) : Json(nullptr)},
      {"layout", core::to_string(ui_.layout())},
      {"preview", preview_json()},
      {"devices", devices_json()},
      {"chat", kChatPlaceholder},
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
      {"soundBlocked", overlay_ ? overlay_->sound_blocked() : false},
      {"language", ui::language_tag(ui_.language())},
      {"a11y", Json{{"focus", ui_.a11y_focused()},
                    {"highContrast", ui_.high_contrast()},
                    {"reducedMotion", ui_.reduced_motion()},
                    {"builds", a11y_builds_}}},
      {"framesDrawn", frontend_ ? frontend_->frames_drawn() : 0},
      {"framesPending", frontend_ ? frontend_->frames_pending() : false},
      {"memory", Json{{"wasmHeapBytes", heap.heap_bytes}, {"wasmHeapUsedBytes", heap.used_bytes}}},
      {"form",
       Json{{"server", ui_.server_field()},
            {"room", ui_.room_field()},
            {"user", ui_.user_field()},
            {"passwordBytes", ui_.password_length()}}},
  };
  std::string out = state.dump(-1, ' ', false, Json::error_handler_t::replace);
  // The placeholder's dump is "\u0001chat\u0001" after its key: no other value can
  // serialise as that after "chat":, since every string's quotes are escaped.
  const std::string key = "\"chat\":";
  const std::string placeholder = Json(kChatPlaceholder).dump();
  const std::size_t at = out.find(key + placeholder);
  if (at != std::string::npos) out.replace(at + key.size(), placeholder.size(), state_chat_json_);
  return out;
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

nlohmann::json Client::preview_json() const {
  using State = ui::Preview::State;
  const ui::Preview& p = ui_.preview();
  const char* state = "off";
  switch (p.state) {
    case State::kOff: state = "off"; break;
    case State::kStarting: state = "starting"; break;
    case State::kLive: state = "live"; break;
    case State::kNoCamera: state = "no-camera"; break;
    case State::kFailed: state = p.denied ? "denied" : "failed"; break;
    case State::kStopped: state = "stopped"; break;
  }
  return Json{{"state", state}, {"mic", p.mic}};
}

// The device lists as enumerateDevices() gave them, and the selection (what the next
// getUserMedia asks for, else what is open), as the pickers show it.
nlohmann::json Client::devices_json() const {
  Json cameras = Json::array(), mics = Json::array();
  for (const MediaDevice& d : devices_)
    (d.kind == MediaDevice::Kind::kCamera ? cameras : mics).push_back(Json{{"id", d.id}, {"label", d.label}});
  const MediaConstraints chosen = media_->constraints();
  return Json{{"cameras", cameras},
              {"microphones", mics},
              {"camera", selected(chosen.camera_id, media_->current_camera_id())},
              {"microphone", selected(chosen.microphone_id, media_->current_microphone_id())}};
}

std::string Client::regions_json() const {
  Json regions = Json::array();
  for (const ui::Region& r : ui_.regions())
    regions.push_back(Json{{"name", r.name}, {"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}});
  return regions.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool Client::upload_file(PickedFile file) {
  if (!file.file) return false;
  queue_files({std::move(file)});
  return true;
}

void Client::send_chat(const std::string& text) { post(core::SendChat{text}); }

void Client::leave() { post(core::Leave{}); }

void Client::enable_sound() {
  if (overlay_) overlay_->enable_sound();
  ui_.set_sound_blocked(false);
  if (frontend_) frontend_->request_frame();
}

}  // namespace gc::app
