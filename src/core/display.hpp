// How a participant is named in tiles, the participant list and chat (PROTOCOL.md rule 10).
//
// display_name(p) = prefix, name and postfix joined by single spaces, skipping the parts
// that are empty, e.g. {prefix "Dr.", name "王伟", postfix "(R&D)"} -> "Dr. 王伟 (R&D)".
// Each part is cleaned first, because the strings come from the server untrusted:
//  - ASCII control characters (newlines, tabs, ...) count as spaces;
//  - runs of spaces (ASCII whitespace, U+00A0, U+3000 ideographic space) collapse to one
//    ASCII space, and each part is trimmed;
//  - invalid UTF-8 bytes become U+FFFD, so the UI never draws broken text;
//  - direction overrides and isolates become U+FFFD (see reveal_bidi_controls).
// When every part is empty after cleaning the name is "#<id>", e.g. "#42": a stable,
// language-neutral fallback (the UI may show its own localised text instead by testing
// has_display_name()).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/messages.hpp"

namespace gc::core {

std::string display_name(const protocol::Participant& participant);

// False when prefix, name and postfix are all empty after cleaning (display_name then
// falls back to "#<id>").
bool has_display_name(const protocol::Participant& participant);

// Direction controls in untrusted text (issue 11, item 2): U+202A..U+202E (LRE, RLE, PDF,
// LRO, RLO) and U+2066..U+2069 (LRI, RLI, FSI, PDI). They are made visible, not stripped:
// each becomes U+FFFD, so "evil<RLO>fdp.exe" draws as "evil\uFFFDfdp.exe" and reads as
// the .exe it is, and the reader also sees that the sender hid something there (stripping
// would silently merge the text around it). U+FFFD because it is always in the glyph atlas
// (the embedded font's base ranges), is already how invalid bytes show, and is not ASCII,
// so find_links never pulls it into a link. The marks U+200E/U+200F/U+061C are kept: they
// only steer neutral characters in right-to-left names and cannot reverse a word.
// Used for display names (display_name does it), chat lines and file names as drawn; the
// view model keeps the original text.
bool is_bidi_control(std::uint32_t codepoint);
bool has_bidi_controls(std::string_view text);
// `text` with every direction control replaced by U+FFFD; other bytes unchanged.
std::string reveal_bidi_controls(std::string_view text);

}  // namespace gc::core
