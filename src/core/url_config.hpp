// The page's URL fragment as configuration: what to join, how, and whether this is a kiosk.
//
// Keys (all optional, `&`-separated `key=value`, values percent-encoded; `+` is a literal
// plus, not a space, because fragments are not form data):
//   server   ws:// or wss:// URL of the groupcall endpoint (only one the deployment allows:
//            deploy_config.hpp check_fragment; the raw value is kept in server_requested)
//   room     room number (0 .. 2^53-1)
//   user     user id (0 .. 2^53-1)
//   pw       room password (kept in memory only; the caller must never store it)
//   kiosk    1/true/yes: auto-join, no join screen, receive-only unless publish=1
//   publish  1/0: send camera + microphone (default: 1, but 0 in kiosk mode)
//   lang     zh or en (zh-CN, en-US, ... are accepted and shortened)
//   w, h     camera constraints in pixels (16 .. 4096), default 640x360
//   fps      camera frame rate (1 .. 60), default 15
//   rotate   kiosk: seconds each page of tiles is shown (2 .. 3600), default 20
//   layout   grid or speaker: the room's first layout (the kiosk's only one), default grid
//   upload   upload endpoint: a relative path or an http(s) URL, default "/upload" (checked
//            like server: upload_requested)
//   ice      STUN/TURN URL (stun:, stuns:, turn:, turns:), may repeat; default none
//
// The fragment is used, never the query, so secrets such as pw never reach server logs.
// A leading '#' is optional. Unknown keys are ignored; an invalid value keeps the default
// and adds a readable line to `problems`; of repeated keys (except ice) the last wins.
//
// Pure and native: the caller passes the page's location.protocol and location.host.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/events.hpp"
#include "core/layout.hpp"

namespace gc::core {

struct UrlConfig {
  std::string server;  // always set: from the fragment or default_server_url()
  bool server_from_fragment = false;
  // server= and upload= as given (percent-decoded, even when invalid; unset when absent or
  // empty), for the deployment's allowlist (deploy_config.hpp).
  std::optional<std::string> server_requested;
  std::optional<std::string> upload_requested;
  std::optional<RoomId> room;
  std::optional<UserId> user;
  std::optional<std::string> password;
  bool kiosk = false;
  bool publish = true;
  bool publish_set = false;  // publish= was given (a deployment's kiosk default yields to it)
  std::string lang;  // "zh", "en" or "" (choose from navigator.language)
  int video_width = 640;
  int video_height = 360;
  int video_fps = 15;
  int kiosk_page_seconds = 20;
  bool kiosk_page_seconds_set = false;  // rotate= was given
  ViewLayout layout = ViewLayout::kGrid;
  bool layout_set = false;  // the fragment named one (else a person's last choice is used)
  std::string upload_url = "/upload";
  std::vector<std::string> ice_servers;
  std::vector<std::string> problems;  // one readable line per rejected value
};

// "ws://<host>/groupcall", or "wss://<host>/groupcall" when page_protocol is "https:"
// (with or without the colon, any case). An empty host gives "ws://127.0.0.1:8080/groupcall".
std::string default_server_url(std::string_view page_protocol, std::string_view page_host);

UrlConfig parse_url_fragment(std::string_view fragment, std::string_view page_protocol,
                             std::string_view page_host);

// The fragment (without its '#') minus every pair whose key, decoded and lowered as
// parse_url_fragment reads it, is `key`; the other pairs are kept byte for byte. The app
// takes `pw` out of the address bar this way once it has been read (history.replaceState).
std::string fragment_without(std::string_view fragment, std::string_view key);

// ws:// or wss:// (any case) with a non-empty authority that does not start with '@' or
// ':' (so "ws://@h" and "ws://:80" are rejected), and no spaces or control characters
// anywhere: what `new WebSocket(url)` accepts without throwing. The one server-address
// rule: the fragment's `server`, the join screen and the socket bridge all call this, so
// an address the form accepts never fails later as "invalid server URL".
bool is_websocket_url(std::string_view url);

// A decimal integer from min to max: ASCII digits only, at most 16 of them. No sign, no
// surrounding or inner spaces, no fraction, exponent or hex ("+1", " 1", "1e3", "0x10",
// "" are rejected). The one integer rule for values a person types or a URL carries.
std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t min,
                                          std::int64_t max);

// A room number or user id: parse_integer(text, 0, protocol::kMaxWireInteger), i.e.
// 0 .. 2^53-1, what JavaScript numbers (and so the server) hold exactly.
std::optional<std::int64_t> parse_wire_integer(std::string_view text);

// Percent-decoding of one component. Returns std::nullopt for a malformed escape ("%G1",
// a trailing "%") or a decoded string that is not valid UTF-8 or contains a NUL byte.
std::optional<std::string> percent_decode(std::string_view text);

// Percent-encoding as encodeURIComponent does it (for building fragments and X-File-Name).
std::string percent_encode(std::string_view text);

}  // namespace gc::core
