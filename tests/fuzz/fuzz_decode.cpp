// libFuzzer over both decoders. Properties checked on every input:
//  - decode never crashes, throws, leaks or trips a sanitizer, whatever the bytes;
//  - every error carries a readable text;
//  - on success, decode(encode(m)) succeeds and equals m (the round trip is exact), and
//    encoding is stable (encode(decode(encode(m))) == encode(m)).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/codec.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_decode: %s\n%s\n", what, detail.c_str());
  std::abort();
}

template <class Decode>
void check(std::string_view input, Decode decode) {
  auto first = decode(input, gc::protocol::Limits{});
  if (!first.ok()) {
    if (first.error().text.empty()) fail("error without text", std::string(input));
    return;
  }
  std::string encoded = gc::protocol::encode(first.value());
  // Re-encoding may legitimately grow a frame past the size limit (defaults filled in,
  // 1e3 written as 1000), so the second decode has no size limit.
  gc::protocol::Limits unlimited;
  unlimited.max_frame_bytes = SIZE_MAX;
  auto second = decode(encoded, unlimited);
  if (!second.ok()) {
    fail("re-encoded message does not decode", encoded + "\n" + second.error().text);
  }
  if (!(second.value() == first.value())) fail("round trip changed the message", encoded);
  if (gc::protocol::encode(second.value()) != encoded) fail("encoding is not stable", encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check(input, [](std::string_view s, const gc::protocol::Limits& l) {
    return gc::protocol::decode_server(s, l);
  });
  check(input, [](std::string_view s, const gc::protocol::Limits& l) {
    return gc::protocol::decode_client(s, l);
  });
  return 0;
}
