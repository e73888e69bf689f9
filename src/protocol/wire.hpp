// Wire names and ranges of the groupcall protocol (internal to src/protocol): the one place
// that spells them, shared by the nlohmann codec (codec.cpp) and its fast paths
// (fast_codec.cpp), with the one visitor helper both use.
#pragma once

#include <cstdint>

namespace gc::protocol::wire {

// client -> server
inline constexpr const char* kJoin = "join";
inline constexpr const char* kSendMessage = "sendMessage";
inline constexpr const char* kUploadSuccess = "uploadSuccess";
inline constexpr const char* kOnIceCandidate = "onIceCandidate";
inline constexpr const char* kReceiveVideoFrom = "receiveVideoFrom";
// server -> client (spec spellings first, the corrected spellings we also accept after)
inline constexpr const char* kUserNotFound = "userNotFound";
inline constexpr const char* kPermisionDeny = "permisionDeny";  // sic
inline constexpr const char* kPermissionDeny = "permissionDeny";
inline constexpr const char* kExistingParticipants = "existingParticipants";
inline constexpr const char* kNewParticipantArrived = "newParticipantArrived";
inline constexpr const char* kReceiveVideoAnswer = "receiveVideoAnswer";
inline constexpr const char* kParticipantLeft = "participantLeft";
inline constexpr const char* kIceCandidate = "iceCandidate";
inline constexpr const char* kReciveTextMessage = "reciveTextMessage";  // sic
inline constexpr const char* kReceiveTextMessage = "receiveTextMessage";
inline constexpr const char* kFileUploaded = "fileUploaded";
inline constexpr const char* kUnrecognizedMessage = "unrecognizedMessage";
// field names
inline constexpr const char* kCandicate = "candicate";  // sic, iceCandidate's field
inline constexpr const char* kCandidate = "candidate";

// RTCIceCandidate.sdpMLineIndex is an unsigned short.
inline constexpr std::int64_t kMaxMLineIndex = 65535;

}  // namespace gc::protocol::wire

namespace gc::protocol::detail {

// std::visit over a set of lambdas.
template <class... Fs>
struct Overload : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overload(Fs...) -> Overload<Fs...>;

}  // namespace gc::protocol::detail
