// Outputs of the Session: what the platform must do, in order.
//
// Execute commands in the order take_commands() returns them. Commands for one conn_id
// must be applied in order even when the browser API is asynchronous: chain them on a
// per-connection promise (ApplyRemoteAnswer, then each AddRemoteCandidate), because the
// Session issues AddRemoteCandidate right after ApplyRemoteAnswer (PROTOCOL.md rule 3).
// Errors from addIceCandidate may be logged and otherwise ignored.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/events.hpp"

namespace gc::core {

enum class Direction { kSendOnly, kRecvOnly };

struct OpenSocket {
  SocketId socket_id = 0;
  std::string url;
};
struct CloseSocket {
  SocketId socket_id = 0;
};
struct SendText {
  SocketId socket_id = 0;
  std::string text;
};
// getUserMedia({audio, video}); answer with LocalMediaReady or LocalMediaFailed.
struct RequestLocalMedia {};
// Stop every local track (camera light off).
struct ReleaseLocalMedia {};
// Enable/disable the local tracks (mute / camera off). Purely local: nothing is signalled.
struct SetLocalMediaEnabled {
  bool audio = true;
  bool video = true;
};
// getDisplayMedia (video); answer with ScreenShareStarted or ScreenShareFailed, and with
// ScreenShareEnded if the browser stops it later. While sharing, the screen's track
// (contentHint "detail") is the video track of the send connection, swapped in with
// replaceTrack (no new offer, rule 11), and of any send connection created meanwhile (a
// rejoin); the self preview shows it. Mute and camera off act on the camera's tracks only.
struct StartScreenShare {};
// Stop the screen's track (or the getDisplayMedia still asking) and put the camera's video
// track back on the send connection (replaceTrack); the self preview shows the camera.
struct StopScreenShare {};
// Create an RTCPeerConnection for the media `owner`. kSendOnly: add the local audio+video
// tracks (own id). kRecvOnly: add recvonly audio+video transceivers. Then createOffer,
// setLocalDescription, and report LocalOfferCreated (or LocalOfferFailed); forward every
// onicecandidate as LocalIceCandidate and state changes as PeerStateChanged.
struct CreatePeer {
  ConnId conn_id = 0;
  UserId owner = 0;
  Direction direction = Direction::kRecvOnly;
};
// Close and forget conn_id; later events for it are ignored by the Session anyway.
struct ClosePeer {
  ConnId conn_id = 0;
};
struct ApplyRemoteAnswer {
  ConnId conn_id = 0;
  std::string sdp;
};
struct AddRemoteCandidate {
  ConnId conn_id = 0;
  IceCandidate candidate;
};
// Start uploading the file queued as upload_id; report UploadProgress / UploadFinished /
// UploadFailed.
struct StartUpload {
  UploadId upload_id = 0;
};
// Stop the transfer of upload_id. keep_file: it will be started again (a stalled upload
// retried): keep the bytes; otherwise (cancelled) they may be dropped.
struct AbortUpload {
  UploadId upload_id = 0;
  bool keep_file = false;
};
// upload_id is finished for good (done, cancelled, or dropped from the history): its bytes
// are no longer needed. A failed upload keeps them, so Retry needs no second file pick.
struct ForgetUpload {
  UploadId upload_id = 0;
};

// ---- logs: information, remote errors and local errors are different types -------------

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// The other side (server, or the network) did something wrong or unexpected.
enum class RemoteErrorCode {
  kUndecodableFrame,   // decode_server failed (not JSON, missing field, ...)
  kFrameTooLarge,      // frame over max_frame_bytes
  kUnexpectedMessage,  // a valid message that makes no sense now (answer twice, ...)
  kUnknownOwner,       // answer / candidate for an id we have no connection for
  kSocketError,        // the socket reported an error or closed unexpectedly
  kConnectTimeout,     // socket did not open in time
  kJoinTimeout,        // no existingParticipants in time after join
  kLivenessTimeout,    // no frame at all for liveness_timeout_ms
  kServerRefused,      // userNotFound / permisionDeny / join not understood
};

// We (the caller, or the local platform) did something wrong or failed.
enum class LocalErrorCode {
  kWrongPhase,      // an intent that makes no sense in the current phase
  kUnknownConn,     // an event for a conn_id that is closed or never existed
  kUnknownSocket,   // an event for a socket_id that is not current
  kUnknownUpload,   // an upload event for an id never queued / already finished
  kMediaFailed,     // getUserMedia failed
  kPeerFailed,      // createOffer / setRemoteDescription / ICE failed
  kInvalidInput,    // e.g. empty chat text
  kFrameTooLarge,   // a frame we would send is over max_send_frame_bytes: not sent
  kRenegotiation,   // a second receiveVideoFrom for one owner on one socket: not sent
};

struct Info {
  std::string text;
};
struct RemoteError {
  RemoteErrorCode code = RemoteErrorCode::kUndecodableFrame;
  std::string detail;
};
struct LocalError {
  LocalErrorCode code = LocalErrorCode::kWrongPhase;
  std::string detail;
};

struct Log {
  LogLevel level = LogLevel::kInfo;
  std::variant<Info, RemoteError, LocalError> entry;
};

using Command =
    std::variant<OpenSocket, CloseSocket, SendText, RequestLocalMedia, ReleaseLocalMedia,
                 SetLocalMediaEnabled, StartScreenShare, StopScreenShare, CreatePeer, ClosePeer, ApplyRemoteAnswer,
                 AddRemoteCandidate, StartUpload, AbortUpload, ForgetUpload, Log>;

const char* to_string(Direction direction);
const char* to_string(LogLevel level);
const char* to_string(RemoteErrorCode code);
const char* to_string(LocalErrorCode code);
// One readable line, e.g. "warning remote-error undecodable-frame: not JSON".
std::string describe(const Log& log);
// Name of the command's type ("OpenSocket", ...), for logs and tests.
const char* command_name(const Command& command);

}  // namespace gc::core
