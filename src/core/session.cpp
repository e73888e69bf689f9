// Session: every state and every transition of the groupcall client (see session.hpp).
//
// The state and every transition's declaration are in session_impl.hpp. This file holds
// the transitions that read as the protocol: join, retry, leave, each server message
// (rules 1, 2, 4, 5, 7, 8), and the timer dispatch (one function per kind of timer). The
// rest, by concern:
//   session_connection.cpp  socket attempts, loss and backoff, refusal, a replaced session
//   session_media.cpp       publish (send-only, own id), subscribe (recv-only, once per owner
//                           and socket: rule 11), ICE queues (rule 3), planned rejoins
//   session_chat.cpp        own lines and file announcements (EchoOutbox: rule 7, pacing;
//                           split lines: rule 12), received ones (bounded), and the
//                           effects of the UploadQueue (upload_queue.cpp: one at a time,
//                           stalls, history)
//   names.cpp               to_string of every enum, event and command
//
// Invariants
//   - A conn_id / socket_id is never reused; events for one that is not current are
//     ignored with a debug log, so late browser callbacks are harmless.
//   - Peer connections exist only while the phase is kInRoom; losing the socket closes all
//     of them (a Kurento-style server has released their endpoints: rule 6).
//   - A new socket is opened only after the previous one reported SocketClosed, or after
//     close_wait_ms if it never does (rule 6).
//   - onIceCandidate for a connection is sent only after its receiveVideoFrom; remote
//     candidates are handed to the platform only after its ApplyRemoteAnswer (rule 3).
#include "core/session_impl.hpp"

#include "core/links.hpp"

