// The Session's socket: attempts, loss and backoff, refusal, a replaced session, the room
// entered (see session.cpp for the map of the state machine).
#include "core/session_impl.hpp"

namespace gc::core {

// Open the next socket once its time has come and the previous one is closed.
void Session::Impl::try_start_attempt(Millis now) {
  if (!attempt_at || now < *attempt_at) return;
  if (closing_id != 0) {
    if (now < close_deadline) return;
    info(LogLevel::kDebug, "socket " + std::to_string(closing_id) +
                               " never reported close; opening a new one anyway");
    closing_id = 0;
  }
  start_attempt(now);
}

void Session::Impl::start_attempt(Millis now) {
  attempt_at.reset();
  view.reconnect_at.reset();
  ++attempt;
  offered.clear();  // rule 11: a new socket is a new join session
  sock_id = next_socket_id++;
  sock_state = SocketState::kOpening;
  join_sent = false;
  heartbeat_sent = false;
  connect_deadline = now + config.connect_timeout_ms;
  emit(OpenSocket{sock_id, config.server_url});
  set_phase(recovering ? Phase::kReconnecting : Phase::kConnecting);
  touch();
}

// Ask the platform to close the current socket (unless it already is closed) and
// remember it, so the next one opens only after it is gone (rule 6).
void Session::Impl::drop_socket(Millis now, bool already_closed) {
  if (sock_state == SocketState::kNone) return;
  if (!already_closed) {
    emit(CloseSocket{sock_id});
    closing_id = sock_id;
    close_deadline = now + config.close_wait_ms;
  }
  sock_state = SocketState::kNone;
  sock_id = 0;
  join_sent = false;
  offered.clear();
  cancel_rejoin();
}

void Session::Impl::close_conn(ConnId id) {
  if (id == 0) return;
  if (conns.erase(id)) emit(ClosePeer{id});
}

// Close every peer connection; tiles wait for the rejoin.
void Session::Impl::close_all_peers() {
  std::vector<ConnId> ids;
  ids.reserve(conns.size());
  for (const auto& [id, c] : conns) ids.push_back(id);
  std::sort(ids.begin(), ids.end());  // deterministic command order
  for (ConnId id : ids) close_conn(id);
  view.self.conn_id = 0;
  publish_retry_at.reset();
  for (auto& p : view.participants) {
    p.conn_id = 0;
    p.subscribed = false;
    p.retry_at.reset();
    reset_receive_backoff(p);
    if (p.tile != TileState::kFailed)
      p.tile = p.visible ? TileState::kRetrying : TileState::kPaused;
  }
  touch();
}

// `immediate`: reconnect at once if this is the first loss after a stable stay (a 1011
// close, or a planned rejoin); later losses in a row still back off.
void Session::Impl::lose_connection(DisconnectCause cause, const std::string& detail, Millis now,
                                    bool already_closed, bool immediate) {
  const bool reached_server = sock_state == SocketState::kOpen;
  const bool was_in_room = view.phase == Phase::kInRoom;
  drop_socket(now, already_closed);
  close_all_peers();
  requeue_unconfirmed();
  if (view.self.publish == PublishState::kLive) view.self.publish = PublishState::kStarting;
  publish_backoff.reset();

  if (in_room_since && now - *in_room_since >= config.backoff_stable_ms)
    reconnect_backoff.reset();
  in_room_since.reset();
  const bool first = reconnect_backoff.attempts() == 0;
  Millis delay = reconnect_backoff.next_delay();
  if (immediate && first) delay = 0;
  attempt_at = now + delay;
  view.reconnect_at = attempt_at;
  view.reconnect_attempts = reconnect_backoff.attempts();
  view.disconnect_cause = cause;
  view.detail = detail;
  recovering = true;

  if (!reached_server) {
    if (view.failure != FailureReason::kServerUnreachable)
      notice(NoticeCode::kServerUnreachable, detail, now);
    view.failure = FailureReason::kServerUnreachable;
  } else {
    view.failure = FailureReason::kNone;
  }
  if (cause == DisconnectCause::kPlannedRejoin || cause == DisconnectCause::kServerError) {
    if (was_in_room)
      notice(NoticeCode::kRejoining, to_string(view.rejoins.last_cause), now).rejoin_cause = view.rejoins.last_cause;
  } else if (was_in_room) {
    notice(NoticeCode::kConnectionLost, to_string(cause), now);
  }
  info(LogLevel::kInfo, std::string("connection lost (") + to_string(cause) + ": " + detail +
                            "); next attempt in " + std::to_string(delay) + " ms");
  set_phase(Phase::kReconnecting);
  touch();
  if (delay == 0) try_start_attempt(now);  // opens now if the old socket is already closed
}

// Back to a state with no socket, no peers and no camera; keeps chat, files, uploads.
void Session::Impl::shut_down(Millis now) {
  drop_socket(now, false);
  close_all_peers();
  stop_screen_share();
  if (view.self.media_ready || media_requested) emit(ReleaseLocalMedia{});
  view.self.media_ready = false;
  media_requested = false;
  view.self.publish = PublishState::kNone;
  publish_backoff.reset();
  view.participants.clear();
  extras.clear();
  attempt_at.reset();
  view.reconnect_at.reset();
  view.reconnect_attempts = 0;
  recovering = false;
  in_room_since.reset();
  reconnect_backoff.reset();
  touch();
}

// Close 4000: the same user joined from another window. Reconnecting at once would
// replace that window in turn, and the two would kick each other out forever.
void Session::Impl::replaced(const std::string& detail, Millis now) {
  const std::string why = "this user joined from another window (" + detail + ")";
  if (config.replaced_retry_ms > 0) {
    lose_connection(DisconnectCause::kSocketClosed, why, now, /*already_closed=*/true);
    attempt_at = now + config.replaced_retry_ms;
    view.reconnect_at = attempt_at;
    view.failure = FailureReason::kReplaced;
    touch();
    return;
  }
  shut_down(now);
  view.failure = FailureReason::kReplaced;
  view.detail = why;
  view.disconnect_cause = DisconnectCause::kNone;
  set_phase(Phase::kFailed);
  touch();
}

void Session::Impl::fail(FailureReason reason, const std::string& detail, Millis now) {
  remote_error(LogLevel::kError, RemoteErrorCode::kServerRefused, detail);
  shut_down(now);
  view.failure = reason;
  view.detail = detail;
  view.disconnect_cause = DisconnectCause::kNone;
  notice(NoticeCode::kRefused, to_string(reason), now);
  set_phase(Phase::kFailed);
}

void Session::Impl::begin(Millis now) {
  view.room = config.room;
  view.self.id = config.user_id;
  view.failure = FailureReason::kNone;
  view.disconnect_cause = DisconnectCause::kNone;
  view.detail.clear();
  view.reconnect_attempts = 0;
  recovering = false;
  reconnect_backoff.reset();
  if (!config.publish) {
    view.self.publish = PublishState::kReceiveOnly;
  } else {
    view.self.publish = PublishState::kStarting;
    request_media();
  }
  set_phase(Phase::kConnecting);
  attempt_at = now;
  touch();
  try_start_attempt(now);
}

void Session::Impl::enter_room(const std::vector<protocol::Participant>& list, Millis now) {
  const bool was_recovering = recovering;
  recovering = false;
  in_room_since = now;
  last_rx = now;
  next_heartbeat = now + config.heartbeat_interval_ms;
  view.failure = FailureReason::kNone;
  view.disconnect_cause = DisconnectCause::kNone;
  view.detail.clear();
  view.reconnect_at.reset();
  view.reconnect_attempts = 0;
  set_phase(Phase::kInRoom);

  // Keep known participants that are in the list, or were announced during this
  // attempt (rule 2: newParticipantArrived may precede the list); drop the rest.
  std::unordered_set<UserId> listed;
  for (const auto& p : list) listed.insert(p.id);
  std::vector<ParticipantView> next;
  next.reserve(view.participants.size() + list.size());
  for (auto& p : view.participants) {
    if (listed.count(p.id) || extra(p.id).seen_attempt == attempt) {
      next.push_back(std::move(p));
    } else {
      close_conn(p.conn_id);
      extras.erase(p.id);
    }
  }
  view.participants = std::move(next);
  for (const auto& p : list) upsert_participant(p, now, /*subscribe=*/false);
  for (auto& p : view.participants)
    if (!p.visible && p.conn_id == 0 && p.tile != TileState::kFailed) p.tile = TileState::kPaused;
  maybe_publish(now);
  subscribe_wanted(now);
  flush_queued(now);
  if (was_recovering) notice(NoticeCode::kReconnected, "", now);
  touch();
}

bool Session::Impl::current_socket(SocketId id, const char* what) {
  if (id != 0 && id == sock_id && sock_state != SocketState::kNone) return true;
  local_error(LogLevel::kDebug, LocalErrorCode::kUnknownSocket,
              std::string(what) + " for socket " + std::to_string(id) + " that is not current");
  return false;
}

void Session::Impl::on(const SocketOpened& e, Millis now) {
  if (!current_socket(e.socket_id, "SocketOpened")) return;
  if (sock_state != SocketState::kOpening) return;
  sock_state = SocketState::kOpen;
  last_rx = now;
  if (view.failure == FailureReason::kServerUnreachable) view.failure = FailureReason::kNone;
  if (!send(protocol::Join{config.room, config.user_id, config.password})) {
    // Rule 12: a join that cannot fit (a huge password) would only time out, forever.
    shut_down(now);
    view.failure = FailureReason::kProtocolError;
    view.detail = "the join frame is over " + std::to_string(config.max_send_frame_bytes) +
                  " bytes (password too long)";
    notice(NoticeCode::kRefused, to_string(FailureReason::kProtocolError), now);
    set_phase(Phase::kFailed);
    return;
  }
  join_sent = true;
  join_deadline = now + config.join_timeout_ms;
  if (!recovering) set_phase(Phase::kJoining);
  touch();
}

void Session::Impl::on(const SocketText& e, Millis now) {
  if (!current_socket(e.socket_id, "SocketText")) return;
  if (sock_state != SocketState::kOpen) return;
  on_frame(e.text, now);
}

void Session::Impl::on(const SocketClosed& e, Millis now) {
  if (e.socket_id != 0 && e.socket_id == closing_id) {
    closing_id = 0;
    try_start_attempt(now);
    return;
  }
  if (!current_socket(e.socket_id, "SocketClosed")) return;
  const std::string detail = "code " + std::to_string(e.code) +
                             (e.reason.empty() ? std::string() : " " + e.reason);
  remote_error(LogLevel::kWarning, RemoteErrorCode::kSocketError, "socket closed: " + detail);
  if (e.code == 4000) return replaced(detail, now);
  if (e.code == 1011 && view.phase == Phase::kInRoom) {
    // The server's handler threw (rule 11: e.g. an endpoint offered twice) and it ran our
    // leave: rejoin at once, as a planned rejoin the user is told about.
    ++view.rejoins.count;
    view.rejoins.last_cause = RejoinCause::kServerError;
    lose_connection(DisconnectCause::kServerError, detail, now, /*already_closed=*/true,
                    /*immediate=*/true);
    return;
  }
  lose_connection(DisconnectCause::kSocketClosed, detail, now, /*already_closed=*/true);
}

void Session::Impl::on(const SocketError& e, Millis now) {
  if (!current_socket(e.socket_id, "SocketError")) return;
  remote_error(LogLevel::kWarning, RemoteErrorCode::kSocketError, "socket error");
  lose_connection(DisconnectCause::kSocketError, "socket error", now, /*already_closed=*/false);
}

// Connect, join and liveness timeouts, the heartbeat (rule 8), and the next attempt.
void Session::Impl::socket_timers(Millis now) {
  if (sock_state == SocketState::kOpening && now >= connect_deadline) {
    remote_error(LogLevel::kWarning, RemoteErrorCode::kConnectTimeout,
                 "socket did not open within " + std::to_string(config.connect_timeout_ms) + " ms");
    lose_connection(DisconnectCause::kConnectTimeout, "connect timeout", now, false);
  } else if (sock_state == SocketState::kOpen && view.phase != Phase::kInRoom && join_sent &&
             now >= join_deadline) {
    remote_error(LogLevel::kWarning, RemoteErrorCode::kJoinTimeout,
                 "no answer to join within " + std::to_string(config.join_timeout_ms) + " ms");
    lose_connection(DisconnectCause::kJoinTimeout, "join timeout", now, false);
  } else if (sock_state == SocketState::kOpen && view.phase == Phase::kInRoom) {
    if (now >= last_rx + config.liveness_timeout_ms) {
      remote_error(LogLevel::kWarning, RemoteErrorCode::kLivenessTimeout,
                   "no frame for " + std::to_string(now - last_rx) + " ms");
      lose_connection(DisconnectCause::kLivenessTimeout, "liveness timeout", now, false);
    } else if (now >= next_heartbeat) {
      std::string hb = protocol::encode_heartbeat();
      if (config.log_traffic) info(LogLevel::kDebug, "tx " + hb);
      emit(SendText{sock_id, std::move(hb)});
      heartbeat_sent = true;
      next_heartbeat = now + config.heartbeat_interval_ms;
    }
  }
  try_start_attempt(now);
}

}  // namespace gc::core
