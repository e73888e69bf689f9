// Which untrusted strings may become clickable links (PROTOCOL.md rule 9), where they lead,
// and where the links are in a line of chat text.
//
// resolve_link(url, files_base, page_url) decides for a whole string such as
// fileUploaded.fileUrl, and returns what a click opens and the host to show. Pure: the
// page and the file server's base are arguments. The rules, in order:
//  1. The string itself: not empty, at most kMaxLinkBytes (4096) bytes (longer is never a
//     link: cutting a URL would change where it leads), no leading or trailing whitespace,
//     no ASCII control character anywhere (browsers strip tab/CR/LF inside URLs, so
//     "java\tscript:" would become "javascript:"), no DEL, valid UTF-8, and no '\' before
//     the query (browsers read it as '/' in http(s) URLs: "/\evil.com" is "//evil.com").
//  2. Its scheme, when it has one, is http or https (any case), followed by "//" and an
//     authority. Every other scheme (javascript:, data:, vbscript:, file:, blob:, ws:, ...)
//     is refused, and so is a string whose first ':' comes before any '/', '?' or '#'
//     without being a scheme (RFC 3986 forbids that in a relative path).
//  3. The authority: no userinfo ("https://files.example.com@evil.com/" reads as one host
//     and goes to another); a port of at most 65535 (the scheme's default is dropped); a
//     host of ASCII letters, digits, '-', '_' and '.' (lowercased), a canonical dotted IPv4
//     address (a host ending in a number must be one: "0x7f.1" or "2130706433" are what a
//     browser reads as 127.0.0.1, so they are refused rather than emulated), a bracketed
//     IPv6 address (written in its canonical form), or an internationalised name. No '%'
//     (browsers decode it in hosts), no spaces, direction or invisible format characters.
//  4. Resolution (RFC 3986 section 5, dot segments removed, "%2e" counting as '.'):
//     absolute http(s) URLs stand alone; a relative reference is resolved against the
//     files base, or against the page when there is no files base; a protocol-relative
//     "//host/x" takes the scheme of that base. A relative reference must name a file: one
//     whose path is empty or only '.'/'..' segments ("?x=1", "#kiosk=1", "./#kiosk=1",
//     ".", "/", "../?a") is never a link, whatever the base (it would only reopen the
//     base's directory -- usually the client itself, with new settings in its fragment).
//  5. Not the client's own page: the result is refused when its path is the page's path
//     and its host is the page's host -- compared ignoring scheme and port (an http->https
//     redirect keeps the fragment), paths compared after percent-decoding, ignoring case,
//     repeated and trailing '/', and a final "index.html" -- or when the host cannot be
//     told apart from the page's (an internationalised name, which a browser may map to
//     ASCII: "１２７.０.０.１" is 127.0.0.1) or is a loopback host (localhost, 127/8,
//     0.0.0.0, [::1]: the viewer's own machine may serve the client too). Any query and any
//     fragment count as the same page. On that host (or one that may be it) a link with a
//     fragment is refused whatever its path: a server that answers unknown paths with the
//     client's index.html (a common single-page-app setting) would load the client there,
//     with the fragment's settings. ("/files/a.pdf#page=2" is the price.)
//  6. Without a page URL (native builds, tests, or the web client before it is told):
//     absolute http(s) URLs are links (rule 5 cannot be checked); relative references are
//     resolved against the files base when there is one, else only an absolute path such
//     as "/files/a.pdf" stays a link (as the browser will resolve it against the page), and
//     in both cases a relative reference with a fragment is refused, since it could point
//     back at the client.
// LinkTarget::url is the canonical resolved URL (what a click opens and the tooltip shows;
// scheme and host lowercased, default port and dot segments removed, direction and
// invisible format characters percent-encoded, other text kept as given); without any
// base it is the normalised absolute path. LinkTarget::host is "host[:port]", empty when
// unknown (no base) or not linkable.
//
// The client sets its page and files base once at start-up with set_link_base();
// resolve_link(url) and is_linkable_url(url) use them, so the Session's
// SharedFile::linkable, chat links and the UI all follow the same rule.
//
// find_links splits chat text into plain and link spans. A link starts at "http://" or
// "https://" (case-insensitive) that does not follow an ASCII letter or digit, and runs
// over ASCII URL characters (RFC 3986 unreserved, reserved and '%'); it stops at
// whitespace, at any non-ASCII character (so Chinese text or full-width punctuation right
// after a link is not swallowed: "看https://a.cn/x，好" links only "https://a.cn/x"),
// and at <>"`{}|\^. Trailing . , ! ? ; : ' " * are dropped from the link, and so is a
// trailing ) ] } with no matching opener inside the link (so "(see https://a.cn/x)" keeps
// the paren outside but "https://en.wikipedia.org/wiki/C_(language)" keeps it inside).
// Only candidates that pass is_linkable_url become links (so a chat line cannot link to
// the client's own page either). Spans cover the text exactly, in order, never split a
// UTF-8 sequence, and adjacent plain text is one span.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gc::core {

inline constexpr std::size_t kMaxLinkBytes = 4096;

struct LinkTarget {
  bool linkable = false;
  std::string url;   // what a click opens; empty when not linkable
  std::string host;  // "files.example.com", "10.0.0.5:8443"; empty when unknown
};

// files_base: config.json "files" (absolute, or relative to the page); empty for none.
// page_url: the client's own URL (location.origin + location.pathname; a query or fragment
// is ignored); empty when unknown. A base that is not http(s) is ignored.
LinkTarget resolve_link(std::string_view url, std::string_view files_base,
                        std::string_view page_url);

struct LinkBase {
  std::string page;   // as page_url above
  std::string files;  // as files_base above
};

// The process-wide base of the functions below (single-threaded: set it before the Session
// sees any fileUploaded; chat layouts already drawn keep their links).
void set_link_base(LinkBase base);
const LinkBase& link_base();

LinkTarget resolve_link(std::string_view url);  // with link_base()
bool is_linkable_url(std::string_view url);     // resolve_link(url).linkable

struct TextSpan {
  enum class Kind { kPlain, kLink };
  Kind kind = Kind::kPlain;
  std::size_t offset = 0;  // byte offset into the text given to find_links
  std::size_t length = 0;  // in bytes
  friend bool operator==(const TextSpan& a, const TextSpan& b) {
    return a.kind == b.kind && a.offset == b.offset && a.length == b.length;
  }
  friend bool operator!=(const TextSpan& a, const TextSpan& b) { return !(a == b); }
};

std::vector<TextSpan> find_links(std::string_view text);

// The bytes of `span` within the `text` it was found in.
inline std::string_view span_text(std::string_view text, const TextSpan& span) {
  return text.substr(span.offset, span.length);
}

}  // namespace gc::core
