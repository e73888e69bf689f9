// See links.hpp for the rules; this file only implements them.
#include "core/links.hpp"
#include "core/ascii.hpp"
#include "protocol/utf8.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace gc::core {
namespace {

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
bool is_hex_digit(char c) { return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) {
  if (is_ascii_digit(c)) return c - '0';
  return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10;
}
bool is_control(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

using ascii::lower;
using ascii::lowered;
using ascii::starts_with_ci;

bool equals_nocase(std::string_view s, std::string_view lower_text) {
  return s.size() == lower_text.size() && starts_with_ci(s, lower_text);
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

// ---- URL parsing and resolution ----------------------------------------------------------

// Code points that draw as nothing, as a space or reorder the text around them: C1
// controls, non-ASCII spaces, soft hyphen, direction marks, overrides and isolates,
// zero-width and other format characters, fillers, variation selectors, tags, private use
// and the Specials block. Refused in a host; percent-encoded in a path, query or fragment.
bool is_suspicious(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD || cp == 0x034F || cp == 0x061C ||
         cp == 0x115F || cp == 0x1160 || cp == 0x1680 || cp == 0x180E ||
         (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
         (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0x3164 ||
         (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
         cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0xE0000 && cp <= 0xE0FFF) ||
         cp >= 0xF0000;
}

// Rule 1 of links.hpp: the string as a whole.
bool acceptable_input(std::string_view url) {
  if (url.empty() || url.size() > kMaxLinkBytes) return false;
  if (is_space(url.front()) || is_space(url.back())) return false;
  for (char c : url) {
    if (is_control(c)) return false;
  }
  if (!utf8::is_valid(url)) return false;
  const std::size_t end = url.find_first_of("?#");
  return url.substr(0, end).find('\\') == std::string_view::npos;
}

// RFC 3986 appendix B, into views of the input.
struct Parts {
  bool has_scheme = false;
  bool has_authority = false;
  bool has_query = false;
  bool has_fragment = false;
  std::string_view scheme, authority, path, query, fragment;  // without ':', '//', '?', '#'
};

std::optional<Parts> split(std::string_view s) {
  Parts p;
  const std::size_t colon = s.find(':');
  const std::size_t delim = s.find_first_of("/?#");
  if (colon != std::string_view::npos && (delim == std::string_view::npos || colon < delim)) {
    // A ':' in the first segment: it is a scheme, or the string is not a URL we accept.
    const std::string_view scheme = s.substr(0, colon);
    if (scheme.empty() || !is_ascii_alpha(scheme[0])) return std::nullopt;
    for (char c : scheme) {
      if (!is_ascii_alnum(c) && c != '+' && c != '-' && c != '.') return std::nullopt;
    }
    p.has_scheme = true;
    p.scheme = scheme;
    s.remove_prefix(colon + 1);
  }
  if (s.size() >= 2 && s[0] == '/' && s[1] == '/') {
    s.remove_prefix(2);
    const std::size_t end = std::min(s.find_first_of("/?#"), s.size());
    p.has_authority = true;
    p.authority = s.substr(0, end);
    s.remove_prefix(end);
  }
  const std::size_t hash = s.find('#');
  if (hash != std::string_view::npos) {
    p.has_fragment = true;
    p.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  const std::size_t question = s.find('?');
  if (question != std::string_view::npos) {
    p.has_query = true;
    p.query = s.substr(question + 1);
    s = s.substr(0, question);
  }
  p.path = s;
  return p;
}

struct Host {
  std::string text;       // as written into the URL: lowercased ASCII, canonical IPv6
  std::string key;        // compared with the page's host (no trailing '.')
  bool exact = true;      // false: a browser may map it to another name (IDN)
  bool loopback = false;  // localhost, 127/8, 0.0.0.0, [::1] and friends
};

struct Url {
  std::string scheme;  // "http" or "https"
  Host host;
  int port = -1;       // -1: the scheme's default
  std::string path;    // starts with '/', no dot segments
  std::string query;     // with its '?', or empty
  std::string fragment;  // with its '#', or empty
};

std::optional<std::array<std::uint16_t, 8>> parse_ipv6(std::string_view s) {
  std::array<std::uint16_t, 8> a{};
  int n = 0;
  int compress = -1;
  std::size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    compress = 0;
    i = 2;
  } else if (s.empty() || s[0] == ':') {
    return std::nullopt;
  }
  while (i < s.size()) {
    if (n == 8) return std::nullopt;
    if (s[i] == ':') {
      if (compress != -1) return std::nullopt;
      compress = n;
      ++i;
      continue;
    }
    unsigned value = 0;
    std::size_t digits = 0;
    while (i < s.size() && digits < 4 && is_hex_digit(s[i])) {
      value = value * 16 + static_cast<unsigned>(hex_value(s[i]));
      ++i;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    a[static_cast<std::size_t>(n++)] = static_cast<std::uint16_t>(value);
    if (i == s.size()) break;
    if (s[i] != ':') return std::nullopt;  // '.', '%' (zones) and 5-digit groups too
    ++i;
    if (i == s.size()) return std::nullopt;
  }
  if (compress == -1) {
    if (n != 8) return std::nullopt;
  } else {
    if (n == 8) return std::nullopt;
    const int moved = n - compress;
    for (int k = 0; k < moved; ++k) {
      a[static_cast<std::size_t>(7 - k)] = a[static_cast<std::size_t>(n - 1 - k)];
      a[static_cast<std::size_t>(n - 1 - k)] = 0;
    }
  }
  return a;
}

// The WHATWG URL serialisation: lowercase hex, the first longest run of 2+ zeros as "::".
std::string serialize_ipv6(const std::array<std::uint16_t, 8>& a) {
  int best = -1;
  int best_len = 1;
  for (int i = 0; i < 8;) {
    if (a[static_cast<std::size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && a[static_cast<std::size_t>(j)] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "[";
  bool skipping = false;
  for (int i = 0; i < 8; ++i) {
    const std::uint16_t g = a[static_cast<std::size_t>(i)];
    if (skipping && g == 0) continue;
    skipping = false;
    if (i == best) {
      out += i == 0 ? "::" : ":";
      skipping = true;
      continue;
    }
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int d = (g >> shift) & 0xF;
      if (d != 0 || started || shift == 0) {
        out += kHex[d];
        started = true;
      }
    }
    if (i != 7) out += ':';
  }
  out += ']';
  return out;
}

// WHATWG "ends in a number": such a host is parsed as IPv4 (decimal, octal or hex parts).
bool looks_numeric(std::string_view label) {
  bool digits = !label.empty();
  for (char c : label) digits = digits && is_ascii_digit(c);
  if (digits) return true;
  if (label.size() < 2 || label[0] != '0' || (label[1] != 'x' && label[1] != 'X')) return false;
  for (char c : label.substr(2)) {
    if (!is_hex_digit(c)) return false;
  }
  return true;
}

// A canonical dotted-quad IPv4 address: four decimal parts 0..255 without leading zeros.
std::optional<std::array<int, 4>> parse_canonical_ipv4(std::string_view s) {
  std::array<int, 4> parts{};
  for (int k = 0; k < 4; ++k) {
    const std::size_t dot = k < 3 ? s.find('.') : s.size();
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string_view part = s.substr(0, dot);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return std::nullopt;
    int value = 0;
    for (char c : part) {
      if (!is_ascii_digit(c)) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    if (value > 255) return std::nullopt;
    parts[static_cast<std::size_t>(k)] = value;
    s = k < 3 ? s.substr(dot + 1) : std::string_view();
  }
  return parts;
}

std::optional<Host> parse_host(std::string_view s) {
  if (s.empty()) return std::nullopt;
  Host host;
  if (s.front() == '[') {
    if (s.size() < 3 || s.back() != ']') return std::nullopt;
    const auto a = parse_ipv6(s.substr(1, s.size() - 2));
    if (!a) return std::nullopt;
    host.text = serialize_ipv6(*a);
    host.key = host.text;
    bool zero_prefix = true;  // a[0..4] == 0
    for (std::size_t k = 0; k < 5; ++k) zero_prefix = zero_prefix && (*a)[k] == 0;
    const bool unspecified_or_one = zero_prefix && (*a)[5] == 0 && (*a)[6] == 0 && (*a)[7] <= 1;
    const bool mapped = zero_prefix && (*a)[5] == 0xFFFF;
    host.loopback = unspecified_or_one || (mapped && (((*a)[6] >> 8) == 127 || ((*a)[6] == 0 && (*a)[7] == 0)));
    return host;
  }
  bool ascii = true;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (!is_ascii_alnum(c) && c != '-' && c != '_' && c != '.') return std::nullopt;
      host.text += lower(c);
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = utf8::decode(s, i, cp);
    if (len == 0 || is_suspicious(cp)) return std::nullopt;
    host.text.append(s.substr(i, len));
    ascii = false;
    i += len;
  }
  std::string_view name = host.text;
  if (name.back() == '.') name.remove_suffix(1);  // "example.com." is example.com
  if (name.empty()) return std::nullopt;
  std::string_view last;
  for (std::string_view rest = name;;) {
    const std::size_t dot = rest.find('.');
    last = rest.substr(0, dot);
    if (last.empty()) return std::nullopt;  // "a..b", ".a"
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  host.exact = ascii;
  if (ascii && looks_numeric(last)) {
    const auto v4 = parse_canonical_ipv4(name);
    if (!v4) return std::nullopt;  // "0x7f.1", "2130706433", "127.1", "1.2.3.04"
    host.text = std::string(name);
    host.loopback = (*v4)[0] == 127 || ((*v4)[0] == 0 && (*v4)[1] == 0 && (*v4)[2] == 0 && (*v4)[3] == 0);
  }
  host.key = std::string(name);
  if (host.key == "localhost" ||
      (host.key.size() > 10 && host.key.compare(host.key.size() - 10, 10, ".localhost") == 0))
    host.loopback = true;
  return host;
}

// Fills scheme, host and port from an authority; false when it is not acceptable.
bool parse_authority(std::string_view authority, Url& out) {
  if (authority.find('@') != std::string_view::npos) return false;  // no userinfo
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(0, close + 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return false;
      has_port = true;
      port = rest.substr(1);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      has_port = true;
      port = authority.substr(colon + 1);
    }
  }
  auto parsed = parse_host(host);
  if (!parsed) return false;
  out.host = std::move(*parsed);
  out.port = -1;
  if (has_port && !port.empty()) {
    long value = 0;
    for (char c : port) {
      if (!is_ascii_digit(c)) return false;
      value = value * 10 + (c - '0');
      if (value > 65535) return false;
    }
    const int default_port = out.scheme == "https" ? 443 : 80;
    if (value != default_port) out.port = static_cast<int>(value);
  }
  return true;
}

// "." and ".." segments, with "%2e" (any case) standing for '.' as browsers read it.
bool is_dot_segment(std::string_view seg) { return seg == "." || equals_nocase(seg, "%2e"); }
bool is_dot_dot_segment(std::string_view seg) {
  return seg == ".." || equals_nocase(seg, ".%2e") || equals_nocase(seg, "%2e.") ||
         equals_nocase(seg, "%2e%2e");
}

// RFC 3986 5.2.4 for a path that starts with '/'; linear.
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::string_view rest = path.substr(1);
  for (;;) {
    const std::size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    if (is_dot_segment(seg)) {
      if (last) out.emplace_back();
    } else if (is_dot_dot_segment(seg)) {
      if (!out.empty()) out.pop_back();
      if (last) out.emplace_back();
    } else {
      out.push_back(seg);
    }
    if (last) break;
    rest.remove_prefix(slash + 1);
  }
  std::string result;
  result.reserve(path.size());
  for (const std::string_view seg : out) {
    result += '/';
    result.append(seg);
  }
  if (result.empty()) result = "/";
  return result;
}

// A relative path that names no file: empty, or only empty, "." and ".." segments.
bool names_no_file(std::string_view path) {
  for (;;) {
    const std::size_t slash = path.find('/');
    const std::string_view seg = path.substr(0, slash);
    if (!seg.empty() && !is_dot_segment(seg) && !is_dot_dot_segment(seg)) return false;
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

// Percent-encodes the code points of is_suspicious(): the URL then shows what it holds.
std::string encode_suspicious(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::uint32_t cp = 0;
    const std::size_t len = utf8::decode(s, i, cp);  // valid: checked on input
    if (len > 1 && is_suspicious(cp)) {
      for (std::size_t k = 0; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        out += '%';
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
      }
    } else {
      out.append(s.substr(i, len == 0 ? 1 : len));
    }
    i += len == 0 ? 1 : len;
  }
  return out;
}

// The page-path comparison key: percent-decoded (except "%2F"), lowercased, '/' runs
// collapsed, a final "index.html"/"index.htm" and trailing '/' dropped. Over-matching only
// ever refuses a link, so it leans towards "same".
std::string path_key(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%' && i + 2 < path.size() && is_hex_digit(path[i + 1]) && is_hex_digit(path[i + 2])) {
      const char decoded = static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
      if (decoded != '/') {
        c = decoded;
        i += 2;
      }
    }
    c = lower(c);
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  for (std::string_view index : {"/index.html", "/index.htm"}) {
    if (out.size() >= index.size() && out.compare(out.size() - index.size(), index.size(), index) == 0) {
      out.resize(out.size() - index.size() + 1);
      break;
    }
  }
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

// Rule 5: the client's own page, or a page that may be it.
bool may_open_client(const Url& link, const Url& page) {
  const bool maybe_same_host =
      !link.host.exact || !page.host.exact || link.host.loopback || link.host.key == page.host.key;
  return maybe_same_host && (!link.fragment.empty() || path_key(link.path) == path_key(page.path));
}

std::string host_and_port(const Url& url) {
  return url.port < 0 ? url.host.text : url.host.text + ":" + std::to_string(url.port);
}

std::string serialize(const Url& url) {
  return url.scheme + "://" + host_and_port(url) + encode_suspicious(url.path) +
         encode_suspicious(url.query) + encode_suspicious(url.fragment);
}

// An absolute http(s) URL with an authority (query and fragment dropped): the page or the
// files base.
std::optional<Url> parse_absolute_base(std::string_view text) {
  if (!acceptable_input(text)) return std::nullopt;
  const auto parts = split(text);
  if (!parts || !parts->has_scheme || !parts->has_authority) return std::nullopt;
  Url url;
  url.scheme = lowered(parts->scheme);
  if (url.scheme != "http" && url.scheme != "https") return std::nullopt;
  if (!parse_authority(parts->authority, url)) return std::nullopt;
  url.path = remove_dot_segments(parts->path.empty() ? std::string_view("/") : parts->path);
  return url;
}

std::optional<Url> parse_files_base(std::string_view text, const std::optional<Url>& page) {
  if (text.empty()) return std::nullopt;
  if (auto absolute = parse_absolute_base(text)) return absolute;
  if (!page || !acceptable_input(text)) return std::nullopt;
  const auto parts = split(text);
  if (!parts || parts->has_scheme) return std::nullopt;
  Url url = *page;
  if (parts->has_authority) {
    if (!parse_authority(parts->authority, url)) return std::nullopt;
    url.path = remove_dot_segments(parts->path.empty() ? std::string_view("/") : parts->path);
  } else if (!parts->path.empty()) {
    const std::string merged = parts->path[0] == '/'
                                   ? std::string(parts->path)
                                   : page->path.substr(0, page->path.rfind('/') + 1) + std::string(parts->path);
    url.path = remove_dot_segments(merged);
  }
  return url;
}

LinkTarget resolve(std::string_view text, const std::optional<Url>& files, const std::optional<Url>& page) {
  const LinkTarget refused;
  if (!acceptable_input(text)) return refused;
  const auto parts = split(text);
  if (!parts) return refused;
  const Url* base = files ? &*files : page ? &*page : nullptr;

  Url url;
  if (parts->has_scheme) {
    url.scheme = lowered(parts->scheme);
    if (url.scheme != "http" && url.scheme != "https") return refused;
    // "https:x" and "https:/x" mean different things to different parsers: refused.
    if (!parts->has_authority || !has_authority(text.substr(parts->scheme.size() + 1))) return refused;
    if (!parse_authority(parts->authority, url)) return refused;
    url.path = remove_dot_segments(parts->path.empty() ? std::string_view("/") : parts->path);
  } else if (parts->has_authority) {
    // "//host/x": another host, with the base's scheme.
    if (!base || !has_authority(text)) return refused;
    url.scheme = base->scheme;
    if (!parse_authority(parts->authority, url)) return refused;
    url.path = remove_dot_segments(parts->path.empty() ? std::string_view("/") : parts->path);
  } else {
    if (names_no_file(parts->path)) return refused;           // "?x=1", "#a", "./#a", "/"
    if (!page && parts->has_fragment) return refused;         // may be the unknown page
    if (!base) {
      if (parts->path[0] != '/') return refused;              // "a.pdf": relative to what?
      LinkTarget t;
      t.url = encode_suspicious(remove_dot_segments(parts->path));
      if (parts->has_query) t.url += encode_suspicious(std::string("?").append(parts->query));
      t.linkable = t.url.size() <= kMaxLinkBytes;
      if (!t.linkable) t.url.clear();
      return t;
    }
    url.scheme = base->scheme;
    url.host = base->host;
    url.port = base->port;
    url.path = parts->path[0] == '/'
                   ? remove_dot_segments(parts->path)
                   : remove_dot_segments(base->path.substr(0, base->path.rfind('/') + 1) + std::string(parts->path));
  }
  if (parts->has_query) url.query = std::string("?").append(parts->query);
  if (parts->has_fragment) url.fragment = std::string("#").append(parts->fragment);
  if (page && may_open_client(url, *page)) return refused;

  LinkTarget t;
  t.url = serialize(url);
  if (t.url.size() > kMaxLinkBytes) return refused;
  t.linkable = true;
  t.host = host_and_port(url);
  return t;
}

struct ParsedBase {
  LinkBase raw;
  std::optional<Url> page;
  std::optional<Url> files;
};

ParsedBase& global_base() {
  static ParsedBase base;
  return base;
}

}  // namespace

LinkTarget resolve_link(std::string_view url, std::string_view files_base, std::string_view page_url) {
  const std::optional<Url> page = page_url.empty() ? std::nullopt : parse_absolute_base(page_url);
  const std::optional<Url> files = parse_files_base(files_base, page);
  return resolve(url, files, page);
}

void set_link_base(LinkBase base) {
  ParsedBase& g = global_base();
  g.page = base.page.empty() ? std::nullopt : parse_absolute_base(base.page);
  g.files = parse_files_base(base.files, g.page);
  g.raw = std::move(base);
}

const LinkBase& link_base() { return global_base().raw; }

LinkTarget resolve_link(std::string_view url) {
  const ParsedBase& g = global_base();
  return resolve(url, g.files, g.page);
}

bool is_linkable_url(std::string_view url) { return resolve_link(url).linkable; }

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
      std::size_t scheme = starts_with_ci(rest, "http://")    ? 5
                           : starts_with_ci(rest, "https://") ? 6
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
