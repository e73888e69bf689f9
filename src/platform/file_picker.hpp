// A hidden <input type=file multiple>: open() shows the browser's file chooser (it must run
// within a few seconds of a user gesture: transient activation), and `picked` receives the
// chosen File objects. The input is reset after each pick, so the same file can be chosen
// twice. The destructor removes the element and its listener.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <emscripten/val.h>

#include "platform/bridge_callback.hpp"

namespace gc::platform {

class FilePicker {
 public:
  explicit FilePicker(std::function<void(std::vector<emscripten::val> files)> picked);
  ~FilePicker();
  FilePicker(const FilePicker&) = delete;
  FilePicker& operator=(const FilePicker&) = delete;

  void open();

 private:
  std::function<void(std::vector<emscripten::val>)> picked_;
  emscripten::val input_ = emscripten::val::null();
  std::unique_ptr<EventListener> change_;
};

}  // namespace gc::platform
