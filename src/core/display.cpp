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
