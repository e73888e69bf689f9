#include "core/deploy_config.hpp"

#include <cstdint>
#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/ascii.hpp"
#include "protocol/utf8.hpp"

namespace gc::core {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxServers = 16;
constexpr std::size_t kMaxIceServers = 16;
constexpr std::size_t kMaxIceUrls = 8;
constexpr std::size_t kMaxUploads = 8;
constexpr std::size_t kMaxUrlBytes = 2048;
constexpr std::size_t kMaxIceSecretBytes = 512;
constexpr std::size_t kMaxUrlPathBytes = 256;
constexpr std::size_t kMaxFieldBytes = 64;
constexpr std::size_t kMaxUploadAnswerBytes = 1024 * 1024;
// The deepest container the format has: root {} > iceServers [] > entry {} > urls [].
constexpr int kMaxContainerDepth = 3;

using ascii::has_control_or_space;
using ascii::lower;
using ascii::lowered;
using ascii::starts_with_ci;

// Untrusted text for a problem line: at most `max` bytes, printable ASCII only.
std::string printable(std::string_view s, std::size_t max = 60) {
  std::string out;
  std::size_t n = 0;
  for (char c : s) {
    if (++n > max) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7F && c != '"' && c != '\\') ? c : '?';
  }
  return out;
}

std::string in_quotes(std::string_view s) { return "\"" + printable(s) + "\""; }

const char* type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    case Json::value_t::number_float: return "a fraction";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "a number";
    default: return "something else";
  }
}

struct SplitUrl {
  std::string scheme;     // lowercased, without "://"
  std::string authority;  // as given
  std::string rest;       // path, query and fragment, as given
};

// "scheme://authority/rest" for the given schemes (any case); nullopt otherwise.
std::optional<SplitUrl> split_url(std::string_view s, std::initializer_list<const char*> schemes) {
  for (const char* scheme : schemes) {
    const std::string prefix = std::string(scheme) + "://";
    if (!starts_with_ci(s, prefix)) continue;
    const std::string_view after = s.substr(prefix.size());
    const std::size_t end = after.find_first_of("/?#");
    SplitUrl out;
    out.scheme = scheme;
    out.authority = std::string(after.substr(0, end));
    out.rest = end == std::string_view::npos ? std::string() : std::string(after.substr(end));
    return out;
  }
  return std::nullopt;
}

// "Host:443" for https -> "host"; any case -> lower.
std::string canonical_authority(std::string_view authority, std::string_view scheme) {
  std::string a = lowered(authority);
  const char* default_port = (scheme == "wss" || scheme == "https") ? ":443" : ":80";
  const std::string dp(default_port);
  if (a.size() > dp.size() && a.compare(a.size() - dp.size(), dp.size(), dp) == 0)
    a.resize(a.size() - dp.size());
  return a;
}

bool plain_ascii_authority(std::string_view a) {
  if (a.empty()) return false;
  for (char c : a) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return a.front() != ':';
}

std::string page_scheme(std::string_view page_protocol) {
  std::string p = lowered(page_protocol);
  if (!p.empty() && p.back() == ':') p.pop_back();
  return p;
}

// A path on this origin ("/upload", "upload", "../up"): not protocol-relative, no scheme.
bool is_relative_path(std::string_view s) {
  if (s.empty() || has_control_or_space(s)) return false;
  if (s.find('\\') != std::string_view::npos) return false;  // browsers read '\' as '/'
  if (s.size() >= 2 && s[0] == '/' && s[1] == '/') return false;
  const std::size_t colon = s.find(':');
  const std::size_t delim = s.find_first_of("/?#");
  return colon == std::string_view::npos || (delim != std::string_view::npos && delim < colon);
}

// http(s)://authority/... with an authority free of credentials and odd characters.
std::optional<SplitUrl> plain_http_url(std::string_view s) {
  if (s.empty() || has_control_or_space(s) || s.find('\\') != std::string_view::npos) return std::nullopt;
  auto split = split_url(s, {"https", "http"});
  if (!split || !plain_ascii_authority(split->authority)) return std::nullopt;
  return split;
}

