// The participants' <video> elements, in a #videos layer beneath the transparent canvas.
//
// One <video autoplay playsinline> per media owner (remote participants play with sound)
// plus the self preview (muted, mirrored). place() puts every video at its tile's CSS
// rect and touches an element's style only when its rect changed; videos without a rect
// (another page, or no tile) are hidden. object-fit: cover.
//
// A remote video reports its first presented frame (first_frame), where the browser has
// requestVideoFrameCallback; the app's 1 Hz stats poll remains the fallback.
//
// Autoplay with sound: when play() is rejected with NotAllowedError, the video plays
// muted instead and `sound_blocked` fires (the UI shows a one-tap hint). enable_sound(),
// called from that tap (a user gesture), unmutes every remote video.
//
// Heap only (promise handlers capture `this`); the destructor removes the elements.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <emscripten/val.h>

#include "core/events.hpp"
#include "platform/bridge_callback.hpp"
#include "platform/callbacks.hpp"

namespace gc::platform {

class VideoOverlay {
 public:
  using Callbacks = OverlayCallbacks;
  // canvas_selector: the canvas the layer must match; the layer goes right before it.
  VideoOverlay(const std::string& canvas_selector, Callbacks callbacks);
  ~VideoOverlay();
  VideoOverlay(const VideoOverlay&) = delete;
  VideoOverlay& operator=(const VideoOverlay&) = delete;

  // Remote media of `owner` (null detaches).
  void set_remote_stream(core::UserId owner, const emscripten::val& stream);
  void remove(core::UserId owner);
  // The local preview (null detaches): the camera mirrored and cropped to the tile, or a
  // shared screen (`screen`) as it is seen by the others: not mirrored, whole (contain).
  void set_self_stream(const emscripten::val& stream, bool screen);
  // Every video at its rect; those not listed are hidden.
  void place(const std::vector<VideoRect>& rects);
  void enable_sound();
  bool sound_blocked() const { return sound_blocked_; }

 private:
  struct Video {
    emscripten::val element = emscripten::val::null();
    bool is_self = false;
    bool shown = false;
    VideoRect rect;
    bool placed = false;
    std::unique_ptr<PromiseHandlers> play;
    std::unique_ptr<JsCallback> first_frame;  // pending requestVideoFrameCallback
    std::unique_ptr<JsCallback> on_screen;    // the same, asked for when place() shows it
  };
  Video& video_for(core::UserId id, bool is_self);
  // Plays `stream` in `video`; false when it already was its source.
  bool attach(Video& video, const emscripten::val& stream);
  void on_next_frame(core::UserId owner, Video& video, std::unique_ptr<JsCallback>& slot,
                     std::function<void(core::UserId)> Callbacks::*report);
  void watch_first_frame(core::UserId owner, Video& video);
  void watch_on_screen(core::UserId owner, Video& video);
  void play(Video& video);
  void set_sound_blocked(bool blocked);
  void match_canvas();

  emscripten::val canvas_ = emscripten::val::null();
  emscripten::val layer_ = emscripten::val::null();
  bool showing_ = false;  // a video was placed: the layer has class gc-showing
  Callbacks callbacks_;
  std::map<core::UserId, std::unique_ptr<Video>> remote_;
  std::unique_ptr<Video> self_;
  bool sound_blocked_ = false;
  bool sound_enabled_by_user_ = false;
  double layer_left_ = -1, layer_top_ = -1;
};

}  // namespace gc::platform
