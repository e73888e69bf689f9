// UTF-8 decoding shared by every layer (the codec, links, display names, the URL fragment,
// the UI's text wrapping and the font glyph collector): one definition of "valid".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gc::utf8 {

inline constexpr std::uint32_t kReplacement = 0xFFFD;

// Length (1-4) of the valid UTF-8 sequence at s[i], with its code point in `cp`; 0 when the
// bytes at i are not valid UTF-8 (truncated, stray continuation byte, overlong form,
// surrogate, beyond U+10FFFF). Requires i < s.size().
inline std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t len = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

// As decode, but invalid bytes read as one U+FFFD of length 1, so text always advances.
inline std::size_t decode_lenient(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const std::size_t len = decode(s, i, cp);
  if (len != 0) return len;
  cp = kReplacement;
  return 1;
}

// Writes code point cp (at most U+10FFFF, not a surrogate) as 1-4 bytes of UTF-8 at out;
// returns the end of what it wrote.
inline char* write(std::uint32_t cp, char* out) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

inline bool is_valid(std::string_view s) {
  std::uint32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = decode(s, i, cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

}  // namespace gc::utf8