// Why a URL for `servers` is refused, or "" when it is fine.
std::string server_url_problem(std::string_view s) {
  if (s.size() > kMaxUrlBytes) return "longer than 2048 bytes";
  if (!is_websocket_url(s)) return "not a ws:// or wss:// URL";
  const auto split = split_url(s, {"wss", "ws"});
  if (split->authority.find('@') != std::string::npos) return "credentials in the URL are not allowed";
  if (s.find('#') != std::string_view::npos) return "a WebSocket URL cannot have a fragment";
  return "";
}

// Why an upload url or files base is refused, or "".
std::string http_url_problem(std::string_view s) {
  if (s.size() > kMaxUrlBytes) return "longer than 2048 bytes";
  if (starts_with_ci(s, "http://") || starts_with_ci(s, "https://")) {
    const auto split = split_url(s, {"https", "http"});
    if (split->authority.find('@') != std::string::npos) return "credentials in the URL are not allowed";
    if (!plain_http_url(s)) return "not a valid http(s) URL";
    return "";
  }
  if (!is_relative_path(s)) return "expected a path on this site or an http(s) URL";
  return "";
}

std::string ice_url_problem(std::string_view s) {
  if (s.size() > kMaxUrlBytes) return "longer than 2048 bytes";
  if (has_control_or_space(s)) return "spaces or control characters";
  bool scheme_ok = false;
  for (std::string_view scheme : {"stun:", "stuns:", "turn:", "turns:"})
    if (starts_with_ci(s, scheme) && s.size() > scheme.size()) scheme_ok = true;
  if (!scheme_ok) return "not a stun:, stuns:, turn: or turns: URL";
  if (s.find('@') != std::string_view::npos)
    return "credentials belong in username and credential, not in the URL";
  return "";
}

bool is_turn(std::string_view s) { return starts_with_ci(s, "turn:") || starts_with_ci(s, "turns:"); }

