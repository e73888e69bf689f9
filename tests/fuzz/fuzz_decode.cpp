// libFuzzer over both decoders. Properties checked on every input:
//  - decode never crashes, throws, leaks or trips a sanitizer, whatever the bytes;
//  - every error carries a readable text;
//  - decode (fast path first, protocol/fast_codec.hpp) and the nlohmann reference
//    (detail::reference_decode_*) agree exactly: both succeed with equal messages, or both
//    fail with the same kind, type, field and text; and whenever the fast decoder answers on
//    its own, the reference succeeds with the same message;
//  - on success, encode(m) == reference_encode(m), decode(encode(m)) succeeds and equals m
//    (the round trip is exact), and encoding is stable (encode(decode(encode(m))) ==
//    encode(m));
//  - encode == reference_encode also for messages whose strings are the raw input bytes
//    (control bytes, invalid UTF-8: the fast encoder's fallback).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/codec.hpp"
#include "protocol/fast_codec.hpp"

namespace {

namespace protocol = gc::protocol;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_decode: %s\n%s\n", what, detail.c_str());
  std::abort();
}

std::string describe(const protocol::DecodeError& e) {
  return std::string(protocol::to_string(e.kind)) + " | " + e.type + " | " + e.field + " | " +
         e.text;
}

// encode(m), checked against the nlohmann encoder.
template <class Message>
std::string checked_encode(const Message& m) {
  std::string encoded = protocol::encode(m);
  const std::string want = protocol::detail::reference_encode(m);
  if (encoded != want) fail("encode differs from reference_encode", encoded + "\n" + want);
  return encoded;
}

template <class Decode, class Reference, class Fast>
void check(std::string_view input, Decode decode, Reference reference, Fast fast) {
  const auto first = decode(input, protocol::Limits{});
  const auto want = reference(input, protocol::Limits{});
  const auto quick = fast(input);
  if (quick && (!want.ok() || !(*quick == want.value()))) {
    fail("fast path answered where the reference differs", std::string(input));
  }
  if (first.ok() != want.ok()) {
    const auto& error = first.ok() ? want.error() : first.error();
    fail("decode and the reference disagree on success",
         std::string(input) + "\n" + describe(error));
  }
  if (!first.ok()) {
    if (first.error().text.empty()) fail("error without text", std::string(input));
    if (describe(first.error()) != describe(want.error())) {
      fail("decode and the reference report different errors",
           std::string(input) + "\n" + describe(first.error()) + "\n" + describe(want.error()));
    }
    return;
  }
  if (!(first.value() == want.value())) {
    fail("decode and the reference decode different messages", std::string(input));
  }
  const std::string encoded = checked_encode(first.value());
  // Re-encoding may legitimately grow a frame past the size limit (defaults filled in,
  // 1e3 written as 1000), so the second decode has no size limit.
  protocol::Limits unlimited;
  unlimited.max_frame_bytes = SIZE_MAX;
  auto second = decode(encoded, unlimited);
  if (!second.ok()) {
    fail("re-encoded message does not decode", encoded + "\n" + second.error().text);
  }
  if (!(second.value() == first.value())) fail("round trip changed the message", encoded);
  if (protocol::encode(second.value()) != encoded) fail("encoding is not stable", encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check(
      input,
      [](std::string_view s, const protocol::Limits& l) { return protocol::decode_server(s, l); },
      [](std::string_view s, const protocol::Limits& l) {
        return protocol::detail::reference_decode_server(s, l);
      },
      [](std::string_view s) { return protocol::detail::fast_decode_server(s); });
  check(
      input,
      [](std::string_view s, const protocol::Limits& l) { return protocol::decode_client(s, l); },
      [](std::string_view s, const protocol::Limits& l) {
        return protocol::detail::reference_decode_client(s, l);
      },
      [](std::string_view s) { return protocol::detail::fast_decode_client(s); });
  const std::string text(input);
  checked_encode(protocol::ClientMessage{protocol::SendMessage{text}});
  checked_encode(protocol::ServerMessage{protocol::NewParticipantArrived{{1, text, "", text}}});
  return 0;
}
