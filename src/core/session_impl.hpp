// The Session's state and the declarations of its transitions, shared by the files that
// define them (private to src/core; include only from session*.cpp):
//   session.cpp             the transitions: join, leave, server messages, timer dispatch
//   session_connection.cpp  the socket: attempts, loss and backoff, refusal, replacement
//   session_media.cpp       publishing, subscriptions (rule 11), planned rejoins, media events
//   session_chat.cpp        chat lines, file announcements (EchoOutbox, pacing), and the
//                           UploadQueue's effects carried out
#pragma once

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/backoff.hpp"
#include "core/echo_outbox.hpp"
#include "core/session.hpp"
#include "core/upload_queue.hpp"
#include "protocol/codec.hpp"

namespace gc::core {

namespace session_detail {
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

inline std::uint64_t mix(std::uint64_t x) {
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

// Rule 12: the parts of a chat line whose sendMessage frames fit max_frame (session_chat.cpp).
std::vector<std::string> split_chat(const std::string& text, std::size_t max_frame);
// Cuts text to at most max bytes on a code point boundary, ending in "…"; true if cut.
bool clip_utf8(std::string& text, std::size_t max);
// The same cut, copying only the bytes kept; *cut (if given) says whether it cut.
std::string clipped_utf8(std::string_view text, std::size_t max, bool* cut);

}  // namespace session_detail

using session_detail::Conn;
using session_detail::FileRef;
using session_detail::RemoteExtra;
using session_detail::SocketState;
using session_detail::clip_utf8;
using session_detail::clipped_utf8;
using session_detail::find_by_seq;
using session_detail::kMaxQueuedLocalCandidates;
using session_detail::kMaxQueuedRemoteCandidates;
using session_detail::mix;
using session_detail::split_chat;

struct Session::Impl {
  explicit Impl(SessionConfig c)
      : config(sanitized(std::move(c))),
        reconnect_backoff(config.reconnect_backoff, config.seed),
        publish_backoff(config.receive_backoff, mix(config.seed ^ 0x5e1f)),
        uploads(UploadQueue::Limits{config.upload_history_cap, config.upload_stall_timeout_ms,
                                    config.upload_auto_retries}) {
    view.room = config.room;
    view.self.id = config.user_id;
    view.chat_visible = false;
  }

  // Timers of zero or less would fire forever at the same instant.
  static SessionConfig sanitized(SessionConfig c);

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

  // uploads: the queue's items are mirrored in view.uploads
  UploadQueue uploads;

  // ---- output helpers -------------------------------------------------------------------

  void touch() { changed = true; }
  void emit(Command c) { out.push_back(std::move(c)); }
  void info(LogLevel level, std::string text) { emit(Log{level, Info{std::move(text)}}); }
  void remote_error(LogLevel level, RemoteErrorCode code, std::string detail);
  void local_error(LogLevel level, LocalErrorCode code, std::string detail);
  // A new notice, for the caller to fill in its typed fields.
  Notice& notice(NoticeCode code, std::string detail, Millis now);
  bool send(const protocol::ClientMessage& msg);
  void set_phase(Phase p);
  ParticipantView* find_participant(UserId id);
  Conn* find_conn(ConnId id);
  Conn* conn_of_owner(UserId owner);
  RemoteExtra& extra(UserId id);
  // A participant's receive connection worked, or the user asked again: retries start over.
  void reset_receive_backoff(ParticipantView& p) {
    p.retry_attempts = 0;
    extra(p.id).backoff.reset();
  }
  bool is_visible(UserId id) const { return !visible || visible->count(id) > 0; }

  // ---- connection lifecycle (session_connection.cpp) -----------------------------------

  void try_start_attempt(Millis now);
  void start_attempt(Millis now);
  void drop_socket(Millis now, bool already_closed);
  void close_conn(ConnId id);
  void close_all_peers();
  void lose_connection(DisconnectCause cause, const std::string& detail, Millis now,
                       bool already_closed, bool immediate = false);
  void shut_down(Millis now);
  void replaced(const std::string& detail, Millis now);
  void fail(FailureReason reason, const std::string& detail, Millis now);
  void begin(Millis now);
  void enter_room(const std::vector<protocol::Participant>& list, Millis now);

  // ---- media (session_media.cpp) --------------------------------------------------------

  Conn& new_conn(UserId owner, Direction dir, Millis now);
  void maybe_publish(Millis now);
  void request_media();

  // ---- subscriptions (rule 11) ----
  //
  // An owner is offered at most once per socket: subscribe() refuses an owner already in
  // `offered`. A participant is subscribed the first time they are on screen or prefetched
  // and kept until they leave; hidden tiles keep their connection. At most
  // max_live_subscriptions receive connections are open: on-screen tiles beyond it are
  // kCapped, and only a planned rejoin (which starts from what is on screen) shows them.

  bool wanted(const ParticipantView& p) const { return p.visible || p.prefetch; }
  bool subscriptions_allowed() const;
  std::size_t live_receive_conns() const;
  void count_live();
  bool subscribe(ParticipantView& p, Millis now);
  void subscribe_wanted(Millis now);

  // ---- planned rejoin (rules 6, 11) ----

  void request_rejoin(RejoinCause cause, UserId owner, Millis now);
  void cancel_rejoin();
  void owner_recovered(UserId owner);
  void run_due_rejoin(Millis now);
  void planned_rejoin(Millis now);
  void conn_failed(ConnId id, const std::string& why, Millis now);
  void flush_local_candidates(Conn& c);
  void flush_remote_candidates(Conn& c);
  ParticipantView* upsert_participant(const protocol::Participant& wire, Millis now,
                                      bool subscribe_now);
  void remove_participant(UserId id, Millis now);

