// The string table and the pure helpers (clock, initials, wrap) need no ImGui frame.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ui/i18n.hpp"
#include "ui/widgets.hpp"

namespace gc::ui {
namespace {

// The printf conversions of a format string, in order ("%d %s" -> "ds"); "%%" is text.
std::string conversions(const char* s) {
  std::string out;
  for (; *s; ++s) {
    if (*s != '%') continue;
    ++s;
    if (*s == '%') continue;
    while (*s && std::string("-+ #0123456789.").find(*s) != std::string::npos) ++s;
    if (*s) out += *s;
    if (!*s) break;
  }
  return out;
}

TEST(UiI18n, EveryIdHasBothLanguagesAndRowsAreInOrder) {
  for (std::size_t i = 0; i < kStringCount; ++i) {
    const auto id = static_cast<StringId>(i);
    EXPECT_EQ(table_id(i), id) << "row " << i << " is out of order";
    const char* en = text(Language::kEnglish, id);
    const char* zh = text(Language::kZhCn, id);
    ASSERT_NE(en, nullptr);
    ASSERT_NE(zh, nullptr);
    EXPECT_STRNE(en, "") << "English text missing for id " << i;
    EXPECT_STRNE(zh, "") << "Chinese text missing for id " << i;
    EXPECT_EQ(conversions(en), conversions(zh)) << "format conversions differ for id " << i << ": " << en;
  }
}

TEST(UiI18n, ChineseTableIsActuallyTranslated) {
  int same = 0;
  for (std::size_t i = 0; i < kStringCount; ++i) {
    const auto id = static_cast<StringId>(i);
    if (std::string(text(Language::kEnglish, id)) == text(Language::kZhCn, id)) ++same;
  }
  // Only language endonyms and pure formats ("%s · %s") may be identical.
  EXPECT_LE(same, 3);
  EXPECT_STREQ(text(Language::kZhCn, StringId::kYou), "我");
  EXPECT_STREQ(text(Language::kEnglish, StringId::kYou), "You");
  EXPECT_STREQ(text(Language::kZhCn, StringId::kEnableSound), "点击开启声音");
}

TEST(UiI18n, LanguageFromNavigatorLanguage) {
  EXPECT_EQ(language_from_tag("zh"), Language::kZhCn);
  EXPECT_EQ(language_from_tag("zh-CN"), Language::kZhCn);
  EXPECT_EQ(language_from_tag("zh-TW"), Language::kZhCn);
  EXPECT_EQ(language_from_tag("ZH-hans"), Language::kZhCn);
  EXPECT_EQ(language_from_tag("zh_CN"), Language::kZhCn);
  EXPECT_EQ(language_from_tag("en-US"), Language::kEnglish);
  EXPECT_EQ(language_from_tag(""), Language::kEnglish);
  EXPECT_EQ(language_from_tag("z"), Language::kEnglish);
  EXPECT_EQ(language_from_tag("zha"), Language::kEnglish);
  EXPECT_EQ(language_from_tag("de"), Language::kEnglish);
  EXPECT_STREQ(language_tag(Language::kZhCn), "zh-CN");
  EXPECT_STREQ(language_tag(Language::kEnglish), "en");
  EXPECT_NE(all_text(Language::kZhCn).find("加入"), std::string::npos);
  // Characters the views draw outside the table must be baked into the atlas as well.
  for (const Language lang : {Language::kZhCn, Language::kEnglish}) {
    EXPECT_NE(all_text(lang).find("\u00D7"), std::string::npos);  // panel close button
    EXPECT_NE(all_text(lang).find("\u00B7"), std::string::npos);  // file details separator
  }
}

// The join form validates with the core's rules (tested in tests/unit/url_config_test.cpp),
// not copies of them: the parser the views see is the core's own function.
TEST(UiValidation, TheViewsUseTheCoresIntegerParser) {
  std::optional<std::int64_t> (*ui_parser)(std::string_view) = &parse_wire_integer;
  std::optional<std::int64_t> (*core_parser)(std::string_view) = &core::parse_wire_integer;
  EXPECT_EQ(ui_parser, core_parser);
  EXPECT_FALSE(parse_wire_integer(" 42 "));  // the core's rule: no surrounding spaces
}

TEST(UiFormat, ClockWithOffset) {
  // 2023-11-14 22:13:20 UTC
  const std::int64_t t = 1700000000000;
  EXPECT_EQ(format_clock(t, 0), "22:13");
  EXPECT_EQ(format_clock(t, 8 * 60), "06:13");   // Beijing, next day
  EXPECT_EQ(format_clock(t, -5 * 60), "17:13");  // New York (EST)
  EXPECT_EQ(format_clock(0, 0), "00:00");
  EXPECT_EQ(format_clock(-60000, 0), "23:59");
}

TEST(UiFormat, Initials) {
  EXPECT_EQ(initial_of("alice"), "A");
  EXPECT_EQ(initial_of("Dr. 王伟 (R&D)"), "D");
  EXPECT_EQ(initial_of("  王伟"), "王");
  EXPECT_EQ(initial_of("「王」"), "王");
  EXPECT_EQ(initial_of(""), "?");
  EXPECT_EQ(initial_of("..."), "?");
}

float unit_advance(unsigned int cp, void*) { return cp >= 0x2E80 ? 2.0f : 1.0f; }

std::vector<std::string> lines_of(std::string_view text, const std::vector<TextPiece>& pieces) {
  std::vector<std::string> lines;
  float y = -1;
  for (const TextPiece& p : pieces) {
    if (p.y != y) {
      lines.emplace_back();
      y = p.y;
    }
    lines.back() += std::string(text.substr(p.begin, p.end - p.begin));
  }
  return lines;
}

TEST(UiWrap, BreaksBetweenWordsAndDropsLeadingSpaces) {
  const std::string text = "hello world foo";
  float h = 0;
  const auto pieces = wrap_text(text, core::find_links(text), 10, 10, unit_advance, nullptr, &h);
  EXPECT_EQ(lines_of(text, pieces), (std::vector<std::string>{"hello ", "world foo"}));
  EXPECT_EQ(h, 20);
}

TEST(UiWrap, BreaksBetweenChineseCharacters) {
  const std::string text = "你好世界朋友";  // 6 characters, 2 units each
  float h = 0;
  const auto pieces = wrap_text(text, core::find_links(text), 8, 10, unit_advance, nullptr, &h);
  EXPECT_EQ(lines_of(text, pieces), (std::vector<std::string>{"你好世界", "朋友"}));
}

TEST(UiWrap, HonoursNewlinesAndBreaksLongWords) {
  const std::string text = "ab\nabcdefghij";
  float h = 0;
  const auto pieces = wrap_text(text, core::find_links(text), 4, 10, unit_advance, nullptr, &h);
  EXPECT_EQ(lines_of(text, pieces), (std::vector<std::string>{"ab", "abcd", "efgh", "ij"}));
  EXPECT_EQ(h, 40);
}

TEST(UiWrap, LinkPiecesKeepTheirSpan) {
  const std::string text = "看https://a.cn/x，好";
  const auto spans = core::find_links(text);
  ASSERT_EQ(spans.size(), 3u);
  float h = 0;
  const auto pieces = wrap_text(text, spans, 100, 10, unit_advance, nullptr, &h);
  std::string link;
  for (const TextPiece& p : pieces)
    if (spans[p.span].kind == core::TextSpan::Kind::kLink) link += text.substr(p.begin, p.end - p.begin);
  EXPECT_EQ(link, "https://a.cn/x");
}

}  // namespace
}  // namespace gc::ui
