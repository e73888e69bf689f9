// The real bridges (Emscripten only): app/bridges.hpp over src/platform.
#pragma once

#include <memory>

#include <emscripten/val.h>

#include "app/bridges.hpp"

namespace gc::app {

std::unique_ptr<Bridges> make_web_bridges();

// A JS File/Blob as the Client queues it: its name ("file" when it has none) and size; an
// empty JsRef for null or undefined.
PickedFile picked_file(const emscripten::val& file);

}  // namespace gc::app
