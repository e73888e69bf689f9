// localStorage for the join screen's remembered fields (server, room, user). Never the
// password: the caller must not store it, and this module refuses keys named like one.
// Every access is guarded: storage may be disabled (private mode, sandboxed frame).
#pragma once

#include <optional>
#include <string>

namespace gc::platform {

std::optional<std::string> storage_get(const std::string& key);
// False when storage is unavailable or full, or the key looks like a password.
bool storage_set(const std::string& key, const std::string& value);

}  // namespace gc::platform
