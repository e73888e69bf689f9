// See display.hpp for the rules.
#include "core/display.hpp"

#include <cstdint>
#include <string_view>

namespace gc::core {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are invalid.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& cp) {
  auto c = static_cast<unsigned char>(s[i]);
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
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

bool is_space_like(std::uint32_t cp) {
  return cp < 0x20 || cp == ' ' || cp == 0x7F || cp == 0xA0 || cp == 0x3000;
}

// Appends the cleaned form of `part` to `out`, preceded by one space when `out` already
// holds text. Returns whether anything was appended.
bool append_part(std::string& out, std::string_view part) {
  bool wrote = false;
  bool pending_space = false;
  std::size_t i = 0;
  while (i < part.size()) {
    std::uint32_t cp = 0;
    std::size_t len = utf8_sequence(part, i, cp);
    if (len != 0 && is_space_like(cp)) {
      pending_space = wrote;  // leading spaces vanish; inner runs become one space
      i += len;
      continue;
    }
    if (!wrote && !out.empty()) out += ' ';
    if (pending_space) out += ' ';
    pending_space = false;
    wrote = true;
    if (len == 0) {
      out += kReplacement;
      i += 1;
    } else {
      out.append(part.substr(i, len));
      i += len;
    }
  }
  return wrote;  // a trailing pending space is dropped
}

}  // namespace

std::string display_name(const protocol::Participant& participant) {
  std::string out;
  append_part(out, participant.prefix);
  append_part(out, participant.name);
  append_part(out, participant.postfix);
  if (out.empty()) out = "#" + std::to_string(participant.id);
  return out;
}

bool has_display_name(const protocol::Participant& participant) {
  std::string scratch;
  return append_part(scratch, participant.prefix) || append_part(scratch, participant.name) ||
         append_part(scratch, participant.postfix);
}

}  // namespace gc::core
