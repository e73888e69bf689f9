// Session: every state and every transition of the groupcall client (see session.hpp).
//
// Map of this file
//   1. names of enums and variants (to_string, event_name, command_name)
//   2. Impl: state (socket, connections, participants, chat, files, uploads, timers)
//   3. connection lifecycle: start_attempt, enter_room, lose_connection, fail, leave
//   4. media: publish (send-only, own id), subscribe (recv-only, one per participant),
//      per-connection ICE queues in both directions (PROTOCOL.md rule 3)
//   5. server messages (rules 1, 2, 4, 5, 7, 8)
//   6. user intents, transport events, media events
//   7. timers: next_timeout / on_timeout
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
#include "core/session.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/echo_outbox.hpp"
#include "core/links.hpp"
#include "protocol/codec.hpp"

namespace gc::core {

// ---- 2. state ---------------------------------------------------------------------------

namespace {

constexpr std::size_t kMaxQueuedRemoteCandidates = 256;  // per connection
constexpr std::size_t kMaxQueuedLocalCandidates = 256;   // per connection

enum class SocketState { kNone, kOpening, kOpen };

// One RTCPeerConnection as the Session sees it.
struct Conn {
  ConnId id = 0;
  UserId owner = 0;
  Direction direction = Direction::kRecvOnly;
  bool offer_sent = false;     // receiveVideoFrom went out
  bool answer_issued = false;  // ApplyRemoteAnswer went out
  std::vector<IceCandidate> local_queue;   // waiting for offer_sent
  std::vector<IceCandidate> remote_queue;  // waiting for answer_issued
  PeerState state = PeerState::kNew;
  bool media_flowing = false;
  std::optional<Millis> setup_deadline;  // until kConnected
  std::optional<Millis> disconnected_deadline;
  std::optional<Millis> no_media_deadline;
  bool had_media = false;                // MediaFlowing was seen at least once
  std::optional<Millis> stalled_deadline;  // flowed, then stopped: resubscribe at
};

// Per-participant bookkeeping the UI does not need.
struct RemoteExtra {
  Backoff backoff;                 // local retries of a connection whose offer never went out
  std::uint64_t seen_attempt = 0;  // attempt in which it was last announced
  int rejoins_without_video = 0;   // planned rejoins for their media since it last flowed
};

// A file announcement's payload (uploadSuccess / fileUploaded).
struct FileRef {
  std::string name;
  std::string url;
  bool operator==(const FileRef& o) const { return name == o.name && url == o.url; }
};

// Rule 12: a chat line whose sendMessage frame would be over `max_frame` bytes is cut
// into parts whose frames fit, in order. Cuts fall on a code point boundary, never inside
// a joined emoji (before U+200D / U+FE0F or after U+200D), and preferably after the last
// line break or space in the second half of a part. Empty when even one code point cannot
// fit (a limit below the frame's own overhead).
std::vector<std::string> split_chat(const std::string& text, std::size_t max_frame) {
  const auto fits = [&](std::size_t pos, std::size_t len) {
    return protocol::encode(protocol::SendMessage{text.substr(pos, len)}).size() <= max_frame;
  };
  const auto is_cont = [&](std::size_t i) {
    return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
  };
  const auto starts_with = [&](std::size_t i, const char* s) { return text.compare(i, 3, s) == 0; };
  const auto boundary = [&](std::size_t i) {  // may the text be cut before byte i?
    if (i == 0 || i >= text.size()) return true;
    if (is_cont(i)) return false;
    if (starts_with(i, "\xE2\x80\x8D") || starts_with(i, "\xEF\xB8\x8F")) return false;  // ZWJ, VS16
    return !(i >= 3 && starts_with(i - 3, "\xE2\x80\x8D"));
  };
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (fits(pos, std::string::npos)) {
      parts.push_back(text.substr(pos));
      break;
    }
    std::size_t lo = 0, hi = text.size() - pos;  // fits(lo) holds, fits(hi) does not
    while (hi - lo > 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      (fits(pos, mid) ? lo : hi) = mid;
    }
    std::size_t cut = lo;
    while (cut > 0 && !boundary(pos + cut)) --cut;
    if (cut == 0) return {};
    for (const char brk : {'\n', ' '}) {
      const std::size_t at = text.rfind(brk, pos + cut - 1);
      if (at != std::string::npos && at + 1 > pos + cut / 2) {
        cut = at + 1 - pos;
        break;
      }
    }
    parts.push_back(text.substr(pos, cut));
    pos += cut;
  }
  return parts;
}

// `text` cut to at most `max` bytes on a code point boundary, ending in "…" (U+2026) when
// it was cut. True when it was.
bool clip_utf8(std::string& text, std::size_t max) {
  if (text.size() <= max) return false;
  static constexpr const char kEllipsis[] = "\xE2\x80\xA6";
  std::size_t cut = max >= 3 ? max - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  if (max >= 3) text += kEllipsis;
  return true;
}

std::uint64_t mix(std::uint64_t x) {
  SplitMix64 m(x);
  return m.next();
}

template <class Seq>
auto find_by_seq(Seq& seq_container, std::uint64_t seq) -> decltype(&seq_container.front()) {
  auto it = std::lower_bound(seq_container.begin(), seq_container.end(), seq,
                             [](const auto& item, std::uint64_t s) { return item.seq < s; });
  if (it == seq_container.end() || it->seq != seq) return nullptr;
  return &*it;
}

}  // namespace

struct Session::Impl {
  explicit Impl(SessionConfig c)
      : config(sanitized(std::move(c))),
        reconnect_backoff(config.reconnect_backoff, config.seed),
        publish_backoff(config.receive_backoff, mix(config.seed ^ 0x5e1f)) {
    view.room = config.room;
    view.self.id = config.user_id;
    view.chat_visible = false;
  }