namespace gc::core {

// Timers of zero or less would fire forever at the same instant.
SessionConfig Session::Impl::sanitized(SessionConfig c) {
  for (Millis* t : {&c.connect_timeout_ms, &c.join_timeout_ms, &c.close_wait_ms,
                    &c.heartbeat_interval_ms, &c.liveness_timeout_ms, &c.backoff_stable_ms,
                    &c.disconnected_grace_ms, &c.no_media_timeout_ms, &c.stalled_media_timeout_ms,
                    &c.peer_setup_timeout_ms,
                    &c.chat_echo_timeout_ms, &c.echo_match_window_ms})
    *t = std::max<Millis>(*t, 1);
  return c;
}

void Session::Impl::remote_error(LogLevel level, RemoteErrorCode code, std::string detail) {
  emit(Log{level, RemoteError{code, std::move(detail)}});
}

void Session::Impl::local_error(LogLevel level, LocalErrorCode code, std::string detail) {
  emit(Log{level, LocalError{code, std::move(detail)}});
}

Notice& Session::Impl::notice(NoticeCode code, std::string detail, Millis now) {
  Notice n;
  n.id = next_notice_id++;
  n.code = code;
  n.detail = std::move(detail);
  n.time = now;
  view.notices.push_back(std::move(n));
  while (view.notices.size() > config.notice_cap) view.notices.pop_front();
  touch();
  return view.notices.back();
}

// Rule 12: a frame over max_send_frame_bytes is never sent. Rule 11: neither is a second
// receiveVideoFrom for one owner on one socket (the policy never asks for one; this is
// the last line of defence, counted in view.resubscribes). False when nothing went out.
bool Session::Impl::send(const protocol::ClientMessage& msg) {
  if (sock_state != SocketState::kOpen) return false;
  if (const auto* offer = std::get_if<protocol::ReceiveVideoFrom>(&msg)) {
    if (!offered.insert(offer->user_id).second) {
      ++view.resubscribes;
      touch();
      local_error(LogLevel::kError, LocalErrorCode::kRenegotiation,
                  "receiveVideoFrom " + std::to_string(offer->user_id) +
                      " again on one socket: not sent");
      return false;
    }
  }
  std::string text = protocol::encode(msg);
  if (text.size() > config.max_send_frame_bytes) {
    if (const auto* offer = std::get_if<protocol::ReceiveVideoFrom>(&msg))
      offered.erase(offer->user_id);
    local_error(LogLevel::kError, LocalErrorCode::kFrameTooLarge,
                std::string(protocol::type_name(msg)) + " frame of " +
                    std::to_string(text.size()) + " bytes is over the " +
                    std::to_string(config.max_send_frame_bytes) + "-byte limit: not sent");
    return false;
  }
  if (config.log_traffic) info(LogLevel::kDebug, "tx " + text);
  emit(SendText{sock_id, std::move(text)});
  return true;
}

void Session::Impl::set_phase(Phase p) {
  if (view.phase != p) {
    info(LogLevel::kInfo,
         std::string("phase ") + to_string(view.phase) + " -> " + to_string(p));
    view.phase = p;
    touch();
  }
}

ParticipantView* Session::Impl::find_participant(UserId id) {
  for (auto& p : view.participants)
    if (p.id == id) return &p;
  return nullptr;
}

Conn* Session::Impl::find_conn(ConnId id) {
  auto it = conns.find(id);
  return it == conns.end() ? nullptr : &it->second;
}

// The connection whose media owner is `owner` (rule 1), if any.
Conn* Session::Impl::conn_of_owner(UserId owner) {
  if (owner == view.self.id) return view.self.conn_id ? find_conn(view.self.conn_id) : nullptr;
  ParticipantView* p = find_participant(owner);
  return (p && p->conn_id) ? find_conn(p->conn_id) : nullptr;
}

RemoteExtra& Session::Impl::extra(UserId id) {
  auto it = extras.find(id);
  if (it == extras.end()) {
    it = extras
             .emplace(id, RemoteExtra{Backoff(config.receive_backoff,
                                              mix(config.seed ^ static_cast<std::uint64_t>(id))),
                                      0})
             .first;
  }
  return it->second;
}

void Session::Impl::on_frame(const std::string& text, Millis now) {
  last_rx = now;  // any frame at all proves liveness (rule 8), even garbage
  if (config.log_traffic) info(LogLevel::kDebug, "rx " + text);
  protocol::Limits limits;
  limits.max_frame_bytes = config.max_frame_bytes;
  auto decoded = protocol::decode_server(text, limits);
  if (!decoded) {
    const auto& err = decoded.error();
    const bool too_large = err.kind == protocol::DecodeErrorKind::kTooLarge;
    remote_error(LogLevel::kWarning,
                 too_large ? RemoteErrorCode::kFrameTooLarge : RemoteErrorCode::kUndecodableFrame,
                 err.text);
    notice(NoticeCode::kGarbageFromServer, err.text, now);
    return;
  }
  std::visit([&](const auto& m) { on_message(m, now); }, decoded.value());
}

bool Session::Impl::awaiting_join_answer() const {
  return sock_state == SocketState::kOpen && join_sent && view.phase != Phase::kInRoom;
}

void Session::Impl::unexpected(const char* type, const std::string& why) {
  remote_error(LogLevel::kInfo, RemoteErrorCode::kUnexpectedMessage,
               std::string(type) + ": " + why);
}

void Session::Impl::on_message(const protocol::UserNotFound&, Millis now) {
  if (!awaiting_join_answer()) return unexpected("userNotFound", "not waiting for a join answer");
  fail(FailureReason::kUserNotFound, "userNotFound: user " + std::to_string(config.user_id), now);
}

void Session::Impl::on_message(const protocol::PermissionDenied&, Millis now) {
  if (!awaiting_join_answer()) return unexpected("permisionDeny", "not waiting for a join answer");
  fail(FailureReason::kPermissionDenied,
       "permisionDeny: room " + std::to_string(config.room) +
           (config.password.empty() ? " (no password given)" : " (password rejected)"),
       now);
}

void Session::Impl::on_message(const protocol::ExistingParticipants& m, Millis now) {
  if (awaiting_join_answer()) return enter_room(m.participants, now);
  if (view.phase == Phase::kInRoom) {
    unexpected("existingParticipants", "already in the room; merged");
    for (const auto& p : m.participants) upsert_participant(p, now, true);
    return;
  }
  unexpected("existingParticipants", "not waiting for a join answer");
}

void Session::Impl::on_message(const protocol::NewParticipantArrived& m, Millis now) {
  if (!join_sent) return unexpected("newParticipantArrived", "before join");
  upsert_participant(m.participant, now, view.phase == Phase::kInRoom);
}

void Session::Impl::on_message(const protocol::ParticipantLeft& m, Millis now) {
  if (m.user_id == view.self.id) return unexpected("participantLeft", "names our own id");
  remove_participant(m.user_id, now);  // rule 4
}

void Session::Impl::on_message(const protocol::ReceiveVideoAnswer& m, Millis) {
  Conn* c = conn_of_owner(m.user_id);
  if (!c) {
    remote_error(LogLevel::kDebug, RemoteErrorCode::kUnknownOwner,
                 "receiveVideoAnswer for " + std::to_string(m.user_id) + " with no connection");
    return;
  }
  if (!c->offer_sent)
    return unexpected("receiveVideoAnswer", "before our offer for " + std::to_string(m.user_id));
  if (c->answer_issued)
    return unexpected("receiveVideoAnswer", "second answer for " + std::to_string(m.user_id));
  c->answer_issued = true;
  emit(ApplyRemoteAnswer{c->id, m.sdp_answer});
  flush_remote_candidates(*c);
}

void Session::Impl::on_message(const protocol::RemoteIceCandidate& m, Millis) {
  Conn* c = conn_of_owner(m.user_id);
  if (!c || !c->offer_sent) {
    // Unknown or departed owner, or a candidate from an endpoint older than our current
    // offer: never fatal (rule 3).
    remote_error(LogLevel::kDebug, RemoteErrorCode::kUnknownOwner,
                 "iceCandidate for " + std::to_string(m.user_id) + " ignored");
    return;
  }
  if (c->answer_issued) {
    emit(AddRemoteCandidate{c->id, m.candidate});
  } else if (c->remote_queue.size() < kMaxQueuedRemoteCandidates) {
    c->remote_queue.push_back(m.candidate);
  } else {
    unexpected("iceCandidate", "too many candidates before the answer; dropped");
  }
}

void Session::Impl::on_message(const protocol::ReceiveTextMessage& m, Millis now) {
  if (!join_sent) return unexpected("reciveTextMessage", "before join");
  on_chat(m, now);
}

void Session::Impl::on_message(const protocol::FileUploaded& m, Millis now) {
  if (!join_sent) return unexpected("fileUploaded", "before join");
  on_file(m, now);
}

void Session::Impl::on_message(const protocol::UnrecognizedMessage&, Millis now) {
  // The answer to our heartbeat (rule 8). Before we ever sent one on this socket, it can
  // only be the answer to `join`: the server does not speak this protocol.
  if (awaiting_join_answer() && !heartbeat_sent)
    fail(FailureReason::kProtocolError, "the server answered join with unrecognizedMessage", now);
}

bool Session::Impl::idle_like() const {
  return view.phase == Phase::kIdle || view.phase == Phase::kLeft ||
         view.phase == Phase::kFailed;
}

void Session::Impl::apply_overrides(const Join& j) {
  if ((j.room && *j.room != config.room) || (j.user_id && *j.user_id != config.user_id))
    abandon_queued("joining another room or as another user");
  if (j.room) config.room = *j.room;
  if (j.user_id) config.user_id = *j.user_id;
  if (j.password) config.password = *j.password;
}

void Session::Impl::on(const Join& j, Millis now) {
  if (idle_like()) {
    apply_overrides(j);
    begin(now);
    return;
  }
  if (view.phase == Phase::kReconnecting) {
    apply_overrides(j);
    return on(Retry{}, now);
  }
  local_error(LogLevel::kInfo, LocalErrorCode::kWrongPhase,
              std::string("Join while ") + to_string(view.phase));
}

void Session::Impl::on(const Retry&, Millis now) {
  switch (view.phase) {
    case Phase::kFailed:
      begin(now);
      return;
    case Phase::kReconnecting:
      if (sock_state == SocketState::kNone) {
        attempt_at = now;
        view.reconnect_at = now;
        touch();
        try_start_attempt(now);
      }
      return;
    case Phase::kInRoom:
      for (auto& p : view.participants) {
        if (p.tile != TileState::kFailed) continue;
        reset_receive_backoff(p);
        extra(p.id).rejoins_without_video = 0;
        p.tile = p.visible ? TileState::kRetrying : TileState::kPaused;
        touch();
        // Rule 11: an owner offered on this socket comes back only through a rejoin.
        if (offered.count(p.id)) {
          request_rejoin(RejoinCause::kUserRetry, 0, now);
        } else {
          subscribe(p, now);
        }
      }
      if (config.publish && view.self.publish == PublishState::kFailed) {
        publish_rejoins = 0;
        if (offered.count(view.self.id)) {
          view.self.publish = PublishState::kStarting;
          request_rejoin(RejoinCause::kUserRetry, 0, now);
          touch();
          return;
        }
        publish_backoff.reset();
        publish_retry_at.reset();
        view.self.publish = PublishState::kStarting;
        request_media();
        maybe_publish(now);
        touch();
      }
      return;
    default:
      local_error(LogLevel::kInfo, LocalErrorCode::kWrongPhase,
                  std::string("Retry while ") + to_string(view.phase));
  }
}

void Session::Impl::on(const Leave&, Millis now) {
  if (view.phase == Phase::kIdle || view.phase == Phase::kLeft) {
    local_error(LogLevel::kDebug, LocalErrorCode::kWrongPhase, "Leave while not joined");
    return;
  }
  apply(uploads.cancel_all(), now);
  abandon_queued("left the room");
  shut_down(now);
  view.failure = FailureReason::kNone;
  view.disconnect_cause = DisconnectCause::kNone;
  view.detail.clear();
  set_phase(Phase::kLeft);
}

std::optional<Millis> Session::Impl::next_timeout() const {
  std::optional<Millis> t;
  auto consider = [&t](Millis at) {
    if (!t || at < *t) t = at;
  };
  if (attempt_at) consider(closing_id ? std::max(*attempt_at, close_deadline) : *attempt_at);
  if (sock_state == SocketState::kOpening) consider(connect_deadline);
  if (sock_state == SocketState::kOpen) {
    if (view.phase == Phase::kInRoom) {
      consider(next_heartbeat);
      consider(last_rx + config.liveness_timeout_ms);
    } else if (join_sent) {
      consider(join_deadline);
    }
  }
  if (auto at = chat_box.next_deadline()) consider(*at);
  if (auto at = uploads.next_timeout()) consider(*at);
  if (auto at = file_box.next_deadline()) consider(*at);
  if (view.phase == Phase::kInRoom) {
    if ((chat_box.has_queued() || file_box.has_queued()) && paced())
      consider(rate_sent.front() + config.chat_rate_window_ms);
    if (view.rejoins.pending_at) consider(*view.rejoins.pending_at);
    if (publish_retry_at) consider(*publish_retry_at);
    for (const auto& p : view.participants)
      if (p.retry_at) consider(*p.retry_at);
    for (const auto& [id, c] : conns) {
      if (c.setup_deadline) consider(*c.setup_deadline);
      if (c.disconnected_deadline) consider(*c.disconnected_deadline);
      if (c.no_media_deadline) consider(*c.no_media_deadline);
      if (c.stalled_deadline) consider(*c.stalled_deadline);
    }
  }
  return t;
}

// One function per kind of timer; each does nothing when nothing of its kind is due.
void Session::Impl::on_timeout(Millis now) {
  chat_timers(now);    // echo deadlines, stalled uploads
  socket_timers(now);  // connect, join, liveness, heartbeat, the next attempt
  if (view.phase != Phase::kInRoom) return;
  connection_timers(now);  // each connection's setup, ICE disconnected, no media, stall
  if (view.rejoins.pending_at && now >= *view.rejoins.pending_at) {
    planned_rejoin(now);
    return;
  }
  flush_queued(now);  // lines waiting for the pace
  retry_timers(now);  // receive retries (their own backoff) and the publish retry
}

// ---- public API -------------------------------------------------------------------------

Session::Session(SessionConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

void Session::handle(const Event& event, Millis now) {
  std::visit([&](const auto& e) { impl_->on(e, now); }, event);
  impl_->run_due_rejoin(now);
  if (impl_->changed) {
    impl_->changed = false;
    ++impl_->view.revision;
  }
}

void Session::on_timeout(Millis now) {
  impl_->on_timeout(now);
  if (impl_->changed) {
    impl_->changed = false;
    ++impl_->view.revision;
  }
}

std::optional<Millis> Session::next_timeout() const { return impl_->next_timeout(); }

std::vector<Command> Session::take_commands() {
  std::vector<Command> out;
  out.swap(impl_->out);
  return out;
}

bool Session::has_commands() const { return !impl_->out.empty(); }
const ViewModel& Session::view() const { return impl_->view; }
const SessionConfig& Session::config() const { return impl_->config; }

}  // namespace gc::core