bool valid_url_path(std::string_view s) {
  if (s.empty() || s.size() > kMaxUrlPathBytes || has_control_or_space(s)) return false;
  if (s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return false;
  return true;
}

bool valid_field_name(std::string_view s) {
  if (s.empty() || s.size() > kMaxFieldBytes) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::uint64_t> integer_value(const Json& j) {
  if (j.is_number_unsigned()) return j.get<std::uint64_t>();
  if (j.is_number_integer()) {
    const std::int64_t v = j.get<std::int64_t>();
    if (v < 0) return std::nullopt;
    return static_cast<std::uint64_t>(v);
  }
  return std::nullopt;
}

// Each problem line is joined from parts in one place (not a chain of string temporaries at
// every call site: the Wasm client stays small).
class Parser {
 public:
  explicit Parser(DeployConfig& out) : out_(out) {}

  void say(std::initializer_list<std::string_view> parts) {
    std::string line;
    for (std::string_view p : parts) line += p;
    out_.problems.push_back(std::move(line));
  }
  // "<what>: expected <expected>, got <type>"
  void wrong_type(std::string_view what, std::string_view expected, const Json& v) {
    say({what, ": expected ", expected, ", got ", type_name(v)});
  }
  void unknown(std::string_view where, const std::string& key) {
    if (!key.empty() && key.front() == '_') return;  // a comment
    say({where, where.empty() ? "" : ": ", "unknown key ", in_quotes(key), " ignored"});
  }

  void servers(const Json& v) {
    if (!v.is_array()) return wrong_type("servers", "an array of ws:// or wss:// URLs", v);
    std::vector<std::string> kept;
    std::vector<std::string> seen;  // canonical forms (at most 16: a vector is enough)
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string at = "servers[" + std::to_string(i) + "]";
      if (i >= kMaxServers) {
        say({"servers: more than 16 entries; the rest are ignored"});
        break;
      }
      std::string why = v[i].is_string() ? server_url_problem(v[i].get_ref<const std::string&>())
                                         : std::string("expected a string, got ") + type_name(v[i]);
      if (why.empty()) {
        std::string canonical = *canonical_websocket_url(v[i].get_ref<const std::string&>());
        if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) why = "listed twice";
        seen.push_back(std::move(canonical));
      }
      if (!why.empty()) {
        say({at, ": ", why});
        continue;
      }
      kept.push_back(v[i].get<std::string>());
    }
    out_.servers = std::move(kept);
  }

  // One RTCIceServer into `server`; false when the entry is ignored (the reason said).
  bool ice_server(const Json& e, const std::string& at, IceServer& server) {
    if (!e.is_object()) return wrong_type(at, "an object with urls", e), false;
    bool ok = true;
    for (auto it = e.begin(); it != e.end(); ++it) {
      const std::string& key = it.key();
      if (key == "urls" || key == "url") {
        const Json* list = &*it;
        Json one;
        if (it->is_string()) {
          one = Json::array({*it});
          list = &one;
        }
        if (!list->is_array() || list->size() > kMaxIceUrls) {
          say({at, ".", key, ": expected a string or an array of at most 8 strings"});
          ok = false;
          continue;
        }
        for (const Json& u : *list) {
          const std::string why = u.is_string() ? ice_url_problem(u.get_ref<const std::string&>())
                                                : std::string("expected strings, got ") + type_name(u);
          if (!why.empty()) {
            say({at, ".", key, ": ", why});
            ok = false;
          } else {
            server.urls.push_back(u.get<std::string>());
          }
        }
      } else if (key == "username" || key == "credential") {
        const bool fine = it->is_string() && it->get_ref<const std::string&>().size() <= kMaxIceSecretBytes &&
                          !has_control_or_space(it->get_ref<const std::string&>());
        // Never echo the value: it is a secret.
        if (!fine) {
          say({at, ".", key, ": expected a string of at most 512 printable characters"});
          ok = false;
          continue;
        }
        (key == "username" ? server.username : server.credential) = it->get<std::string>();
      } else {
        unknown(at, key);
      }
    }
    if (!ok) return say({at, ": entry ignored"}), false;
    if (server.urls.empty()) return say({at, ": no urls; entry ignored"}), false;
    bool turn = false;
    for (const auto& u : server.urls) turn = turn || is_turn(u);
    if (turn && (server.username.empty() || server.credential.empty()))
      return say({at, ": a turn: server needs username and credential; entry ignored"}), false;
    return true;
  }

  void ice_servers(const Json& v) {
    if (!v.is_array()) return wrong_type("iceServers", "an array of RTCIceServer objects", v);
    std::vector<IceServer> kept;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i >= kMaxIceServers) {
        say({"iceServers: more than 16 entries; the rest are ignored"});
        break;
      }
      IceServer server;
      if (ice_server(v[i], "iceServers[" + std::to_string(i) + "]", server)) kept.push_back(std::move(server));
    }
    out_.ice_servers = std::move(kept);
  }

  std::optional<UploadApi> upload_entry(const Json& e, const std::string& at) {
    if (!e.is_object()) return wrong_type(at, "an object with url, field and urlPath", e), std::nullopt;
    UploadApi api;
    bool has_url = false;
    for (auto it = e.begin(); it != e.end(); ++it) {
      const std::string& key = it.key();
      const std::string* s = it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
      std::string why;
      if (key == "url") {
        why = s ? http_url_problem(*s) : "expected a string";
        if (why.empty()) api.url = *s;
        has_url = true;
      } else if (key == "field") {
        if (!s || (!s->empty() && !valid_field_name(*s)))
          why = "expected a form field name (letters, digits, _ - . [ ]; at most 64)";
        else
          api.field = *s;
      } else if (key == "urlPath") {
        if (!s || !valid_url_path(*s))
          why = "expected keys separated by dots, such as \"data.fileUrl\"";
        else
          api.url_path = *s;
      } else {
        unknown(at, key);
      }
      if (!why.empty()) return say({at, ".", key, ": ", why}), std::nullopt;
    }
    if (!has_url) return say({at, ": no url"}), std::nullopt;
    return api;
  }

  void upload(const Json& v) {
    std::vector<UploadApi> kept;
    if (v.is_object()) {
      if (auto api = upload_entry(v, "upload")) kept.push_back(std::move(*api));
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i >= kMaxUploads) {
          say({"upload: more than 8 entries; the rest are ignored"});
          break;
        }
        if (auto api = upload_entry(v[i], "upload[" + std::to_string(i) + "]")) kept.push_back(std::move(*api));
      }
    } else {
      wrong_type("upload", "an object {url, field, urlPath} or an array of them", v);
    }
    out_.uploads = std::move(kept);
  }

  void files(const Json& v) {
    if (!v.is_string()) return wrong_type("files", "a URL string", v);
    const std::string why = http_url_problem(v.get_ref<const std::string&>());
    if (!why.empty()) return say({"files: ", why});
    out_.files = v.get<std::string>();
  }

  void language(const Json& v) {
    if (v.is_string()) {
      const std::string l = lowered(v.get_ref<const std::string&>());
      const std::string base = l.substr(0, l.find_first_of("-_"));
      if (base == "zh" || base == "en") {
        out_.language = base;
        return;
      }
    }
    say({"language: expected \"zh\" or \"en\""});
  }

  void kiosk(const Json& v) {
    if (!v.is_object()) return wrong_type("kiosk", "an object {rotateSeconds, publish}", v);
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& key = it.key();
      if (key == "rotateSeconds") {
        const auto n = integer_value(*it);
        if (n && *n >= 2 && *n <= 3600) out_.kiosk.rotate_seconds = static_cast<int>(*n);
        else say({"kiosk.rotateSeconds: expected a whole number of seconds from 2 to 3600"});
      } else if (key == "publish") {
        if (it->is_boolean()) out_.kiosk.publish = it->get<bool>();
        else wrong_type("kiosk.publish", "true or false", *it);
      } else {
        unknown("kiosk", key);
      }
    }
  }

  void bounded(const Json& v, const char* name, std::uint64_t min, std::uint64_t max, std::size_t& into) {
    const auto n = integer_value(v);
    if (n && *n >= min && *n <= max) {
      into = static_cast<std::size_t>(*n);
      return;
    }
    say({name, ": expected a whole number from ", std::to_string(min), " to ", std::to_string(max), "; keeping ",
         std::to_string(into)});
  }

 private:
  DeployConfig& out_;
};

