// Which untrusted strings may become clickable links (PROTOCOL.md rule 9), and where the
// links are in a line of chat text.
//
// is_linkable_url decides for a whole string, such as fileUploaded.fileUrl. It accepts:
//  - absolute http:// and https:// URLs (scheme case-insensitive) with a non-empty
//    authority, e.g. "https://files.example.com/a.pdf";
//  - relative references without a scheme that stay on the page's own host: a path
//    ("/files/a.pdf", "files/a.pdf", "./a.pdf", "../a.pdf"), a query ("?id=3") or a
//    fragment ("#x"); non-ASCII (e.g. Chinese file names) is allowed.
// and rejects everything else:
//  - every other scheme: javascript:, data:, vbscript:, file:, blob:, ftp:, mailto:, ...;
//  - protocol-relative "//host/x" (and the variants a browser treats the same way:
//    "/\host", "\\host", "///host"). Such a URL inherits http(s) and so is not a script
//    risk, but it points at another host without saying so, a file server hands out
//    either a path or a full URL, and the spec allows "http:, https: or a relative path" --
//    a network-path reference is neither. Rejecting costs nothing real.
//  - empty strings, leading or trailing whitespace, any ASCII control character anywhere
//    (browsers strip tab/CR/LF inside URLs, so "java\tscript:" would become
//    "javascript:"), DEL, and invalid UTF-8.
//  - a scheme-less string whose first ':' comes before any '/', '?' or '#' (RFC 3986
//    forbids that in a relative path, and a browser might read it as a scheme).
//
// find_links splits chat text into plain and link spans. A link starts at "http://" or
// "https://" (case-insensitive) that does not follow an ASCII letter or digit, and runs
// over ASCII URL characters (RFC 3986 unreserved, reserved and '%'); it stops at
// whitespace, at any non-ASCII character (so Chinese text or full-width punctuation right
// after a link is not swallowed: "看https://a.cn/x，好" links only "https://a.cn/x"),
// and at <>"`{}|\^. Trailing . , ! ? ; : ' " * are dropped from the link, and so is a
// trailing ) ] } with no matching opener inside the link (so "(see https://a.cn/x)" keeps
// the paren outside but "https://en.wikipedia.org/wiki/C_(language)" keeps it inside).
// Only candidates that pass is_linkable_url become links. Spans cover the text exactly,
// in order, never split a UTF-8 sequence, and adjacent plain text is one span.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace gc::core {

bool is_linkable_url(std::string_view url);

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
