// A one-shot timer for the Session's next_timeout(), on setTimeout
// (emscripten_set_timeout), never requestAnimationFrame: it keeps firing in hidden tabs
// (throttled to about once a second there, which the protocol timers tolerate).
//
// arm() replaces any pending shot. The callback receives nothing; the owner reads the
// clock itself. `this` goes to JS as userData, so a Timer never moves (not copyable, not
// movable; keep it inside a heap object). The destructor cancels the pending shot.
#pragma once

#include <functional>

namespace gc::platform {

class Timer {
 public:
  explicit Timer(std::function<void()> fire);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  Timer(Timer&&) = delete;
  Timer& operator=(Timer&&) = delete;

  // Fire once after delay_ms (clamped to >= 0).
  void arm(double delay_ms);
  void cancel();
  bool armed() const { return id_ != 0; }

 private:
  static void on_timeout(void* user);
  std::function<void()> fire_;
  long id_ = 0;
};

// Milliseconds since the Unix epoch that never go backwards: performance.timeOrigin +
// performance.now() (Date.now() can jump when the wall clock is adjusted).
double monotonic_epoch_ms();

}  // namespace gc::platform
