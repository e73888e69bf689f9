#include "platform/bridge_callback.hpp"

#include <unordered_map>
#include <utility>

#include <emscripten/bind.h>

namespace gc::platform {
namespace {

using emscripten::val;

struct Registry {
  int next_id = 1;
  std::unordered_map<int, JsCallback::Fn> callbacks;
};

Registry& registry() {
  static Registry r;
  return r;
}

void dispatch(int id, val arg) {
  auto& callbacks = registry().callbacks;
  auto it = callbacks.find(id);
  if (it == callbacks.end()) return;  // owner gone: late call is a no-op
  // Copy: the callback may destroy its own JsCallback (and so the map entry) while running.
  JsCallback::Fn fn = it->second;
  fn(std::move(arg));
}

}  // namespace

const val& js_bridge() {
  static const val bridge = val::module_property("gcBridge");
  return bridge;
}

JsCallback::JsCallback(Fn fn)
    : id_(registry().next_id++),
      function_(js_bridge().call<val>("callback", id_)) {
  registry().callbacks.emplace(id_, std::move(fn));
}

JsCallback::~JsCallback() { registry().callbacks.erase(id_); }

EventListener::EventListener(val target, std::string type, JsCallback::Fn fn)
    : target_(std::move(target)), type_(std::move(type)), callback_(std::move(fn)) {
  target_.call<void>("addEventListener", val(type_), callback_.function());
}

EventListener::~EventListener() {
  target_.call<void>("removeEventListener", val(type_), callback_.function());
}

std::string js_describe(const val& value) {
  return val::global("String")(value).as<std::string>();
}

std::string js_string(const val& value, const char* key, const std::string& fallback) {
  if (value.isNull() || value.isUndefined()) return fallback;
  const val v = value[key];
  return v.isString() ? v.as<std::string>() : fallback;
}

double js_number(const val& value, const char* key, double fallback) {
  if (value.isNull() || value.isUndefined()) return fallback;
  const val v = value[key];
  return v.isNumber() ? v.as<double>() : fallback;
}

void js_then(const val& promise, const PromiseHandlers& handlers) {
  promise.call<void>("then", handlers.ok.function(), handlers.err.function());
}

EMSCRIPTEN_BINDINGS(gc_bridge_callback) { emscripten::function("gcBridgeDispatch", &dispatch); }

}  // namespace gc::platform
