// DrawSnapshot: a frame is skipped only when it would draw exactly what the last presented
// frame drew (src/ui/draw_snapshot.hpp).
#include <gtest/gtest.h>

#include "harness.hpp"
#include "ui/draw_snapshot.hpp"

namespace gc::ui::test {
namespace {

bool frame_unchanged(Harness& h, DrawSnapshot& snap, int w = 1280, int hgt = 720, std::uint64_t gen = 0) {
  h.frame();
  return snap.unchanged(*ImGui::GetDrawData(), w, hgt, gen);
}

TEST(DrawSnapshot, TheFirstFrameIsPresentedAndASettledScreenIsNotDrawnAgain) {
  Harness h;
  h.ui.set_join_defaults({"ws://127.0.0.1:8080/groupcall", "3", "5", ""});
  DrawSnapshot snap;
  EXPECT_FALSE(frame_unchanged(h, snap));
  // ImGui settles over a few frames (auto-sized windows); once settled, nothing changes.
  for (int i = 0; i < 4; ++i) frame_unchanged(h, snap);
  EXPECT_TRUE(frame_unchanged(h, snap));
  EXPECT_TRUE(frame_unchanged(h, snap));
}

TEST(DrawSnapshot, WhatTheUserSeesChangeIsAlwaysPresented) {
  Harness h;
  h.ui.set_join_defaults({"ws://127.0.0.1:8080/groupcall", "3", "5", ""});
  DrawSnapshot snap;
  for (int i = 0; i < 6; ++i) frame_unchanged(h, snap);
  ASSERT_TRUE(frame_unchanged(h, snap));
  // A key typed into the room field changes the text drawn.
  ASSERT_TRUE(h.click_region("join/room"));
  h.type("7");
  bool changed = false;
  for (int i = 0; i < 3; ++i) changed |= !frame_unchanged(h, snap);
  EXPECT_TRUE(changed);
  // Another language: other glyphs.
  for (int i = 0; i < 60; ++i) frame_unchanged(h, snap);  // past the caret's blink
  h.ui.set_language(Language::kZhCn);
  EXPECT_FALSE(frame_unchanged(h, snap));
}

TEST(DrawSnapshot, ANewFramebufferSizeGenerationOrInvalidateIsPresented) {
  Harness h;
  DrawSnapshot snap;
  for (int i = 0; i < 6; ++i) frame_unchanged(h, snap);
  ASSERT_TRUE(frame_unchanged(h, snap));
  EXPECT_FALSE(frame_unchanged(h, snap, 2560, 1440));  // same layout, a new pixel ratio
  EXPECT_TRUE(frame_unchanged(h, snap, 2560, 1440));
  EXPECT_FALSE(frame_unchanged(h, snap, 2560, 1440, 1));  // a new font texture
  EXPECT_TRUE(frame_unchanged(h, snap, 2560, 1440, 1));
  snap.invalidate();  // a restored GL context: everything drawn again
  EXPECT_FALSE(frame_unchanged(h, snap, 2560, 1440, 1));
}

}  // namespace
}  // namespace gc::ui::test
