// The URL fragment is how a kiosk is configured and how links pre-fill the join screen.
#include "core/url_config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace gc::core {
namespace {

TEST(UrlConfig, EmptyFragmentGivesDefaultsFromThePage) {
  const UrlConfig c = parse_url_fragment("", "http:", "127.0.0.1:8080");
  EXPECT_EQ(c.server, "ws://127.0.0.1:8080/groupcall");
  EXPECT_FALSE(c.server_from_fragment);
  EXPECT_FALSE(c.room);
  EXPECT_FALSE(c.user);
  EXPECT_FALSE(c.password);
  EXPECT_FALSE(c.kiosk);
  EXPECT_TRUE(c.publish);
  EXPECT_EQ(c.lang, "");
  EXPECT_EQ(c.video_width, 640);
  EXPECT_EQ(c.video_height, 360);
  EXPECT_EQ(c.video_fps, 15);
  EXPECT_EQ(c.upload_url, "/upload");
  EXPECT_TRUE(c.ice_servers.empty());
  EXPECT_TRUE(c.problems.empty());
}

TEST(UrlConfig, HttpsPagesDefaultToWss) {
  EXPECT_EQ(default_server_url("https:", "meet.example.com"), "wss://meet.example.com/groupcall");
  EXPECT_EQ(default_server_url("HTTPS", "meet.example.com:8443"),
            "wss://meet.example.com:8443/groupcall");
  EXPECT_EQ(default_server_url("http:", "[::1]:8080"), "ws://[::1]:8080/groupcall");
  EXPECT_EQ(default_server_url("file:", ""), "ws://127.0.0.1:8080/groupcall");
}

TEST(UrlConfig, TheKioskExampleFromTheIssue) {
  const UrlConfig c = parse_url_fragment(
      "#server=wss%3A%2F%2F127.0.0.1%3A8080%2Fgroupcall&room=1&user=5&pw=s%20e%26cret&kiosk=1"
      "&publish=1&lang=zh&w=320&h=240&fps=15",
      "http:", "example.org");
  EXPECT_TRUE(c.problems.empty());
  EXPECT_EQ(c.server, "wss://127.0.0.1:8080/groupcall");
  EXPECT_TRUE(c.server_from_fragment);
  EXPECT_EQ(c.room, 1);
  EXPECT_EQ(c.user, 5);
  EXPECT_EQ(c.password, "s e&cret");
  EXPECT_TRUE(c.kiosk);
  EXPECT_TRUE(c.publish);
  EXPECT_EQ(c.lang, "zh");
  EXPECT_EQ(c.video_width, 320);
  EXPECT_EQ(c.video_height, 240);
  EXPECT_EQ(c.video_fps, 15);
}

TEST(UrlConfig, KioskIsReceiveOnlyUnlessPublishIsAsked) {
  EXPECT_FALSE(parse_url_fragment("kiosk=1&room=1&user=9", "http:", "h").publish);
  EXPECT_TRUE(parse_url_fragment("kiosk=1&publish=1", "http:", "h").publish);
  EXPECT_FALSE(parse_url_fragment("publish=0", "http:", "h").publish);
  EXPECT_TRUE(parse_url_fragment("kiosk=0", "http:", "h").publish);
  EXPECT_TRUE(parse_url_fragment("kiosk", "http:", "h").kiosk);  // bare key = on
}

TEST(UrlConfig, ChinesePasswordAndPlusStayLiteral) {
  const UrlConfig c = parse_url_fragment("pw=%E5%AF%86%E7%A0%81+1", "http:", "h");
  EXPECT_EQ(c.password, "密码+1");
}

TEST(UrlConfig, EmptyPasswordIsPresentButEmpty) {
  const UrlConfig c = parse_url_fragment("pw=&room=2", "http:", "h");
  ASSERT_TRUE(c.password);
  EXPECT_EQ(*c.password, "");
}

TEST(UrlConfig, InvalidValuesKeepDefaultsAndAreReported) {
  const UrlConfig c = parse_url_fragment(
      "server=http%3A%2F%2Fevil&room=-1&user=abc&w=99999&h=0&fps=120&lang=fr&kiosk=maybe"
      "&upload=javascript%3Aalert(1)&ice=http%3A%2F%2Fx",
      "https:", "host");
  EXPECT_EQ(c.server, "wss://host/groupcall");
  EXPECT_FALSE(c.server_from_fragment);
  EXPECT_FALSE(c.room);
  EXPECT_FALSE(c.user);
  EXPECT_EQ(c.video_width, 640);
  EXPECT_EQ(c.video_height, 360);
  EXPECT_EQ(c.video_fps, 15);
  EXPECT_EQ(c.lang, "");
  EXPECT_FALSE(c.kiosk);
  EXPECT_EQ(c.upload_url, "/upload");
  EXPECT_TRUE(c.ice_servers.empty());
  EXPECT_EQ(c.problems.size(), 10u);
}

TEST(UrlConfig, IdsUpToTheLargestExactJavaScriptInteger) {
  EXPECT_EQ(parse_url_fragment("user=9007199254740991", "http:", "h").user, 9007199254740991);
  EXPECT_FALSE(parse_url_fragment("user=9007199254740992", "http:", "h").user);
  EXPECT_FALSE(parse_url_fragment("user=99999999999999999999", "http:", "h").user);
  EXPECT_FALSE(parse_url_fragment("room=1e3", "http:", "h").room);
  EXPECT_FALSE(parse_url_fragment("room=+3", "http:", "h").room);
  EXPECT_FALSE(parse_url_fragment("room=", "http:", "h").room);
  EXPECT_EQ(parse_url_fragment("room=0", "http:", "h").room, 0);
}

TEST(UrlConfig, MalformedPercentEscapesAreRejected) {
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_FALSE(percent_decode("%4"));
  EXPECT_FALSE(percent_decode("%G1"));
  EXPECT_FALSE(percent_decode("%00"));     // NUL
  EXPECT_FALSE(percent_decode("%FF"));     // not UTF-8
  EXPECT_FALSE(percent_decode("%C0%AF"));  // overlong '/'
  EXPECT_FALSE(percent_decode("%ED%A0%80"));  // surrogate
  EXPECT_EQ(percent_decode("a%2fb%2Fc"), "a/b/c");
  const UrlConfig c = parse_url_fragment("pw=%ZZ&room=3", "http:", "h");
  EXPECT_FALSE(c.password);
  EXPECT_EQ(c.room, 3);
  EXPECT_EQ(c.problems.size(), 1u);
}

TEST(UrlConfig, LanguageTagsAreShortened) {
  EXPECT_EQ(parse_url_fragment("lang=zh-CN", "http:", "h").lang, "zh");
  EXPECT_EQ(parse_url_fragment("lang=EN_us", "http:", "h").lang, "en");
}

TEST(UrlConfig, LastValueWinsExceptIceWhichAccumulates) {
  const UrlConfig c = parse_url_fragment(
      "room=1&room=2&ice=stun%3A127.0.0.1%3A3478&ice=turn%3A127.0.0.1%3A3478", "http:", "h");
  EXPECT_EQ(c.room, 2);
  ASSERT_EQ(c.ice_servers.size(), 2u);
  EXPECT_EQ(c.ice_servers[0], "stun:127.0.0.1:3478");
  EXPECT_EQ(c.ice_servers[1], "turn:127.0.0.1:3478");
}

TEST(UrlConfig, UnknownKeysAndEmptyPairsAreIgnored) {
  const UrlConfig c = parse_url_fragment("&&foo=bar&room=4&", "http:", "h");
  EXPECT_EQ(c.room, 4);
  EXPECT_TRUE(c.problems.empty());
}

TEST(UrlConfig, UploadEndpointMayBeAPathOrAnHttpUrl) {
  EXPECT_EQ(parse_url_fragment("upload=%2Ffiles%2Fput", "http:", "h").upload_url, "/files/put");
  EXPECT_EQ(parse_url_fragment("upload=https%3A%2F%2Ffiles.example.com%2Fup", "http:", "h").upload_url,
            "https://files.example.com/up");
  EXPECT_EQ(parse_url_fragment("upload=%2F%2Fevil.example%2Fup", "http:", "h").upload_url, "/upload");
  EXPECT_EQ(parse_url_fragment("upload=data%3Atext", "http:", "h").upload_url, "/upload");
}

TEST(UrlConfig, ServerUrlNeedsAHost) {
  EXPECT_FALSE(parse_url_fragment("server=ws%3A%2F%2F", "http:", "h").server_from_fragment);
  EXPECT_FALSE(parse_url_fragment("server=ws%3A%2F%2F%2Fpath", "http:", "h").server_from_fragment);
  EXPECT_FALSE(parse_url_fragment("server=ws%3A%2F%2Fa%20b", "http:", "h").server_from_fragment);
  EXPECT_TRUE(parse_url_fragment("server=WS%3A%2F%2F127.0.0.1", "http:", "h").server_from_fragment);
}

TEST(UrlConfig, WebSocketUrlCheckGuardsTheSocketConstructor) {
  EXPECT_TRUE(is_websocket_url("ws://127.0.0.1:8080/groupcall"));
  EXPECT_TRUE(is_websocket_url("wss://meet.example.com:8443/groupcall"));
  EXPECT_FALSE(is_websocket_url("http://127.0.0.1/groupcall"));
  EXPECT_FALSE(is_websocket_url("ws://"));
  EXPECT_FALSE(is_websocket_url(" ws://a"));
  EXPECT_FALSE(is_websocket_url("ws://a\nb"));
  EXPECT_FALSE(is_websocket_url(""));
}

TEST(UrlConfig, WebSocketUrlNeedsAHostBeforeUserinfoOrPort) {
  // The authority must start with a host: an empty one before '@' or ':' is no address.
  EXPECT_FALSE(is_websocket_url("ws://@h"));
  EXPECT_FALSE(is_websocket_url("ws://:80"));
  EXPECT_FALSE(is_websocket_url("wss://@h/groupcall"));
  EXPECT_FALSE(is_websocket_url("wss://:8443/groupcall"));
  EXPECT_FALSE(is_websocket_url("ws://?x"));
  EXPECT_FALSE(is_websocket_url("ws://#x"));
  EXPECT_TRUE(is_websocket_url("ws://h:80"));
  EXPECT_TRUE(is_websocket_url("ws://u@h/groupcall"));
  EXPECT_TRUE(is_websocket_url("WSS://EXAMPLE.COM"));
  EXPECT_FALSE(parse_url_fragment("server=ws%3A%2F%2F%40h", "http:", "h").server_from_fragment);
  EXPECT_FALSE(parse_url_fragment("server=ws%3A%2F%2F%3A80", "http:", "h").server_from_fragment);
}

TEST(IntegerParser, DigitsOnlyWithoutSignOrSpaces) {
  EXPECT_EQ(parse_wire_integer("0"), 0);
  EXPECT_EQ(parse_wire_integer("42"), 42);
  EXPECT_EQ(parse_wire_integer("007"), 7);
  EXPECT_FALSE(parse_wire_integer(""));
  EXPECT_FALSE(parse_wire_integer("+1"));
  EXPECT_FALSE(parse_wire_integer("-1"));
  EXPECT_FALSE(parse_wire_integer("-0"));
  EXPECT_FALSE(parse_wire_integer(" 42"));
  EXPECT_FALSE(parse_wire_integer("42 "));
  EXPECT_FALSE(parse_wire_integer(" 42 "));
  EXPECT_FALSE(parse_wire_integer("4 2"));
  EXPECT_FALSE(parse_wire_integer("\t1"));
  EXPECT_FALSE(parse_wire_integer("1.5"));
  EXPECT_FALSE(parse_wire_integer("1e3"));
  EXPECT_FALSE(parse_wire_integer("0x10"));
  EXPECT_FALSE(parse_wire_integer("abc"));
  EXPECT_FALSE(parse_wire_integer("\xEF\xBC\x91"));  // U+FF11, a full-width digit one
  EXPECT_FALSE(parse_wire_integer(std::string_view("1\0", 2)));
}

TEST(IntegerParser, WireRangeEndsAtTwoToThe53MinusOne) {
  EXPECT_EQ(parse_wire_integer("9007199254740991"), 9007199254740991);  // 2^53 - 1
  EXPECT_FALSE(parse_wire_integer("9007199254740992"));                 // 2^53
  EXPECT_FALSE(parse_wire_integer("9999999999999999"));                 // 16 digits, too big
  EXPECT_EQ(parse_wire_integer("0009007199254740"), 9007199254740);     // 16 digits, fits
  // Longer than 16 characters is rejected before any arithmetic, so nothing overflows.
  EXPECT_FALSE(parse_wire_integer("00009007199254740"));
  EXPECT_FALSE(parse_wire_integer("9223372036854775807"));   // INT64_MAX
  EXPECT_FALSE(parse_wire_integer("9223372036854775808"));   // INT64_MAX + 1
  EXPECT_FALSE(parse_wire_integer("18446744073709551617"));  // wraps a uint64 to 1
  EXPECT_FALSE(parse_wire_integer(std::string(1000, '9')));
}

TEST(IntegerParser, BoundsAreInclusive) {
  EXPECT_EQ(parse_integer("16", 16, 4096), 16);
  EXPECT_EQ(parse_integer("4096", 16, 4096), 4096);
  EXPECT_FALSE(parse_integer("15", 16, 4096));
  EXPECT_FALSE(parse_integer("4097", 16, 4096));
  EXPECT_FALSE(parse_integer("0", 1, 60));
  EXPECT_FALSE(parse_integer("+60", 1, 60));
  // The fragment's ids use the same parser: room=%2042 (a leading space) is rejected.
  EXPECT_FALSE(parse_url_fragment("room=%2042", "http:", "h").room);
  EXPECT_EQ(parse_url_fragment("room=9007199254740991", "http:", "h").room, 9007199254740991);
  EXPECT_FALSE(parse_url_fragment("user=9007199254740992", "http:", "h").user);
}

TEST(UrlConfig, PercentEncodeMatchesEncodeURIComponent) {
  EXPECT_EQ(percent_encode("报告 v2 (final).pdf"),
            "%E6%8A%A5%E5%91%8A%20v2%20(final).pdf");
  EXPECT_EQ(percent_encode("a/b?c=d&e#f"), "a%2Fb%3Fc%3Dd%26e%23f");
  EXPECT_EQ(percent_decode(percent_encode("密码 &=#%")), "密码 &=#%");
}

TEST(UrlConfig, KioskRotationSecondsAreBoundedAndDefaultTo20) {
  EXPECT_EQ(parse_url_fragment("kiosk=1", "http:", "h").kiosk_page_seconds, 20);
  EXPECT_EQ(parse_url_fragment("kiosk=1&rotate=5", "http:", "h").kiosk_page_seconds, 5);
  for (const char* bad : {"rotate=1", "rotate=0", "rotate=3601", "rotate=5s", "rotate=-5"}) {
    const UrlConfig c = parse_url_fragment(bad, "http:", "h");
    EXPECT_EQ(c.kiosk_page_seconds, 20) << bad;
    ASSERT_EQ(c.problems.size(), 1u) << bad;
    EXPECT_NE(c.problems[0].find("rotate"), std::string::npos);
  }
}

TEST(UrlConfig, LayoutIsSpeakerOrGridAndDefaultsToTheGrid) {
  EXPECT_EQ(parse_url_fragment("kiosk=1", "http:", "h").layout, ViewLayout::kGrid);
  EXPECT_EQ(parse_url_fragment("kiosk=1&layout=speaker", "http:", "h").layout, ViewLayout::kSpeaker);
  EXPECT_EQ(parse_url_fragment("layout=SPEAKER", "http:", "h").layout, ViewLayout::kSpeaker) << "any case, as lang=";
  EXPECT_EQ(parse_url_fragment("layout=speaker&layout=grid", "http:", "h").layout, ViewLayout::kGrid) << "the last wins";
  EXPECT_EQ(parse_url_fragment("layout=%73peaker", "http:", "h").layout, ViewLayout::kSpeaker);
  for (const char* bad : {"layout=", "layout", "layout=speakers", "layout=film", "layout=%20grid", "layout=1"}) {
    const UrlConfig c = parse_url_fragment(std::string("kiosk=1&") + bad, "http:", "h");
    EXPECT_EQ(c.layout, ViewLayout::kGrid) << bad;
    ASSERT_EQ(c.problems.size(), 1u) << bad;
    EXPECT_EQ(c.problems[0], "layout: expected speaker or grid") << bad;
    EXPECT_TRUE(c.kiosk) << "a bad value spoils only its own key";
    EXPECT_FALSE(c.layout_set) << bad;
  }
  EXPECT_FALSE(parse_url_fragment("kiosk=1", "http:", "h").layout_set);
  EXPECT_TRUE(parse_url_fragment("layout=grid", "http:", "h").layout_set) << "named, even as the default";
  EXPECT_STREQ(to_string(ViewLayout::kGrid), "grid");
  EXPECT_STREQ(to_string(ViewLayout::kSpeaker), "speaker");
  for (const ViewLayout l : {ViewLayout::kGrid, ViewLayout::kSpeaker}) EXPECT_EQ(parse_view_layout(to_string(l)), l);
}

TEST(UrlConfig, ThePasswordLeavesTheFragmentAndEverythingElseStaysAsItWas) {
  EXPECT_EQ(fragment_without("#room=2&pw=secret&user=1", "pw"), "room=2&user=1");
  EXPECT_EQ(fragment_without("pw=%E8%8A%9D&kiosk=1&server=wss%3A%2F%2Fh%2Fg", "pw"), "kiosk=1&server=wss%3A%2F%2Fh%2Fg");
  // Spelled any way parse_url_fragment accepts, and repeated.
  EXPECT_EQ(fragment_without("PW=a&%70w=b&Pw&room=1", "pw"), "room=1");
  EXPECT_EQ(fragment_without("#pw=only", "pw"), "");
  EXPECT_EQ(fragment_without("room=1&&user=2", "pw"), "room=1&user=2");
  // Malformed escapes are kept (and reported by parse_url_fragment), never dropped blindly.
  EXPECT_EQ(fragment_without("%G1=x&pw=y", "pw"), "%G1=x");
  EXPECT_FALSE(parse_url_fragment(fragment_without("room=2&pw=secret", "pw"), "http:", "h").password);
}

}  // namespace
}  // namespace gc::core
