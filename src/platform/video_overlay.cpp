#include "platform/video_overlay.hpp"

#include <cmath>

namespace gc::platform {
namespace {

using emscripten::val;

std::string px(float v) {
  return std::to_string(static_cast<long>(std::lround(v))) + "px";
}

void set_style(const val& element, const char* property, const std::string& value) {
  element["style"].call<void>("setProperty", std::string(property), value);
}

}  // namespace

VideoOverlay::VideoOverlay(const std::string& canvas_selector, Callbacks callbacks)
    : callbacks_(std::move(callbacks)) {
  const val document = val::global("document");
  canvas_ = document.call<val>("querySelector", canvas_selector);
  layer_ = document.call<val>("getElementById", std::string("videos"));
  if (layer_.isNull()) {
    layer_ = document.call<val>("createElement", std::string("div"));
    layer_.set("id", "videos");
    if (!canvas_.isNull() && !canvas_["parentNode"].isNull())
      canvas_["parentNode"].call<void>("insertBefore", layer_, canvas_);
    else
      document["body"].call<void>("appendChild", layer_);
  }
  // Beneath the canvas, never in the way of the mouse: the canvas gets every event.
  set_style(layer_, "position", "fixed");
  set_style(layer_, "left", "0px");
  set_style(layer_, "top", "0px");
  set_style(layer_, "width", "0px");
  set_style(layer_, "height", "0px");
  set_style(layer_, "overflow", "visible");
  set_style(layer_, "pointer-events", "none");
  set_style(layer_, "z-index", "0");
  match_canvas();
}

VideoOverlay::~VideoOverlay() {
  for (auto& [id, video] : remote_) {
    video->play.reset();
    video->element.call<void>("remove");
  }
  if (self_) {
    self_->play.reset();
    self_->element.call<void>("remove");
  }
}

void VideoOverlay::match_canvas() {
  if (canvas_.isNull()) return;
  const val r = canvas_.call<val>("getBoundingClientRect");
  const double left = r["left"].as<double>();
  const double top = r["top"].as<double>();
  if (left == layer_left_ && top == layer_top_) return;
  layer_left_ = left;
  layer_top_ = top;
  set_style(layer_, "left", px(static_cast<float>(left)));
  set_style(layer_, "top", px(static_cast<float>(top)));
}

VideoOverlay::Video& VideoOverlay::video_for(core::UserId id, bool is_self) {
  std::unique_ptr<Video>& slot = is_self ? self_ : remote_[id];
  if (!slot) {
    slot = std::make_unique<Video>();
    slot->is_self = is_self;
    val v = val::global("document").call<val>("createElement", std::string("video"));
    v.set("autoplay", true);
    v.set("playsInline", true);
    v.call<void>("setAttribute", std::string("playsinline"), std::string(""));
    v.set("muted", is_self || (sound_blocked_ && !sound_enabled_by_user_));
    v.set("className", is_self ? "gc-video gc-self" : "gc-video");
    v.call<void>("setAttribute", std::string("data-user"), std::to_string(id));
    set_style(v, "position", "absolute");
    set_style(v, "object-fit", "cover");
    set_style(v, "background", "#000");
    set_style(v, "display", "none");
    if (is_self) set_style(v, "transform", "scaleX(-1)");
    layer_.call<void>("appendChild", v);
    slot->element = v;
  }
  return *slot;
}

void VideoOverlay::set_remote_stream(core::UserId owner, const val& stream) {
  if (stream.isNull()) return remove(owner);
  Video& video = video_for(owner, false);
  if (attach(video, stream)) watch_first_frame(owner, video);
}

// The next frame `video` presents calls `report(owner)` (a member of callbacks_), through
// `slot`. Videos are heap objects owned by the maps; the callback dies with its video.
void VideoOverlay::on_next_frame(core::UserId owner, Video& video, std::unique_ptr<JsCallback>& slot,
                                 std::function<void(core::UserId)> Callbacks::*report) {
  slot.reset();
  if (!(callbacks_.*report) || video.element["requestVideoFrameCallback"].isUndefined()) return;
  slot = std::make_unique<JsCallback>([this, owner, report](val) {
    // Last thing done here: the app may remove this video (and this callback) in it.
    if (callbacks_.*report) (callbacks_.*report)(owner);
  });
  video.element.call<val>("requestVideoFrameCallback", slot->function());
}

void VideoOverlay::watch_first_frame(core::UserId owner, Video& video) {
  on_next_frame(owner, video, video.first_frame, &Callbacks::first_frame);
}

void VideoOverlay::watch_on_screen(core::UserId owner, Video& video) {
  on_next_frame(owner, video, video.on_screen, &Callbacks::on_screen);
}

void VideoOverlay::remove(core::UserId owner) {
  auto it = remote_.find(owner);
  if (it == remote_.end()) return;
  it->second->play.reset();
  it->second->first_frame.reset();
  it->second->on_screen.reset();
  it->second->element.set("srcObject", val::null());
  it->second->element.call<void>("remove");
  remote_.erase(it);
}

void VideoOverlay::set_self_stream(const val& stream, bool screen) {
  if (stream.isNull()) {
    if (self_) {
      self_->play.reset();
      self_->element.set("srcObject", val::null());
    }
    return;
  }
  Video& video = video_for(0, true);
  set_style(video.element, "transform", screen ? "none" : "scaleX(-1)");
  set_style(video.element, "object-fit", screen ? "contain" : "cover");
  attach(video, stream);
}

bool VideoOverlay::attach(Video& video, const val& stream) {
  if (video.element["srcObject"].strictlyEquals(stream)) return false;
  video.element.set("srcObject", stream);
  play(video);
  return true;
}

void VideoOverlay::play(Video& video) {
  Video* v = &video;  // Videos are heap objects owned by the maps
  const val promise = v->element.call<val>("play");
  if (promise.isUndefined() || promise.isNull()) return;
  v->play = std::make_unique<PromiseHandlers>(
      [](val) {},
      [this, v](val error) {
        const std::string name = js_string(error, "name");
        if (name != "NotAllowedError" || v->element["muted"].as<bool>()) return;
        // Autoplay with sound refused: play muted now, offer the one-tap unmute.
        v->element.set("muted", true);
        set_sound_blocked(true);
        v->element.call<val>("play").call<void>("catch", js_bridge()["ignore"]);
      });
  js_then(promise, *v->play);
}

void VideoOverlay::set_sound_blocked(bool blocked) {
  if (blocked == sound_blocked_) return;
  sound_blocked_ = blocked;
  if (callbacks_.sound_blocked) callbacks_.sound_blocked(blocked);
}

void VideoOverlay::enable_sound() {
  sound_enabled_by_user_ = true;
  for (auto& [id, video] : remote_) {
    video->element.set("muted", false);
    play(*video);
  }
  set_sound_blocked(false);
}

void VideoOverlay::place(const std::vector<VideoRect>& rects) {
  match_canvas();
  std::map<Video*, const VideoRect*> wanted;
  for (const VideoRect& r : rects) {
    Video* v = nullptr;
    if (r.is_self) {
      v = self_.get();
    } else {
      auto it = remote_.find(r.id);
      if (it != remote_.end()) v = it->second.get();
    }
    if (v && r.visible && r.w > 0 && r.h > 0) wanted[v] = &r;
  }
  auto apply = [&](Video& v, core::UserId owner) {
    auto it = wanted.find(&v);
    if (it == wanted.end()) {
      if (v.shown) set_style(v.element, "display", "none");
      v.shown = false;
      return;
    }
    const VideoRect& r = *it->second;
    const bool moved = !v.placed || r.x != v.rect.x || r.y != v.rect.y || r.w != v.rect.w ||
                       r.h != v.rect.h || r.rounding != v.rect.rounding;
    if (moved) {
      set_style(v.element, "left", px(r.x));
      set_style(v.element, "top", px(r.y));
      set_style(v.element, "width", px(r.w));
      set_style(v.element, "height", px(r.h));
      set_style(v.element, "border-radius", px(r.rounding));
      v.rect = r;
      v.placed = true;
    }
    if (!v.shown) {
      set_style(v.element, "display", "block");
      if (!v.is_self) watch_on_screen(owner, v);
    }
    v.shown = true;
  };
  for (auto& [id, video] : remote_) apply(*video, id);
  if (self_) apply(*self_, 0);
  // A video on screen before the first frame (a kiosk shows its first page's video at once,
  // issue 12) hides the loading text over it (css/app.css).
  if (!wanted.empty() && !showing_) {
    showing_ = true;
    layer_["classList"].call<void>("add", std::string("gc-showing"));
  }
}

}  // namespace gc::platform