DeployConfig error_config(std::string line) {
  DeployConfig c;
  c.source = ConfigSource::kError;
  c.problems.push_back(std::move(line));
  return c;
}

bool looks_like_html(std::string_view content_type, std::string_view body) {
  if (starts_with_ci(content_type, "text/html")) return true;
  std::size_t i = 0;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) ++i;
  return i < body.size() && body[i] == '<';
}

}  // namespace

const char* to_string(ConfigSource source) {
  switch (source) {
    case ConfigSource::kNone: return "none";
    case ConfigSource::kFile: return "file";
    case ConfigSource::kError: return "error";
  }
  return "none";
}

DeployConfig parse_deploy_config(std::string_view text) {
  if (text.size() > kMaxDeployConfigBytes)
    return error_config("larger than 64 KiB");
  if (!utf8::is_valid(text)) return error_config("not valid UTF-8");

  // Keys given twice (at any depth) and containers nested deeper than the format needs are
  // found while parsing: nlohmann keeps the last duplicate silently.
  // Keys seen in the open object at each depth (kept sorted: a hostile file may hold
  // thousands of keys in one object).
  std::vector<std::vector<std::string>> keys_at_depth(1);
  std::string top_key;
  std::vector<std::pair<std::string, std::string>> ambiguous_top;  // top-level key, why it is not used
  const auto ambiguous = [&ambiguous_top](const std::string& key, std::string why) {
    for (const auto& a : ambiguous_top)
      if (a.first == key) return;
    ambiguous_top.emplace_back(key, std::move(why));
  };
  const auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (depth > kMaxContainerDepth) {
          if (!top_key.empty()) ambiguous(top_key, "nests deeper than the format allows");
          return false;  // not built
        }
        if (event == Json::parse_event_t::object_start) {
          if (keys_at_depth.size() < static_cast<std::size_t>(depth) + 2) keys_at_depth.resize(depth + 2);
          keys_at_depth[depth + 1].clear();
        }
        return true;
      case Json::parse_event_t::key: {
        if (depth < 1 || static_cast<std::size_t>(depth) >= keys_at_depth.size()) return true;
        const std::string key = parsed.is_string() ? parsed.get<std::string>() : std::string();
        if (depth == 1) top_key = key;
        std::vector<std::string>& seen = keys_at_depth[depth];
        const auto at = std::lower_bound(seen.begin(), seen.end(), key);
        if (at != seen.end() && *at == key) {
          if (depth == 1) ambiguous(key, "is given twice");
          else ambiguous(top_key, "holds the key " + in_quotes(key) + " twice");
        } else {
          seen.insert(at, key);
        }
        return true;
      }
      default:
        return true;
    }
  };
  Json root = Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/false);
  if (root.is_discarded()) return error_config("not valid JSON");
  if (!root.is_object())
    return error_config(std::string("must hold an object {...}, not ") + type_name(root));

  DeployConfig out;
  out.source = ConfigSource::kFile;
  Parser p(out);
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string& key = it.key();
    const Json& v = *it;
    const auto bad = std::find_if(ambiguous_top.begin(), ambiguous_top.end(),
                                  [&key](const auto& a) { return a.first == key; });
    if (bad != ambiguous_top.end()) {
      p.say({printable(key), ": ", bad->second, "; ignored, the default is kept"});
      continue;
    }
    if (key == "servers") p.servers(v);
    else if (key == "iceServers") p.ice_servers(v);
    else if (key == "upload") p.upload(v);
    else if (key == "files") p.files(v);
    else if (key == "language") p.language(v);
    else if (key == "kiosk") p.kiosk(v);
    else if (key == "maxFrameBytes") p.bounded(v, "maxFrameBytes", 1024, 1024 * 1024, out.max_frame_bytes);
    else if (key == "maxLiveSubscriptions") p.bounded(v, "maxLiveSubscriptions", 1, 200, out.max_live_subscriptions);
    else p.unknown("", key);
  }
  return out;
}