  // Timers of zero or less would fire forever at the same instant.
  static SessionConfig sanitized(SessionConfig c) {
    for (Millis* t : {&c.connect_timeout_ms, &c.join_timeout_ms, &c.close_wait_ms,
                      &c.heartbeat_interval_ms, &c.liveness_timeout_ms, &c.backoff_stable_ms,
                      &c.disconnected_grace_ms, &c.no_media_timeout_ms, &c.stalled_media_timeout_ms,
                      &c.peer_setup_timeout_ms,
                      &c.chat_echo_timeout_ms, &c.echo_match_window_ms})
      *t = std::max<Millis>(*t, 1);
    return c;
  }

  SessionConfig config;
  ViewModel view;
  std::vector<Command> out;
  bool changed = false;

  // socket
  SocketState sock_state = SocketState::kNone;
  SocketId sock_id = 0;
  SocketId next_socket_id = 1;
  bool join_sent = false;
  bool heartbeat_sent = false;  // on the current socket
  Millis connect_deadline = 0;
  Millis join_deadline = 0;
  SocketId closing_id = 0;  // previous socket we asked to close, until SocketClosed
  Millis close_deadline = 0;
  std::optional<Millis> attempt_at;  // when to open the next socket
  bool recovering = false;           // the current attempt is a recovery
  std::uint64_t attempt = 0;         // counts sockets opened
  Backoff reconnect_backoff;
  std::optional<Millis> in_room_since;
  Millis last_rx = 0;
  Millis next_heartbeat = 0;

  // media
  ConnId next_conn_id = 1;
  std::unordered_map<ConnId, Conn> conns;
  std::unordered_map<UserId, RemoteExtra> extras;
  std::optional<std::unordered_set<UserId>> visible;  // nullopt: everyone
  bool media_requested = false;
  Backoff publish_backoff;
  std::optional<Millis> publish_retry_at;
  std::unordered_set<UserId> prefetch;  // the UI's next page
  bool visible_set_received = false;

  // Rule 11: owners whose receiveVideoFrom went out on the current socket (own id
  // included). Cleared by a new socket; an owner leaves it only with participantLeft.
  std::unordered_set<UserId> offered;
  // Planned rejoin (rules 6, 11): due at view.rejoins.pending_at. Owner-caused ones (a
  // stall, a failed receive) are called off when every owner that caused them recovered
  // or left before it was due; the others (publish, stream cap, 1011, user) are not.
  std::unordered_set<UserId> rejoin_owners;
  bool rejoin_unconditional = false;
  std::optional<Millis> last_rejoin;
  int publish_rejoins = 0;  // planned rejoins for our own send connection in a row

  // chat and files
  std::uint64_t next_seq = 1;
  EchoOutbox<std::string> chat_box;  // own lines (rule 7)
  EchoOutbox<FileRef> file_box;      // own file announcements
  // This server echoes own lines (one matched since the Session began): from then on a
  // line whose echo does not come is kNotConfirmed, not kSent.
  bool echo_seen = false;
  std::uint64_t next_notice_id = 1;
  std::size_t chat_bytes = 0;  // text bytes in view.chat
  std::deque<Millis> rate_sent;  // when our recent sendMessage / uploadSuccess went out
  std::unordered_map<UploadId, Millis> upload_progress_at;  // uploading: last sign of life
  Millis clock = 0;  // the time of the event or timeout being handled

  // ---- output helpers -------------------------------------------------------------------

