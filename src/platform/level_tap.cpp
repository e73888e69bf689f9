#include "platform/level_tap.hpp"

namespace gc::platform {

using emscripten::val;

void LevelTap::attach(const val& from) {
  if (from.isNull() || from.isUndefined()) return close();
  if (!tap_.isNull() && from_.strictlyEquals(from)) return;
  close();
  tap_ = js_bridge().call<val>("levelTap", from);
  if (tap_.isNull() || tap_.isUndefined()) {
    tap_ = val::null();
    return;
  }
  from_ = from;
}

std::optional<double> LevelTap::read(Kind kind) const {
  if (tap_.isNull()) return std::nullopt;
  const double level = tap_.call<double>(kind == Kind::kPeak ? "peak" : "interval");
  if (!(level >= 0)) return std::nullopt;
  return level > 1 ? 1.0 : level;
}

SoundWake::SoundWake(std::function<void()> fire)
    : fire_(std::move(fire)), callback_([this](val sound) {
        armed_ = false;  // fired: gcBridge.wakeOnSound forgot it
        sounding_ = sound.isTrue();
        auto fire_now = fire_;  // the callback may re-arm or destroy this
        if (fire_now) fire_now();
      }) {}

bool SoundWake::available() const { return js_bridge().call<bool>("levelsFromWorklet"); }

void SoundWake::arm(bool any_report) {
  armed_ = true;
  js_bridge().call<void>("wakeOnSound", callback_.function(), any_report);
}

void SoundWake::cancel() {
  if (!armed_) return;
  armed_ = false;
  js_bridge().call<void>("wakeOnSound", val::null());
}

void LevelTap::close() {
  if (!tap_.isNull()) tap_.call<void>("close");
  tap_ = val::null();
  from_ = val::null();
}

}  // namespace gc::platform
