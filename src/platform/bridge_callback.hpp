// RAII handles for JS → C++ calls, shared by the bridges (socket excepted: it uses
// <emscripten/websocket.h>).
//
// JsCallback wraps a std::function in a JS function. The JS function carries only an
// integer id, never a C++ pointer: the destructor removes the id from the registry, so a
// late call (an event after teardown, a promise that settles after its owner is gone) is
// a no-op. EventListener is addEventListener/removeEventListener tied to a lifetime, as in
// Qt for WebAssembly's qstdweb::EventCallback.
//
// The JS side is Module.gcBridge.callback(id) in web/js/bridges.js (linked as --pre-js); it
// forwards exactly one argument (undefined becomes null) to the embind function
// gcBridgeDispatch.
#pragma once

#include <functional>
#include <string>

#include <emscripten/val.h>

namespace gc::platform {

// Module.gcBridge (web/js/bridges.js): the page's JS half of every bridge. Set once, before
// main(), and never replaced, so it is looked up once (a level read, a stats report and a
// wake call it several times a second).
const emscripten::val& js_bridge();

class JsCallback {
 public:
  using Fn = std::function<void(emscripten::val)>;
  explicit JsCallback(Fn fn);
  ~JsCallback();
  JsCallback(const JsCallback&) = delete;
  JsCallback& operator=(const JsCallback&) = delete;

  // The JS function to hand to the browser (listener, promise handler...).
  const emscripten::val& function() const { return function_; }

 private:
  int id_;
  emscripten::val function_;
};

class EventListener {
 public:
  EventListener(emscripten::val target, std::string type, JsCallback::Fn fn);
  ~EventListener();
  EventListener(const EventListener&) = delete;
  EventListener& operator=(const EventListener&) = delete;

 private:
  emscripten::val target_;
  std::string type_;
  JsCallback callback_;
};

// String(value): "NotAllowedError: Permission denied" for a DOMException, never throws
// into C++.
std::string js_describe(const emscripten::val& value);
// value[key] as a string if it is one, else fallback.
std::string js_string(const emscripten::val& value, const char* key, const std::string& fallback = {});
// value[key] as a number if it is one, else fallback.
double js_number(const emscripten::val& value, const char* key, double fallback = 0);
// promise.then(ok, err) where both handlers live as long as `handlers` (owner-held).
struct PromiseHandlers {
  PromiseHandlers(JsCallback::Fn ok, JsCallback::Fn err) : ok(std::move(ok)), err(std::move(err)) {}
  JsCallback ok;
  JsCallback err;
};
void js_then(const emscripten::val& promise, const PromiseHandlers& handlers);

}  // namespace gc::platform
