// ASCII-only text helpers for URLs, schemes, keys and headers (never locale-dependent,
// never touching bytes >= 0x80). One copy for url_config, deploy_config and links.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gc::core::ascii {

inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// Case-insensitive ASCII prefix test.
inline bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != lower(prefix[i])) return false;
  return true;
}

// A space or an ASCII control character (what a URL may never contain raw).
inline bool has_control_or_space(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return true;
  }
  return false;
}

}  // namespace gc::core::ascii
