// Session: the sans-IO groupcall client state machine (shared/PROTOCOL.md rules 1-12).
//
// No sockets, browser objects, clocks or threads: the caller feeds events and the current
// time, executes the commands the Session queues, and wakes it at next_timeout().
// Deterministic: the same config (incl. seed), events and times give the same commands.
//
// How to drive it (quinn-proto style):
//   Session s(config);
//   s.handle(Join{}, now);                       // user intent
//   for (auto& c : s.take_commands()) run(c);    // after every handle/on_timeout
//   ... on a socket/peer/upload callback: s.handle(SocketText{id, text}, now), run commands
//   ... when now >= *s.next_timeout():    s.on_timeout(now), run commands
//   ... draw when s.view().revision changed.
// next_timeout() may change after every handle/on_timeout: re-arm the timer each time.
// Calling on_timeout early is harmless (nothing due, nothing happens).
//
// The transitions live in session.cpp (join, leave, server messages, timers) and, by
// concern, session_connection.cpp, session_media.cpp and session_chat.cpp, over one state
// declared in the private session_impl.hpp. Events, commands and the view model are
// declared in events.hpp, commands.hpp and view_model.hpp.
//
// Decisions where PROTOCOL.md is silent
//  - Phases: Idle -Join-> Connecting -SocketOpened/join sent-> Joining -existingParticipants->
//    InRoom. Any loss (socket closed/error, connect/join/liveness timeout) -> Reconnecting,
//    which re-attempts with backoff until InRoom again; it never gives up by itself. The
//    first attempt failing to reach the server is Reconnecting + FailureReason
//    kServerUnreachable (a countdown plus Retry), not Failed.
//  - Failed (no automatic retry) only when the server refuses: userNotFound,
//    permisionDeny, or unrecognizedMessage as the answer to join (kProtocolError: the
//    server does not speak this protocol). Join{password=...} or Retry starts again.
//  - Backoff restarts from its initial delay only after backoff_stable_ms in the room, so
//    a server that accepts and drops at once is not hammered every 500 ms.
//  - Heartbeats (rule 8) are sent only in the room; any frame, even an undecodable one,
//    counts as liveness.
//  - Own chat lines and file announcements: Queued ones (not in the room) are sent after
//    the rejoin. Ones still Pending (sent, not yet echoed) at a socket loss may never have
//    reached the server, so they go back to the queue ahead of anything typed since and
//    are re-sent after the rejoin: nothing typed is lost, at the cost of a duplicate for
//    the others if the server had relayed one whose echo was lost. An own-id echo merges
//    with the oldest unechoed own line of identical text sent within echo_match_window_ms;
//    otherwise it is shown as ours (another tab of the same user). A Pending line whose
//    echo does not come within chat_echo_timeout_ms becomes Sent while this server has
//    never echoed (rule 7 allows a server that does not), and NotConfirmed once it has: a
//    server that echoes and stays silent may have dropped the line (a rate limit), so it
//    is never shown as sent; ResendLine sends it again. A late echo still confirms it.
//    Sending goes at the client's own pace (chat_rate_count per chat_rate_window_ms).
//    Own lines live in one EchoOutbox per kind (echo_outbox.hpp).
//  - Rule 11, negotiate once: each owner (ourselves included) is offered at most once per
//    socket; only a participantLeft for them, or a new socket, allows another offer. The
//    Session never asks for a repeat, and send() refuses one anyway (counted in
//    view().resubscribes, which must stay 0).
//  - Subscriptions are lazy and kept: an owner is subscribed the first time their tile is
//    on screen or prefetched (SetVisibleParticipants), on screen first, up to
//    max_live_subscriptions; the connection stays until they leave. Paging only shows and
//    hides. On-screen tiles over the cap are kCapped until ResumeVideo (or, with
//    auto_resume_video, by themselves) start a planned rejoin that subscribes what is on
//    screen then. With wait_for_visible_set nobody is subscribed before the first
//    SetVisibleParticipants (no speculative offers).
//  - Recovery of media is a planned rejoin (rules 6, 11): a receive or publish connection
//    that failed after its offer went out (ICE failed, not connected within
//    peer_setup_timeout_ms, "disconnected" for disconnected_grace_ms, answer failed), or
//    whose video stalled for stalled_media_timeout_ms after flowing, asks for one. It runs
//    at once the first time and at most once per rejoin_min_interval_ms after that, and is
//    called off when every owner it was for recovers or leaves first. An owner whose media
//    failed through max_rejoins_per_owner rejoins in a row is left kFailed (Retry rejoins
//    for them). A connection whose offer never went out (LocalOfferFailed) is retried
//    locally after its own backoff. A planned rejoin keeps chat, files, uploads, the
//    participant list and the visible set; phase kReconnecting with cause kPlannedRejoin.
//  - A socket closed with 1011 while in the room (the server's handler threw) rejoins at
//    once with a notice; a second one soon after backs off like any loss.
//  - Rule 12: no frame over max_send_frame_bytes is sent. A longer chat line is split into
//    ordered parts that fit (each its own line, a kChatSplit notice); an offer, a file
//    announcement or a join that cannot fit fails with a LocalError kFrameTooLarge.
//  - Rule 5: a re-announcement replaces the details and never re-offers.
//  - Queued own lines and file announcements belong to the server, room and user they were
//    typed for: Leave, or a Join with another room or user, marks them kNotSent instead of
//    sending them elsewhere.
//  - A close with 4000 (the same user joined elsewhere) is not a connection loss: Failed
//    with kReplaced (Retry = "use here"), or with replaced_retry_ms a slow retry.
//  - Peer connections exist only in the room.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/backoff.hpp"
#include "core/commands.hpp"
#include "core/events.hpp"
#include "core/view_model.hpp"

