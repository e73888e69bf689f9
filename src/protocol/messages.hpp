// groupcall signalling messages, one type per row of shared/PROTOCOL.md.
//
// Field names follow the wire (camelCase there, snake_case here). The wire's misspellings
// (`permisionDeny`, `candicate`, `reciveTextMessage`) live only in codec.cpp; the types
// here carry the meaning, not the spelling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace gc::protocol {

// Ids and room numbers are JSON numbers on the wire; we accept 0 .. 2^53-1 (what a
// JavaScript server can represent exactly). Anything else is an out-of-range decode error.
using UserId = std::int64_t;
using RoomId = std::int64_t;
inline constexpr std::int64_t kMaxWireInteger = 9007199254740991;  // 2^53 - 1

// RTCIceCandidateInit as JSON: {candidate, sdpMid, sdpMLineIndex}. sdpMid and
// sdpMLineIndex may be null/absent in the browser API; an empty candidate string is the
// end-of-candidates marker.
struct IceCandidate {
  std::string candidate;
  std::optional<std::string> sdp_mid;
  std::optional<int> sdp_mline_index;
  friend bool operator==(const IceCandidate& a, const IceCandidate& b) {
    return a.candidate == b.candidate && a.sdp_mid == b.sdp_mid &&
           a.sdp_mline_index == b.sdp_mline_index;
  }
  friend bool operator!=(const IceCandidate& a, const IceCandidate& b) { return !(a == b); }
};

// {id, name, prefix, postfix}: missing name/prefix/postfix decode as empty strings.
struct Participant {
  UserId id = 0;
  std::string name;
  std::string prefix;
  std::string postfix;
  friend bool operator==(const Participant& a, const Participant& b) {
    return a.id == b.id && a.name == b.name && a.prefix == b.prefix && a.postfix == b.postfix;
  }
  friend bool operator!=(const Participant& a, const Participant& b) { return !(a == b); }
};

// ---- client -> server -------------------------------------------------------------------

struct Join {  // type "join"
  RoomId room = 0;
  UserId user_id = 0;
  std::string pw;  // omitted from the wire when empty
  friend bool operator==(const Join& a, const Join& b) {
    return a.room == b.room && a.user_id == b.user_id && a.pw == b.pw;
  }
  friend bool operator!=(const Join& a, const Join& b) { return !(a == b); }
};
struct SendMessage {  // type "sendMessage"
  std::string message;
  friend bool operator==(const SendMessage& a, const SendMessage& b) {
    return a.message == b.message;
  }
  friend bool operator!=(const SendMessage& a, const SendMessage& b) { return !(a == b); }
};
struct UploadSuccess {  // type "uploadSuccess"
  std::string file_name;
  std::string file_url;
  friend bool operator==(const UploadSuccess& a, const UploadSuccess& b) {
    return a.file_name == b.file_name && a.file_url == b.file_url;
  }
  friend bool operator!=(const UploadSuccess& a, const UploadSuccess& b) { return !(a == b); }
};
struct OnIceCandidate {  // type "onIceCandidate"; user_id names the media owner
  UserId user_id = 0;
  IceCandidate candidate;
  friend bool operator==(const OnIceCandidate& a, const OnIceCandidate& b) {
    return a.user_id == b.user_id && a.candidate == b.candidate;
  }
  friend bool operator!=(const OnIceCandidate& a, const OnIceCandidate& b) { return !(a == b); }
};
struct ReceiveVideoFrom {  // type "receiveVideoFrom"; user_id names the media owner
  UserId user_id = 0;
  std::string sdp_offer;
  friend bool operator==(const ReceiveVideoFrom& a, const ReceiveVideoFrom& b) {
    return a.user_id == b.user_id && a.sdp_offer == b.sdp_offer;
  }
  friend bool operator!=(const ReceiveVideoFrom& a, const ReceiveVideoFrom& b) { return !(a == b); }
};

using ClientMessage = std::variant<Join, SendMessage, UploadSuccess, OnIceCandidate, ReceiveVideoFrom>;

// ---- server -> client -------------------------------------------------------------------

