#include "platform/socket.hpp"

#include <cstring>

#include <emscripten/websocket.h>

#include "core/url_config.hpp"

namespace gc::platform {

std::unique_ptr<Socket> Socket::open(const std::string& url, Callbacks callbacks) {
  // new WebSocket() throws a SyntaxError for a malformed URL, and nothing in
  // emscripten_websocket_new catches it: validate first.
  if (!core::is_websocket_url(url) || !emscripten_websocket_is_supported()) return nullptr;
  EmscriptenWebSocketCreateAttributes attrs;
  emscripten_websocket_init_create_attributes(&attrs);
  attrs.url = url.c_str();
  attrs.protocols = nullptr;
  attrs.createOnMainThread = EM_TRUE;
  const EMSCRIPTEN_WEBSOCKET_T handle = emscripten_websocket_new(&attrs);
  if (handle <= 0) return nullptr;
  std::unique_ptr<Socket> socket(new Socket(handle, std::move(callbacks)));
  Socket* self = socket.get();
  emscripten_websocket_set_onopen_callback(
      handle, self, &Socket::on_open);
  emscripten_websocket_set_onmessage_callback(
      handle, self, &Socket::on_message);
  emscripten_websocket_set_onclose_callback(
      handle, self, &Socket::on_close);
  emscripten_websocket_set_onerror_callback(
      handle, self, &Socket::on_error);
  return socket;
}

Socket::Socket(int handle, Callbacks callbacks) : handle_(handle), callbacks_(std::move(callbacks)) {}

Socket::~Socket() {
  // Close, then delete: delete nulls the JS handlers, so the (asynchronous) close event
  // never reaches this destroyed object.
  if (!closed_) {
    unsigned short state = 0;
    emscripten_websocket_get_ready_state(handle_, &state);
    if (state == 0 || state == 1) emscripten_websocket_close(handle_, 1000, "");
  }
  emscripten_websocket_delete(handle_);
}

bool Socket::send_text(const std::string& text) {
  if (closed_) return false;
  unsigned short state = 0;
  if (emscripten_websocket_get_ready_state(handle_, &state) != EMSCRIPTEN_RESULT_SUCCESS ||
      state != 1)
    return false;
  return emscripten_websocket_send_utf8_text(handle_, text.c_str()) == EMSCRIPTEN_RESULT_SUCCESS;
}

void Socket::close(unsigned short code, const std::string& reason) {
  if (closed_) return;
  unsigned short state = 0;
  emscripten_websocket_get_ready_state(handle_, &state);
  if (state == 0 || state == 1) emscripten_websocket_close(handle_, code, reason.c_str());
}

// The callbacks may destroy the Socket (the owner erases it on close): nothing touches
// `self` after calling out.
EM_BOOL Socket::on_open(int, const EmscriptenWebSocketOpenEvent*, void* user) {
  auto* self = static_cast<Socket*>(user);
  if (self->callbacks_.opened) {
    auto cb = self->callbacks_.opened;
    cb();
  }
  return EM_TRUE;
}

EM_BOOL Socket::on_message(int, const EmscriptenWebSocketMessageEvent* e, void* user) {
  auto* self = static_cast<Socket*>(user);
  if (!e->isText) return EM_TRUE;  // the protocol is text only
  // For text frames numBytes counts the terminating NUL (library_websocket.js).
  std::string text(reinterpret_cast<const char*>(e->data), e->numBytes > 0 ? e->numBytes - 1 : 0);
  if (self->callbacks_.text) {
    auto cb = self->callbacks_.text;
    cb(std::move(text));
  }
  return EM_TRUE;
}

EM_BOOL Socket::on_close(int, const EmscriptenWebSocketCloseEvent* e, void* user) {
  auto* self = static_cast<Socket*>(user);
  self->closed_ = true;
  const std::string reason(e->reason, strnlen(e->reason, sizeof(e->reason)));
  if (self->callbacks_.closed) {
    auto cb = self->callbacks_.closed;
    cb(e->code, reason);
  }
  return EM_TRUE;
}

EM_BOOL Socket::on_error(int, const EmscriptenWebSocketErrorEvent*, void* user) {
  auto* self = static_cast<Socket*>(user);
  if (self->callbacks_.error) {
    auto cb = self->callbacks_.error;
    cb();
  }
  return EM_TRUE;
}

}  // namespace gc::platform