DeployConfig deploy_config_from_fetch(int status, std::string_view content_type, std::string_view body,
                                      std::string_view error) {
  if (!error.empty()) return error_config("could not be loaded: " + printable(error, 200));
  if (status == 404 || status == 410) return DeployConfig{};
  if (status < 200 || status > 299)
    return error_config("could not be loaded: HTTP " + std::to_string(status));
  if (looks_like_html(content_type, body)) {
    DeployConfig c;
    c.problems.push_back("an HTML page was served in its place; treated as absent");
    return c;
  }
  return parse_deploy_config(body);
}

std::optional<std::string> canonical_websocket_url(std::string_view url) {
  if (!is_websocket_url(url)) return std::nullopt;
  auto split = split_url(url, {"wss", "ws"});
  std::string rest = split->rest.empty() || split->rest.front() != '/' ? "/" + split->rest : split->rest;
  return split->scheme + "://" + canonical_authority(split->authority, split->scheme) + rest;
}

namespace {

// The default server: config.json's first, else default_server_url(page).
std::string default_server(const DeployConfig& config, std::string_view page_protocol,
                           std::string_view page_host) {
  if (!config.servers.empty()) return config.servers.front();
  return default_server_url(page_protocol, page_host);
}

}  // namespace

bool server_allowed(std::string_view url, const DeployConfig& config, std::string_view page_protocol,
                    std::string_view page_host) {
  const auto canonical = canonical_websocket_url(url);
  if (!canonical || !server_url_problem(url).empty()) return false;
  if (config.servers.empty())
    return *canonical == canonical_websocket_url(default_server_url(page_protocol, page_host));
  for (const std::string& s : config.servers)
    if (*canonical == canonical_websocket_url(s)) return true;
  return false;
}

