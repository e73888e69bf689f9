// PROTOCOL.md rule 9: only http:, https: or a relative path may become a link; and links
// inside chat text.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/links.hpp"

namespace gc::core {
namespace {

using namespace std::string_literals;

// ---- is_linkable_url ---------------------------------------------------------------------

TEST(LinkableUrl, AcceptsHttpAndHttps) {
  EXPECT_TRUE(is_linkable_url("http://example.com"));
  EXPECT_TRUE(is_linkable_url("https://files.example.com:8443/a/b.pdf?x=1#p2"));
  EXPECT_TRUE(is_linkable_url("https://192.168.22.145:8443/files/报告.pdf"));
  EXPECT_TRUE(is_linkable_url("https://user@host/x"));
}

TEST(LinkableUrl, SchemeIsCaseInsensitive) {
  EXPECT_TRUE(is_linkable_url("HTTP://EXAMPLE.COM/"));
  EXPECT_TRUE(is_linkable_url("HtTpS://example.com/"));
}

TEST(LinkableUrl, HttpNeedsSomethingAfterTheScheme) {
  for (const char* u : {"http:", "https:", "http://", "https://", "https:/x", "https:x",
                        "https:///evil.com", "https:\\\\evil.com", "https://?q", "https://#f",
                        "https:// x"}) {
    EXPECT_FALSE(is_linkable_url(u)) << u;
  }
}

TEST(LinkableUrl, AcceptsRelativePaths) {
  for (const char* u : {"/files/abc.pdf", "/", "files/abc.pdf", "./a.pdf", "../up/a.pdf",
                        "?id=3", "#frag", "/files/报告 2024.pdf", "/a:b", "a/b:c", "a?b:c"}) {
    EXPECT_TRUE(is_linkable_url(u)) << u;
  }
}

TEST(LinkableUrl, RejectsProtocolRelativeAndItsBrowserEquivalents) {
  for (const char* u : {"//evil.com/x", "///evil.com", "/\\evil.com", "\\\\evil.com",
                        "\\/evil.com", "\\x"}) {
    EXPECT_FALSE(is_linkable_url(u)) << u;
  }
}

TEST(LinkableUrl, RejectsScriptAndLocalSchemes) {
  for (const char* u : {"javascript:alert(1)", "JavaScript:alert(1)", "JAVASCRIPT:alert(1)",
                        "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
                        "file:///etc/passwd", "blob:https://example.com/uuid", "ftp://x/y",
                        "mailto:a@b.c", "about:blank", "chrome://settings", "ws://x",
                        "intent://x#Intent;end", "a:b", "httpx://example.com",
                        "http-x://example.com", "https+x://e.com"}) {
    EXPECT_FALSE(is_linkable_url(u)) << u;
  }
}

TEST(LinkableUrl, RejectsWhitespaceAndControlCharacterTricks) {
  for (const std::string& u :
       {" javascript:alert(1)"s, "javascript:alert(1) "s, "java\tscript:alert(1)"s,
        "java\nscript:alert(1)"s, "java\rscript:alert(1)"s, "\x01javascript:alert(1)"s,
        " https://example.com"s, "https://example.com "s, "\thttps://example.com"s,
        "https://exa\nmple.com"s, "https://example.com/\x7F"s, "/files/a\0.pdf"s,
        "\x0Bhttps://e.com"s, "\x0C/x"s}) {
    EXPECT_FALSE(is_linkable_url(u)) << u;
  }
}

TEST(LinkableUrl, RejectsEmptyAndInvalidUtf8) {
  EXPECT_FALSE(is_linkable_url(""));
  EXPECT_FALSE(is_linkable_url("/files/\xFF.pdf"));
  EXPECT_FALSE(is_linkable_url("https://e.com/\xE6\x97"));
}

TEST(LinkableUrl, RejectsSchemeHiddenBeforeTheFirstSlash) {
  // A ':' before any '/', '?' or '#' means the first segment would be read as a scheme.
  for (const char* u : {"javascript&colon;x:y", "foo bar:baz", "%6Aavascript:alert(1)x:"}) {
    EXPECT_FALSE(is_linkable_url(u)) << u;
  }
  // Percent-encoding hides nothing once the ':' is inside a path.
  EXPECT_TRUE(is_linkable_url("javascript%3Aalert(1)"));
}

// ---- find_links --------------------------------------------------------------------------

struct Piece {
  bool link;
  std::string text;
  friend bool operator==(const Piece& a, const Piece& b) {
    return a.link == b.link && a.text == b.text;
  }
};

std::ostream& operator<<(std::ostream& os, const Piece& p) {
  return os << (p.link ? "LINK[" : "TEXT[") << p.text << "]";
}

std::vector<Piece> pieces(const std::string& text) {
  std::vector<Piece> out;
  for (const TextSpan& s : find_links(text)) {
    out.push_back({s.kind == TextSpan::Kind::kLink, std::string(span_text(text, s))});
  }
  return out;
}

std::vector<Piece> P(std::initializer_list<Piece> l) { return l; }

TEST(FindLinks, PlainTextIsOneSpan) {
  EXPECT_EQ(pieces("hello world"), P({{false, "hello world"}}));
  EXPECT_TRUE(find_links("").empty());
}

TEST(FindLinks, FindsALinkBetweenWords) {
  EXPECT_EQ(pieces("see https://example.com/a?b=1 now"),
            P({{false, "see "}, {true, "https://example.com/a?b=1"}, {false, " now"}}));
}

TEST(FindLinks, WholeTextCanBeALink) {
  EXPECT_EQ(pieces("http://example.com"), P({{true, "http://example.com"}}));
}

TEST(FindLinks, ChineseTextAroundALinkIsNotSwallowed) {
  EXPECT_EQ(pieces("请看https://example.com/报告这个文件"),
            P({{false, "请看"}, {true, "https://example.com/"}, {false, "报告这个文件"}}));
  EXPECT_EQ(pieces("文件在 https://a.cn/x 里"),
            P({{false, "文件在 "}, {true, "https://a.cn/x"}, {false, " 里"}}));
}

TEST(FindLinks, FullWidthPunctuationEndsALink) {
  EXPECT_EQ(pieces("链接：https://a.cn/x，谢谢。"),
            P({{false, "链接："}, {true, "https://a.cn/x"}, {false, "，谢谢。"}}));
  EXPECT_EQ(pieces("（https://a.cn/x）"),
            P({{false, "（"}, {true, "https://a.cn/x"}, {false, "）"}}));
  EXPECT_EQ(pieces("https://a.cn/x。"), P({{true, "https://a.cn/x"}, {false, "。"}}));
}

TEST(FindLinks, TrailingAsciiPunctuationIsExcluded) {
  EXPECT_EQ(pieces("go to https://a.com/x."), P({{false, "go to "}, {true, "https://a.com/x"},
                                                   {false, "."}}));
  EXPECT_EQ(pieces("https://a.com/x, and"), P({{true, "https://a.com/x"}, {false, ", and"}}));
  EXPECT_EQ(pieces("https://a.com/x!?"), P({{true, "https://a.com/x"}, {false, "!?"}}));
  EXPECT_EQ(pieces("'https://a.com/x'"), P({{false, "'"}, {true, "https://a.com/x"},
                                              {false, "'"}}));
  EXPECT_EQ(pieces("https://a.com/x...;:"), P({{true, "https://a.com/x"}, {false, "...;:"}}));
}

TEST(FindLinks, UnmatchedClosingParenIsExcludedButBalancedOneKept) {
  EXPECT_EQ(pieces("(see https://a.com/x)"),
            P({{false, "(see "}, {true, "https://a.com/x"}, {false, ")"}}));
  EXPECT_EQ(pieces("https://en.wikipedia.org/wiki/C_(language)"),
            P({{true, "https://en.wikipedia.org/wiki/C_(language)"}}));
  EXPECT_EQ(pieces("(https://en.wikipedia.org/wiki/C_(language))."),
            P({{false, "("}, {true, "https://en.wikipedia.org/wiki/C_(language)"},
               {false, ")."}}));
  EXPECT_EQ(pieces("[https://a.com/x]"), P({{false, "["}, {true, "https://a.com/x"},
                                              {false, "]"}}));
}

TEST(FindLinks, QuotesAndAnglesEndALink) {
  EXPECT_EQ(pieces("<https://a.com/x>"), P({{false, "<"}, {true, "https://a.com/x"},
                                              {false, ">"}}));
  EXPECT_EQ(pieces("\"https://a.com/x\""), P({{false, "\""}, {true, "https://a.com/x"},
                                                {false, "\""}}));
}

TEST(FindLinks, FindsSeveralLinks) {
  EXPECT_EQ(pieces("http://a.com https://b.com\nhttps://c.com"),
            P({{true, "http://a.com"}, {false, " "}, {true, "https://b.com"}, {false, "\n"},
               {true, "https://c.com"}}));
}

TEST(FindLinks, SchemeIsCaseInsensitive) {
  EXPECT_EQ(pieces("x HTTPS://A.COM y"), P({{false, "x "}, {true, "HTTPS://A.COM"},
                                              {false, " y"}}));
}

TEST(FindLinks, OnlyHttpAndHttpsBecomeLinks) {
  EXPECT_EQ(pieces("javascript:alert(1) ftp://a.com/x data:text/html,x www.example.com"),
            P({{false, "javascript:alert(1) ftp://a.com/x data:text/html,x www.example.com"}}));
}

TEST(FindLinks, SchemeGluedToAWordIsNotALink) {
  EXPECT_EQ(pieces("xhttps://a.com"), P({{false, "xhttps://a.com"}}));
  EXPECT_EQ(pieces("javascript:https://a.com"),
            P({{false, "javascript:"}, {true, "https://a.com"}}));
}

TEST(FindLinks, BareSchemeIsNotALink) {
  EXPECT_EQ(pieces("https:// and http://"), P({{false, "https:// and http://"}}));
  EXPECT_EQ(pieces("https://."), P({{false, "https://."}}));
  EXPECT_EQ(pieces("http:///x"), P({{false, "http:///x"}}));
}

TEST(FindLinks, SpansCoverTheTextExactlyAndNeverSplitUtf8) {
  std::string text = "混合 text https://a.cn/路径?q=中 结束。http://b.com/(x)) end";
  auto spans = find_links(text);
  std::size_t pos = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    EXPECT_EQ(spans[i].offset, pos);
    EXPECT_GT(spans[i].length, 0u);
    if (i > 0) {
      EXPECT_FALSE(spans[i].kind == TextSpan::Kind::kPlain &&
                   spans[i - 1].kind == TextSpan::Kind::kPlain);
    }
    if (spans[i].offset < text.size()) {
      auto lead = static_cast<unsigned char>(text[spans[i].offset]);
      EXPECT_NE(lead & 0xC0, 0x80) << "span starts inside a UTF-8 sequence";
    }
    pos += spans[i].length;
  }
  EXPECT_EQ(pos, text.size());
}

TEST(FindLinks, StaysLinearOnAdversarialText) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "http:///";
  auto spans = find_links(text);  // would take minutes if quadratic
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].kind, TextSpan::Kind::kPlain);

  std::string parens = "https://a.com/" + std::string(200000, ')');
  auto p = find_links(parens);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].length, 14u);
}

}  // namespace
}  // namespace gc::core