struct UserNotFound {  // type "userNotFound"
  friend bool operator==(const UserNotFound&, const UserNotFound&) { return true; }
  friend bool operator!=(const UserNotFound&, const UserNotFound&) { return false; }
};
struct PermissionDenied {  // type "permisionDeny" (sic), also "permissionDeny"
  friend bool operator==(const PermissionDenied&, const PermissionDenied&) { return true; }
  friend bool operator!=(const PermissionDenied&, const PermissionDenied&) { return false; }
};
struct ExistingParticipants {  // type "existingParticipants"; never includes the joiner
  std::vector<Participant> participants;
  friend bool operator==(const ExistingParticipants& a, const ExistingParticipants& b) {
    return a.participants == b.participants;
  }
  friend bool operator!=(const ExistingParticipants& a, const ExistingParticipants& b) {
    return !(a == b);
  }
};
struct NewParticipantArrived {  // type "newParticipantArrived"
  Participant participant;
  friend bool operator==(const NewParticipantArrived& a, const NewParticipantArrived& b) {
    return a.participant == b.participant;
  }
  friend bool operator!=(const NewParticipantArrived& a, const NewParticipantArrived& b) {
    return !(a == b);
  }
};
struct ReceiveVideoAnswer {  // type "receiveVideoAnswer"; user_id names the media owner
  UserId user_id = 0;
  std::string sdp_answer;
  friend bool operator==(const ReceiveVideoAnswer& a, const ReceiveVideoAnswer& b) {
    return a.user_id == b.user_id && a.sdp_answer == b.sdp_answer;
  }
  friend bool operator!=(const ReceiveVideoAnswer& a, const ReceiveVideoAnswer& b) {
    return !(a == b);
  }
};
struct ParticipantLeft {  // type "participantLeft"
  UserId user_id = 0;
  friend bool operator==(const ParticipantLeft& a, const ParticipantLeft& b) {
    return a.user_id == b.user_id;
  }
  friend bool operator!=(const ParticipantLeft& a, const ParticipantLeft& b) { return !(a == b); }
};
struct RemoteIceCandidate {  // type "iceCandidate", field "candicate" (sic) or "candidate"
  UserId user_id = 0;
  IceCandidate candidate;
  friend bool operator==(const RemoteIceCandidate& a, const RemoteIceCandidate& b) {
    return a.user_id == b.user_id && a.candidate == b.candidate;
  }
  friend bool operator!=(const RemoteIceCandidate& a, const RemoteIceCandidate& b) {
    return !(a == b);
  }
};
struct ReceiveTextMessage {  // type "reciveTextMessage" (sic), also "receiveTextMessage"
  UserId user_id = 0;
  std::string message;
  friend bool operator==(const ReceiveTextMessage& a, const ReceiveTextMessage& b) {
    return a.user_id == b.user_id && a.message == b.message;
  }
  friend bool operator!=(const ReceiveTextMessage& a, const ReceiveTextMessage& b) {
    return !(a == b);
  }
};
struct FileUploaded {  // type "fileUploaded"
  UserId user_id = 0;
  std::string file_name;
  std::string file_url;  // untrusted: see core/links
  friend bool operator==(const FileUploaded& a, const FileUploaded& b) {
    return a.user_id == b.user_id && a.file_name == b.file_name && a.file_url == b.file_url;
  }
  friend bool operator!=(const FileUploaded& a, const FileUploaded& b) { return !(a == b); }
};
struct UnrecognizedMessage {  // type "unrecognizedMessage"
  friend bool operator==(const UnrecognizedMessage&, const UnrecognizedMessage&) { return true; }
  friend bool operator!=(const UnrecognizedMessage&, const UnrecognizedMessage&) { return false; }
};

using ServerMessage =
    std::variant<UserNotFound, PermissionDenied, ExistingParticipants, NewParticipantArrived,
                 ReceiveVideoAnswer, ParticipantLeft, RemoteIceCandidate, ReceiveTextMessage,
                 FileUploaded, UnrecognizedMessage>;

}  // namespace gc::protocol
