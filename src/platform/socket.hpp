// One WebSocket (text frames only), through <emscripten/websocket.h>.
//
// The owner receives opened / text / closed / error through callbacks. close() starts the
// closing handshake; `closed` still fires afterwards. The destructor unhooks every callback
// (emscripten_websocket_delete nulls the JS handlers) and closes the socket if it is still
// open, so a callback never reaches a destroyed Socket. The object hands `this` to JS as
// userData, so it lives on the heap only (open() returns a unique_ptr) and never moves.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <emscripten/websocket.h>

#include "platform/callbacks.hpp"

namespace gc::platform {

class Socket {
 public:
  using Callbacks = SocketCallbacks;

  // nullptr when the URL is not a ws:// or wss:// URL or the browser refuses to create the
  // socket; the caller then treats it as an immediate failure.
  static std::unique_ptr<Socket> open(const std::string& url, Callbacks callbacks);
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // False when the socket is not open (the frame is dropped).
  bool send_text(const std::string& text);
  void close(unsigned short code = 1000, const std::string& reason = {});

 private:
  Socket(int handle, Callbacks callbacks);
  static EM_BOOL on_open(int, const EmscriptenWebSocketOpenEvent*, void* user);
  static EM_BOOL on_message(int, const EmscriptenWebSocketMessageEvent* event, void* user);
  static EM_BOOL on_close(int, const EmscriptenWebSocketCloseEvent* event, void* user);
  static EM_BOOL on_error(int, const EmscriptenWebSocketErrorEvent*, void* user);

  int handle_;
  Callbacks callbacks_;
  bool closed_ = false;
};

}  // namespace gc::platform
