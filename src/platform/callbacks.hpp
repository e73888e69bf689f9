// What the bridges hand over that holds no browser object: the socket's, the upload's and
// the video overlay's callbacks, the tile rects and the camera settings. One definition for
// src/platform (the Emscripten bridges) and app/bridges.hpp (the seam the native
// ClientWiring tests build against), so this header includes nothing from Emscripten.
// Callbacks that carry a JS object (a stream, a track, a file) stay with their bridge: the
// platform passes an emscripten::val, the seam an app::JsRef.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/events.hpp"

namespace gc::platform {

// platform::Socket
struct SocketCallbacks {
  std::function<void()> opened;
  std::function<void(std::string text)> text;
  std::function<void(int code, std::string reason)> closed;
  std::function<void()> error;
};

// platform::Upload
struct UploadCallbacks {
  std::function<void(std::uint64_t sent, std::uint64_t total)> progress;
  std::function<void(std::string file_url)> finished;
  std::function<void(std::string reason, bool too_large)> failed;  // too_large: HTTP 413
};

// platform::VideoOverlay
struct OverlayCallbacks {
  std::function<void(bool blocked)> sound_blocked;
  // The first frame of a remote stream arrived (requestVideoFrameCallback, which Chromium
  // also runs for a hidden element): the tile can show the picture now instead of at the
  // next stats poll.
  std::function<void(core::UserId owner)> first_frame;
  // A remote video that place() has just shown presented a frame since: it is on screen
  // (first_frame may fire while the element is still hidden).
  std::function<void(core::UserId owner)> on_screen;
};
// Where a video goes (CSS px); a video without one is hidden.
struct VideoRect {
  core::UserId id = 0;
  bool is_self = false;
  float x = 0, y = 0, w = 0, h = 0;
  float rounding = 0;
  bool visible = true;
};

// platform::LocalMedia
struct MediaConstraints {
  int width = 640;
  int height = 360;
  int fps = 15;
  std::string camera_id;  // "" = browser default
  std::string microphone_id;
};
struct MediaDevice {
  enum class Kind { kCamera, kMicrophone };
  Kind kind = Kind::kCamera;
  std::string id;
  std::string label;  // empty until permission is granted
};

}  // namespace gc::platform
