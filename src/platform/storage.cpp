#include "platform/storage.hpp"

#include <emscripten/val.h>

#include "platform/bridge_callback.hpp"

namespace gc::platform {
namespace {

constexpr const char* kPrefix = "groupcall.";

bool looks_like_password(const std::string& key) {
  for (const char* word : {"pw", "pass", "secret"})
    if (key.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

std::optional<std::string> storage_get(const std::string& key) {
  const emscripten::val v =
      js_bridge().call<emscripten::val>("storageGet", kPrefix + key);
  if (!v.isString()) return std::nullopt;
  return v.as<std::string>();
}

bool storage_set(const std::string& key, const std::string& value) {
  if (looks_like_password(key)) return false;
  return js_bridge()
      .call<bool>("storageSet", kPrefix + key, value);
}

}  // namespace gc::platform
