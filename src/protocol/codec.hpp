// JSON codec for the groupcall protocol (nlohmann/json, no exceptions escape).
//
// encode_*: emit exactly the spec's `type` names, field names and JSON types
//   (room/userId as numbers, candidate as {candidate, sdpMid, sdpMLineIndex}, pw omitted
//   when empty, the misspelt names on server messages).
// decode_*: accept the spec's spellings and the correct ones; ids as JSON integers or digit
//   strings; return a message or a typed DecodeError. Never throws, never aborts, whatever
//   the bytes (Emscripten builds run without exception catching).
// Common frames and messages go through hand-written fast paths (fast_codec.hpp) that give
// exactly what the nlohmann code gives (the same message, the same bytes); everything else,
// every decode error included, is produced by the nlohmann code itself.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/messages.hpp"

namespace gc::protocol {

enum class DecodeErrorKind {
  kTooLarge,        // frame over Limits::max_frame_bytes
  kTooDeep,         // nesting over Limits::max_depth
  kNotJson,         // not parseable JSON (or not UTF-8 text)
  kNotObject,       // valid JSON but the top level is not an object
  kMissingType,     // no "type", or "type" not a string
  kUnknownType,     // a "type" this side of the protocol does not know
  kMissingField,    // a required field is absent
  kWrongFieldType,  // a field has the wrong JSON type
  kOutOfRange,      // an id/room/index outside its range
};

const char* to_string(DecodeErrorKind kind);

struct DecodeError {
  DecodeErrorKind kind = DecodeErrorKind::kNotJson;
  std::string type;   // the message type when known ("" otherwise)
  std::string field;  // the offending field path when known, e.g. "participants[2].id"
  std::string text;   // readable English sentence for logs, e.g.
                      // "existingParticipants: field participants[2].id is not an integer"
};

struct Limits {
  std::size_t max_frame_bytes = 1024 * 1024;  // 1 MiB
  int max_depth = 32;
};

// A decoded message or an error; never both.
template <class T>
class Decoded {
 public:
  Decoded(T value) : v_(std::move(value)) {}              // NOLINT(implicit)
  Decoded(DecodeError error) : v_(std::move(error)) {}    // NOLINT(implicit)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const DecodeError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, DecodeError> v_;
};

// Server -> client (what the client decodes).
Decoded<ServerMessage> decode_server(std::string_view frame, const Limits& limits = {});
std::string encode(const ServerMessage& msg);  // used by fake servers and round-trip tests

// Client -> server (what the client encodes).
std::string encode(const ClientMessage& msg);
Decoded<ClientMessage> decode_client(std::string_view frame, const Limits& limits = {});

// The liveness probe of PROTOCOL.md rule 8: a message of a type no server knows, which a
// conforming server answers with unrecognizedMessage.
inline constexpr std::string_view kHeartbeatType = "heartbeat";
std::string encode_heartbeat();

// Wire name of a message type (the spelling we send), e.g. "permisionDeny".
const char* type_name(const ServerMessage& msg);
const char* type_name(const ClientMessage& msg);

}  // namespace gc::protocol
