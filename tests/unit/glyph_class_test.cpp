// What the glyph atlas does with each codepoint of an emoji-bearing text
// (src/platform/glyph_class.hpp, issue 13 item 6): which parts draw as nothing, which need
// the emoji font (and so make the page fetch it), which stay with the text fonts.
#include "platform/glyph_class.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/utf8.hpp"

namespace gc::platform {
namespace {

// Stand-ins for the generated tables: the embedded Latin subset's ranges (fonts.cmake) and
// a few of the emoji font's (emoji_font.py: Unifont's emoji no shipped font has).
constexpr unsigned kGlyphTestLatin[] = {0x20, 0x17F, 0x2000, 0x206F, 0x20AC, 0x20AC, 0xFFFD, 0xFFFD, 0};
constexpr unsigned kGlyphTestEmoji[] = {0x2705, 0x2705, 0x2728, 0x2728, 0x1F300, 0x1F3FA, 0x1F400, 0x1F64F,
                                        0x1F680, 0x1F6FF, 0x1F900, 0x1F9FF, 0x1FA70, 0x1FAFF, 0};

GlyphClass glyph_test_class(std::uint32_t cp) { return classify_glyph(cp, kGlyphTestLatin, kGlyphTestEmoji); }

std::vector<GlyphClass> glyph_test_classes(std::string_view utf8) {
  std::vector<GlyphClass> out;
  for (std::size_t i = 0; i < utf8.size();) {
    std::uint32_t cp = 0;
    i += utf8::decode_lenient(utf8, i, cp);
    out.push_back(glyph_test_class(cp));
  }
  return out;
}

// True when the atlas would ask for the emoji font for this text.
bool glyph_test_wants_emoji_font(std::string_view utf8) {
  for (GlyphClass c : glyph_test_classes(utf8))
    if (c == GlyphClass::kEmoji) return true;
  return false;
}

using G = GlyphClass;

TEST(GlyphClass, ThumbsUpWithASkinToneIsTheThumbDrawnAndTheToneInvisible) {
  EXPECT_EQ(glyph_test_classes("👍🏻"), (std::vector<G>{G::kEmoji, G::kInvisible}));
  for (std::uint32_t tone = 0x1F3FB; tone <= 0x1F3FF; ++tone) EXPECT_EQ(glyph_test_class(tone), G::kInvisible);
}

TEST(GlyphClass, RedHeartIsADejaVuHeartAndAnInvisibleSelector) {
  // U+2764 is in DejaVu (the Latin fallback font): no emoji font for it.
  EXPECT_EQ(glyph_test_classes("❤️"), (std::vector<G>{G::kFallback, G::kInvisible}));
  EXPECT_FALSE(glyph_test_wants_emoji_font("❤️"));
}

TEST(GlyphClass, ZeroWidthJoinerIsInvisibleThoughTheLatinFontHasIt) {
  // U+200D lies in the embedded font's General Punctuation range; it must not draw as the
  // embedded glyph, nor as U+FFFD.
  EXPECT_EQ(glyph_test_classes("👨‍👩‍👧"),
            (std::vector<G>{G::kEmoji, G::kInvisible, G::kEmoji, G::kInvisible, G::kEmoji}));
}

TEST(GlyphClass, VariationSelectorsAndTheKeycapAreInvisible) {
  EXPECT_EQ(glyph_test_classes("1️⃣"), (std::vector<G>{G::kEmbedded, G::kInvisible, G::kInvisible}));
  for (std::uint32_t vs = 0xFE00; vs <= 0xFE0F; ++vs) EXPECT_EQ(glyph_test_class(vs), G::kInvisible);
  EXPECT_EQ(glyph_test_class(0xFE10), G::kFallback);  // a vertical comma: a real character
}

TEST(GlyphClass, PlaneZeroEmojiTheTextFontsLackNeedTheEmojiFont) {
  EXPECT_EQ(glyph_test_class(0x2728), G::kEmoji);  // ✨
  EXPECT_EQ(glyph_test_class(0x2705), G::kEmoji);  // ✅
  EXPECT_EQ(glyph_test_class(0x2714), G::kFallback);  // ✔ is DejaVu's: not in the emoji table
}

TEST(GlyphClass, TextWithoutEmojiNeverAsksForTheEmojiFont) {
  EXPECT_FALSE(glyph_test_wants_emoji_font("Hello, café — 你好，世界！ Привет ★☆ €"));
  EXPECT_FALSE(glyph_test_wants_emoji_font("\xEF\xB8\x8F\xE2\x80\x8D"));  // a stray VS16 and ZWJ
  EXPECT_TRUE(glyph_test_wants_emoji_font("meeting at 3 🕒, bring 🍕"));
  EXPECT_TRUE(glyph_test_wants_emoji_font("🫠"));  // Unicode 14
}

TEST(GlyphClass, ControlsAndCodepointsBeyondPlaneOneAreIgnored) {
  EXPECT_EQ(glyph_test_class(0x0A), G::kIgnored);
  EXPECT_EQ(glyph_test_class(0x1F), G::kIgnored);
  EXPECT_EQ(glyph_test_class(0x20), G::kEmbedded);
  EXPECT_EQ(glyph_test_class(0x20000), G::kIgnored);  // CJK Extension B
  EXPECT_EQ(glyph_test_class(0xE0067), G::kIgnored);  // a tag letter of the England flag
  EXPECT_EQ(glyph_test_class(kMaxCodepoint), G::kFallback);
}

TEST(GlyphClass, EmbeddedLatinAndCjkKeepTheirFonts) {
  EXPECT_EQ(glyph_test_classes("aé€"), (std::vector<G>{G::kEmbedded, G::kEmbedded, G::kEmbedded}));
  EXPECT_EQ(glyph_test_class(0x4E2D), G::kFallback);  // 中: the CJK fallback font
  EXPECT_EQ(glyph_test_class(0x0416), G::kFallback);  // Ж: DejaVu's fetched part
}

TEST(GlyphClass, InRangesReadsTheGeneratedTableFormat) {
  constexpr unsigned table[] = {0x10, 0x12, 0x40, 0x40, 0};
  EXPECT_FALSE(in_ranges(table, 0x0F));
  EXPECT_TRUE(in_ranges(table, 0x10));
  EXPECT_TRUE(in_ranges(table, 0x12));
  EXPECT_FALSE(in_ranges(table, 0x13));
  EXPECT_TRUE(in_ranges(table, 0x40));
  constexpr unsigned empty[] = {0};
  EXPECT_FALSE(in_ranges(empty, 0x40));
}

}  // namespace
}  // namespace gc::platform
