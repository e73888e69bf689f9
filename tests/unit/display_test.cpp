// PROTOCOL.md rule 10: prefix and postfix decorate name; any of them may be empty.
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

}  // namespace
}  // namespace gc::core