  void touch() { changed = true; }
  void emit(Command c) { out.push_back(std::move(c)); }
  void info(LogLevel level, std::string text) { emit(Log{level, Info{std::move(text)}}); }
  void remote_error(LogLevel level, RemoteErrorCode code, std::string detail) {
    emit(Log{level, RemoteError{code, std::move(detail)}});
  }
  void local_error(LogLevel level, LocalErrorCode code, std::string detail) {
    emit(Log{level, LocalError{code, std::move(detail)}});
  }
  void notice(NoticeCode code, std::string detail, Millis now) {
    view.notices.push_back(Notice{next_notice_id++, code, std::move(detail), now});
    while (view.notices.size() > config.notice_cap) view.notices.pop_front();
    touch();
  }
  // Rule 12: a frame over max_send_frame_bytes is never sent. Rule 11: neither is a second
  // receiveVideoFrom for one owner on one socket (the policy never asks for one; this is
  // the last line of defence, counted in view.resubscribes). False when nothing went out.
  bool send(const protocol::ClientMessage& msg) {
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
  void set_phase(Phase p) {
    if (view.phase != p) {
      info(LogLevel::kInfo,
           std::string("phase ") + to_string(view.phase) + " -> " + to_string(p));
      view.phase = p;
      touch();
    }
  }

  ParticipantView* find_participant(UserId id) {
    for (auto& p : view.participants)
      if (p.id == id) return &p;
    return nullptr;
  }
  Conn* find_conn(ConnId id) {
    auto it = conns.find(id);
    return it == conns.end() ? nullptr : &it->second;
  }
  // The connection whose media owner is `owner` (rule 1), if any.
  Conn* conn_of_owner(UserId owner) {
    if (owner == view.self.id) return view.self.conn_id ? find_conn(view.self.conn_id) : nullptr;
    ParticipantView* p = find_participant(owner);
    return (p && p->conn_id) ? find_conn(p->conn_id) : nullptr;
  }
  RemoteExtra& extra(UserId id) {
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
  bool is_visible(UserId id) const { return !visible || visible->count(id) > 0; }

  // ---- 3. connection lifecycle ----------------------------------------------------------

  // Open the next socket once its time has come and the previous one is closed.
  void try_start_attempt(Millis now) {
    if (!attempt_at || now < *attempt_at) return;
    if (closing_id != 0) {
      if (now < close_deadline) return;
      info(LogLevel::kDebug, "socket " + std::to_string(closing_id) +
                                 " never reported close; opening a new one anyway");
      closing_id = 0;
    }
    start_attempt(now);
  }

  void start_attempt(Millis now) {
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
  void drop_socket(Millis now, bool already_closed) {
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

  void close_conn(ConnId id) {
    if (id == 0) return;
    if (conns.erase(id)) emit(ClosePeer{id});
  }

  // Close every peer connection; tiles wait for the rejoin.
  void close_all_peers() {
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
      p.retry_attempts = 0;
      if (p.tile != TileState::kFailed)
        p.tile = p.visible ? TileState::kRetrying : TileState::kPaused;
      extra(p.id).backoff.reset();
    }
    touch();
  }

  // `immediate`: reconnect at once if this is the first loss after a stable stay (a 1011
  // close, or a planned rejoin); later losses in a row still back off.
  void lose_connection(DisconnectCause cause, const std::string& detail, Millis now,
                       bool already_closed, bool immediate = false) {
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
      if (was_in_room) notice(NoticeCode::kRejoining, to_string(view.rejoins.last_cause), now);
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
  void shut_down(Millis now) {
    drop_socket(now, false);
    close_all_peers();
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
  void replaced(const std::string& detail, Millis now) {
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

  void fail(FailureReason reason, const std::string& detail, Millis now) {
    remote_error(LogLevel::kError, RemoteErrorCode::kServerRefused, detail);
    shut_down(now);
    view.failure = reason;
    view.detail = detail;
    view.disconnect_cause = DisconnectCause::kNone;
    notice(NoticeCode::kRefused, to_string(reason), now);
    set_phase(Phase::kFailed);
  }

  void begin(Millis now) {
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
      if (!view.self.media_ready && !media_requested) {
        media_requested = true;
        view.self.media_error.clear();
        emit(RequestLocalMedia{});
      }
    }
    set_phase(Phase::kConnecting);
    attempt_at = now;
    touch();
    try_start_attempt(now);
  }

  void enter_room(const std::vector<protocol::Participant>& list, Millis now) {
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

  // ---- 4. media -------------------------------------------------------------------------

  Conn& new_conn(UserId owner, Direction dir, Millis now) {
    const ConnId id = next_conn_id++;
    Conn& c = conns[id];
    c.id = id;
    c.owner = owner;
    c.direction = dir;
    c.setup_deadline = now + config.peer_setup_timeout_ms;
    emit(CreatePeer{id, owner, dir});
    return c;
  }

  void maybe_publish(Millis now) {
    if (view.phase != Phase::kInRoom || !config.publish) return;
    if (!view.self.media_ready || view.self.conn_id != 0) return;
    if (publish_retry_at && now < *publish_retry_at) return;
    publish_retry_at.reset();
    view.self.conn_id = new_conn(view.self.id, Direction::kSendOnly, now).id;
    view.self.publish = PublishState::kStarting;
    touch();
  }

  // ---- subscriptions (rule 11) ----
  //
  // An owner is offered at most once per socket: subscribe() refuses an owner already in
  // `offered`. A participant is subscribed the first time they are on screen or prefetched
  // and kept until they leave; hidden tiles keep their connection. At most
  // max_live_subscriptions receive connections are open: on-screen tiles beyond it are
  // kCapped, and only a planned rejoin (which starts from what is on screen) shows them.

  bool wanted(const ParticipantView& p) const { return p.visible || p.prefetch; }
  bool subscriptions_allowed() const {
    return view.phase == Phase::kInRoom && (visible_set_received || !config.wait_for_visible_set);
  }
  std::size_t live_receive_conns() const {
    std::size_t n = 0;
    for (const auto& [id, c] : conns) n += c.direction == Direction::kRecvOnly ? 1 : 0;
    return n;
  }
  void count_live() {
    const std::size_t n = live_receive_conns();
    if (view.live_subscriptions != n) {
      view.live_subscriptions = n;
      touch();
    }
  }

  // A receive-only connection for p, right away (never waits for our own camera), if the
  // rules allow one now. True when a connection was created.
  bool subscribe(ParticipantView& p, Millis now) {
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
  void subscribe_wanted(Millis now) {
    if (!subscriptions_allowed()) return;
    for (auto& p : view.participants)
      if (p.visible) subscribe(p, now);
    for (auto& p : view.participants)
      if (!p.visible && p.prefetch) subscribe(p, now);
  }

  // ---- planned rejoin (rules 6, 11) ----

  // Ask for a planned rejoin. `owner` (0 = none) names the participant whose media caused
  // it: the rejoin is called off if all such owners recover or leave first. Automatic
  // causes wait for rejoin_min_interval_ms since the last one; the user's do not.
  void request_rejoin(RejoinCause cause, UserId owner, Millis now) {
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

  void cancel_rejoin() {
    rejoin_owners.clear();
    rejoin_unconditional = false;
    if (view.rejoins.pending_at) {
      view.rejoins.pending_at.reset();
      view.rejoins.pending_cause = RejoinCause::kNone;
      touch();
    }
  }

  // An owner's media came back, or they left: their part of a pending rejoin is void.
  void owner_recovered(UserId owner) {
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
  void run_due_rejoin(Millis now) {
    if (view.phase == Phase::kInRoom && view.rejoins.pending_at && now >= *view.rejoins.pending_at)
      planned_rejoin(now);
  }

  void planned_rejoin(Millis now) {
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
  void conn_failed(ConnId id, const std::string& why, Millis now) {
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
        notice(NoticeCode::kReceiveFailed, std::to_string(owner), now);
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
      notice(NoticeCode::kReceiveFailed, std::to_string(owner), now);
    } else {
      p->tile = TileState::kRetrying;
      p->retry_at = now + extra(owner).backoff.next_delay();
    }
    touch();
  }

  void flush_local_candidates(Conn& c) {
    for (auto& cand : c.local_queue) send(protocol::OnIceCandidate{c.owner, std::move(cand)});
    c.local_queue.clear();
  }

  void flush_remote_candidates(Conn& c) {
    for (auto& cand : c.remote_queue) emit(AddRemoteCandidate{c.id, std::move(cand)});
    c.remote_queue.clear();
  }

  // Rule 5: a known id replaces its details. It is subscribed if it is wanted and was not
  // offered on this socket; a re-announcement never re-offers (rule 11).
  ParticipantView* upsert_participant(const protocol::Participant& wire, Millis now,
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

  void remove_participant(UserId id, Millis now) {
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

  // ---- chat and files -------------------------------------------------------------------

  void push_chat(ChatLine line) {
    chat_bytes += line.text.size();
    view.chat.push_back(std::move(line));
    while (view.chat.size() > config.chat_history_cap ||
           (chat_bytes > config.max_chat_memory_bytes && view.chat.size() > 1)) {
      chat_bytes -= view.chat.front().text.size();
      view.chat.pop_front();
    }
    touch();
  }

  void push_file(SharedFile f) {
    view.files.push_back(std::move(f));
    while (view.files.size() > config.file_history_cap) view.files.pop_front();
    touch();
  }

  // May one more sendMessage / uploadSuccess go out now without passing the server's rate?
  bool within_rate(Millis now) {
    while (!rate_sent.empty() && rate_sent.front() <= now - config.chat_rate_window_ms)
      rate_sent.pop_front();
    return config.chat_rate_count <= 0 || static_cast<int>(rate_sent.size()) < config.chat_rate_count;
  }
  bool paced() const { return config.chat_rate_count > 0 && static_cast<int>(rate_sent.size()) >= config.chat_rate_count; }

  ChatStatus* status_of(std::uint64_t seq) {  // seqs are unique across chat and files
    if (ChatLine* line = find_by_seq(view.chat, seq)) return &line->status;
    if (SharedFile* f = find_by_seq(view.files, seq)) return &f->status;
    return nullptr;
  }
  void set_status(std::uint64_t seq, ChatStatus status) {
    if (ChatStatus* s = status_of(seq)) *s = status;
    touch();
  }
  void set_resendable(std::uint64_t seq, bool resendable) {
    if (ChatLine* line = find_by_seq(view.chat, seq)) line->resendable = resendable;
    if (SharedFile* f = find_by_seq(view.files, seq)) f->resendable = resendable;
  }

  bool transmit(const std::string& text) { return send(protocol::SendMessage{text}); }
  bool transmit(const FileRef& f) { return send(protocol::UploadSuccess{f.name, f.url}); }
  std::size_t history_cap(const EchoOutbox<std::string>&) const { return config.chat_history_cap; }
  std::size_t history_cap(const EchoOutbox<FileRef>&) const { return config.file_history_cap; }

  template <class P>
  void send_now(EchoOutbox<P>& box, std::uint64_t seq, P payload, Millis now) {
    if (transmit(payload)) rate_sent.push_back(now);
    set_status(seq, ChatStatus::kPending);
    box.sent(seq, std::move(payload), now, now + config.chat_echo_timeout_ms, history_cap(box));
  }

  // A new own line (or one to send again): out now when in the room, nothing waits ahead
  // of it and the pace allows; otherwise queued, in order, behind what waits.
  template <class P>
  void submit(EchoOutbox<P>& box, std::uint64_t seq, P payload, Millis now) {
    if (view.phase == Phase::kInRoom && !box.has_queued() && within_rate(now)) {
      send_now(box, seq, std::move(payload), now);
    } else {
      set_status(seq, ChatStatus::kQueued);
      box.enqueue(seq, std::move(payload));
    }
  }

  // Own lines and file announcements still Pending when the socket dies may never have
  // reached the server (nothing typed is lost): they go back to the queue, in typing
  // order ahead of anything typed since, and are sent again after the rejoin. A server
  // that relayed one but whose echo was lost shows it twice to the others; losing it
  // would be worse. Lines already Sent (echoed, or past the echo timeout) stay sent.
  template <class P, class Items, class Payload>
  void requeue_pending(EchoOutbox<P>& box, Items& items, Payload payload_of) {
    std::vector<typename EchoOutbox<P>::Item> back;
    for (auto& item : items) {
      if (!item.is_self || item.status != ChatStatus::kPending) continue;
      item.status = ChatStatus::kQueued;
      box.forget(item.seq);
      back.push_back({item.seq, payload_of(item)});
    }
    if (back.empty()) return;
    box.enqueue_front(std::move(back));
    touch();
  }
  void requeue_unconfirmed() {
    requeue_pending(chat_box, view.chat, [](const ChatLine& l) { return l.text; });
    requeue_pending(file_box, view.files, [](const SharedFile& f) { return FileRef{f.name, f.url}; });
  }

  // Lines still queued for this room are never sent to another one: Leave, or a join with
  // another room or user, marks them not sent (they stay in the history, marked so), and
  // lines not confirmed here can no longer be sent again.
  void abandon_queued(const char* why) {
    std::vector<std::uint64_t> seqs = chat_box.drop_queued();
    for (std::uint64_t seq : file_box.drop_queued()) seqs.push_back(seq);
    for (std::uint64_t seq : seqs) set_status(seq, ChatStatus::kNotSent);
    for (ChatLine& line : view.chat) line.resendable = false;
    for (SharedFile& f : view.files) f.resendable = false;
    if (seqs.empty()) return;
    info(LogLevel::kInfo, std::to_string(seqs.size()) + " queued line(s) not sent: " + why);
    touch();
  }

  // Nothing typed is lost: lines queued while away go out in order after the rejoin, at the
  // client's own pace (within_rate); what does not fit now goes when the window moves on.
  template <class P>
  void flush(EchoOutbox<P>& box, Millis now) {
    while (box.has_queued() && within_rate(now)) {
      auto q = box.pop_queued();
      send_now(box, q.seq, std::move(q.payload), now);
    }
  }
  void flush_queued(Millis now) {
    flush(chat_box, now);
    flush(file_box, now);
  }

  // Rule 7: an own-id echo merges with the oldest unechoed own entry with the same content.
  template <class P>
  bool merge_echo(EchoOutbox<P>& box, const P& echoed, Millis now) {
    const std::optional<std::uint64_t> seq = box.take_echo(echoed, now, config.echo_match_window_ms);
    if (!seq) return false;
    echo_seen = true;
    set_status(*seq, ChatStatus::kSent);  // a late echo confirms a not-confirmed line too
    set_resendable(*seq, false);
    return true;
  }

  // A sent line's echo deadline passed: sent, unless this server echoes (echo_seen), in
  // which case it is not confirmed and can be sent again (ResendLine).
  template <class P>
  void expire_echoes(EchoOutbox<P>& box, Millis now) {
    box.expire(now, [&](std::uint64_t seq) {
      ChatStatus* status = status_of(seq);
      if (!status || *status != ChatStatus::kPending) return;
      if (!echo_seen) {
        *status = ChatStatus::kSent;
      } else {
        *status = ChatStatus::kNotConfirmed;
        set_resendable(seq, true);
        info(LogLevel::kWarning, "no echo for own line " + std::to_string(seq) + " within " +
                                     std::to_string(config.chat_echo_timeout_ms) + " ms: not confirmed");
      }
      touch();
    });
  }

  void on_chat(const protocol::ReceiveTextMessage& m, Millis now) {
    const bool own = m.user_id == view.self.id;
    if (own && merge_echo(chat_box, m.message, now)) return;
    ChatLine line{next_seq++, m.user_id, own, m.message, now, ChatStatus::kSent};
    line.truncated = clip_utf8(line.text, config.max_received_chat_bytes);
    push_chat(std::move(line));
    if (!own && !view.chat_visible) ++view.unread;
  }

  void on_file(const protocol::FileUploaded& m, Millis now) {
    const bool own = m.user_id == view.self.id;
    if (own && merge_echo(file_box, FileRef{m.file_name, m.file_url}, now)) return;
    SharedFile f{next_seq++, m.user_id, own, m.file_name, m.file_url, false, now, ChatStatus::kSent};
    clip_utf8(f.name, config.max_file_name_bytes);
    const bool url_cut = clip_utf8(f.url, config.max_file_url_bytes);
    f.linkable = !url_cut && is_linkable_url(f.url);
    push_file(std::move(f));
  }

  // ---- uploads --------------------------------------------------------------------------

  UploadView* find_upload(UploadId id) {
    for (auto& u : view.uploads)
      if (u.id == id) return &u;
    return nullptr;
  }

  void pump_uploads() {
    for (const auto& u : view.uploads)
      if (u.state == UploadState::kUploading) return;
    for (auto& u : view.uploads) {
      if (u.state == UploadState::kQueued) {
        u.state = UploadState::kUploading;
        ++u.attempts;
        upload_progress_at[u.id] = clock;
        emit(StartUpload{u.id});
        touch();
        return;
      }
    }
  }

  void trim_uploads() {
    auto finished = [](const UploadView& u) {
      return u.state == UploadState::kDone || u.state == UploadState::kFailed ||
             u.state == UploadState::kCancelled;
    };
    std::size_t n = 0;
    for (const auto& u : view.uploads) n += finished(u) ? 1 : 0;
    for (auto it = view.uploads.begin(); n > config.upload_history_cap && it != view.uploads.end();) {
      if (finished(*it)) {
        if (it->state == UploadState::kFailed) emit(ForgetUpload{it->id});  // no retry now
        it = view.uploads.erase(it);
        --n;
      } else {
        ++it;
      }
    }
  }

  // ---- 5. server messages ---------------------------------------------------------------

  void on_frame(const std::string& text, Millis now) {
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

  bool awaiting_join_answer() const {
    return sock_state == SocketState::kOpen && join_sent && view.phase != Phase::kInRoom;
  }

  void unexpected(const char* type, const std::string& why) {
    remote_error(LogLevel::kInfo, RemoteErrorCode::kUnexpectedMessage,
                 std::string(type) + ": " + why);
  }

  void on_message(const protocol::UserNotFound&, Millis now) {
    if (!awaiting_join_answer()) return unexpected("userNotFound", "not waiting for a join answer");
    fail(FailureReason::kUserNotFound, "userNotFound: user " + std::to_string(config.user_id), now);
  }

  void on_message(const protocol::PermissionDenied&, Millis now) {
    if (!awaiting_join_answer()) return unexpected("permisionDeny", "not waiting for a join answer");
    fail(FailureReason::kPermissionDenied,
         "permisionDeny: room " + std::to_string(config.room) +
             (config.password.empty() ? " (no password given)" : " (password rejected)"),
         now);
  }

  void on_message(const protocol::ExistingParticipants& m, Millis now) {
    if (awaiting_join_answer()) return enter_room(m.participants, now);
    if (view.phase == Phase::kInRoom) {
      unexpected("existingParticipants", "already in the room; merged");
      for (const auto& p : m.participants) upsert_participant(p, now, true);
      return;
    }
    unexpected("existingParticipants", "not waiting for a join answer");
  }

  void on_message(const protocol::NewParticipantArrived& m, Millis now) {
    if (!join_sent) return unexpected("newParticipantArrived", "before join");
    upsert_participant(m.participant, now, view.phase == Phase::kInRoom);
  }

  void on_message(const protocol::ParticipantLeft& m, Millis now) {
    if (m.user_id == view.self.id) return unexpected("participantLeft", "names our own id");
    remove_participant(m.user_id, now);  // rule 4
  }

  void on_message(const protocol::ReceiveVideoAnswer& m, Millis) {
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

  void on_message(const protocol::RemoteIceCandidate& m, Millis) {
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

  void on_message(const protocol::ReceiveTextMessage& m, Millis now) {
    if (!join_sent) return unexpected("reciveTextMessage", "before join");
    on_chat(m, now);
  }

  void on_message(const protocol::FileUploaded& m, Millis now) {
    if (!join_sent) return unexpected("fileUploaded", "before join");
    on_file(m, now);
  }

  void on_message(const protocol::UnrecognizedMessage&, Millis now) {
    // The answer to our heartbeat (rule 8). Before we ever sent one on this socket, it can
    // only be the answer to `join`: the server does not speak this protocol.
    if (awaiting_join_answer() && !heartbeat_sent) {
      shut_down(now);
      view.failure = FailureReason::kProtocolError;
      view.detail = "the server answered join with unrecognizedMessage";
      remote_error(LogLevel::kError, RemoteErrorCode::kServerRefused, view.detail);
      notice(NoticeCode::kRefused, to_string(FailureReason::kProtocolError), now);
      set_phase(Phase::kFailed);
    }
  }

  // ---- 6. inputs ------------------------------------------------------------------------

  bool idle_like() const {
    return view.phase == Phase::kIdle || view.phase == Phase::kLeft ||
           view.phase == Phase::kFailed;
  }

  void apply_overrides(const Join& j) {
    if ((j.room && *j.room != config.room) || (j.user_id && *j.user_id != config.user_id))
      abandon_queued("joining another room or as another user");
    if (j.room) config.room = *j.room;
    if (j.user_id) config.user_id = *j.user_id;
    if (j.password) config.password = *j.password;
  }

  void on(const Join& j, Millis now) {
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

  void on(const Retry&, Millis now) {
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
          p.retry_attempts = 0;
          extra(p.id).backoff.reset();
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
          if (!view.self.media_ready && !media_requested) {
            media_requested = true;
            view.self.media_error.clear();
            emit(RequestLocalMedia{});
          }
          maybe_publish(now);
          touch();
        }
        return;
      default:
        local_error(LogLevel::kInfo, LocalErrorCode::kWrongPhase,
                    std::string("Retry while ") + to_string(view.phase));
    }
  }

  void on(const Leave&, Millis now) {
    if (view.phase == Phase::kIdle || view.phase == Phase::kLeft) {
      local_error(LogLevel::kDebug, LocalErrorCode::kWrongPhase, "Leave while not joined");
      return;
    }
    for (auto& u : view.uploads) {
      if (u.state == UploadState::kUploading) emit(AbortUpload{u.id});
      if (u.state == UploadState::kUploading || u.state == UploadState::kQueued) {
        u.state = UploadState::kCancelled;
        emit(ForgetUpload{u.id});
      }
    }
    upload_progress_at.clear();
    abandon_queued("left the room");
    shut_down(now);
    view.failure = FailureReason::kNone;
    view.disconnect_cause = DisconnectCause::kNone;
    view.detail.clear();
    set_phase(Phase::kLeft);
  }

  void on(const SendChat& c, Millis now) {
    if (c.text.empty() || c.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      local_error(LogLevel::kDebug, LocalErrorCode::kInvalidInput, "empty chat line");
      return;
    }
    if (c.text.size() > config.max_chat_bytes) {
      local_error(LogLevel::kWarning, LocalErrorCode::kInvalidInput,
                  "chat line of " + std::to_string(c.text.size()) + " bytes is over the limit");
      return;
    }
    if (view.phase == Phase::kLeft) {
      local_error(LogLevel::kInfo, LocalErrorCode::kWrongPhase, "SendChat after Leave");
      return;
    }
    const std::vector<std::string> parts = split_chat(c.text, config.max_send_frame_bytes);
    if (parts.empty()) {
      local_error(LogLevel::kWarning, LocalErrorCode::kFrameTooLarge,
                  "no chat frame fits in " + std::to_string(config.max_send_frame_bytes) + " bytes");
      return;
    }
    // Each part is a line of its own, for us as for everyone (each is echoed on its own).
    for (const std::string& part : parts) {
      const std::uint64_t seq = next_seq++;
      push_chat(ChatLine{seq, view.self.id, true, part, now, ChatStatus::kQueued});
      submit(chat_box, seq, part, now);
    }
    if (parts.size() > 1) notice(NoticeCode::kChatSplit, std::to_string(parts.size()), now);
  }

  void on(const QueueUpload& u, Millis) {
    if (find_upload(u.upload_id)) {
      local_error(LogLevel::kWarning, LocalErrorCode::kInvalidInput,
                  "upload id " + std::to_string(u.upload_id) + " queued twice");
      return;
    }
    view.uploads.push_back(UploadView{u.upload_id, u.name, u.size, UploadState::kQueued, 0, {}});
    touch();
    pump_uploads();
  }

  UploadView* active_upload(UploadId id, const char* what) {
    UploadView* u = find_upload(id);
    if (!u || u->state != UploadState::kUploading) {
      local_error(LogLevel::kDebug, LocalErrorCode::kUnknownUpload,
                  std::string(what) + " for upload " + std::to_string(id) + " that is not uploading");
      return nullptr;
    }
    return u;
  }

  void on(const UploadProgress& e, Millis now) {
    UploadView* u = active_upload(e.upload_id, "UploadProgress");
    if (!u) return;
    upload_progress_at[u->id] = now;
    const std::uint64_t total = e.total ? e.total : u->size;
    int pct = total ? static_cast<int>(std::min<std::uint64_t>(e.sent, total) * 100 / total) : 0;
    if (pct != u->percent) {
      u->percent = pct;
      touch();
    }
  }

  void on(const UploadFinished& e, Millis now) {
    UploadView* u = active_upload(e.upload_id, "UploadFinished");
    if (!u) return;
    const std::size_t frame = protocol::encode(protocol::UploadSuccess{u->name, e.url}).size();
    if (frame > config.max_send_frame_bytes) {  // rule 12: the announcement could never be sent
      local_error(LogLevel::kWarning, LocalErrorCode::kFrameTooLarge,
                  "uploadSuccess frame of " + std::to_string(frame) + " bytes for " + u->name);
      return on(UploadFailed{e.upload_id, "announcement-too-large"}, now);
    }
    u->state = UploadState::kDone;
    u->percent = 100;
    upload_progress_at.erase(u->id);
    emit(ForgetUpload{u->id});
    const std::string name = u->name;
    const std::uint64_t seq = next_seq++;
    push_file(SharedFile{seq, view.self.id, true, name, e.url, is_linkable_url(e.url), now,
                         ChatStatus::kQueued});
    submit(file_box, seq, FileRef{name, e.url}, now);
    trim_uploads();
    pump_uploads();
    touch();
  }

  void on(const UploadFailed& e, Millis now) {
    UploadView* u = active_upload(e.upload_id, "UploadFailed");
    if (!u) return;
    u->state = UploadState::kFailed;
    u->error = e.reason;
    upload_progress_at.erase(u->id);
    notice(NoticeCode::kUploadFailed, u->name + ": " + e.reason, now);
    trim_uploads();
    pump_uploads();
  }

  void on(const CancelUpload& e, Millis) {
    UploadView* u = find_upload(e.upload_id);
    if (!u || (u->state != UploadState::kQueued && u->state != UploadState::kUploading)) {
      local_error(LogLevel::kDebug, LocalErrorCode::kUnknownUpload,
                  "CancelUpload for " + std::to_string(e.upload_id) + " that is not active");
      return;
    }
    if (u->state == UploadState::kUploading) emit(AbortUpload{u->id});
    emit(ForgetUpload{u->id});
    upload_progress_at.erase(u->id);
    u->state = UploadState::kCancelled;
    touch();
    trim_uploads();
    pump_uploads();
  }

  void on(const RetryUpload& e, Millis) {
    UploadView* u = find_upload(e.upload_id);
    if (!u || u->state != UploadState::kFailed) {
      local_error(LogLevel::kDebug, LocalErrorCode::kUnknownUpload,
                  "RetryUpload for " + std::to_string(e.upload_id) + " that has not failed");
      return;
    }
    u->state = UploadState::kQueued;
    u->percent = 0;
    u->error.clear();
    touch();
    pump_uploads();
  }

  // An upload that showed no progress for upload_stall_timeout_ms (a dead proxy, a server
  // that stopped reading): aborted, started again by itself upload_auto_retries times (the
  // platform keeps the file), then failed with "stalled" and a Retry that needs no new pick.
  void check_stalled_uploads(Millis now) {
    for (auto& u : view.uploads) {
      if (u.state != UploadState::kUploading) continue;
      auto at = upload_progress_at.find(u.id);
      if (at == upload_progress_at.end() || now < at->second + config.upload_stall_timeout_ms) continue;
      upload_progress_at.erase(at);
      emit(AbortUpload{u.id, /*keep_file=*/true});
      local_error(LogLevel::kWarning, LocalErrorCode::kUnknownUpload,
                  "upload " + std::to_string(u.id) + " stalled: no progress for " +
                      std::to_string(config.upload_stall_timeout_ms) + " ms");
      if (u.attempts <= config.upload_auto_retries) {
        u.state = UploadState::kQueued;
        u.percent = 0;
      } else {
        u.state = UploadState::kFailed;
        u.error = "stalled";
        notice(NoticeCode::kUploadFailed, u.name + ": stalled", now);
      }
      touch();
    }
    pump_uploads();
  }

  // Paging shows and hides tiles; it never closes or re-offers a connection (rule 11).
  void on(const SetVisibleParticipants& e, Millis now) {
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

  void on(const ResumeVideo&, Millis now) {
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

  void on(const ResendLine& r, Millis now) {
    ChatLine* line = find_by_seq(view.chat, r.seq);
    SharedFile* file = line ? nullptr : find_by_seq(view.files, r.seq);
    const bool resendable = line ? line->resendable : file && file->resendable;
    if (!resendable || view.phase == Phase::kLeft) {
      local_error(LogLevel::kDebug, LocalErrorCode::kInvalidInput,
                  "ResendLine for " + std::to_string(r.seq) + ", which cannot be sent again");
      return;
    }
    set_resendable(r.seq, false);
    if (line) {
      chat_box.forget(r.seq);
      submit(chat_box, r.seq, line->text, now);
    } else {
      file_box.forget(r.seq);
      submit(file_box, r.seq, FileRef{file->name, file->url}, now);
    }
    info(LogLevel::kInfo, "own line " + std::to_string(r.seq) + " sent again");
  }

  void on(const MarkChatRead&, Millis) {
    if (view.unread != 0) {
      view.unread = 0;
      touch();
    }
  }

  void on(const SetChatVisible& e, Millis) {
    view.chat_visible = e.visible;
    if (e.visible) view.unread = 0;
    touch();
  }

  void local_tracks_changed() {
    emit(SetLocalMediaEnabled{!view.self.muted, !view.self.camera_off});
    touch();
  }

  void on(const SetMuted& e, Millis) {
    view.self.muted = e.muted;
    local_tracks_changed();
  }

  void on(const SetCameraOff& e, Millis) {
    view.self.camera_off = e.camera_off;
    local_tracks_changed();
  }

  // transport

  bool current_socket(SocketId id, const char* what) {
    if (id != 0 && id == sock_id && sock_state != SocketState::kNone) return true;
    local_error(LogLevel::kDebug, LocalErrorCode::kUnknownSocket,
                std::string(what) + " for socket " + std::to_string(id) + " that is not current");
    return false;
  }

  void on(const SocketOpened& e, Millis now) {
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

  void on(const SocketText& e, Millis now) {
    if (!current_socket(e.socket_id, "SocketText")) return;
    if (sock_state != SocketState::kOpen) return;
    on_frame(e.text, now);
  }

  void on(const SocketClosed& e, Millis now) {
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

  void on(const SocketError& e, Millis now) {
    if (!current_socket(e.socket_id, "SocketError")) return;
    remote_error(LogLevel::kWarning, RemoteErrorCode::kSocketError, "socket error");
    lose_connection(DisconnectCause::kSocketError, "socket error", now, /*already_closed=*/false);
  }

  // media

  void on(const LocalMediaReady&, Millis now) {
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
    if (view.self.muted || view.self.camera_off) local_tracks_changed();
    maybe_publish(now);
    touch();
  }

  void on(const LocalMediaFailed& e, Millis now) {
    if (!media_requested) return;
    media_requested = false;
    view.self.media_ready = false;
    view.self.media_error = e.reason;
    view.self.publish = PublishState::kFailed;  // and watch anyway
    local_error(LogLevel::kWarning, LocalErrorCode::kMediaFailed, e.reason);
    notice(NoticeCode::kCameraUnavailable, e.reason, now);
  }

  Conn* live_conn(ConnId id, const char* what) {
    Conn* c = find_conn(id);
    if (!c)
      local_error(LogLevel::kDebug, LocalErrorCode::kUnknownConn,
                  std::string(what) + " for closed or unknown connection " + std::to_string(id));
    return c;
  }

  void on(const LocalOfferCreated& e, Millis now) {
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
        notice(NoticeCode::kReceiveFailed, std::to_string(owner), now);
      }
      touch();
      return;
    }
    c->offer_sent = true;
    flush_local_candidates(*c);  // rule 3: candidates only after the offer
  }

  void on(const LocalOfferFailed& e, Millis now) {
    if (live_conn(e.conn_id, "LocalOfferFailed")) conn_failed(e.conn_id, "offer: " + e.reason, now);
  }

  void on(const LocalIceCandidate& e, Millis) {
    Conn* c = live_conn(e.conn_id, "LocalIceCandidate");
    if (!c) return;
    if (c->offer_sent) {
      send(protocol::OnIceCandidate{c->owner, e.candidate});
    } else if (c->local_queue.size() < kMaxQueuedLocalCandidates) {
      c->local_queue.push_back(e.candidate);
    }
  }

  void on(const RemoteAnswerApplied& e, Millis) { live_conn(e.conn_id, "RemoteAnswerApplied"); }

  void on(const RemoteAnswerFailed& e, Millis now) {
    if (live_conn(e.conn_id, "RemoteAnswerFailed")) conn_failed(e.conn_id, "answer: " + e.reason, now);
  }

  void on(const PeerStateChanged& e, Millis now) {
    Conn* c = live_conn(e.conn_id, "PeerStateChanged");
    if (!c) return;
    c->state = e.state;
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
          if (ParticipantView* p = find_participant(c->owner)) {
            p->retry_attempts = 0;
            extra(p->id).backoff.reset();
          }
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

  void on(const MediaFlowing& e, Millis) {
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
  void on(const NoMedia& e, Millis now) {
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

  // ---- 7. timers ------------------------------------------------------------------------

  std::optional<Millis> next_timeout() const {
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
    for (const auto& [id, at] : upload_progress_at) consider(at + config.upload_stall_timeout_ms);
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

  void on_timeout(Millis now) {
    expire_echoes(chat_box, now);
    expire_echoes(file_box, now);
    check_stalled_uploads(now);

    // Socket-level timers.
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

    if (view.phase != Phase::kInRoom) return;

    // Per-connection timers (sorted ids: deterministic order).
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
    if (view.rejoins.pending_at && now >= *view.rejoins.pending_at) {
      planned_rejoin(now);
      return;
    }

    flush_queued(now);  // lines waiting for the pace

    // Receive retries (their own backoff) and publish retry.
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
};

// ---- public API -------------------------------------------------------------------------

Session::Session(SessionConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

void Session::handle(const Event& event, Millis now) {
  impl_->clock = now;
  std::visit([&](const auto& e) { impl_->on(e, now); }, event);
  impl_->run_due_rejoin(now);
  if (impl_->changed) {
    impl_->changed = false;
    ++impl_->view.revision;
  }
}

void Session::on_timeout(Millis now) {
  impl_->clock = now;
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
