#include "core/url_config.hpp"
#include "core/ascii.hpp"
#include "protocol/messages.hpp"
#include "protocol/utf8.hpp"

#include <cstdint>

namespace gc::core {
namespace {

using ascii::has_control_or_space;
using ascii::lower;
using ascii::lowered;
using ascii::starts_with_ci;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<bool> parse_flag(std::string_view s) {
  const std::string v = lowered(s);
  if (v == "1" || v == "true" || v == "yes" || v == "on" || v.empty()) return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return std::nullopt;
}

// ws:// or wss:// followed by a non-empty authority.
bool valid_server_url_impl(std::string_view s) {
  std::size_t rest = 0;
  if (starts_with_ci(s, "ws://"))
    rest = 5;
  else if (starts_with_ci(s, "wss://"))
    rest = 6;
  else
    return false;
  if (has_control_or_space(s)) return false;
  const std::size_t end = s.find_first_of("/?#", rest);
  const std::string_view authority = s.substr(rest, end == std::string_view::npos ? s.npos : end - rest);
  return !authority.empty() && authority.front() != '@' && authority.front() != ':';
}

// A path on this origin ("/upload", "upload") or an absolute http(s) URL.
bool valid_upload_url(std::string_view s) {
  if (s.empty() || has_control_or_space(s)) return false;
  if (starts_with_ci(s, "http://") || starts_with_ci(s, "https://")) {
    const std::size_t rest = s.find("//") + 2;
    return rest < s.size() && s[rest] != '/';
  }
  if (s.size() >= 2 && (s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\'))
    return false;  // protocol-relative: another host in disguise
  const std::size_t colon = s.find(':');
  const std::size_t delim = s.find_first_of("/?#");
  return colon == std::string_view::npos || (delim != std::string_view::npos && delim < colon);
}

bool valid_ice_url(std::string_view s) {
  if (has_control_or_space(s)) return false;
  for (std::string_view scheme : {"stun:", "stuns:", "turn:", "turns:"})
    if (starts_with_ci(s, scheme) && s.size() > scheme.size()) return true;
  return false;
}

std::optional<std::string> parse_lang(std::string_view s) {
  const std::string v = lowered(s);
  const std::string base = v.substr(0, v.find_first_of("-_"));
  if (base == "zh" || base == "en") return base;
  return std::nullopt;
}

}  // namespace

bool is_websocket_url(std::string_view url) { return valid_server_url_impl(url); }

std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t min,
                                          std::int64_t max) {
  // 16 digits stay below 10^16 < 2^63, so the loop cannot overflow; 2^53-1 has 16 digits.
  if (text.empty() || text.size() > 16) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < min || v > max) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_wire_integer(std::string_view text) {
  return parse_integer(text, 0, protocol::kMaxWireInteger);
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hex_value(text[i + 1]);
    const int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  if (out.find('\0') != std::string::npos || !utf8::is_valid(out)) return std::nullopt;
  return out;
}

std::string percent_encode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool keep = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                      u == '-' || u == '_' || u == '.' || u == '!' || u == '~' || u == '*' ||
                      u == '\'' || u == '(' || u == ')';
    if (keep) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

std::string default_server_url(std::string_view page_protocol, std::string_view page_host) {
  std::string proto = lowered(page_protocol);
  if (!proto.empty() && proto.back() == ':') proto.pop_back();
  const std::string scheme = proto == "https" ? "wss://" : "ws://";
  const std::string host = page_host.empty() ? std::string("127.0.0.1:8080") : std::string(page_host);
  return scheme + host + "/groupcall";
}

std::string fragment_without(std::string_view fragment, std::string_view key) {
  if (!fragment.empty() && fragment.front() == '#') fragment.remove_prefix(1);
  std::string out;
  while (!fragment.empty()) {
    const std::size_t amp = fragment.find('&');
    const std::string_view pair = fragment.substr(0, amp);
    fragment = amp == std::string_view::npos ? std::string_view{} : fragment.substr(amp + 1);
    if (pair.empty()) continue;
    const auto decoded = percent_decode(pair.substr(0, pair.find('=')));
    if (decoded && lowered(*decoded) == key) continue;
    if (!out.empty()) out += '&';
    out += pair;
  }
  return out;
}

UrlConfig parse_url_fragment(std::string_view fragment, std::string_view page_protocol,
                             std::string_view page_host) {
  UrlConfig cfg;
  std::optional<bool> publish;
  if (!fragment.empty() && fragment.front() == '#') fragment.remove_prefix(1);

  while (!fragment.empty()) {
    const std::size_t amp = fragment.find('&');
    const std::string_view pair = fragment.substr(0, amp);
    fragment = amp == std::string_view::npos ? std::string_view{} : fragment.substr(amp + 1);
    if (pair.empty()) continue;

    const std::size_t eq = pair.find('=');
    const std::string_view raw_key = pair.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    const auto key_decoded = percent_decode(raw_key);
    if (!key_decoded) {
      cfg.problems.push_back("malformed key: " + std::string(raw_key));
      continue;
    }
    const std::string key = lowered(*key_decoded);
    const auto value = percent_decode(raw_value);
    if (!value) {
      cfg.problems.push_back(key + ": malformed percent-encoding");
      continue;
    }
    const auto reject = [&](const char* why) { cfg.problems.push_back(key + ": " + why); };

    if (key == "server") {
      if (!value->empty()) cfg.server_requested = *value;
      if (is_websocket_url(*value)) {
        cfg.server = *value;
        cfg.server_from_fragment = true;
      } else {
        reject("expected a ws:// or wss:// URL");
      }
    } else if (key == "room") {
      if (auto v = parse_wire_integer(*value)) cfg.room = *v;
      else reject("expected a number from 0 to 2^53-1");
    } else if (key == "user") {
      if (auto v = parse_wire_integer(*value)) cfg.user = *v;
      else reject("expected a number from 0 to 2^53-1");
    } else if (key == "pw") {
      cfg.password = *value;
    } else if (key == "kiosk") {
      if (auto v = parse_flag(*value)) cfg.kiosk = *v;
      else reject("expected 1 or 0");
    } else if (key == "publish") {
      if (auto v = parse_flag(*value)) publish = *v;
      else reject("expected 1 or 0");
    } else if (key == "lang") {
      if (auto v = parse_lang(*value)) cfg.lang = *v;
      else reject("expected zh or en");
    } else if (key == "w") {
      if (auto v = parse_integer(*value, 16, 4096)) cfg.video_width = static_cast<int>(*v);
      else reject("expected a width from 16 to 4096");
    } else if (key == "h") {
      if (auto v = parse_integer(*value, 16, 4096)) cfg.video_height = static_cast<int>(*v);
      else reject("expected a height from 16 to 4096");
    } else if (key == "rotate") {
      if (auto v = parse_integer(*value, 2, 3600)) {
        cfg.kiosk_page_seconds = static_cast<int>(*v);
        cfg.kiosk_page_seconds_set = true;
      } else reject("expected seconds from 2 to 3600");
    } else if (key == "layout") {
      if (auto v = parse_view_layout(*value)) {
        cfg.layout = *v;
        cfg.layout_set = true;
      } else reject("expected speaker or grid");
    } else if (key == "fps") {
      if (auto v = parse_integer(*value, 1, 60)) cfg.video_fps = static_cast<int>(*v);
      else reject("expected a frame rate from 1 to 60");
    } else if (key == "upload") {
      if (!value->empty()) cfg.upload_requested = *value;
      if (valid_upload_url(*value)) cfg.upload_url = *value;
      else reject("expected a path or an http(s) URL");
    } else if (key == "ice") {
      if (valid_ice_url(*value)) cfg.ice_servers.push_back(*value);
      else reject("expected a stun: or turn: URL");
    }
  }

  if (cfg.server.empty()) cfg.server = default_server_url(page_protocol, page_host);
  cfg.publish = publish.value_or(!cfg.kiosk);
  cfg.publish_set = publish.has_value();
  return cfg;
}

}  // namespace gc::core
