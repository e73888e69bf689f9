// See display.hpp for the rules.
#include "core/display.hpp"
#include "protocol/utf8.hpp"

#include <cstdint>
#include <string_view>

namespace gc::core {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

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
    std::size_t len = utf8::decode(part, i, cp);
    if (len != 0 && is_space_like(cp)) {
      pending_space = wrote;  // leading spaces vanish; inner runs become one space
      i += len;
      continue;
    }
    if (!wrote && !out.empty()) out += ' ';
    if (pending_space) out += ' ';
    pending_space = false;
    wrote = true;
    if (len == 0 || is_bidi_control(cp)) {
      out += kReplacement;
      i += len == 0 ? 1 : len;
    } else {
      out.append(part.substr(i, len));
      i += len;
    }
  }
  return wrote;  // a trailing pending space is dropped
}

}  // namespace

bool is_bidi_control(std::uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// All of them are E2 80 AA..AE or E2 81 A6..A9 in UTF-8.
bool has_bidi_controls(std::string_view text) {
  for (std::size_t i = text.find('\xE2'); i != std::string_view::npos && i + 2 < text.size();
       i = text.find('\xE2', i + 1)) {
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    const auto b2 = static_cast<unsigned char>(text[i + 2]);
    if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) return true;
  }
  return false;
}

std::string reveal_bidi_controls(std::string_view text) {
  if (!has_bidi_controls(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (i + 2 < text.size() && text[i] == '\xE2') {
      std::uint32_t cp = 0;
      const std::size_t len = utf8::decode(text, i, cp);
      if (len == 3 && is_bidi_control(cp)) {
        out += kReplacement;
        i += 3;
        continue;
      }
    }
    out += text[i];
    ++i;
  }
  return out;
}

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
