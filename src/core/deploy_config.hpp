// The deployment config (issue 11, item 1): `config.json` beside index.html, optional, read
// before anything connects, and the rule for what a URL fragment may choose.
//
// config.json (every key optional; unknown keys are ignored with a problem line, except
// keys starting with '_', which are comments):
//   servers               ["wss://meet.example.com:8443/groupcall", ...]  allowed signalling
//                         URLs; the first is the default. ws:// or wss://, no credentials,
//                         no fragment, at most 16, each at most 2048 bytes.
//   iceServers            [{"urls": "stun:..." | ["turn:...", ...], "username": "...",
//                         "credential": "..."}]  RTCIceServer objects; urls are stun:,
//                         stuns:, turn: or turns: (a turn(s): entry needs username and
//                         credential, as the browser requires). At most 16 entries.
//   upload                {"url": "/upload", "field": "file", "urlPath": "data.fileUrl"} or
//                         an array of them (the first is the default; a fragment may pick
//                         another). url: a path on this origin or an http(s) URL without
//                         credentials. field: "" or absent = the reference server's API
//                         (the file is the raw request body, its name in X-File-Name);
//                         otherwise a multipart/form-data POST with the file in this form
//                         field. urlPath: where the file's URL sits in the JSON answer,
//                         dot-separated keys (array indexes as numbers); absent = "fileUrl"
//                         (or "url", as the reference server and many others answer).
//   files                 base URL that relative fileUrls resolve against (links.hpp)
//   language              "zh" or "en": the default before navigator.language
//   kiosk                 {"rotateSeconds": 2..3600, "publish": true|false}: kiosk defaults
//                         the fragment's rotate= / publish= override
//   maxFrameBytes         1024..1048576, default 8192: the largest frame sent (rule 12)
//   maxLiveSubscriptions  1..200, default 25: receive connections open at once (rule 11)
//
// Nothing in it is fatal. A bad value keeps its default and adds a readable problem line
// (never echoing a credential). A key given twice is ambiguous (parsers disagree on which
// one wins), so the whole key keeps its default; so does a key whose value nests deeper than
// the format needs (that part is not even built). A file that is not UTF-8, not JSON, not
// an object, or over kMaxDeployConfigBytes is treated as absent with one problem line
// (source kError).
//
// Who may choose the server and the upload endpoint (check_fragment):
//  - With config.json's `servers`: a fragment's server= must be one of them (compared with
//    scheme and host case-insensitive and the default port dropped).
//  - Without them: only the page's own origin, default_server_url(page).
//  - Likewise upload=: one of config.json's `upload` URLs, or without them a path on this
//    origin or an http(s) URL on exactly this origin.
//  - Anything else is refused (the caller shows an error screen naming it, and opens no
//    socket and no camera); a server the user types on the join screen is consent and is
//    not checked here.
//
// Pure and native: the page's location.protocol and location.host are arguments.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/url_config.hpp"

namespace gc::core {

inline constexpr std::size_t kMaxDeployConfigBytes = 64 * 1024;
inline constexpr std::size_t kDefaultMaxFrameBytes = 8192;
inline constexpr std::size_t kDefaultMaxLiveSubscriptions = 25;

struct IceServer {
  std::vector<std::string> urls;
  std::string username;
  std::string credential;
  friend bool operator==(const IceServer& a, const IceServer& b) {
    return a.urls == b.urls && a.username == b.username && a.credential == b.credential;
  }
};

struct UploadApi {
  std::string url = "/upload";
  std::string field;     // "" = raw body + X-File-Name; else the multipart form field
  std::string url_path;  // "" = "fileUrl", else "url"; "data.fileUrl" = {"data":{"fileUrl":…}}
  friend bool operator==(const UploadApi& a, const UploadApi& b) {
    return a.url == b.url && a.field == b.field && a.url_path == b.url_path;
  }
};

struct KioskDefaults {
  std::optional<int> rotate_seconds;
  std::optional<bool> publish;
};

enum class ConfigSource { kNone, kFile, kError };
const char* to_string(ConfigSource source);  // "none", "file", "error"

struct DeployConfig {
  ConfigSource source = ConfigSource::kNone;
  std::vector<std::string> servers;  // empty: the page's own origin only
  std::vector<IceServer> ice_servers;
  std::vector<UploadApi> uploads;  // empty: UploadApi{} on this origin
  std::string files;               // "" = resolve relative fileUrls against the page
  std::string language;            // "zh", "en" or ""
  KioskDefaults kiosk;
  std::size_t max_frame_bytes = kDefaultMaxFrameBytes;
  std::size_t max_live_subscriptions = kDefaultMaxLiveSubscriptions;
  std::vector<std::string> problems;  // one readable line each, for the console and state()
};

// The text of config.json. Never throws; see the header comment for what is accepted.
DeployConfig parse_deploy_config(std::string_view text);

// What the page's fetch of config.json gave: `error` non-empty when the request failed (network,
// timeout, over the size cap), else the HTTP status, Content-Type and body. 404 and 410 mean
// "no config" (kNone); an HTML answer (a server that answers every path with its index page)
// also counts as absent, with a problem line; another status or error is kError.
DeployConfig deploy_config_from_fetch(int status, std::string_view content_type,
                                      std::string_view body, std::string_view error);

// The outcome of the fragment's server= and upload= against the config and the page.
struct FragmentTrust {
  std::string server;  // the server to use: the fragment's when allowed, else the default
  bool server_from_fragment = false;
  std::optional<std::string> refused_server;  // server= given and not allowed
  UploadApi upload;                           // the upload endpoint to use
  std::optional<std::string> refused_upload;  // upload= given and not allowed
  bool refused() const { return refused_server.has_value() || refused_upload.has_value(); }
};

FragmentTrust check_fragment(const UrlConfig& fragment, const DeployConfig& config,
                             std::string_view page_protocol, std::string_view page_host);

bool server_allowed(std::string_view url, const DeployConfig& config,
                    std::string_view page_protocol, std::string_view page_host);
bool upload_allowed(std::string_view url, const DeployConfig& config,
                    std::string_view page_protocol, std::string_view page_host);

// "ws://Host:80/x" -> "ws://host/x": scheme and host lowercased, the scheme's default port
// dropped, an empty path made "/". nullopt when `url` is not is_websocket_url.
std::optional<std::string> canonical_websocket_url(std::string_view url);

// For a wss: server on another origin than the page: "https://host:port/", the page to open
// once to accept a self-signed certificate (a browser fails such a WebSocket silently).
// nullopt for ws:, for the page's own origin, and for anything with credentials or a host
// that is not plain ASCII.
std::optional<std::string> certificate_page_url(std::string_view server,
                                                std::string_view page_protocol,
                                                std::string_view page_host);

// The string at `url_path` in a JSON answer ("" = "fileUrl", else "url"), or "" when the
// body is not JSON or holds no string there.
std::string upload_file_url(std::string_view body, std::string_view url_path);

}  // namespace gc::core
