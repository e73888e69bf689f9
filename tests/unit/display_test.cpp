// PROTOCOL.md rule 10: prefix and postfix decorate name; any of them may be empty. And
// issue 11, item 2: direction controls in untrusted text are made visible (TrustDisplay.*).
#include <gtest/gtest.h>

#include "core/display.hpp"

namespace gc::core {
namespace {

using namespace std::string_literals;
using protocol::Participant;

std::string name_of(std::string prefix, std::string name, std::string postfix,
                    protocol::UserId id = 7) {
  Participant p;
  p.id = id;
  p.prefix = std::move(prefix);
  p.name = std::move(name);
  p.postfix = std::move(postfix);
  return display_name(p);
}

TEST(DisplayName, JoinsPrefixNamePostfixWithSingleSpaces) {
  EXPECT_EQ(name_of("Dr.", "Wang Wei", "(R&D)"), "Dr. Wang Wei (R&D)");
  EXPECT_EQ(name_of("主任", "李娜", "财务部"), "主任 李娜 财务部");
}

TEST(DisplayName, SkipsEmptyParts) {
  EXPECT_EQ(name_of("", "李娜", ""), "李娜");
  EXPECT_EQ(name_of("主任", "李娜", ""), "主任 李娜");
  EXPECT_EQ(name_of("", "李娜", "财务部"), "李娜 财务部");
  EXPECT_EQ(name_of("主任", "", "财务部"), "主任 财务部");
  EXPECT_EQ(name_of("", "", "财务部"), "财务部");
}

TEST(DisplayName, TrimsEachPartAndCollapsesInnerSpaces) {
  EXPECT_EQ(name_of("  Dr. ", "  Wang   Wei ", " "), "Dr. Wang Wei");
  EXPECT_EQ(name_of("\t", "\n李娜\n", "\r\n"), "李娜");
}

TEST(DisplayName, TreatsIdeographicAndNoBreakSpacesAsSpaces) {
  EXPECT_EQ(name_of("\u3000主任\u3000", "李\u3000\u3000娜", "\u00A0"), "主任 李 娜");
}

TEST(DisplayName, ControlCharactersNeverReachTheScreen) {
  EXPECT_EQ(name_of("", "Ann\nSmith\x07", ""), "Ann Smith");
  EXPECT_EQ(name_of("", "a\0b"s, ""), "a b");
}

TEST(DisplayName, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(name_of("", "A\xFF" "B", ""), "A\xEF\xBF\xBD" "B");
  EXPECT_EQ(name_of("", "\xE6\x97", ""), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(DisplayName, FallsBackToHashIdWhenEverythingIsEmpty) {
  EXPECT_EQ(name_of("", "", "", 42), "#42");
  EXPECT_EQ(name_of(" ", "\u3000", "\t", 9007199254740991), "#9007199254740991");
}

TEST(DisplayName, HasDisplayNameTellsWhenTheFallbackIsUsed) {
  Participant empty{3, " ", "", ""};
  Participant named{3, "", "", "HR"};
  EXPECT_FALSE(has_display_name(empty));
  EXPECT_TRUE(has_display_name(named));
}

TEST(DisplayName, KeepsEmojiAndSupplementaryCharacters) {
  EXPECT_EQ(name_of("😀", "𠮷野家", ""), "😀 𠮷野家");
}

// ---- issue 11, item 2: direction controls ------------------------------------------------

constexpr const char* kFffd = "\xEF\xBF\xBD";

TEST(TrustDisplay, OverrideCannotDisguiseAnExeAsAPdf) {
  const std::string shown = reveal_bidi_controls("evil\u202Efdp.exe");
  EXPECT_EQ(shown, std::string("evil") + kFffd + "fdp.exe");
  EXPECT_EQ(shown.substr(shown.size() - 4), ".exe");
  EXPECT_FALSE(has_bidi_controls(shown));
}

TEST(TrustDisplay, EveryOverrideAndIsolateIsMadeVisible) {
  for (std::uint32_t cp : {0x202Au, 0x202Bu, 0x202Cu, 0x202Du, 0x202Eu, 0x2066u, 0x2067u, 0x2068u, 0x2069u}) {
    std::string ch;
    ch += static_cast<char>(0xE0 | (cp >> 12));
    ch += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    ch += static_cast<char>(0x80 | (cp & 0x3F));
    EXPECT_TRUE(is_bidi_control(cp)) << std::hex << cp;
    EXPECT_TRUE(has_bidi_controls("a" + ch + "b")) << std::hex << cp;
    EXPECT_EQ(reveal_bidi_controls("a" + ch + "b"), std::string("a") + kFffd + "b") << std::hex << cp;
    EXPECT_EQ(name_of("", "x" + ch, ""), std::string("x") + kFffd) << std::hex << cp;
  }
}

TEST(TrustDisplay, OtherTextIsUntouched) {
  // Neighbours of the ranges, direction marks (they cannot reverse a word), right-to-left
  // and CJK text, and invalid bytes (the display name handles those) stay as they are.
  for (const std::string& text :
       {"\u2029\u202F\u2065\u206A"s, "\u200E\u200F\u061C"s, "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627"s,
        "报告.pdf"s, "plain"s, ""s, "\xE2\x80"s, "\xE2"s, "\xFF\xE2\x80\xAE"s.substr(0, 2)}) {
    EXPECT_FALSE(has_bidi_controls(text)) << text;
    EXPECT_EQ(reveal_bidi_controls(text), text);
  }
}

TEST(TrustDisplay, NamesChatLinesAndFileNamesAreCoveredOnePassEach) {
  // A participant's prefix, name and postfix: display_name reveals them.
  EXPECT_EQ(name_of("\u2067Dr.", "Ann\u202E", "\u2069(HR)"),
            std::string(kFffd) + "Dr. Ann" + kFffd + " " + kFffd + "(HR)");
  Participant only_override{5, "\u202E", "", ""};
  EXPECT_TRUE(has_display_name(only_override));  // the marker is what there is to see
  // Long text: every control replaced, nothing else changed, sizes add up.
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "abc\u202Dd";
  const std::string shown = reveal_bidi_controls(text);
  EXPECT_EQ(shown.size(), text.size());  // U+202D and U+FFFD are both 3 bytes
  EXPECT_FALSE(has_bidi_controls(shown));
  EXPECT_EQ(shown.substr(0, 7), std::string("abc") + kFffd + "d");
}

}  // namespace
}  // namespace gc::core
