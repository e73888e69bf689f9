// How Gson (the Java servers of this protocol) writes a string: HTML-safe by default, so
// '=' '<' '>' '&' '\'' become \u003d etc., control characters \n-style or \u00xx. Shared by
// the codec tests and the decode benchmarks (tests/bench/native).
#pragma once

#include <string>

namespace gc::test {

inline std::string gson_escape(const std::string& s) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '=':
      case '<':
      case '>':
      case '&':
      case '\'':
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  return out;
}

}  // namespace gc::test
