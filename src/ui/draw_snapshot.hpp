// Whether a frame's ImGui draw data is exactly what the last presented frame drew.
//
// The frontend draws on demand, and a request draws a few frames so that ImGui can settle
// (hover state, windows that size themselves). Most of those frames, and every frame a live
// figure asks for whose drawn form did not change, produce the same vertices and commands as
// the frame before. Submitting them anyway costs the GPU a full redraw and, where the page is
// composited in software (Chromium without a GPU: WebGL on SwiftShader), a synchronous read
// back of the whole canvas on the main thread on every commit: 20-50 ms at 1280x720 on this
// project's 2-core machine, against ~1.5 ms for the ImGui frame itself. A canvas that is not
// drawn to keeps showing its last image, so such a frame is simply not submitted.
//
// The comparison is exact (the bytes of every list's vertices, indices and commands, the
// display size and scale, the framebuffer size and a generation the caller bumps when GL
// state outside the draw data changed: a new font texture, a restored context). A frame is
// never skipped on a hash collision: the previous frame's bytes are kept and compared.
#pragma once

#include <cstdint>
#include <vector>

struct ImDrawData;

namespace gc::ui {

class DrawSnapshot {
 public:
  // True when `data` (with the framebuffer size and the caller's generation) is byte for byte
  // the last frame that was presented. Otherwise records it as presented and returns false.
  bool unchanged(const ImDrawData& data, int fb_w, int fb_h, std::uint64_t generation);
  // The next frame is presented whatever it holds.
  void invalidate() { last_.clear(); }

 private:
  std::vector<unsigned char> last_;
  std::vector<unsigned char> next_;
};

}  // namespace gc::ui
