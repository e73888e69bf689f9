// How a participant is named in tiles, the participant list and chat (PROTOCOL.md rule 10).
//
// display_name(p) = prefix, name and postfix joined by single spaces, skipping the parts
// that are empty, e.g. {prefix "Dr.", name "王伟", postfix "(R&D)"} -> "Dr. 王伟 (R&D)".
// Each part is cleaned first, because the strings come from the server untrusted:
//  - ASCII control characters (newlines, tabs, ...) count as spaces;
//  - runs of spaces (ASCII whitespace, U+00A0, U+3000 ideographic space) collapse to one
//    ASCII space, and each part is trimmed;
//  - invalid UTF-8 bytes become U+FFFD, so the UI never draws broken text.
// When every part is empty after cleaning the name is "#<id>", e.g. "#42": a stable,
// language-neutral fallback (the UI may show its own localised text instead by testing
// has_display_name()).
#pragma once

#include <string>

#include "protocol/messages.hpp"

namespace gc::core {

std::string display_name(const protocol::Participant& participant);

// False when prefix, name and postfix are all empty after cleaning (display_name then
// falls back to "#<id>").
bool has_display_name(const protocol::Participant& participant);

}  // namespace gc::core
