// PROTOCOL.md rule 9: only http:, https: or a relative path may become a link, never the
// client's own page (issue 11, item 2: TrustLinks.*); and links inside chat text.
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

// No page URL is known here (the process-wide base is empty), so a relative reference
// stays a link only as an absolute path that names a file and has no fragment.
TEST(LinkableUrl, AcceptsAbsolutePathsWithoutAPage) {
  for (const char* u : {"/files/abc.pdf", "/files/报告 2024.pdf", "/a:b", "/files/a.pdf?v=2",
                        "/files/../up/a.pdf"}) {
    EXPECT_TRUE(is_linkable_url(u)) << u;
  }
  for (const char* u : {"/", "files/abc.pdf", "./a.pdf", "../up/a.pdf", "?id=3", "#frag",
                        "a/b:c", "a?b:c", "/files/a.pdf#page=2"}) {
    EXPECT_FALSE(is_linkable_url(u)) << u;
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
  EXPECT_TRUE(resolve_link("javascript%3Aalert(1)", "", "https://h.example/app/").linkable);
}

// ---- issue 11, item 2: links from the server ---------------------------------------------

constexpr const char* kDemoPage = "http://127.0.0.1:8080/";
constexpr const char* kAppPage = "https://meet.example.com/app/";
constexpr const char* kFiles = "https://files.example.com/store/";
constexpr const char* kKioskFragment = "#server=ws://127.0.0.1:9/groupcall&room=1&user=8&kiosk=1&publish=1";

// The process-wide base for one test, restored afterwards.
class ScopedLinkBase {
 public:
  explicit ScopedLinkBase(LinkBase base) : saved_(link_base()) { set_link_base(std::move(base)); }
  ~ScopedLinkBase() { set_link_base(saved_); }
  ScopedLinkBase(const ScopedLinkBase&) = delete;
  ScopedLinkBase& operator=(const ScopedLinkBase&) = delete;

 private:
  LinkBase saved_;
};

void expect_link(const LinkTarget& t, const std::string& url, const std::string& host) {
  EXPECT_TRUE(t.linkable) << url;
  EXPECT_EQ(t.url, url);
  EXPECT_EQ(t.host, host);
}

// Every combination of base a deployment can have.
struct Base {
  const char* files;
  const char* page;
};
constexpr Base kBases[] = {{"", ""}, {"", kDemoPage}, {"", kAppPage}, {kFiles, ""},
                           {kFiles, kDemoPage}, {kFiles, kAppPage}, {"/files/", kDemoPage}};

void expect_never_linkable(const std::string& url) {
  for (const Base& b : kBases) {
    const LinkTarget t = resolve_link(url, b.files, b.page);
    EXPECT_FALSE(t.linkable) << url << " files=" << b.files << " page=" << b.page << " -> " << t.url;
    EXPECT_TRUE(t.url.empty());
    EXPECT_TRUE(t.host.empty());
  }
}

TEST(TrustLinks, RelativePathResolvesAgainstThePage) {
  expect_link(resolve_link("/files/a.pdf", "", kDemoPage), "http://127.0.0.1:8080/files/a.pdf",
              "127.0.0.1:8080");
  expect_link(resolve_link("/files/a.pdf", "", kAppPage), "https://meet.example.com/files/a.pdf",
              "meet.example.com");
  expect_link(resolve_link("files/a.pdf?v=2", "", kAppPage),
              "https://meet.example.com/app/files/a.pdf?v=2", "meet.example.com");
  expect_link(resolve_link("../up/a.pdf", "", kAppPage), "https://meet.example.com/up/a.pdf",
              "meet.example.com");
  expect_link(resolve_link("/files/%E6%8A%A5%E5%91%8A.pdf", "", kDemoPage),
              "http://127.0.0.1:8080/files/%E6%8A%A5%E5%91%8A.pdf", "127.0.0.1:8080");
  // The page's own query and fragment (a kiosk URL, a password) play no part.
  expect_link(resolve_link("a.pdf", "", "https://meet.example.com/app/index.html?x=1#pw=secret"),
              "https://meet.example.com/app/a.pdf", "meet.example.com");
}

TEST(TrustLinks, RelativePathResolvesAgainstTheFilesBase) {
  expect_link(resolve_link("/files/a.pdf", kFiles, kDemoPage), "https://files.example.com/files/a.pdf",
              "files.example.com");
  expect_link(resolve_link("a.pdf", kFiles, kDemoPage), "https://files.example.com/store/a.pdf",
              "files.example.com");
  expect_link(resolve_link("a.pdf", kFiles, ""), "https://files.example.com/store/a.pdf",
              "files.example.com");
  // A files base relative to the page.
  expect_link(resolve_link("a.pdf", "/uploads/", kDemoPage), "http://127.0.0.1:8080/uploads/a.pdf",
              "127.0.0.1:8080");
  expect_link(resolve_link("a.pdf", "//files.example.com:8443/x/", "https://meet.example.com/"),
              "https://files.example.com:8443/x/a.pdf", "files.example.com:8443");
  // A files base that is not http(s), or relative with no page, is ignored.
  expect_link(resolve_link("a.pdf", "ftp://files.example.com/", kAppPage),
              "https://meet.example.com/app/a.pdf", "meet.example.com");
  expect_link(resolve_link("/files/a.pdf", "/uploads/", ""), "/files/a.pdf", "");
}

TEST(TrustLinks, ServerFragmentIsNotLinkable) {
  expect_never_linkable(kKioskFragment);
  expect_never_linkable(std::string("/") + kKioskFragment);
  expect_never_linkable(std::string("./") + kKioskFragment);
  // At the page's server (no files base), "/index.html" is the client too.
  EXPECT_FALSE(resolve_link(std::string("/index.html") + kKioskFragment, "", kDemoPage).linkable);
  EXPECT_FALSE(resolve_link(std::string("/index.html") + kKioskFragment, "", "").linkable);
  EXPECT_FALSE(resolve_link(std::string(kDemoPage) + kKioskFragment, "", kDemoPage).linkable);
  EXPECT_FALSE(resolve_link(std::string(kDemoPage) + "index.html" + kKioskFragment, kFiles, kDemoPage).linkable);
}

TEST(TrustLinks, QueryOnlyIsNotLinkable) {
  for (const char* u : {"?x=1", "?", "?server=ws://evil/&kiosk=1", "#", "#x", ""}) expect_never_linkable(u);
}

TEST(TrustLinks, DotFragmentIsNotLinkable) {
  for (const char* u : {"./#kiosk=1", ".", "./", "..", "../", "../#kiosk=1", "./?x=1", "%2e/#kiosk=1",
                        ".%2E/#kiosk=1", "./../.#kiosk=1", "/.", "/./", "//", "/..//#x"})
    expect_never_linkable(u);
}

TEST(TrustLinks, OwnPageIsNotLinkable) {
  for (const char* u :
       {"https://meet.example.com/app/", "https://meet.example.com/app/?x=1", "https://meet.example.com/app/#kiosk=1",
        "https://meet.example.com/app", "https://meet.example.com/app/index.html#x",
        "https://MEET.Example.com:443/app/#x", "http://meet.example.com/app/#x",  // http -> https keeps #
        "https://meet.example.com:8443/app/#x", "https://meet.example.com/app//", "https://meet.example.com/%61pp/#x",
        "https://meet.example.com/files/../app/#x", "https://meet.example.com/APP/INDEX.HTML",
        "https://meet.example.com./app/#x", "//meet.example.com/app/#x", "/app/?x", "/app/index.html", "../app/#x",
        "index.html?kiosk=1"}) {
    EXPECT_FALSE(resolve_link(u, "", kAppPage).linkable) << u;
  }
  // The same server's other paths stay links, but not with a fragment: a server that
  // answers every path with index.html would load the client there.
  expect_link(resolve_link("https://meet.example.com/app/files/a.pdf?v=2", "", kAppPage),
              "https://meet.example.com/app/files/a.pdf?v=2", "meet.example.com");
  expect_link(resolve_link("/other/", "", kAppPage), "https://meet.example.com/other/", "meet.example.com");
  for (const char* u : {"/nowhere#kiosk=1", "x#", "a.pdf#x", "//localhost/a.pdf#x"}) {
    EXPECT_FALSE(resolve_link(u, "", kAppPage).linkable) << u;
    EXPECT_FALSE(resolve_link(u, "", kDemoPage).linkable) << u;
  }
  EXPECT_FALSE(resolve_link("https://meet.example.com/app/files/a.pdf#page=2", "", kAppPage).linkable);
  EXPECT_FALSE(resolve_link("http://127.0.0.1:8080/files/a.pdf#kiosk=1", "", kDemoPage).linkable);
  // On the files server, which is not the client's, a fragment is fine.
  expect_link(resolve_link("a.pdf#page=2", kFiles, kAppPage), "https://files.example.com/store/a.pdf#page=2",
              "files.example.com");
  // Names a browser may read as this host, and the loopback family (the viewer's own
  // machine may serve the client too), are refused at the client's path.
  for (const char* u : {"http://localhost:8080/#kiosk=1", "http://LOCALHOST/", "http://[::1]:8080/#x",
                        "http://[0:0:0:0:0:0:0:1]/", "http://0.0.0.0:8080/#x", "http://127.0.0.2:8080/",
                        "http://kiosk.localhost/#x", "http://[::ffff:7f00:1]/#x", "http://127.0.0.1.:8080/#x",
                        "http://\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x97.\xEF\xBC\x90.\xEF\xBC\x90.\xEF\xBC\x91:8080/#k"}) {
    EXPECT_FALSE(resolve_link(u, "", kDemoPage).linkable) << u;
  }
  expect_link(resolve_link("http://localhost:8080/files/a.pdf", "", kDemoPage), "http://localhost:8080/files/a.pdf",
              "localhost:8080");
  // Another host at the same path is another page.
  expect_link(resolve_link("https://docs.example.com/#install", "", kDemoPage), "https://docs.example.com/#install",
              "docs.example.com");
}

TEST(TrustLinks, ScriptDataAndWebSocketSchemesAreNotLinkable) {
  for (const char* u : {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
                        "ws://127.0.0.1:9/groupcall", "wss://evil.example.com/groupcall", "vbscript:x",
                        "file:///etc/passwd", "blob:https://meet.example.com/uuid", "about:blank", "mailto:a@b.c",
                        "https:files.example.com/a", "https:/files.example.com/a", "http:", "https://"})
    expect_never_linkable(u);
}

TEST(TrustLinks, OtherHostIsLinkableWithItsHost) {
  for (const Base& b : kBases) {
    expect_link(resolve_link("https://files.example.com/a.pdf", b.files, b.page), "https://files.example.com/a.pdf",
                "files.example.com");
    expect_link(resolve_link("http://10.0.0.5:8443/f/a.pdf", b.files, b.page), "http://10.0.0.5:8443/f/a.pdf",
                "10.0.0.5:8443");
  }
  expect_link(resolve_link("https://files.example.com:443/a", "", kDemoPage), "https://files.example.com/a",
              "files.example.com");
  expect_link(resolve_link("http://files.example.com:0080", "", kDemoPage), "http://files.example.com/",
              "files.example.com");
  expect_link(resolve_link("https://files.example.com:8443", "", kDemoPage), "https://files.example.com:8443/",
              "files.example.com:8443");
}

TEST(TrustLinks, ProtocolRelativeTakesThePagesScheme) {
  expect_link(resolve_link("//cdn.example.com/a.pdf", "", kAppPage), "https://cdn.example.com/a.pdf",
              "cdn.example.com");
  expect_link(resolve_link("//cdn.example.com/a.pdf", "", kDemoPage), "http://cdn.example.com/a.pdf",
              "cdn.example.com");
  expect_link(resolve_link("//cdn.example.com:80/a.pdf", kFiles, kDemoPage), "https://cdn.example.com:80/a.pdf",
              "cdn.example.com:80");
  EXPECT_FALSE(resolve_link("//cdn.example.com/a.pdf", "", "").linkable);  // which scheme?
  for (const char* u : {"///evil.com", "/\\evil.com", "\\\\evil.com", "\\/evil.com", "//@evil.com/", "//:80/"})
    expect_never_linkable(u);
}

TEST(TrustLinks, PercentEncodingAndHostsAreHandledSanely) {
  // Scheme and host lowercased, the path as given (percent-encoding kept), dot segments
  // removed ("%2e" counts as '.', as browsers read it).
  expect_link(resolve_link("HTTPS://FILES.Example.COM/A%20B.pdf", "", ""), "https://files.example.com/A%20B.pdf",
              "files.example.com");
  expect_link(resolve_link("/files/%2e%2E/a.pdf", "", kDemoPage), "http://127.0.0.1:8080/a.pdf", "127.0.0.1:8080");
  expect_link(resolve_link("/files/报告 2024.pdf", "", kDemoPage), "http://127.0.0.1:8080/files/报告 2024.pdf",
              "127.0.0.1:8080");
  // Internationalised names: allowed, shown as written (ASCII lowercased).
  expect_link(resolve_link("https://文件.example.cn/报告.pdf", "", kDemoPage), "https://文件.example.cn/报告.pdf",
              "文件.example.cn");
  expect_link(resolve_link("https://Bücher.Example/a", "", kDemoPage), "https://bücher.example/a",
              "bücher.example");
  // IPv6 in its canonical form.
  expect_link(resolve_link("http://[2001:DB8:0:0:0:0:0:1]:8443/a", "", kDemoPage), "http://[2001:db8::1]:8443/a",
              "[2001:db8::1]:8443");
  // Direction and invisible characters are percent-encoded in the path: the tooltip shows
  // them, the browser would encode them the same way.
  expect_link(resolve_link("https://files.example.com/evil\u202Efdp.exe", "", ""),
              "https://files.example.com/evil%E2%80%AEfdp.exe", "files.example.com");
  // Refused: what browsers would decode or re-read as another host.
  for (const char* u : {"https://%66iles.example.com/a", "http://2130706433/a", "http://0x7f.1/a", "http://127.1/a",
                        "http://1.2.3.04/a", "http://1.2.3.256/a", "http://[::ffff:1.2.3.4]/a", "http://[fe80::1%25eth0]/",
                        "http://[1:2:3:4:5:6:7:8:9]/", "http://[::1/", "https://files.example.com@evil.com/a",
                        "https://user:pw@files.example.com/a", "https://a..b/x", "https://.a/x", "https://a b/x",
                        "https://a\u202Eb.com/x", "https://a\u200Bb.com/x", "https://a\u3000b.com/x",
                        "https://files.example.com:65536/a", "https://files.example.com:8x/a", "https://h/a\\b"})
    expect_never_linkable(u);
}

TEST(TrustLinks, OverLongUrlsAreNotLinkable) {
  const std::string head = "https://files.example.com/";
  const std::string fits = head + std::string(kMaxLinkBytes - head.size(), 'a');
  EXPECT_TRUE(resolve_link(fits, "", kDemoPage).linkable);
  expect_never_linkable(fits + "a");
  const std::string path = "/" + std::string(kMaxLinkBytes - 1, 'a');
  EXPECT_TRUE(resolve_link(path, "", "").linkable);
  EXPECT_FALSE(resolve_link(path, "", kDemoPage).linkable);  // too long once resolved
  std::string chat = "see " + fits + "a end";
  EXPECT_EQ(find_links(chat).size(), 1u);  // plain text only
}

TEST(TrustLinks, WithoutAPageOnlyAbsolutePathsStayLinks) {
  expect_link(resolve_link("/files/a.pdf", "", ""), "/files/a.pdf", "");
  expect_link(resolve_link("/files/./x/../a.pdf?v=1", "", ""), "/files/a.pdf?v=1", "");
  expect_link(resolve_link("https://files.example.com/a.pdf#p", "", ""), "https://files.example.com/a.pdf#p",
              "files.example.com");
  for (const char* u : {"a.pdf", "./a.pdf", "/files/a.pdf#page=2", "/", "//cdn.example.com/a.pdf"})
    EXPECT_FALSE(resolve_link(u, "", "").linkable) << u;
  // With a files base but no page: resolved against the base, still no fragment.
  EXPECT_FALSE(resolve_link("a.pdf#x", kFiles, "").linkable);
  // The process-wide base starts empty: the same rules.
  EXPECT_TRUE(link_base().page.empty());
  EXPECT_TRUE(is_linkable_url("/files/a.pdf"));
  EXPECT_FALSE(is_linkable_url("./#kiosk=1"));
}

TEST(TrustLinks, LinkBaseAppliesToFilesAndChat) {
  ScopedLinkBase scope({"http://127.0.0.1:8080/", ""});
  expect_link(resolve_link("/files/a.pdf"), "http://127.0.0.1:8080/files/a.pdf", "127.0.0.1:8080");
  EXPECT_TRUE(is_linkable_url("files/a.pdf"));
  EXPECT_FALSE(is_linkable_url(kKioskFragment));
  EXPECT_FALSE(is_linkable_url("/#kiosk=1"));
  // A chat line cannot link to the client's own page with new settings either.
  const std::string text = std::string("join me http://127.0.0.1:8080/") + kKioskFragment + " now";
  ASSERT_EQ(find_links(text).size(), 1u);
  EXPECT_EQ(find_links(text)[0].kind, TextSpan::Kind::kPlain);
  const std::string other = "docs at https://docs.example.com/#install.";
  ASSERT_EQ(find_links(other).size(), 3u);
  EXPECT_EQ(span_text(other, find_links(other)[1]), "https://docs.example.com/#install");

  set_link_base({"http://127.0.0.1:8080/", kFiles});
  expect_link(resolve_link("/files/a.pdf"), "https://files.example.com/files/a.pdf", "files.example.com");
  EXPECT_EQ(link_base().files, kFiles);
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
