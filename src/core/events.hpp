// Inputs of the Session: everything the outside world tells it, as plain values.
//
// Three families, all fed through Session::handle(event, now):
//  - user intents from the UI (join, chat, upload lifecycle, leave, paging, mute...);
//  - transport events from the WebSocket bridge, tagged with the socket_id the Session
//    chose in OpenSocket (events for any other socket are ignored);
//  - media events from the peer-connection / getUserMedia bridges, tagged with the conn_id
//    the Session chose in CreatePeer (events for a closed or unknown conn_id are ignored,
//    so a late callback from a torn-down RTCPeerConnection is harmless).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/backoff.hpp"  // Millis
#include "protocol/messages.hpp"

namespace gc::core {

using UserId = protocol::UserId;
using RoomId = protocol::RoomId;
using IceCandidate = protocol::IceCandidate;
using SocketId = std::uint64_t;  // chosen by the Session, monotonic, never reused; 0 = none
using ConnId = std::uint64_t;    // chosen by the Session, monotonic, never reused; 0 = none
using UploadId = std::uint64_t;  // chosen by the caller (the upload bridge / UI)

enum class PeerState { kNew, kConnecting, kConnected, kDisconnected, kFailed, kClosed };

// ---- user intents ----------------------------------------------------------------------

// Start (or restart after Failed/Left) a session. Each override replaces the configured
// value for this and later attempts: this is how "retry with the right password" works
// without a reload. Ignored (with a LocalError log) while already connecting or in a room.
struct Join {
  std::optional<RoomId> room;
  std::optional<UserId> user_id;
  std::optional<std::string> password;
};
// Failed: join again with the current credentials. Reconnecting: skip the countdown.
// InRoom: re-subscribe tiles in state Failed and re-publish if publishing failed.
struct Retry {};
// Close the socket and every peer, release the camera; phase Left.
struct Leave {};
// Show a chat line at once (pending); sent now if in the room, else queued until rejoin.
struct SendChat {
  std::string text;
};
// Upload lifecycle. The platform owns the file bytes keyed by upload_id; the Session
// decides when to start (one upload at a time, in queue order) via StartUpload.
struct QueueUpload {
  UploadId upload_id = 0;
  std::string name;
  std::uint64_t size = 0;
};
struct UploadProgress {
  UploadId upload_id = 0;
  std::uint64_t sent = 0;
  std::uint64_t total = 0;
};
// The file server accepted the file at `url`: the Session announces it with uploadSuccess.
struct UploadFinished {
  UploadId upload_id = 0;
  std::string url;
};
struct UploadFailed {
  UploadId upload_id = 0;
  std::string reason;
  bool too_large = false;  // the file server said 413: retrying the same file cannot help
};
struct CancelUpload {
  UploadId upload_id = 0;
};
// A failed upload is queued again with the same file (no second pick).
struct RetryUpload {
  UploadId upload_id = 0;
};
// The tiles on screen (`ids`) and the ones about to be (`prefetch`: the next page). A
// participant is subscribed the first time they are in either set, on screen first, up to
// max_live_subscriptions; the connection is then kept until they leave (rule 11: an owner
// is offered once per join), so paging only shows and hides videos. std::nullopt (the
// default before any call) means everyone.
struct SetVisibleParticipants {
  std::optional<std::vector<UserId>> ids;
  std::vector<UserId> prefetch = {};
};
// Tiles paused over the stream cap (TileState::kCapped) should show video: rejoin, then
// subscribe to what is on screen now.
struct ResumeVideo {};
// An own chat line or file announcement that is not confirmed (ChatStatus::kNotConfirmed,
// `resendable`) goes out again, in the same room, paced like any other line.
struct ResendLine {
  std::uint64_t seq = 0;
};
struct MarkChatRead {};
// While the chat is visible, incoming lines do not count as unread.
struct SetChatVisible {
  bool visible = false;
};
struct SetMuted {
  bool muted = false;
};
struct SetCameraOff {
  bool camera_off = false;
};
// Share the screen in place of the camera (true), or bring the camera back (false). The
// screen goes out on the send connection that exists, its video track swapped in place
// (replaceTrack): rule 11 allows no second offer, so without a send connection (receive
// only, camera and microphone refused, publishing failed) there is nothing to share on and
// a notice says so.
struct SetScreenShare {
  bool sharing = false;
};

// ---- transport (WebSocket bridge) ------------------------------------------------------

struct SocketOpened {
  SocketId socket_id = 0;
};
struct SocketText {
  SocketId socket_id = 0;
  std::string text;
};
// Also expected after the Session itself asked for CloseSocket (the browser fires
// onclose); if it never comes, the Session stops waiting after close_wait_ms.
struct SocketClosed {
  SocketId socket_id = 0;
  int code = 0;
  std::string reason;
};
struct SocketError {
  SocketId socket_id = 0;
};

// ---- media (getUserMedia / RTCPeerConnection bridges) -----------------------------------

struct LocalMediaReady {
  bool has_audio = true;
  bool has_video = true;
};
struct LocalMediaFailed {
  std::string reason;   // e.g. "NotAllowedError: Permission denied"
  bool denied = false;  // refused (NotAllowedError / SecurityError), not unavailable
};
// createOffer + setLocalDescription succeeded for conn_id.
struct LocalOfferCreated {
  ConnId conn_id = 0;
  std::string sdp;
};
struct LocalOfferFailed {
  ConnId conn_id = 0;
  std::string reason;
};
// onicecandidate for conn_id (an empty candidate string is end-of-candidates).
struct LocalIceCandidate {
  ConnId conn_id = 0;
  IceCandidate candidate;
};
struct RemoteAnswerApplied {
  ConnId conn_id = 0;
};
struct RemoteAnswerFailed {
  ConnId conn_id = 0;
  std::string reason;
};
// RTCPeerConnection.connectionState (or iceConnectionState) changed.
struct PeerStateChanged {
  ConnId conn_id = 0;
  PeerState state = PeerState::kNew;
};
// The remote video of conn_id is decoding (first frame / video "playing").
struct MediaFlowing {
  ConnId conn_id = 0;
};
// The remote track of conn_id stopped (muted/ended) or never produced a frame. `since`:
// when its last frame arrived, if the platform knows (a stall is reported some time after
// the video stopped; the stall timeout counts from here, not from the report).
struct NoMedia {
  ConnId conn_id = 0;
  std::optional<Millis> since = std::nullopt;
};
// getDisplayMedia (StartScreenShare) gave a screen, or failed: `denied` when the user
// cancelled the picker or the page may not capture (NotAllowedError), else unavailable.
struct ScreenShareStarted {};
struct ScreenShareFailed {
  std::string reason;
  bool denied = false;
};
// The shared screen's track ended by itself: the browser's own "Stop sharing", or the
// shared window closed.
struct ScreenShareEnded {};

using Event = std::variant<
    // user
    Join, Retry, Leave, SendChat, QueueUpload, UploadProgress, UploadFinished, UploadFailed,
    CancelUpload, RetryUpload, SetVisibleParticipants, ResumeVideo, ResendLine, MarkChatRead, SetChatVisible, SetMuted, SetCameraOff,
    SetScreenShare,
    // transport
    SocketOpened, SocketText, SocketClosed, SocketError,
    // media
    LocalMediaReady, LocalMediaFailed, LocalOfferCreated, LocalOfferFailed, LocalIceCandidate,
    RemoteAnswerApplied, RemoteAnswerFailed, PeerStateChanged, MediaFlowing, NoMedia,
    ScreenShareStarted, ScreenShareFailed, ScreenShareEnded>;

const char* to_string(PeerState state);
// Name of the event's type, for logs and tests ("SocketText", ...).
const char* event_name(const Event& event);

}  // namespace gc::core
