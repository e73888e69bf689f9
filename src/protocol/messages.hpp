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
};

// ---- client -> server -------------------------------------------------------------------

struct Join {  // type "join"
  RoomId room = 0;
  UserId user_id = 0;
  std::string pw;  // omitted from the wire when empty
};
struct SendMessage {  // type "sendMessage"
  std::string message;
};
struct UploadSuccess {  // type "uploadSuccess"
  std::string file_name;
  std::string file_url;
};
struct OnIceCandidate {  // type "onIceCandidate"; user_id names the media owner
  UserId user_id = 0;
  IceCandidate candidate;
};
struct ReceiveVideoFrom {  // type "receiveVideoFrom"; user_id names the media owner
  UserId user_id = 0;
  std::string sdp_offer;
};

using ClientMessage = std::variant<Join, SendMessage, UploadSuccess, OnIceCandidate, ReceiveVideoFrom>;

// ---- server -> client -------------------------------------------------------------------

struct UserNotFound {};        // type "userNotFound"
struct PermissionDenied {};    // type "permisionDeny" (sic), also "permissionDeny"
struct ExistingParticipants {  // type "existingParticipants"; never includes the joiner
  std::vector<Participant> participants;
};
struct NewParticipantArrived {  // type "newParticipantArrived"
  Participant participant;
};
struct ReceiveVideoAnswer {  // type "receiveVideoAnswer"; user_id names the media owner
  UserId user_id = 0;
  std::string sdp_answer;
};
struct ParticipantLeft {  // type "participantLeft"
  UserId user_id = 0;
};
struct RemoteIceCandidate {  // type "iceCandidate", field "candicate" (sic) or "candidate"
  UserId user_id = 0;
  IceCandidate candidate;
};
struct ReceiveTextMessage {  // type "reciveTextMessage" (sic), also "receiveTextMessage"
  UserId user_id = 0;
  std::string message;
};
struct FileUploaded {  // type "fileUploaded"
  UserId user_id = 0;
  std::string file_name;
  std::string file_url;  // untrusted: see core/links
};
struct UnrecognizedMessage {};  // type "unrecognizedMessage"

using ServerMessage =
    std::variant<UserNotFound, PermissionDenied, ExistingParticipants, NewParticipantArrived,
                 ReceiveVideoAnswer, ParticipantLeft, RemoteIceCandidate, ReceiveTextMessage,
                 FileUploaded, UnrecognizedMessage>;

}  // namespace gc::protocol