  // ---- chat, files and uploads (session_chat.cpp) ---------------------------------------

  void push_chat(ChatLine line);
  void push_file(SharedFile f);
  bool within_rate(Millis now);
  bool paced() const {
    return config.chat_rate_count > 0 && static_cast<int>(rate_sent.size()) >= config.chat_rate_count;
  }
  ChatStatus* status_of(std::uint64_t seq);
  void set_status(std::uint64_t seq, ChatStatus status);
  void set_resendable(std::uint64_t seq, bool resendable);
  bool transmit(const std::string& text) { return send(protocol::SendMessage{text}); }
  bool transmit(const FileRef& f) { return send(protocol::UploadSuccess{f.name, f.url}); }
  std::size_t history_cap(const EchoOutbox<std::string>&) const { return config.chat_history_cap; }
  std::size_t history_cap(const EchoOutbox<FileRef>&) const { return config.file_history_cap; }
  template <class P>
  void send_now(EchoOutbox<P>& box, std::uint64_t seq, P payload, Millis now);
  template <class P>
  void submit(EchoOutbox<P>& box, std::uint64_t seq, P payload, Millis now);
  template <class P, class Items, class Payload>
  void requeue_pending(EchoOutbox<P>& box, Items& items, Payload payload_of);
  void requeue_unconfirmed();
  void abandon_queued(const char* why);
  template <class P>
  void flush(EchoOutbox<P>& box, Millis now);
  void flush_queued(Millis now);
  template <class P>
  bool merge_echo(EchoOutbox<P>& box, const P& echoed, Millis now);
  template <class P>
  void expire_echoes(EchoOutbox<P>& box, Millis now);
  void on_chat(const protocol::ReceiveTextMessage& m, Millis now);
  void on_file(const protocol::FileUploaded& m, Millis now);

  // uploads: what the queue asks for, done in order; its items copied to the view
  void apply(UploadQueue::Effects fx, Millis now);
  void announce_upload(const UploadQueue::Announce& a, Millis now);

  // ---- transitions (session.cpp) --------------------------------------------------------

  void on_frame(const std::string& text, Millis now);
  bool awaiting_join_answer() const;
  void unexpected(const char* type, const std::string& why);
  void on_message(const protocol::UserNotFound&, Millis now);
  void on_message(const protocol::PermissionDenied&, Millis now);
  void on_message(const protocol::ExistingParticipants& m, Millis now);
  void on_message(const protocol::NewParticipantArrived& m, Millis now);
  void on_message(const protocol::ParticipantLeft& m, Millis now);
  void on_message(const protocol::ReceiveVideoAnswer& m, Millis);
  void on_message(const protocol::RemoteIceCandidate& m, Millis);
  void on_message(const protocol::ReceiveTextMessage& m, Millis now);
  void on_message(const protocol::FileUploaded& m, Millis now);
  void on_message(const protocol::UnrecognizedMessage&, Millis now);
  bool idle_like() const;
  void apply_overrides(const Join& j);
  void on(const Join& j, Millis now);
  void on(const Retry&, Millis now);
  void on(const Leave&, Millis now);
  std::optional<Millis> next_timeout() const;
  void on_timeout(Millis now);

  // ---- events, by the file that handles them ---------------------------------------------

  // transport (session_connection.cpp)
  bool current_socket(SocketId id, const char* what);
  void on(const SocketOpened& e, Millis now);
  void on(const SocketText& e, Millis now);
  void on(const SocketClosed& e, Millis now);
  void on(const SocketError& e, Millis now);
  void socket_timers(Millis now);

  // media (session_media.cpp)
  void on(const SetVisibleParticipants& e, Millis now);
  void on(const ResumeVideo&, Millis now);
  void local_tracks_changed();
  void on(const SetMuted& e, Millis);
  void on(const SetCameraOff& e, Millis);
  void on(const SetScreenShare& e, Millis now);
  void on(const ScreenShareStarted&, Millis);
  void on(const ScreenShareFailed& e, Millis now);
  void on(const ScreenShareEnded&, Millis);
  void stop_screen_share();
  void on(const LocalMediaReady&, Millis now);
  void on(const LocalMediaFailed& e, Millis now);
  Conn* live_conn(ConnId id, const char* what);
  void on(const LocalOfferCreated& e, Millis now);
  void on(const LocalOfferFailed& e, Millis now);
  void on(const LocalIceCandidate& e, Millis);
  void on(const RemoteAnswerApplied& e, Millis) { live_conn(e.conn_id, "RemoteAnswerApplied"); }
  void on(const RemoteAnswerFailed& e, Millis now);
  void on(const PeerStateChanged& e, Millis now);
  void on(const MediaFlowing& e, Millis);
  void on(const NoMedia& e, Millis now);
  void connection_timers(Millis now);
  void retry_timers(Millis now);

  // chat, files and uploads (session_chat.cpp)
  void on(const SendChat& c, Millis now);
  void on(const ResendLine& r, Millis now);
  void on(const MarkChatRead&, Millis);
  void on(const SetChatVisible& e, Millis);
  void on(const QueueUpload& e, Millis now) { apply(uploads.on(e, now), now); }
  void on(const UploadProgress& e, Millis now) { apply(uploads.on(e, now), now); }
  void on(const UploadFinished& e, Millis now);
  void on(const UploadFailed& e, Millis now) { apply(uploads.on(e, now), now); }
  void on(const CancelUpload& e, Millis now) { apply(uploads.on(e, now), now); }
  void on(const RetryUpload& e, Millis now) { apply(uploads.on(e, now), now); }
  void chat_timers(Millis now);
};

}  // namespace gc::core