namespace {

// An upload URL made comparable: absolute ones with scheme and host lowercased and the
// default port dropped; "/path" on this origin made absolute; other relative ones as given.
std::optional<std::string> comparable_upload_url(std::string_view url, std::string_view page_protocol,
                                                 std::string_view page_host) {
  if (auto split = plain_http_url(url))
    return split->scheme + "://" + canonical_authority(split->authority, split->scheme) +
           (split->rest.empty() ? "/" : split->rest);
  if (!is_relative_path(url)) return std::nullopt;
  if (url.front() == '/' && !page_host.empty()) {
    const std::string scheme = page_scheme(page_protocol) == "https" ? "https" : "http";
    return scheme + "://" + canonical_authority(page_host, scheme) + std::string(url);
  }
  return std::string(url);
}

}  // namespace

bool upload_allowed(std::string_view url, const DeployConfig& config, std::string_view page_protocol,
                    std::string_view page_host) {
  if (!http_url_problem(url).empty()) return false;
  const auto mine = comparable_upload_url(url, page_protocol, page_host);
  if (!mine) return false;
  if (!config.uploads.empty()) {
    for (const UploadApi& api : config.uploads)
      if (mine == comparable_upload_url(api.url, page_protocol, page_host)) return true;
    return false;
  }
  if (is_relative_path(url)) return true;
  // An absolute URL: exactly this page's origin.
  const auto split = plain_http_url(url);
  const std::string scheme = page_scheme(page_protocol);
  return split && !page_host.empty() && split->scheme == scheme &&
         canonical_authority(split->authority, scheme) == canonical_authority(page_host, scheme);
}

FragmentTrust check_fragment(const UrlConfig& fragment, const DeployConfig& config,
                             std::string_view page_protocol, std::string_view page_host) {
  FragmentTrust t;
  t.server = default_server(config, page_protocol, page_host);
  if (fragment.server_requested) {
    if (server_allowed(*fragment.server_requested, config, page_protocol, page_host)) {
      t.server = *fragment.server_requested;
      t.server_from_fragment = true;
    } else {
      t.refused_server = *fragment.server_requested;
    }
  }
  if (!config.uploads.empty()) t.upload = config.uploads.front();
  if (fragment.upload_requested) {
    const std::string& want = *fragment.upload_requested;
    if (!upload_allowed(want, config, page_protocol, page_host)) {
      t.refused_upload = want;
    } else if (config.uploads.empty()) {
      t.upload = UploadApi{};
      t.upload.url = want;
    } else {
      const auto mine = comparable_upload_url(want, page_protocol, page_host);
      for (const UploadApi& api : config.uploads)
        if (mine == comparable_upload_url(api.url, page_protocol, page_host)) {
          t.upload = api;
          break;
        }
    }
  }
  return t;
}

std::optional<std::string> certificate_page_url(std::string_view server, std::string_view page_protocol,
                                                std::string_view page_host) {
  if (!is_websocket_url(server) || !starts_with_ci(server, "wss://")) return std::nullopt;
  const auto split = split_url(server, {"wss"});
  if (!plain_ascii_authority(split->authority)) return std::nullopt;  // no '@', no IDN
  const std::string authority = canonical_authority(split->authority, "wss");
  if (page_scheme(page_protocol) == "https" && authority == canonical_authority(page_host, "https"))
    return std::nullopt;  // the page's own origin: its certificate is already accepted
  return "https://" + authority + "/";
}

std::string upload_file_url(std::string_view body, std::string_view url_path) {
  if (body.size() > kMaxUploadAnswerBytes) return {};
  const Json json = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return {};
  const auto at = [&json](std::string_view path) -> std::string {
    const Json* node = &json;
    while (!path.empty()) {
      const std::size_t dot = path.find('.');
      const std::string key(path.substr(0, dot));
      path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
      if (node->is_object()) {
        const auto it = node->find(key);
        if (it == node->end()) return {};
        node = &*it;
      } else if (node->is_array()) {
        const auto index = parse_integer(key, 0, 1000000);
        if (!index || static_cast<std::size_t>(*index) >= node->size()) return {};
        node = &(*node)[static_cast<std::size_t>(*index)];
      } else {
        return {};
      }
    }
    return node->is_string() ? node->get<std::string>() : std::string();
  };
  if (!url_path.empty()) return at(url_path);
  std::string url = at("fileUrl");
  return url.empty() ? at("url") : url;
}

}  // namespace gc::core
