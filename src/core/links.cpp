// See links.hpp for the rules; this file only implements them.
#include "core/links.hpp"
#include "protocol/utf8.hpp"

#include <cstdint>

namespace gc::core {
namespace {

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
bool is_control(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive ASCII prefix test; `prefix` must be lower case.
bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// After "http:" or "https:": "//" and then at least one authority character.
bool has_authority(std::string_view rest) {
  if (rest.size() < 3 || rest[0] != '/' || rest[1] != '/') return false;
  char first = rest[2];
  return first != '/' && first != '\\' && first != '?' && first != '#' && !is_space(first);
}

// RFC 3986 unreserved + reserved + '%': the characters a link in chat text may span.
bool is_url_char(char c) {
  if (is_ascii_alnum(c)) return true;
  switch (c) {
    case '-': case '.': case '_': case '~':                                   // unreserved
    case ':': case '/': case '?': case '#': case '[': case ']': case '@':     // gen-delims
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*':    // sub-delims
    case '+': case ',': case ';': case '=':
    case '%':
      return true;
    default:
      return false;
  }
}

bool is_trailing_punct(char c) {
  switch (c) {
    case '.': case ',': case '!': case '?': case ';': case ':': case '\'': case '"': case '*':
      return true;
    default:
      return false;
  }
}

// Length of the link candidate starting at text[0] (which starts with http:// or
// https://), after dropping trailing punctuation and unmatched closing brackets. Linear:
// bracket balances are counted once and updated as characters are dropped.
std::size_t link_length(std::string_view text) {
  constexpr char kOpen[] = {'(', '[', '{'};
  constexpr char kClose[] = {')', ']', '}'};
  long balance[3] = {0, 0, 0};  // opens minus closes within text[0, end)
  std::size_t end = 0;
  while (end < text.size() && is_url_char(text[end])) {
    for (int k = 0; k < 3; ++k) {
      if (text[end] == kOpen[k]) ++balance[k];
      if (text[end] == kClose[k]) --balance[k];
    }
    ++end;
  }
  while (end > 0) {
    char last = text[end - 1];
    bool drop = is_trailing_punct(last);
    for (int k = 0; k < 3 && !drop; ++k) {
      if (last == kClose[k] && balance[k] < 0) {
        ++balance[k];
        drop = true;
      }
    }
    if (!drop) break;
    --end;
  }
  return end;
}

}  // namespace

bool is_linkable_url(std::string_view url) {
  if (url.empty()) return false;
  if (is_space(url.front()) || is_space(url.back())) return false;
  for (char c : url) {
    if (is_control(c)) return false;
  }
  if (!utf8::is_valid(url)) return false;

  if (starts_with_nocase(url, "http:")) return has_authority(url.substr(5));
  if (starts_with_nocase(url, "https:")) return has_authority(url.substr(6));

  // No http(s) scheme: only a relative reference is acceptable. A ':' before the first
  // '/', '?' or '#' would make the first segment look like a scheme: reject.
  std::size_t colon = url.find(':');
  std::size_t delim = url.find_first_of("/?#");
  if (colon != std::string_view::npos && (delim == std::string_view::npos || colon < delim)) {
    return false;
  }
  // Network-path references ("//host", "/\host", "\\host", "\/host") leave the page's host.
  char c0 = url[0];
  char c1 = url.size() > 1 ? url[1] : '\0';
  if (c0 == '\\') return false;
  if (c0 == '/' && (c1 == '/' || c1 == '\\')) return false;
  return true;
}

std::vector<TextSpan> find_links(std::string_view text) {
  std::vector<TextSpan> spans;
  auto add = [&spans](TextSpan::Kind kind, std::size_t offset, std::size_t length) {
    if (length == 0) return;
    if (!spans.empty() && spans.back().kind == TextSpan::Kind::kPlain &&
        kind == TextSpan::Kind::kPlain) {
      spans.back().length += length;
      return;
    }
    spans.push_back(TextSpan{kind, offset, length});
  };

  std::size_t plain_start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    bool boundary = i == 0 || !is_ascii_alnum(text[i - 1]);
    if ((c == 'h' || c == 'H') && boundary) {
      std::string_view rest = text.substr(i);
      std::size_t scheme = starts_with_nocase(rest, "http://")    ? 5
                           : starts_with_nocase(rest, "https://") ? 6
                                                                  : 0;
      // The authority test first keeps "http:///http:///..." linear.
      if (scheme != 0 && has_authority(rest.substr(scheme))) {
        std::size_t len = link_length(rest);
        if (len > 0 && is_linkable_url(rest.substr(0, len))) {
          add(TextSpan::Kind::kPlain, plain_start, i - plain_start);
          add(TextSpan::Kind::kLink, i, len);
          i += len;
          plain_start = i;
          continue;
        }
      }
    }
    ++i;
  }
  add(TextSpan::Kind::kPlain, plain_start, text.size() - plain_start);
  return spans;
}

}  // namespace gc::core
