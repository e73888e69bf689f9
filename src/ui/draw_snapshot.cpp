#include "ui/draw_snapshot.hpp"

#include <cstring>
#include <type_traits>

#include "imgui.h"

namespace gc::ui {
namespace {

template <typename T>
void put(std::vector<unsigned char>& out, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  const auto* p = reinterpret_cast<const unsigned char*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}

void put_bytes(std::vector<unsigned char>& out, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  out.insert(out.end(), p, p + n);
}

}  // namespace

bool DrawSnapshot::unchanged(const ImDrawData& data, int fb_w, int fb_h, std::uint64_t generation) {
  next_.clear();
  put(next_, fb_w);
  put(next_, fb_h);
  put(next_, generation);
  put(next_, data.DisplayPos);
  put(next_, data.DisplaySize);
  put(next_, data.FramebufferScale);
  put(next_, data.CmdListsCount);
  for (int i = 0; i < data.CmdListsCount; ++i) {
    const ImDrawList& list = *data.CmdLists[i];
    put(next_, list.VtxBuffer.Size);
    put_bytes(next_, list.VtxBuffer.Data, static_cast<std::size_t>(list.VtxBuffer.Size) * sizeof(ImDrawVert));
    put(next_, list.IdxBuffer.Size);
    put_bytes(next_, list.IdxBuffer.Data, static_cast<std::size_t>(list.IdxBuffer.Size) * sizeof(ImDrawIdx));
    put(next_, list.CmdBuffer.Size);
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      // A user callback draws something the bytes do not show: never skip such a frame.
      if (cmd.UserCallback) {
        last_.clear();
        return false;
      }
      put(next_, cmd.ClipRect);
      put(next_, cmd.TextureId);
      put(next_, cmd.VtxOffset);
      put(next_, cmd.IdxOffset);
      put(next_, cmd.ElemCount);
    }
  }
  const bool same = next_.size() == last_.size() && std::memcmp(next_.data(), last_.data(), next_.size()) == 0;
  if (!same) last_.swap(next_);
  return same;
}

}  // namespace gc::ui
