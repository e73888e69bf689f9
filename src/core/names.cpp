// Names of the core's enums and variants: the stable strings logs, tests and the
// state() test hook use ("in-room", "socket-closed", ...). Kept apart from the state
// machine so session.cpp holds transitions only.
#include <string>
#include <variant>

#include "core/session.hpp"

namespace gc::core {

const char* to_string(PeerState s) {
  switch (s) {
    case PeerState::kNew: return "new";
    case PeerState::kConnecting: return "connecting";
    case PeerState::kConnected: return "connected";
    case PeerState::kDisconnected: return "disconnected";
    case PeerState::kFailed: return "failed";
    case PeerState::kClosed: return "closed";
  }
  return "?";
}

const char* to_string(Direction d) {
  return d == Direction::kSendOnly ? "sendonly" : "recvonly";
}

const char* to_string(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "?";
}

const char* to_string(RemoteErrorCode c) {
  switch (c) {
    case RemoteErrorCode::kUndecodableFrame: return "undecodable-frame";
    case RemoteErrorCode::kFrameTooLarge: return "frame-too-large";
    case RemoteErrorCode::kUnexpectedMessage: return "unexpected-message";
    case RemoteErrorCode::kUnknownOwner: return "unknown-owner";
    case RemoteErrorCode::kSocketError: return "socket-error";
    case RemoteErrorCode::kConnectTimeout: return "connect-timeout";
    case RemoteErrorCode::kJoinTimeout: return "join-timeout";
    case RemoteErrorCode::kLivenessTimeout: return "liveness-timeout";
    case RemoteErrorCode::kServerRefused: return "server-refused";
  }
  return "?";
}

const char* to_string(LocalErrorCode c) {
  switch (c) {
    case LocalErrorCode::kWrongPhase: return "wrong-phase";
    case LocalErrorCode::kUnknownConn: return "unknown-conn";
    case LocalErrorCode::kUnknownSocket: return "unknown-socket";
    case LocalErrorCode::kUnknownUpload: return "unknown-upload";
    case LocalErrorCode::kMediaFailed: return "media-failed";
    case LocalErrorCode::kPeerFailed: return "peer-failed";
    case LocalErrorCode::kInvalidInput: return "invalid-input";
    case LocalErrorCode::kFrameTooLarge: return "frame-too-large";
    case LocalErrorCode::kRenegotiation: return "renegotiation";
  }
  return "?";
}

std::string describe(const Log& log) {
  std::string out = to_string(log.level);
  if (const auto* i = std::get_if<Info>(&log.entry)) {
    out += " info: ";
    out += i->text;
  } else if (const auto* r = std::get_if<RemoteError>(&log.entry)) {
    out += " remote-error ";
    out += to_string(r->code);
    out += ": ";
    out += r->detail;
  } else if (const auto* l = std::get_if<LocalError>(&log.entry)) {
    out += " local-error ";
    out += to_string(l->code);
    out += ": ";
    out += l->detail;
  }
  return out;
}

const char* event_name(const Event& e) {
  static constexpr const char* kNames[] = {
      "Join", "Retry", "Leave", "SendChat", "QueueUpload", "UploadProgress", "UploadFinished",
      "UploadFailed", "CancelUpload", "RetryUpload", "SetVisibleParticipants", "ResumeVideo", "ResendLine", "MarkChatRead",
      "SetChatVisible", "SetMuted", "SetCameraOff", "SetScreenShare", "SocketOpened", "SocketText",
      "SocketClosed", "SocketError", "LocalMediaReady", "LocalMediaFailed",
      "LocalOfferCreated", "LocalOfferFailed", "LocalIceCandidate", "RemoteAnswerApplied",
      "RemoteAnswerFailed", "PeerStateChanged", "MediaFlowing", "NoMedia", "ScreenShareStarted",
      "ScreenShareFailed", "ScreenShareEnded"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == std::variant_size_v<Event>);
  return kNames[e.index()];
}

const char* command_name(const Command& c) {
  static constexpr const char* kNames[] = {
      "OpenSocket", "CloseSocket", "SendText", "RequestLocalMedia", "ReleaseLocalMedia",
      "SetLocalMediaEnabled", "StartScreenShare", "StopScreenShare", "CreatePeer", "ClosePeer", "ApplyRemoteAnswer",
      "AddRemoteCandidate", "StartUpload", "AbortUpload", "ForgetUpload", "Log"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == std::variant_size_v<Command>);
  return kNames[c.index()];
}

const char* to_string(Phase p) {
  switch (p) {
    case Phase::kIdle: return "idle";
    case Phase::kConnecting: return "connecting";
    case Phase::kJoining: return "joining";
    case Phase::kInRoom: return "in-room";
    case Phase::kReconnecting: return "reconnecting";
    case Phase::kLeft: return "left";
    case Phase::kFailed: return "failed";
  }
  return "?";
}

const char* to_string(FailureReason r) {
  switch (r) {
    case FailureReason::kNone: return "none";
    case FailureReason::kUserNotFound: return "user-not-found";
    case FailureReason::kPermissionDenied: return "permission-denied";
    case FailureReason::kServerUnreachable: return "server-unreachable";
    case FailureReason::kProtocolError: return "protocol-error";
    case FailureReason::kReplaced: return "replaced";
  }
  return "?";
}

const char* to_string(DisconnectCause c) {
  switch (c) {
    case DisconnectCause::kNone: return "none";
    case DisconnectCause::kSocketClosed: return "socket-closed";
    case DisconnectCause::kSocketError: return "socket-error";
    case DisconnectCause::kConnectTimeout: return "connect-timeout";
    case DisconnectCause::kJoinTimeout: return "join-timeout";
    case DisconnectCause::kLivenessTimeout: return "liveness-timeout";
    case DisconnectCause::kServerError: return "server-error";
    case DisconnectCause::kPlannedRejoin: return "planned-rejoin";
  }
  return "?";
}

const char* to_string(RejoinCause c) {
  switch (c) {
    case RejoinCause::kNone: return "none";
    case RejoinCause::kStalledVideo: return "stalled-video";
    case RejoinCause::kReceiveFailed: return "receive-failed";
    case RejoinCause::kPublishFailed: return "publish-failed";
    case RejoinCause::kTooManyStreams: return "too-many-streams";
    case RejoinCause::kServerError: return "server-error";
    case RejoinCause::kUserRetry: return "user-retry";
  }
  return "?";
}

const char* to_string(PublishState s) {
  switch (s) {
    case PublishState::kNone: return "none";
    case PublishState::kStarting: return "starting";
    case PublishState::kLive: return "live";
    case PublishState::kFailed: return "failed";
    case PublishState::kReceiveOnly: return "receive-only";
  }
  return "?";
}

const char* to_string(TileState s) {
  switch (s) {
    case TileState::kConnecting: return "connecting";
    case TileState::kLive: return "live";
    case TileState::kNoMedia: return "no-media";
    case TileState::kFailed: return "failed";
    case TileState::kRetrying: return "retrying";
    case TileState::kPaused: return "paused";
    case TileState::kCapped: return "capped";
  }
  return "?";
}

const char* to_string(ChatStatus s) {
  switch (s) {
    case ChatStatus::kQueued: return "queued";
    case ChatStatus::kPending: return "pending";
    case ChatStatus::kSent: return "sent";
    case ChatStatus::kNotSent: return "not-sent";
    case ChatStatus::kNotConfirmed: return "not-confirmed";
  }
  return "?";
}

const char* to_string(MediaFailure f) {
  switch (f) {
    case MediaFailure::kNone: return "none";
    case MediaFailure::kDenied: return "denied";
    case MediaFailure::kUnavailable: return "unavailable";
  }
  return "?";
}

const char* to_string(ScreenShare s) {
  switch (s) {
    case ScreenShare::kOff: return "off";
    case ScreenShare::kStarting: return "starting";
    case ScreenShare::kOn: return "on";
  }
  return "?";
}

const char* to_string(UploadError e) {
  switch (e) {
    case UploadError::kNone: return "none";
    case UploadError::kFailed: return "failed";
    case UploadError::kTooLarge: return "too-large";
    case UploadError::kStalled: return "stalled";
    case UploadError::kAnnouncementTooLarge: return "announcement-too-large";
  }
  return "?";
}

const char* to_string(UploadState s) {
  switch (s) {
    case UploadState::kQueued: return "queued";
    case UploadState::kUploading: return "uploading";
    case UploadState::kDone: return "done";
    case UploadState::kFailed: return "failed";
    case UploadState::kCancelled: return "cancelled";
  }
  return "?";
}

const char* to_string(NoticeCode c) {
  switch (c) {
    case NoticeCode::kCameraUnavailable: return "camera-unavailable";
    case NoticeCode::kConnectionLost: return "connection-lost";
    case NoticeCode::kReconnected: return "reconnected";
    case NoticeCode::kServerUnreachable: return "server-unreachable";
    case NoticeCode::kRefused: return "refused";
    case NoticeCode::kGarbageFromServer: return "garbage-from-server";
    case NoticeCode::kReceiveFailed: return "receive-failed";
    case NoticeCode::kPublishFailed: return "publish-failed";
    case NoticeCode::kUploadFailed: return "upload-failed";
    case NoticeCode::kRejoining: return "rejoining";
    case NoticeCode::kChatSplit: return "chat-split";
    case NoticeCode::kScreenShareFailed: return "screen-share-failed";
    case NoticeCode::kScreenShareUnavailable: return "screen-share-unavailable";
  }
  return "?";
}

}  // namespace gc::core