namespace gc::core {

struct SessionConfig {
  std::string server_url;  // e.g. "wss://host:8443/groupcall"
  RoomId room = 0;
  UserId user_id = 0;
  std::string password;  // "" = no pw field
  bool publish = true;   // false: receive-only kiosk, never asks for the camera

  Millis connect_timeout_ms = 10000;  // socket must open within this
  Millis join_timeout_ms = 10000;     // existingParticipants must arrive within this
  Millis close_wait_ms = 3000;  // wait this long for the old socket's close, then open anyway
  Millis heartbeat_interval_ms = 25000;  // rule 8 probe while in the room
  Millis liveness_timeout_ms = 60000;    // no frame at all for this long -> reconnect

  BackoffConfig reconnect_backoff{500, 30000, 2.0, 0.2};
  Millis backoff_stable_ms = 10000;  // in the room this long -> the next loss starts at initial
  BackoffConfig receive_backoff{1000, 30000, 2.0, 0.2};  // per failed receive connection
  int receive_max_attempts = 8;  // consecutive failures before TileState::kFailed; 0 = never
  Millis disconnected_grace_ms = 8000;  // ICE "disconnected" this long counts as failed
  Millis no_media_timeout_ms = 10000;   // connected but no MediaFlowing -> TileState::kNoMedia
  Millis stalled_media_timeout_ms = 10000;  // video that flowed, then NoMedia this long -> rejoin
  Millis peer_setup_timeout_ms = 20000;  // a connection not connected by then has failed

  std::size_t chat_history_cap = 2000;
  std::size_t file_history_cap = 500;
  std::size_t notice_cap = 32;
  std::size_t upload_history_cap = 100;  // finished uploads kept in the view
  Millis upload_stall_timeout_ms = 30000;  // an upload with no progress this long is stalled
  int upload_auto_retries = 1;             // a stalled upload starts again this often by itself
  Millis chat_echo_timeout_ms = 5000;    // own pending line becomes Sent without an echo
  // The client's own pace for sendMessage + uploadSuccess, under the server's rate limit
  // (the reference server drops what goes over 20 per 10 s and says nothing): at most
  // chat_rate_count in any chat_rate_window_ms; the rest waits in the queue, in order. The
  // window has half a second of margin for frames that arrive closer than they were sent.
  int chat_rate_count = 20;
  Millis chat_rate_window_ms = 10500;
  Millis echo_match_window_ms = 60000;   // an echo may match own lines at most this old

  // Subscriptions (rule 11). At most this many receive connections are open; tiles on
  // screen beyond it show TileState::kCapped until ResumeVideo (0 = no cap).
  std::size_t max_live_subscriptions = 25;
  bool auto_resume_video = false;  // kiosk: a capped tile on screen rejoins by itself
  // Until the first SetVisibleParticipants nobody is subscribed (no speculative offers);
  // false: everyone counts as visible until then (tests, headless use).
  bool wait_for_visible_set = false;
  Millis rejoin_min_interval_ms = 30000;
  // A close with 4000 (this user joined from another window): 0 = Failed with
  // FailureReason::kReplaced until the user chooses "use here" (Retry); > 0 = try again
  // after this long (a kiosk: 60000), so two windows never kick each other in a loop.
  Millis replaced_retry_ms = 0;  // automatic planned rejoins at most this often
  // An owner whose media failed or stalled through this many planned rejoins in a row,
  // without video in between, is left failed (Retry tries again) instead of rejoining.
  int max_rejoins_per_owner = 3;

  std::size_t max_frame_bytes = 1024 * 1024;  // largest frame accepted from the server
  // Largest frame sent (rule 12: Tomcat closes with 1009 above 8 KiB). A longer chat line
  // is split into parts that fit; any other frame that cannot fit is not sent (LocalError).
  std::size_t max_send_frame_bytes = 8192;
  std::size_t max_chat_bytes = 16 * 1024;  // longer chat input is refused (LocalError)
  // What others send is bounded too (issue 11 item 6): a received line is cut to this many
  // bytes with a visible "…", the whole history to max_chat_memory_bytes (oldest lines go
  // first), names to max_name_bytes per part, file names and URLs to their caps (a cut URL
  // is never a link).
  std::size_t max_received_chat_bytes = 16 * 1024;
  std::size_t max_chat_memory_bytes = 8 * 1024 * 1024;
  std::size_t max_name_bytes = 256;
  std::size_t max_file_name_bytes = 1024;
  std::size_t max_file_url_bytes = 8 * 1024;
  std::uint64_t seed = 0;   // jitter; same seed -> same delays
  bool log_traffic = false;  // Log(kDebug) every frame in and out
};

class Session {
 public:
  explicit Session(SessionConfig config);
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Feed one input. `now` must not go backwards between calls.
  void handle(const Event& event, Millis now);
  // Fire everything due at `now`.
  void on_timeout(Millis now);
  // The earliest time on_timeout must be called, if any timer is armed.
  std::optional<Millis> next_timeout() const;
  // Commands queued since the last call, in execution order.
  std::vector<Command> take_commands();
  bool has_commands() const;

  const ViewModel& view() const;
  const SessionConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gc::core
