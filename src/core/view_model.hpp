// The read-only picture of a Session that the UI draws: plain structs, no ImGui, no
// English UI text (codes + details; the UI translates). `revision` increases on every
// change, so a UI can render on demand: redraw when revision differs from the last frame.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/backoff.hpp"
#include "core/events.hpp"

namespace gc::core {

enum class Phase {
  kIdle,          // constructed, no Join yet
  kConnecting,    // first attempt: socket opening
  kJoining,       // first attempt: join sent, waiting for existingParticipants
  kInRoom,        // existingParticipants received
  kReconnecting,  // recovering: waiting for the backoff (reconnect_at) or re-attempting
  kLeft,          // Leave
  kFailed,        // refused by the server; no automatic retry (Join/Retry starts again)
};

// Why we are not (or no longer) in the room. Set in kFailed, and in kReconnecting when
// the cause is known (kServerUnreachable while the socket cannot even be opened).
//
// Decision for "server unreachable": the Session never gives up on its own (a kiosk runs
// for days). An unreachable server gives phase kReconnecting with failure
// kServerUnreachable, a countdown (reconnect_at) and attempt counter; Retry skips the
// countdown; the first attempt that reaches the server clears it.
enum class FailureReason {
  kNone,
  kUserNotFound,       // userNotFound: the user id is unknown (Failed)
  kPermissionDenied,   // permisionDeny: wrong or missing password (Failed)
  kServerUnreachable,  // socket would not open / closed before join (Reconnecting)
  kProtocolError,      // the server did not understand join (Failed)
  kReplaced,           // close 4000: this user joined from another window (Failed, or a
                       // slow retry with replaced_retry_ms, e.g. a kiosk)
};

// Why the current recovery started.
enum class DisconnectCause {
  kNone,
  kSocketClosed,      // the server or network closed the socket
  kSocketError,       // the socket reported an error
  kConnectTimeout,    // the socket did not open within connect_timeout_ms
  kJoinTimeout,       // no existingParticipants within join_timeout_ms
  kLivenessTimeout,   // no frame at all for liveness_timeout_ms
  kServerError,       // the server closed the socket with 1011 (its handler threw)
  kPlannedRejoin,     // the client left on purpose to renegotiate (see RejoinCause)
};

// Why the client rejoined on purpose (PROTOCOL.md rules 6 and 11): a negotiated endpoint
// cannot be offered again, so media that failed or stalled, and video that did not fit under
// the stream cap, come back only through a new socket and a new join.
enum class RejoinCause {
  kNone,
  kStalledVideo,    // a participant's video stopped after it flowed (>= stall timeout)
  kReceiveFailed,   // a receive connection failed after its offer went out
  kPublishFailed,   // our send connection failed after its offer went out
  kTooManyStreams,  // tiles over max_live_subscriptions asked for video (user, or kiosk)
  kServerError,     // the server closed the socket with 1011
  kUserRetry,       // Retry on a failed tile whose owner was already negotiated
};

struct RejoinCounts {
  int count = 0;                            // rejoins done since the Session was created
  RejoinCause last_cause = RejoinCause::kNone;
  std::optional<Millis> pending_at;         // a planned rejoin is due at this time
  RejoinCause pending_cause = RejoinCause::kNone;
};

enum class PublishState {
  kNone,         // not joined yet
  kStarting,     // waiting for camera, offer or ICE
  kLive,         // send connection connected
  kFailed,       // camera denied / unavailable, or send connection failed for good
  kReceiveOnly,  // kiosk: config.publish == false
};

enum class TileState {
  kConnecting,  // receive connection being set up
  kLive,        // remote video decoding
  kNoMedia,     // connected but no video (camera off / audio only / no frames yet)
  kFailed,      // gave up after receive_max_attempts; Retry or a re-announcement retries
  kRetrying,    // waiting for its own backoff before a fresh receiveVideoFrom
  kPaused,      // not subscribed yet: never on screen nor prefetched (SetVisibleParticipants)
  kCapped,      // on screen, but max_live_subscriptions are live: "video paused (too many
                // streams)" until ResumeVideo (or, in a kiosk, automatically) rejoins
};

enum class ChatStatus {
  kQueued,   // typed while not in the room; sent after rejoin
  kPending,  // sent, waiting for the echo (or the echo timeout)
  kSent,     // echoed, timed out waiting for an echo, or someone else's line
  kNotSent,  // queued, then Leave or a join into another room/user: never sent anywhere
  kNotConfirmed,  // sent to a server that echoes (rule 7), but no echo came within the
                  // echo timeout: it may have been dropped; ResendLine sends it again
};

enum class UploadState { kQueued, kUploading, kDone, kFailed, kCancelled };

// Why local media failed: refused (NotAllowedError / SecurityError: the user, the site's
// permissions or the page's policy; asking again will not help), or not available.
enum class MediaFailure { kNone, kDenied, kUnavailable };

// Why an upload failed. kTooLarge (HTTP 413) cannot succeed by retrying the same file.
enum class UploadError { kNone, kFailed, kTooLarge, kStalled, kAnnouncementTooLarge };

enum class NoticeCode {
  kCameraUnavailable,   // detail: getUserMedia error
  kConnectionLost,      // detail: cause
  kReconnected,
  kServerUnreachable,
  kRefused,             // userNotFound / permisionDeny; detail: which
  kGarbageFromServer,   // undecodable or oversized frame; detail: decode error text
  kReceiveFailed,       // a participant's receive connection failed; detail: user id
  kPublishFailed,       // own send connection failed
  kUploadFailed,        // detail: reason
  kRejoining,           // a planned rejoin started; detail: to_string(RejoinCause)
  kChatSplit,           // a long chat line went out as parts; detail: number of parts
  kScreenShareFailed,   // getDisplayMedia failed; media: kDenied (cancelled / not allowed)
                        // or kUnavailable; detail: the browser's words
  kScreenShareUnavailable,  // no send connection to share on (rule 11: no second offer);
                            // detail: to_string(PublishState)
};

struct Notice {
  std::uint64_t id = 0;  // increasing; the UI can show each once
  NoticeCode code = NoticeCode::kConnectionLost;
  std::string detail;  // for logs and state(); the UI reads the typed fields below
  Millis time = 0;
  UserId user = 0;                                  // kReceiveFailed: whose video
  MediaFailure media = MediaFailure::kNone;         // kCameraUnavailable: why
  UploadError upload = UploadError::kNone;          // kUploadFailed: why
  std::optional<RejoinCause> rejoin_cause;          // kRejoining: why
  int parts = 0;                                    // kChatSplit: how many lines
};

// Screen sharing (SetScreenShare): kStarting while the browser's picker is open.
enum class ScreenShare { kOff, kStarting, kOn };

struct SelfView {
  UserId id = 0;
  PublishState publish = PublishState::kNone;
  ConnId conn_id = 0;  // send connection, 0 when none
  bool muted = false;
  bool camera_off = false;
  bool media_ready = false;  // local tracks are available
  std::string media_error;   // why local media failed, if it did (the browser's words)
  MediaFailure media_failure = MediaFailure::kNone;
  ScreenShare screen = ScreenShare::kOff;  // kOn: the send connection carries the screen
};

// Video that flowed and then stopped (FlowMonitor, NoMedia): `detected` when it stopped,
// `acted` when it stayed stopped for stalled_media_timeout_ms and was recovered.
struct StallCounts {
  int detected = 0;
  int acted = 0;
};

struct ParticipantView {
  UserId id = 0;
  std::string name;
  std::string prefix;
  std::string postfix;
  TileState tile = TileState::kConnecting;
  ConnId conn_id = 0;        // current receive connection, 0 when none
  bool subscribed = false;   // a receive connection exists (or is being retried)
  bool visible = true;       // in the UI's visible set (hidden tiles keep their connection)
  bool prefetch = false;     // in the UI's prefetch set (the next page)
  bool negotiated = false;   // receiveVideoFrom went out for them on this socket (rule 11)
  int retry_attempts = 0;    // consecutive receive failures
  std::optional<Millis> retry_at;  // when the next receive attempt starts (kRetrying)
  StallCounts stalls;              // this participant's video, since they were announced
};

struct ChatLine {
  std::uint64_t seq = 0;  // increasing, unique per session
  UserId sender = 0;
  bool is_self = false;
  std::string text;
  Millis time = 0;
  ChatStatus status = ChatStatus::kSent;
  bool truncated = false;  // someone else's line over max_received_chat_bytes, cut, ending in "…"
  bool resendable = false;  // kNotConfirmed in the current room: ResendLine may send it again
};

struct SharedFile {
  std::uint64_t seq = 0;
  UserId uploader = 0;
  bool is_self = false;
  std::string name;
  std::string url;
  bool linkable = false;  // only http:, https: or a relative path (PROTOCOL.md rule 9)
  Millis time = 0;
  ChatStatus status = ChatStatus::kSent;  // own announcements: queued/pending until echo
  bool resendable = false;  // kNotConfirmed in the current room: ResendLine may send it again
};

struct UploadView {
  UploadId id = 0;
  std::string name;
  std::uint64_t size = 0;
  UploadState state = UploadState::kQueued;
  int percent = 0;    // 0 .. 100
  std::string error;  // reason when kFailed ("stalled": no progress for upload_stall_timeout_ms)
  UploadError failure = UploadError::kNone;  // the same, typed
  int attempts = 0;   // transfers started (a stalled one is retried once by itself)
};

struct ViewModel {
  std::uint64_t revision = 0;
  Phase phase = Phase::kIdle;
  FailureReason failure = FailureReason::kNone;
  DisconnectCause disconnect_cause = DisconnectCause::kNone;
  std::string detail;                  // readable detail of failure / disconnect
  std::optional<Millis> reconnect_at;  // countdown target while waiting to reconnect
  int reconnect_attempts = 0;          // attempts in the current recovery
  RoomId room = 0;
  SelfView self;
  std::vector<ParticipantView> participants;  // join order, never self
  std::deque<ChatLine> chat;                  // oldest first, at most chat_history_cap
  int unread = 0;
  bool chat_visible = false;
  std::deque<SharedFile> files;  // oldest first, at most file_history_cap
  std::vector<UploadView> uploads;  // queue order
  std::deque<Notice> notices;       // newest last, at most notice_cap
  StallCounts stalls;               // every participant's, since the Session was created
  RejoinCounts rejoins;             // planned rejoins (rules 6, 11)
  // receiveVideoFrom that would have repeated an owner on one socket and were stopped
  // (rule 11). Must stay 0: anything else is a bug in the subscription policy.
  int resubscribes = 0;
  std::size_t live_subscriptions = 0;  // receive connections open now

  const ParticipantView* find(UserId id) const {
    for (const auto& p : participants)
      if (p.id == id) return &p;
    return nullptr;
  }
};

const char* to_string(Phase phase);
const char* to_string(FailureReason reason);
const char* to_string(DisconnectCause cause);
const char* to_string(RejoinCause cause);
const char* to_string(PublishState state);
const char* to_string(TileState state);
const char* to_string(ChatStatus status);
const char* to_string(UploadState state);
const char* to_string(MediaFailure failure);
const char* to_string(UploadError error);
const char* to_string(ScreenShare share);
const char* to_string(NoticeCode code);

}  // namespace gc::core
