#include "platform/timer.hpp"

#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/val.h>

namespace gc::platform {

Timer::Timer(std::function<void()> fire) : fire_(std::move(fire)) {}

Timer::~Timer() { cancel(); }

void Timer::arm(double delay_ms) {
  cancel();
  id_ = emscripten_set_timeout(&Timer::on_timeout, delay_ms < 0 ? 0 : delay_ms, this);
}

void Timer::cancel() {
  if (id_ != 0) emscripten_clear_timeout(id_);
  id_ = 0;
}

void Timer::on_timeout(void* user) {
  auto* self = static_cast<Timer*>(user);
  self->id_ = 0;
  auto fire = self->fire_;  // the callback may re-arm or destroy the timer
  if (fire) fire();
}

double monotonic_epoch_ms() {
  static const double origin = [] {
    const emscripten::val perf = emscripten::val::global("performance");
    const emscripten::val t = perf["timeOrigin"];
    if (t.isNumber()) return t.as<double>();
    return emscripten::val::global("Date").call<double>("now") - emscripten_get_now();
  }();
  return origin + emscripten_get_now();
}

}  // namespace gc::platform
