// The Session's media: publishing, lazy subscriptions negotiated once per owner and socket
// (rule 11), ICE queues (rule 3), planned rejoins (rule 6), and the media events.
#include "core/session_impl.hpp"

#include "core/links.hpp"

namespace gc::core {

Conn& Session::Impl::new_conn(UserId owner, Direction dir, Millis now) {
  const ConnId id = next_conn_id++;
  Conn& c = conns[id];
  c.id = id;
  c.owner = owner;
  c.direction = dir;
  c.setup_deadline = now + config.peer_setup_timeout_ms;
  emit(CreatePeer{id, owner, dir});
  return c;
}

void Session::Impl::maybe_publish(Millis now) {
  if (view.phase != Phase::kInRoom || !config.publish) return;
  if (!view.self.media_ready || view.self.conn_id != 0) return;
  if (publish_retry_at && now < *publish_retry_at) return;
  publish_retry_at.reset();
  view.self.conn_id = new_conn(view.self.id, Direction::kSendOnly, now).id;
  view.self.publish = PublishState::kStarting;
  touch();
}

bool Session::Impl::subscriptions_allowed() const {
  return view.phase == Phase::kInRoom && (visible_set_received || !config.wait_for_visible_set);
}

std::size_t Session::Impl::live_receive_conns() const {
  std::size_t n = 0;
  for (const auto& [id, c] : conns) n += c.direction == Direction::kRecvOnly ? 1 : 0;
  return n;
}

void Session::Impl::count_live() {
  const std::size_t n = live_receive_conns();
  if (view.live_subscriptions != n) {
    view.live_subscriptions = n;
    touch();
  }
}

// A receive-only connection for p, right away (never waits for our own camera), if the
// rules allow one now. True when a connection was created.
bool Session::Impl::subscribe(ParticipantView& p, Millis now) {
  if (!subscriptions_allowed() || !wanted(p) || p.conn_id != 0) return false;
  if (offered.count(p.id) || p.tile == TileState::kFailed) return false;
  if (config.max_live_subscriptions > 0 && live_receive_conns() >= config.max_live_subscriptions) {
    if (p.visible && p.tile != TileState::kCapped) {
      p.tile = TileState::kCapped;
      touch();
    }
    if (p.visible && config.auto_resume_video)
      request_rejoin(RejoinCause::kTooManyStreams, p.id, now);
    return false;
  }
  p.conn_id = new_conn(p.id, Direction::kRecvOnly, now).id;
  p.subscribed = true;
  p.negotiated = true;
  p.tile = TileState::kConnecting;
  p.retry_at.reset();
  count_live();
  owner_recovered(p.id);  // a capped tile that found a free slot needs no rejoin
  touch();
  return true;
}

// Everyone on screen (in join order), then the prefetched, as far as the cap allows.
void Session::Impl::subscribe_wanted(Millis now) {
  if (!subscriptions_allowed()) return;
  for (auto& p : view.participants)
    if (p.visible) subscribe(p, now);
  for (auto& p : view.participants)
    if (!p.visible && p.prefetch) subscribe(p, now);
}

// Ask for a planned rejoin. `owner` (0 = none) names the participant whose media caused
// it: the rejoin is called off if all such owners recover or leave first. Automatic
// causes wait for rejoin_min_interval_ms since the last one; the user's do not.
void Session::Impl::request_rejoin(RejoinCause cause, UserId owner, Millis now) {
  if (view.phase != Phase::kInRoom) return;
  const bool by_user = cause == RejoinCause::kUserRetry ||
                       (cause == RejoinCause::kTooManyStreams && !config.auto_resume_video);
  Millis at = now;
  if (!by_user && last_rejoin) at = std::max(now, *last_rejoin + config.rejoin_min_interval_ms);
  if (owner != 0) {
    rejoin_owners.insert(owner);
  } else {
    rejoin_unconditional = true;
  }
  if (!view.rejoins.pending_at || at < *view.rejoins.pending_at) {
    if (!view.rejoins.pending_at) view.rejoins.pending_cause = cause;
    view.rejoins.pending_at = at;
    info(LogLevel::kInfo, std::string("planned rejoin (") + to_string(cause) + ") at +" +
                              std::to_string(at - now) + " ms");
    touch();
  }
}

void Session::Impl::cancel_rejoin() {
  rejoin_owners.clear();
  rejoin_unconditional = false;
  if (view.rejoins.pending_at) {
    view.rejoins.pending_at.reset();
    view.rejoins.pending_cause = RejoinCause::kNone;
    touch();
  }
}

// An owner's media came back, or they left: their part of a pending rejoin is void.
void Session::Impl::owner_recovered(UserId owner) {
  if (!rejoin_owners.erase(owner)) return;
  if (rejoin_owners.empty() && !rejoin_unconditional && view.rejoins.pending_at) {
    info(LogLevel::kInfo, "planned rejoin called off: the media it was for recovered");
    cancel_rejoin();
  }
}

// Leave and join again on a new socket, keeping chat, files, uploads, the participant
// list and the visible set; every owner may be offered again.
// A rejoin asked for "now" runs at the end of the event that asked for it, never in the
// middle of a transition.
void Session::Impl::run_due_rejoin(Millis now) {
  if (view.phase == Phase::kInRoom && view.rejoins.pending_at && now >= *view.rejoins.pending_at)
    planned_rejoin(now);
}

void Session::Impl::planned_rejoin(Millis now) {
  const RejoinCause cause = view.rejoins.pending_cause;
  for (UserId owner : rejoin_owners) ++extra(owner).rejoins_without_video;
  ++view.rejoins.count;
  view.rejoins.last_cause = cause;
  last_rejoin = now;
  cancel_rejoin();
  info(LogLevel::kInfo, std::string("planned rejoin: ") + to_string(cause));
  lose_connection(DisconnectCause::kPlannedRejoin, to_string(cause), now, false,
                  /*immediate=*/true);
}

// The connection failed (ICE failed, offer or answer failed, closed under us): close it
// and try a fresh one after its own backoff (rule 6).
void Session::Impl::conn_failed(ConnId id, const std::string& why, Millis now) {
  Conn* c = find_conn(id);
  if (!c) return;
  const UserId owner = c->owner;
  const bool is_send = c->direction == Direction::kSendOnly;
  local_error(LogLevel::kWarning, LocalErrorCode::kPeerFailed,
              "connection " + std::to_string(id) + " for " + std::to_string(owner) + ": " + why);
  const bool negotiated = c->offer_sent;  // its endpoint exists: it cannot be offered again
  close_conn(id);
  count_live();
  if (is_send) {
    view.self.conn_id = 0;
    if (negotiated) {
      if (publish_rejoins >= config.max_rejoins_per_owner) {
        view.self.publish = PublishState::kFailed;
        notice(NoticeCode::kPublishFailed, why, now);
      } else {
        ++publish_rejoins;
        view.self.publish = PublishState::kStarting;
        request_rejoin(RejoinCause::kPublishFailed, 0, now);
      }
    } else if (config.receive_max_attempts > 0 &&
               publish_backoff.attempts() >= config.receive_max_attempts) {
      view.self.publish = PublishState::kFailed;
      notice(NoticeCode::kPublishFailed, why, now);
    } else {
      view.self.publish = PublishState::kStarting;
      publish_retry_at = now + publish_backoff.next_delay();
    }
    touch();
    return;
  }
  ParticipantView* p = find_participant(owner);
  if (!p) return;
  p->conn_id = 0;
  if (negotiated) {
    // Rule 11: no second offer on this socket; a planned rejoin renegotiates everyone.
    p->subscribed = false;
    if (extra(owner).rejoins_without_video >= config.max_rejoins_per_owner) {
      p->tile = TileState::kFailed;
      p->retry_at.reset();
      notice(NoticeCode::kReceiveFailed, std::to_string(owner), now).user = owner;
    } else {
      p->tile = TileState::kRetrying;
      request_rejoin(RejoinCause::kReceiveFailed, owner, now);
      p->retry_at = view.rejoins.pending_at;
    }
    subscribe_wanted(now);  // a slot under the cap may have opened
    touch();
    return;
  }
  ++p->retry_attempts;
  if (config.receive_max_attempts > 0 && p->retry_attempts >= config.receive_max_attempts) {
    p->tile = TileState::kFailed;
    p->subscribed = false;
    p->retry_at.reset();
    notice(NoticeCode::kReceiveFailed, std::to_string(owner), now).user = owner;
  } else {
    p->tile = TileState::kRetrying;
    p->retry_at = now + extra(owner).backoff.next_delay();
  }
  touch();
}

void Session::Impl::flush_local_candidates(Conn& c) {
  for (auto& cand : c.local_queue) send(protocol::OnIceCandidate{c.owner, std::move(cand)});
  c.local_queue.clear();
}

void Session::Impl::flush_remote_candidates(Conn& c) {
  for (auto& cand : c.remote_queue) emit(AddRemoteCandidate{c.id, std::move(cand)});
  c.remote_queue.clear();
}

// Rule 5: a known id replaces its details. It is subscribed if it is wanted and was not
// offered on this socket; a re-announcement never re-offers (rule 11).
ParticipantView* Session::Impl::upsert_participant(const protocol::Participant& wire, Millis now,
                                                   bool subscribe_now) {
  if (wire.id == view.self.id) {
    info(LogLevel::kDebug, "announcement of our own id " + std::to_string(wire.id) + " ignored");
    return nullptr;
  }
  extra(wire.id).seen_attempt = attempt;
  protocol::Participant capped = wire;
  for (std::string* part : {&capped.name, &capped.prefix, &capped.postfix})
    clip_utf8(*part, config.max_name_bytes);
  ParticipantView* p = find_participant(wire.id);
  if (p) {
    p->name = capped.name;
    p->prefix = capped.prefix;
    p->postfix = capped.postfix;
    touch();
    if (subscribe_now) subscribe(*p, now);
    return p;
  }
  ParticipantView np;
  np.id = wire.id;
  np.name = capped.name;
  np.prefix = capped.prefix;
  np.postfix = capped.postfix;
  np.visible = is_visible(wire.id);
  np.prefetch = prefetch.count(wire.id) > 0;
  np.tile = np.visible ? TileState::kConnecting : TileState::kPaused;
  view.participants.push_back(std::move(np));
  touch();
  ParticipantView& added = view.participants.back();
  if (subscribe_now && added.visible) subscribe(added, now);
  return &view.participants.back();
}

void Session::Impl::remove_participant(UserId id, Millis now) {
  auto it = std::find_if(view.participants.begin(), view.participants.end(),
                         [&](const ParticipantView& p) { return p.id == id; });
  if (it == view.participants.end()) {
    info(LogLevel::kDebug, "participantLeft for unknown id " + std::to_string(id));
    return;
  }
  close_conn(it->conn_id);
  view.participants.erase(it);
  extras.erase(id);
  offered.erase(id);  // rule 11: their endpoints are released; a return may be offered
  owner_recovered(id);
  count_live();
  touch();
  subscribe_wanted(now);  // their slot under the cap is free
}

// Paging shows and hides tiles; it never closes or re-offers a connection (rule 11).
void Session::Impl::on(const SetVisibleParticipants& e, Millis now) {
  if (e.ids) {
    visible = std::unordered_set<UserId>(e.ids->begin(), e.ids->end());
  } else {
    visible.reset();
  }
  prefetch = std::unordered_set<UserId>(e.prefetch.begin(), e.prefetch.end());
  visible_set_received = true;
  for (auto& p : view.participants) {
    const bool v = is_visible(p.id);
    const bool pf = prefetch.count(p.id) > 0;
    if (v == p.visible && pf == p.prefetch) continue;
    p.visible = v;
    p.prefetch = pf;
    touch();
    if (p.conn_id != 0 || p.tile == TileState::kFailed) continue;
    if (!v && (p.tile == TileState::kCapped || p.tile == TileState::kConnecting)) {
      p.tile = TileState::kPaused;
    } else if (v && p.tile == TileState::kPaused) {
      p.tile = view.phase == Phase::kInRoom && !offered.count(p.id) ? TileState::kConnecting
                                                                    : TileState::kRetrying;
    }
  }
  subscribe_wanted(now);
}

void Session::Impl::on(const ResumeVideo&, Millis now) {
  const bool capped = std::any_of(view.participants.begin(), view.participants.end(),
                                  [](const ParticipantView& p) {
                                    return p.visible && p.tile == TileState::kCapped;
                                  });
  if (!capped || view.phase != Phase::kInRoom) {
    local_error(LogLevel::kDebug, LocalErrorCode::kWrongPhase, "ResumeVideo with no paused tile");
    return;
  }
  request_rejoin(RejoinCause::kTooManyStreams, 0, now);
}

void Session::Impl::local_tracks_changed() {
  emit(SetLocalMediaEnabled{!view.self.muted, !view.self.camera_off});
  touch();
}

void Session::Impl::on(const SetMuted& e, Millis) {
  view.self.muted = e.muted;
  local_tracks_changed();
}

void Session::Impl::on(const SetCameraOff& e, Millis) {
  view.self.camera_off = e.camera_off;
  local_tracks_changed();
}

// Screen sharing swaps the video track of the send connection that exists (rule 11: an
// owner is offered once per join, so a screen cannot get a connection of its own). Without
// one there is nothing to swap: receive-only, or camera and microphone both refused (an
// audio-only send connection has a video sender, which can carry the screen).
void Session::Impl::on(const SetScreenShare& e, Millis now) {
  if (!e.sharing) return stop_screen_share();
  if (view.self.screen != ScreenShare::kOff) return;
  if (view.phase != Phase::kInRoom) {
    local_error(LogLevel::kDebug, LocalErrorCode::kWrongPhase, "SetScreenShare outside the room");
    return;
  }
  if (view.self.conn_id == 0) {
    notice(NoticeCode::kScreenShareUnavailable, to_string(view.self.publish), now);
    return;
  }
  view.self.screen = ScreenShare::kStarting;
  emit(StartScreenShare{});
  touch();
}

void Session::Impl::on(const ScreenShareStarted&, Millis) {
  if (view.self.screen != ScreenShare::kStarting) {
    emit(StopScreenShare{});  // stopped (or left) while the picker was open
    return;
  }
  view.self.screen = ScreenShare::kOn;
  touch();
}

void Session::Impl::on(const ScreenShareFailed& e, Millis now) {
  if (view.self.screen != ScreenShare::kStarting) return;
  view.self.screen = ScreenShare::kOff;
  local_error(LogLevel::kInfo, LocalErrorCode::kMediaFailed, "screen share: " + e.reason);
  notice(NoticeCode::kScreenShareFailed, e.reason, now).media =
      e.denied ? MediaFailure::kDenied : MediaFailure::kUnavailable;
  touch();
}

void Session::Impl::on(const ScreenShareEnded&, Millis) {
  if (view.self.screen == ScreenShare::kOn) stop_screen_share();
}

// Back to the camera; also on leaving (shut_down), before the camera is released.
void Session::Impl::stop_screen_share() {
  if (view.self.screen == ScreenShare::kOff) return;
  view.self.screen = ScreenShare::kOff;
  emit(StopScreenShare{});
  touch();
}

void Session::Impl::on(const LocalMediaReady&, Millis now) {
  if (view.self.media_ready) {
    local_error(LogLevel::kDebug, LocalErrorCode::kInvalidInput, "LocalMediaReady twice");
    return;
  }
  if (!media_requested) {
    // Late answer to a request made before Leave/Failed: give the camera back.
    emit(ReleaseLocalMedia{});
    return;
  }
  media_requested = false;
  view.self.media_ready = true;
  view.self.media_error.clear();
  view.self.media_failure = MediaFailure::kNone;
  if (view.self.muted || view.self.camera_off) local_tracks_changed();
  maybe_publish(now);
  touch();
}

// Ask for the camera and microphone unless they are ready or already asked for.
void Session::Impl::request_media() {
  if (view.self.media_ready || media_requested) return;
  media_requested = true;
  view.self.media_error.clear();
  view.self.media_failure = MediaFailure::kNone;
  emit(RequestLocalMedia{});
}

void Session::Impl::on(const LocalMediaFailed& e, Millis now) {
  if (!media_requested) return;
  media_requested = false;
  view.self.media_ready = false;
  view.self.media_error = e.reason;
  view.self.media_failure = e.denied ? MediaFailure::kDenied : MediaFailure::kUnavailable;
  view.self.publish = PublishState::kFailed;  // and watch anyway
  local_error(LogLevel::kWarning, LocalErrorCode::kMediaFailed, e.reason);
  notice(NoticeCode::kCameraUnavailable, e.reason, now).media = view.self.media_failure;
}

Conn* Session::Impl::live_conn(ConnId id, const char* what) {
  Conn* c = find_conn(id);
  if (!c)
    local_error(LogLevel::kDebug, LocalErrorCode::kUnknownConn,
                std::string(what) + " for closed or unknown connection " + std::to_string(id));
  return c;
}

void Session::Impl::on(const LocalOfferCreated& e, Millis now) {
  Conn* c = live_conn(e.conn_id, "LocalOfferCreated");
  if (!c) return;
  if (c->offer_sent) {
    local_error(LogLevel::kInfo, LocalErrorCode::kInvalidInput,
                "second offer for connection " + std::to_string(e.conn_id) + " ignored");
    return;
  }
  if (!send(protocol::ReceiveVideoFrom{c->owner, e.sdp})) {  // rule 1: names the media owner
    // Not sent: too large for the server (rule 12), or the owner was offered already
    // (rule 11). Retrying would make the same offer: this media stays off until a rejoin.
    const UserId owner = c->owner;
    close_conn(e.conn_id);
    count_live();
    if (owner == view.self.id) {
      view.self.conn_id = 0;
      view.self.publish = PublishState::kFailed;
      notice(NoticeCode::kPublishFailed, "offer not sent", now);
    } else if (ParticipantView* p = find_participant(owner)) {
      p->conn_id = 0;
      p->subscribed = false;
      p->tile = TileState::kFailed;
      notice(NoticeCode::kReceiveFailed, std::to_string(owner), now).user = owner;
    }
    touch();
    return;
  }
  c->offer_sent = true;
  flush_local_candidates(*c);  // rule 3: candidates only after the offer
}

void Session::Impl::on(const LocalOfferFailed& e, Millis now) {
  if (live_conn(e.conn_id, "LocalOfferFailed")) conn_failed(e.conn_id, "offer: " + e.reason, now);
}

void Session::Impl::on(const LocalIceCandidate& e, Millis) {
  Conn* c = live_conn(e.conn_id, "LocalIceCandidate");
  if (!c) return;
  if (c->offer_sent) {
    send(protocol::OnIceCandidate{c->owner, e.candidate});
  } else if (c->local_queue.size() < kMaxQueuedLocalCandidates) {
    c->local_queue.push_back(e.candidate);
  }
}

void Session::Impl::on(const RemoteAnswerFailed& e, Millis now) {
  if (live_conn(e.conn_id, "RemoteAnswerFailed")) conn_failed(e.conn_id, "answer: " + e.reason, now);
}

void Session::Impl::on(const PeerStateChanged& e, Millis now) {
  Conn* c = live_conn(e.conn_id, "PeerStateChanged");
  if (!c) return;
  switch (e.state) {
    case PeerState::kConnected:
      c->setup_deadline.reset();
      c->disconnected_deadline.reset();
      if (c->direction == Direction::kSendOnly) {
        view.self.publish = PublishState::kLive;
        publish_backoff.reset();
        publish_rejoins = 0;
      } else {
        if (!c->media_flowing && !c->no_media_deadline)
          c->no_media_deadline = now + config.no_media_timeout_ms;
        if (ParticipantView* p = find_participant(c->owner)) reset_receive_backoff(*p);
      }
      touch();
      return;
    case PeerState::kDisconnected:
      if (!c->disconnected_deadline) c->disconnected_deadline = now + config.disconnected_grace_ms;
      return;
    case PeerState::kFailed:
      return conn_failed(e.conn_id, "ICE failed", now);
    case PeerState::kClosed:
      return conn_failed(e.conn_id, "closed", now);
    case PeerState::kNew:
    case PeerState::kConnecting:
      return;
  }
}

void Session::Impl::on(const MediaFlowing& e, Millis) {
  Conn* c = live_conn(e.conn_id, "MediaFlowing");
  if (!c || c->direction != Direction::kRecvOnly) return;
  c->media_flowing = true;
  c->had_media = true;
  c->no_media_deadline.reset();
  c->stalled_deadline.reset();
  extra(c->owner).rejoins_without_video = 0;
  owner_recovered(c->owner);
  if (ParticipantView* p = find_participant(c->owner)) {
    p->tile = TileState::kLive;
    p->retry_attempts = 0;
    touch();
  }
}

// Video that stops after it flowed (a stalled relay, a publisher that lost its network
// while the ICE path stays up) may not come back by itself: if it stays stopped for
// stalled_media_timeout_ms, a planned rejoin is asked for (rules 6, 11), and called off
// if the video comes back before it is due. The connection is kept meanwhile. A
// participant whose video never started (audio only) is left alone.
void Session::Impl::on(const NoMedia& e, Millis now) {
  Conn* c = live_conn(e.conn_id, "NoMedia");
  if (!c || c->direction != Direction::kRecvOnly) return;
  c->media_flowing = false;
  c->no_media_deadline.reset();
  const bool stall = c->had_media && !c->stalled_deadline;
  if (stall) {
    const Millis stopped = e.since && *e.since <= now ? *e.since : now;
    c->stalled_deadline = stopped + config.stalled_media_timeout_ms;
    ++view.stalls.detected;
  }
  if (ParticipantView* p = find_participant(c->owner)) {
    p->tile = TileState::kNoMedia;
    if (stall) ++p->stalls.detected;
    touch();
  }
}

// Each connection's deadlines, in sorted id order (deterministic commands).
void Session::Impl::connection_timers(Millis now) {
  std::vector<ConnId> due_failed;
  std::vector<ConnId> due_stalled;
  for (auto& [id, c] : conns) {
    if ((c.disconnected_deadline && now >= *c.disconnected_deadline) ||
        (c.setup_deadline && now >= *c.setup_deadline))
      due_failed.push_back(id);
    if (c.stalled_deadline && now >= *c.stalled_deadline) due_stalled.push_back(id);
    if (c.no_media_deadline && now >= *c.no_media_deadline) {
      c.no_media_deadline.reset();
      if (ParticipantView* p = find_participant(c.owner)) {
        if (p->tile == TileState::kConnecting) {
          p->tile = TileState::kNoMedia;
          touch();
        }
      }
    }
  }
  std::sort(due_failed.begin(), due_failed.end());
  for (ConnId id : due_failed) conn_failed(id, "not connected in time", now);
  std::sort(due_stalled.begin(), due_stalled.end());
  for (ConnId id : due_stalled) {
    auto it = conns.find(id);
    if (it == conns.end()) continue;
    Conn& c = it->second;
    c.stalled_deadline.reset();
    const UserId owner = c.owner;
    ++view.stalls.acted;
    ParticipantView* p = find_participant(owner);
    if (p) ++p->stalls.acted;
    touch();
    if (extra(owner).rejoins_without_video >= config.max_rejoins_per_owner) {
      info(LogLevel::kInfo, "video of " + std::to_string(owner) + " stalled through " +
                                std::to_string(config.max_rejoins_per_owner) +
                                " rejoins: left as it is");
      continue;
    }
    request_rejoin(RejoinCause::kStalledVideo, owner, now);
  }
}

void Session::Impl::retry_timers(Millis now) {
  for (auto& p : view.participants) {
    if (p.retry_at && now >= *p.retry_at) {
      p.retry_at.reset();
      if (!subscribe(p, now) && !wanted(p) && p.conn_id == 0 && p.tile == TileState::kRetrying) {
        p.tile = TileState::kPaused;
        touch();
      }
    }
  }
  if (publish_retry_at && now >= *publish_retry_at) {
    publish_retry_at.reset();
    maybe_publish(now);
  }
}

}  // namespace gc::core
