// Fast paths of the codec (internal to src/protocol, exposed for tests and the fuzzer).
//
// The nlohmann code (reference_*) defines what the codec does; the fast paths only make the
// common shapes cheaper and must never change a result:
//  - fast_decode_*: a strict scanner for a top-level object whose values are strings,
//    non-negative integers, null, or (one level down) objects of those. It returns a message
//    only when the frame is valid JSON and decodes without error, and then the very message
//    reference_decode_* returns. On anything else (any JSON or decode error, arrays, floats,
//    negatives, booleans, a BOM, a repeated known key, existingParticipants, ...) it returns
//    nullopt, so every error still comes from the reference code. It needs a depth limit of
//    at least 2 (the top-level object and one object inside it).
//  - fast_encode: byte-identical to reference_encode, or nullopt when a string is not valid
//    UTF-8 (nlohmann's U+FFFD replacement then decides the bytes).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/codec.hpp"
#include "protocol/messages.hpp"

namespace gc::protocol::detail {

std::optional<ServerMessage> fast_decode_server(std::string_view frame);
std::optional<ClientMessage> fast_decode_client(std::string_view frame);
std::optional<std::string> fast_encode(const ServerMessage& msg);
std::optional<std::string> fast_encode(const ClientMessage& msg);

// The nlohmann implementations (codec.cpp): decode_*/encode without the fast paths.
Decoded<ServerMessage> reference_decode_server(std::string_view frame, const Limits& limits = {});
Decoded<ClientMessage> reference_decode_client(std::string_view frame, const Limits& limits = {});
std::string reference_encode(const ServerMessage& msg);
std::string reference_encode(const ClientMessage& msg);

}  // namespace gc::protocol::detail
