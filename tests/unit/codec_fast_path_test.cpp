// The codec's fast paths (protocol/fast_codec.hpp) against the nlohmann code they shortcut:
// where a fast decoder answers it must give the reference's message, where it cannot it must
// defer (nullopt) so the public decode gives the reference's result, error text included;
// fast encoding must give the reference's bytes or defer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "protocol/codec.hpp"
#include "protocol/fast_codec.hpp"
#include "gson_escape.hpp"

namespace gc::protocol {
namespace {

using namespace std::string_literals;
using gc::test::gson_escape;

// ---- helpers -----------------------------------------------------------------------------

template <class T>
std::string describe(const Decoded<T>& d) {
  if (d.ok()) return "ok: " + encode(d.value());
  const DecodeError& e = d.error();
  return std::string("error: ") + to_string(e.kind) + " type=" + e.type + " field=" + e.field +
         " text=" + e.text;
}

// The public decode gives exactly the reference's result for frame, and a fast answer (if
// any) is the reference's message.
template <class T>
void expect_same(const Decoded<T>& got, const Decoded<T>& want, const std::optional<T>& fast,
                 const std::string& frame) {
  SCOPED_TRACE(frame.substr(0, 300));
  ASSERT_EQ(got.ok(), want.ok()) << describe(got) << "\nreference " << describe(want);
  if (want.ok()) {
    EXPECT_TRUE(got.value() == want.value()) << describe(got) << "\nreference " << describe(want);
  } else {
    EXPECT_EQ(got.error().kind, want.error().kind);
    EXPECT_EQ(got.error().type, want.error().type);
    EXPECT_EQ(got.error().field, want.error().field);
    EXPECT_EQ(got.error().text, want.error().text);
  }
  if (fast) {
    ASSERT_TRUE(want.ok()) << "fast path accepted what the reference rejects: "
                           << describe(want);
    EXPECT_TRUE(*fast == want.value()) << "fast path decoded it differently";
  }
}

void expect_same_server(const std::string& frame) {
  expect_same<ServerMessage>(decode_server(frame), detail::reference_decode_server(frame),
                             detail::fast_decode_server(frame), frame);
}

void expect_same_client(const std::string& frame) {
  expect_same<ClientMessage>(decode_client(frame), detail::reference_decode_client(frame),
                             detail::fast_decode_client(frame), frame);
}

// The fast path takes frame and gives the reference's message.
void expect_fast_server(const std::string& frame) {
  SCOPED_TRACE(frame.substr(0, 300));
  EXPECT_TRUE(detail::fast_decode_server(frame).has_value()) << "fast path deferred";
  expect_same_server(frame);
}

void expect_fast_client(const std::string& frame) {
  SCOPED_TRACE(frame.substr(0, 300));
  EXPECT_TRUE(detail::fast_decode_client(frame).has_value()) << "fast path deferred";
  expect_same_client(frame);
}

// The fast path leaves frame to the reference, in both directions.
void expect_defers(const std::string& frame) {
  SCOPED_TRACE(frame.substr(0, 300));
  EXPECT_FALSE(detail::fast_decode_server(frame).has_value()) << "server fast path answered";
  EXPECT_FALSE(detail::fast_decode_client(frame).has_value()) << "client fast path answered";
  expect_same_server(frame);
  expect_same_client(frame);
}

std::string message_frame(const std::string& json_string_body) {
  return R"({"type":"reciveTextMessage","userId":1,"message":")" + json_string_body + "\"}";
}

std::string decoded_message(const std::string& frame) {
  auto m = detail::fast_decode_server(frame);
  if (!m || !std::holds_alternative<ReceiveTextMessage>(*m)) {
    ADD_FAILURE() << "fast path did not decode " << frame;
    return {};
  }
  return std::get<ReceiveTextMessage>(*m).message;
}

std::string sample_sdp() {
  std::string sdp =
      "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=Kurento Media Server\r\nt=0 0\r\n"
      "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS <stream> & 'x'\r\n";
  for (int line = 0; sdp.size() < 3000; ++line) {
    sdp += "a=rtpmap:" + std::to_string(96 + line % 32) + " VP8/90000\r\na=fmtp:" +
           std::to_string(96 + line % 32) + " max-fs=12288;max-fr=60\r\n";
  }
  return sdp;
}

// ---- frames from the existing codec tests --------------------------------------------------

// Every literal frame of codec_{golden,malformed,roundtrip,spelling}_test.cpp, valid or not.
const std::vector<std::string>& golden_frames() {
  static const std::vector<std::string> frames = {
      R"({"type":"join","room":7,"userId":42,"pw":"secret"})",
      R"({"type":"join","room":0,"userId":42})",
      R"({"type":"uploadSuccess","fileName":"报告.pdf","fileUrl":"/files/abc123"})",
      R"({"type":"onIceCandidate","userId":42,"candidate":{
      "candidate":"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host",
      "sdpMid":"0","sdpMLineIndex":0}})",
      R"({"type":"onIceCandidate","userId":3,"candidate":{
      "candidate":"","sdpMid":null,"sdpMLineIndex":null}})",
      R"({"type":"receiveVideoFrom","userId":9,
      "sdpOffer":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"})",
      R"({"type":"heartbeat"})",
      R"({"type":"userNotFound"})",
      R"({"type":"permisionDeny"})",
      R"({"type":"existingParticipants","participants":[
                {"id":1,"name":"王伟","prefix":"Dr.","postfix":"R&D"},
                {"id":2,"name":"","prefix":"","postfix":""}]})",
      R"({"type":"existingParticipants","participants":[]})",
      R"({"type":"newParticipantArrived",
                "participant":{"id":5,"name":"Ann","prefix":"","postfix":"HR"}})",
      R"({"type":"receiveVideoAnswer","userId":5,"sdpAnswer":"v=0\r\n"})",
      R"({"type":"participantLeft","userId":5})",
      R"({"type":"iceCandidate","userId":5,
                "candicate":{"candidate":"candidate:x","sdpMid":"1","sdpMLineIndex":1}})",
      R"({"type":"reciveTextMessage","userId":5,"message":"hi"})",
      R"({"type":"fileUploaded","userId":5,"fileName":"a.pdf","fileUrl":"/f/a"})",
      R"({"type":"unrecognizedMessage"})",
      R"({"type":"userNotFound"} trailing)",
      R"({"type":"userNotFound",})",
      R"({"type":"reciveTextMessage","userId":1,"message":")",
      R"({"type":"reciveTextMessage","userId":1,"message":"a\u0000b"})",
      R"([{"type":"userNotFound"}])",
      R"("userNotFound")",
      R"({"userId":1})",
      R"({"type":null})",
      R"({"Type":"userNotFound"})",
      R"({"type":5})",
      R"({"type":["userNotFound"]})",
      R"({"type":{"name":"x"}})",
      R"({"type":true})",
      R"({"type":"nope"})",
      R"({"type":""})",
      R"({"type":"UserNotFound"})",
      R"({"type":"join","userId":1})",
      R"({"type":")",
      R"({"type":"newParticipantArrived"})",
      R"({"type":"newParticipantArrived","participant":{"name":"a"}})",
      R"({"type":"existingParticipants","participants":[{"id":1},{"name":"b"}]})",
      R"({"type":"receiveVideoAnswer","sdpAnswer":"v=0"})",
      R"({"type":"receiveVideoAnswer","userId":1})",
      R"({"type":"participantLeft"})",
      R"({"type":"iceCandidate","candicate":{"candidate":""}})",
      R"({"type":"iceCandidate","userId":1})",
      R"({"type":"iceCandidate","userId":1,"candicate":{"sdpMid":"0"}})",
      R"({"type":"reciveTextMessage","message":"hi"})",
      R"({"type":"fileUploaded","fileName":"a","fileUrl":"/a"})",
      R"({"type":"fileUploaded","userId":1,"fileName":"a"})",
      R"({"type":"join","room":1})",
      R"({"type":"sendMessage"})",
      R"({"type":"uploadSuccess","fileUrl":"/a"})",
      R"({"type":"uploadSuccess","fileName":"a"})",
      R"({"type":"onIceCandidate","candidate":{"candidate":""}})",
      R"({"type":"onIceCandidate","userId":1})",
      R"({"type":"onIceCandidate","userId":1,"candidate":{}})",
      R"({"type":"receiveVideoFrom","sdpOffer":"v=0"})",
      R"({"type":"receiveVideoFrom","userId":1})",
      R"({"type":"participantLeft","userId":null})",
      R"({"type":"fileUploaded","userId":1,"fileUrl":null})",
      R"({"type":"existingParticipants","participants":{"id":1}})",
      R"({"type":"existingParticipants","participants":"[]"})",
      R"({"type":"existingParticipants","participants":[{"id":1},7]})",
      R"({"type":"existingParticipants","participants":[{"id":true}]})",
      R"({"type":"existingParticipants","participants":[{"id":1,"name":5}]})",
      R"({"type":"newParticipantArrived","participant":{"id":1,"prefix":[]}})",
      R"({"type":"newParticipantArrived","participant":{"id":1,"postfix":{}}})",
      R"({"type":"newParticipantArrived","participant":"alice"})",
      R"({"type":"receiveVideoAnswer","userId":1,"sdpAnswer":5})",
      R"({"type":"participantLeft","userId":true})",
      R"({"type":"participantLeft","userId":{"id":1}})",
      R"({"type":"participantLeft","userId":[1]})",
      R"({"type":"iceCandidate","userId":1,"candicate":"candidate:1"})",
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":1}})",
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"","sdpMid":0}})",
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"","sdpMLineIndex":"x"}})",
      R"({"type":"reciveTextMessage","userId":1,"message":42})",
      R"({"type":"fileUploaded","userId":1,"fileName":1,"fileUrl":"/a"})",
      R"({"type":"fileUploaded","userId":1,"fileUrl":["/a"]})",
      R"({"type":"join","room":"abc","userId":1})",
      R"({"type":"join","userId":1,"pw":1234})",
      R"({"type":"sendMessage","message":null,"x":1})",
      R"({"type":"sendMessage","message":["hi"]})",
      R"({"type":"uploadSuccess","fileName":"a","fileUrl":false})",
      R"({"type":"onIceCandidate","userId":1,"candidate":[]})",
      R"({"type":"receiveVideoFrom","userId":"me","sdpOffer":"v=0"})",
      R"({"type":"receiveVideoFrom","userId":1,"sdpOffer":{"sdp":"v=0"}})",
      R"({"type":"participantLeft","userId":-1})",
      R"({"type":"participantLeft","userId":"-5"})",
      R"({"type":"participantLeft","userId":-9223372036854775808})",
      R"({"type":"join","room":-1,"userId":1})",
      R"({"type":"participantLeft","userId":1.5})",
      R"({"type":"participantLeft","userId":0.0001})",
      R"({"type":"participantLeft","userId":-0.5})",
      R"({"type":"participantLeft","userId":9007199254740991})",
      R"({"type":"participantLeft","userId":"9007199254740991"})",
      R"({"type":"participantLeft","userId":9007199254740992})",
      R"({"type":"participantLeft","userId":18446744073709551616})",
      R"({"type":"participantLeft","userId":"99999999999999999999999999"})",
      R"({"type":"participantLeft","userId":1e400})",
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"","sdpMLineIndex":65536}})",
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"","sdpMLineIndex":-1}})",
      R"({"type":"participantLeft","userId":"12"})",
      R"({"type":"participantLeft","userId":"0"})",
      R"({"type":"participantLeft","userId":"007"})",
      R"({"type":"join","room":"3","userId":"12"})",
      R"({"type":"newParticipantArrived","participant":{"id":"77"}})",
      R"({"type":"participantLeft","userId":12.0})",
      R"({"type":"participantLeft","userId":1e3})",
      R"({"type":"participantLeft","userId":-0})",
      R"({"type":"userNotFound","a":[]})",
      R"({"type":"participantLeft","userId":4,"reason":"timeout","x":[1]})",
      R"({"type":"existingParticipants","participants":[{"id":1},{"id":2,"name":null,"prefix":null,"postfix":null}]})",
      R"({"type":"existingParticipants"})",
      R"({"type":"existingParticipants","participants":null})",
      R"({"type":"reciveTextMessage","userId":1})",
      R"({"type":"fileUploaded","userId":1,"fileUrl":"/a"})",
      R"({"type":"join","userId":5})",
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"c","sdpMid":null}})",
      R"({"type":"existingParticipants","participants":[{"id":1},{"id":2},{"id":"x"}]})",
      R"({"type":"participantLeft","userId":-3})",
      R"({"type":"permissionDeny"})",
      R"({"type":"reciveTextMessage","userId":3,"message":"hi"})",
      R"({"type":"receiveTextMessage","userId":3,"message":"hi"})",
      R"({"type":"iceCandidate","userId":4,"candicate":{"candidate":"c1","sdpMid":"0","sdpMLineIndex":0}})",
      R"({"type":"iceCandidate","userId":4,"candidate":{"candidate":"c1","sdpMid":"0","sdpMLineIndex":0}})",
      R"({"type":"iceCandidate","userId":4,"candidate":{"candidate":"correct"},"candicate":{"candidate":"spec"}})",
      R"({"type":"iceCandidate","userId":4,"candicate":null,"candidate":{"candidate":"c"}})",
      R"({"type":"iceCandidate","userId":4,"candidate":{"candidate":7}})",
      R"({"type":"PermisionDeny"})",
      R"({"type":"permissiondeny"})",
      R"({"type":"ReciveTextMessage","userId":1})",
      R"({"type":"recieveTextMessage","userId":1})",
      "hello",
      "",
      "{type: 'userNotFound'}",
      "not json",
      "42",
      "-1.5e3",
      "true",
      "null",
      "7",
      "{}",
      "[]",
      "{\"type\":\"userNotFound\"}\0"s,
      "{\"type\":\"user\0NotFound\"}"s,
      "\0"s,
      "{\"type\":\"userNotFound\"}\0{\"type\":\"permisionDeny\"}"s,
      "{\"type\":\"sendMessage\",\"message\":\"a\"}\0"s,
  };
  return frames;
}

// The messages of codec_roundtrip_test.cpp (their encodings are golden frames too).
std::vector<ServerMessage> sample_server_messages() {
  std::vector<Participant> many;
  for (UserId id = 1; id <= 50; ++id) {
    many.push_back({id, "用户" + std::to_string(id), id % 2 ? "Dr." : "", id % 3 ? "" : "IT"});
  }
  return {
      UserNotFound{},
      PermissionDenied{},
      ExistingParticipants{},
      ExistingParticipants{many},
      NewParticipantArrived{{kMaxWireInteger, "李娜", "主任", "（财务部）"}},
      NewParticipantArrived{{0, "", "", ""}},
      ReceiveVideoAnswer{3, std::string(3000, 'a') + "\r\n"},
      ReceiveVideoAnswer{7, sample_sdp()},
      ParticipantLeft{0},
      ParticipantLeft{kMaxWireInteger},
      RemoteIceCandidate{3, {"candidate:9 1 tcp 1 ::1 9 typ host", "1", 1}},
      RemoteIceCandidate{3, {"", std::nullopt, std::nullopt}},
      RemoteIceCandidate{3, {"c", "audio", std::nullopt}},
      RemoteIceCandidate{3, {"c", std::nullopt, 65535}},
      ReceiveTextMessage{3, "收到，谢谢。"},
      ReceiveTextMessage{3, ""},
      ReceiveTextMessage{3, "nul\0inside\ttab\nnewline \"q\" \\ / \x7f \x01\x1f"s},
      ReceiveTextMessage{3, "emoji 😀 and 𝄞"},
      FileUploaded{3, "a.pdf", "https://files.example.com/a.pdf"},
      FileUploaded{3, "", "javascript:alert(1)"},
      UnrecognizedMessage{},
  };
}

std::vector<ClientMessage> sample_client_messages() {
  return {
      Join{0, 1, ""},
      Join{12, 34, "pässwörd 密码"},
      Join{kMaxWireInteger, kMaxWireInteger, "x"},
      SendMessage{""},
      SendMessage{"你好，世界！ https://example.com/a?b=c#d"},
      SendMessage{"nul\0inside\ttab\nnewline \"q\" \\ /"s},
      SendMessage{"emoji 😀 and 𝄞"},
      UploadSuccess{"报告 2024.pdf", "/files/%E6%8A%A5.pdf"},
      UploadSuccess{"", ""},
      OnIceCandidate{7, {"candidate:1 1 udp 1 1.2.3.4 5 typ host", "0", 0}},
      OnIceCandidate{7, {"", std::nullopt, std::nullopt}},
      OnIceCandidate{7, {"c", "audio", std::nullopt}},
      OnIceCandidate{7, {"c", std::nullopt, 65535}},
      ReceiveVideoFrom{0, ""},
      ReceiveVideoFrom{99, sample_sdp()},
  };
}

// ---- decoding: the fast path is taken ------------------------------------------------------

TEST(CodecFastPath, TakesEveryHotServerShape) {
  for (const ServerMessage& m : sample_server_messages()) {
    if (std::holds_alternative<ExistingParticipants>(m)) continue;  // left to nlohmann
    const std::string frame = encode(m);
    expect_fast_server(frame);
    auto fast = detail::fast_decode_server(frame);
    ASSERT_TRUE(fast.has_value()) << frame;
    EXPECT_TRUE(*fast == m) << frame;
  }
}

TEST(CodecFastPath, TakesEveryHotClientShape) {
  for (const ClientMessage& m : sample_client_messages()) {
    const std::string frame = encode(m);
    expect_fast_client(frame);
    auto fast = detail::fast_decode_client(frame);
    ASSERT_TRUE(fast.has_value()) << frame;
    EXPECT_TRUE(*fast == m) << frame;
  }
}

TEST(CodecFastPath, TakesTheAcceptedFramesOfTheExistingTests) {
  for (const char* f : {
           R"({"type":"userNotFound"})",
           R"({"type":"permisionDeny"})",
           R"({"type":"permissionDeny"})",
           R"({"type":"unrecognizedMessage"})",
           R"({"type":"newParticipantArrived",
                "participant":{"id":5,"name":"Ann","prefix":"","postfix":"HR"}})",
           R"({"type":"newParticipantArrived","participant":{"id":"77"}})",
           R"({"type":"receiveVideoAnswer","userId":5,"sdpAnswer":"v=0\r\n"})",
           R"({"type":"participantLeft","userId":5})",
           R"({"type":"participantLeft","userId":9007199254740991})",
           R"({"type":"participantLeft","userId":"9007199254740991"})",
           R"({"type":"participantLeft","userId":"007"})",
           R"({"type":"iceCandidate","userId":5,
                "candicate":{"candidate":"candidate:x","sdpMid":"1","sdpMLineIndex":1}})",
           R"({"type":"iceCandidate","userId":4,"candidate":{"candidate":"c1","sdpMid":"0","sdpMLineIndex":0}})",
           R"({"type":"iceCandidate","userId":4,"candidate":{"candidate":"correct"},"candicate":{"candidate":"spec"}})",
           R"({"type":"iceCandidate","userId":4,"candicate":null,"candidate":{"candidate":"c"}})",
           R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"c","sdpMid":null}})",
           R"({"type":"reciveTextMessage","userId":5,"message":"hi"})",
           R"({"type":"receiveTextMessage","userId":3,"message":"hi"})",
           R"({"type":"reciveTextMessage","userId":1,"message":"a\u0000b"})",
           R"({"type":"reciveTextMessage","userId":1})",
           R"({"type":"fileUploaded","userId":5,"fileName":"a.pdf","fileUrl":"/f/a"})",
           R"({"type":"fileUploaded","userId":1,"fileUrl":"/a"})",
       }) {
    expect_fast_server(f);
  }
  for (const char* f : {
           R"({"type":"join","room":7,"userId":42,"pw":"secret"})",
           R"({"type":"join","room":0,"userId":42})",
           R"({"type":"join","userId":5})",
           R"({"type":"join","room":"3","userId":"12"})",
           R"({"type":"uploadSuccess","fileName":"报告.pdf","fileUrl":"/files/abc123"})",
           R"({"type":"onIceCandidate","userId":42,"candidate":{
      "candidate":"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host",
      "sdpMid":"0","sdpMLineIndex":0}})",
           R"({"type":"onIceCandidate","userId":3,"candidate":{
      "candidate":"","sdpMid":null,"sdpMLineIndex":null}})",
           R"({"type":"receiveVideoFrom","userId":9,
      "sdpOffer":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"})",
           R"({"type":"sendMessage","message":"大家好 https://example.com/a"})",
       }) {
    expect_fast_client(f);
  }
}

// ---- decoding: equal to the reference on every frame -------------------------------------

TEST(CodecFastPath, AgreesWithTheReferenceOnEveryGoldenFrame) {
  for (const std::string& f : golden_frames()) {
    expect_same_server(f);
    expect_same_client(f);
  }
}

TEST(CodecFastPath, AgreesWithTheReferenceOnEveryFuzzSeed) {
  const std::filesystem::path dir = std::filesystem::path(GC_TEST_DATA_DIR) / "fuzz/corpus/decode";
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string frame((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    expect_same_server(frame);
    expect_same_client(frame);
    ++seeds;
  }
  EXPECT_GE(seeds, 19);
}

TEST(CodecFastPath, DecodesEveryOneLetterEscape) {
  EXPECT_EQ(decoded_message(message_frame(R"(q\" b\\ s\/ \b\f\n\r\t end)")),
            "q\" b\\ s/ \b\f\n\r\t end");
  expect_fast_server(message_frame(R"(q\" b\\ s\/ \b\f\n\r\t end)"));
  expect_fast_server(message_frame(R"(\\\\\"\"\n\n)"));  // escapes back to back
}

TEST(CodecFastPath, DecodesUnicodeEscapesIncludingSurrogatePairs) {
  EXPECT_EQ(decoded_message(message_frame(R"(a\u003db)")), "a=b");
  EXPECT_EQ(decoded_message(message_frame(R"(\u00e9\u00E9)")), "éé");
  EXPECT_EQ(decoded_message(message_frame(R"(\u4e2d\u6587)")), "中文");
  EXPECT_EQ(decoded_message(message_frame(R"(\ud83d\ude00)")), "😀");
  EXPECT_EQ(decoded_message(message_frame(R"(\uD834\uDD1E)")), "𝄞");
  EXPECT_EQ(decoded_message(message_frame(R"(\u0000\u001f\u007f\u0080\u07ff\u0800\uffff)")),
            "\0\x1f\x7f\u0080\u07ff\u0800\uffff"s);
  EXPECT_EQ(decoded_message(message_frame(R"(\udbff\udfff)")), "\U0010FFFF");
  for (const char* body : {R"(a\u003db)", R"(\u00e9\u00E9)", R"(\u4e2d\u6587)",
                           R"(\ud83d\ude00)", R"(\uD834\uDD1E)", R"(\udbff\udfff)",
                           R"(\u0000\u001f\u007f\u0080\u07ff\u0800\uffff)"}) {
    expect_fast_server(message_frame(body));
  }
}

TEST(CodecFastPath, DecodesGsonEscapedSdp) {
  const std::string sdp = sample_sdp();
  const std::string escaped = gson_escape(sdp);
  ASSERT_NE(escaped.find("\\u003d"), std::string::npos);
  ASSERT_NE(escaped.find("\\u003c"), std::string::npos);
  // Gson's field order (no sorting), as a Java server writes it.
  const std::string answer =
      R"({"type":"receiveVideoAnswer","userId":7,"sdpAnswer":")" + escaped + "\"}";
  expect_fast_server(answer);
  auto m = detail::fast_decode_server(answer);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(std::get<ReceiveVideoAnswer>(*m).sdp_answer, sdp);
  const std::string offer =
      R"({"type":"receiveVideoFrom","userId":7,"sdpOffer":")" + escaped + "\"}";
  expect_fast_client(offer);
  const std::string candidate =
      R"({"type":"iceCandidate","userId":7,"candicate":{"candidate":")" +
      gson_escape("candidate:1 1 UDP 2015363327 10.0.0.5 40000 typ host") +
      R"(","sdpMid":"0","sdpMLineIndex":0}})";
  expect_fast_server(candidate);
}

TEST(CodecFastPath, DecodesChineseAndEmojiText) {
  // The last one: the first and last code point of each UTF-8 length.
  for (const char* text :
       {"大家好，能听到吗？", "表情 😀👍🏽 ok", "𝄞 music", "混合 mixed 😀 中文",
        "\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"}) {
    EXPECT_EQ(decoded_message(message_frame(text)), text);
    expect_fast_server(message_frame(text));
    expect_fast_server(R"({"type":"newParticipantArrived","participant":{"id":3,"name":")" +
                       std::string(text) + R"(","prefix":"主任","postfix":"（财务部）"}})");
  }
}

TEST(CodecFastPath, DecodesDigitStringIds) {
  for (const char* id : {"\"12\"", "\"0\"", "\"007\"", "\"9007199254740991\"", "0", "12",
                         "9007199254740991"}) {
    const std::string frame = std::string(R"({"type":"participantLeft","userId":)") + id + "}";
    expect_fast_server(frame);
  }
  expect_fast_server(
      R"({"type":"iceCandidate","userId":"5","candicate":{"candidate":"c","sdpMLineIndex":"65535"}})");
  expect_fast_client(R"({"type":"join","room":"0003","userId":"12"})");
  expect_fast_server(R"({"type":"participantLeft","userId":"\u0031\u0032"})");  // "12"
  expect_fast_server(R"({"type":"participant\u004ceft","userId":4})");  // escaped type
  // Signed, empty, non-digit and too large id strings are left to the reference.
  for (const char* id : {"\"-0\"", "\"-5\"", "\"\"", "\"12a\"", "\" 12\"", "\"+1\"",
                         "\"9007199254740992\"", "\"99999999999999999999999\"", "\"１２\""}) {
    expect_defers(std::string(R"({"type":"participantLeft","userId":)") + id + "}");
  }
  expect_defers(
      R"({"type":"iceCandidate","userId":5,"candicate":{"candidate":"c","sdpMLineIndex":"65536"}})");
}

TEST(CodecFastPath, NullCountsAsAbsent) {
  expect_fast_server(R"({"type":"reciveTextMessage","userId":1,"message":null})");
  expect_fast_server(R"({"type":"fileUploaded","userId":1,"fileName":null,"fileUrl":"/a"})");
  expect_fast_server(
      R"({"type":"newParticipantArrived","participant":{"id":2,"name":null,"prefix":null,"postfix":null}})");
  expect_fast_server(
      R"({"type":"iceCandidate","userId":4,"candicate":null,"candidate":{"candidate":"c","sdpMid":null,"sdpMLineIndex":null}})");
  expect_fast_client(R"({"type":"join","room":null,"userId":5,"pw":null})");
  expect_fast_client(
      R"({"type":"onIceCandidate","userId":1,"candidate":{"candidate":"","sdpMid":null,"sdpMLineIndex":null}})");
  // A null required field is an error: the reference reports it.
  expect_defers(R"({"type":"participantLeft","userId":null})");
  expect_defers(R"({"type":"receiveVideoAnswer","userId":1,"sdpAnswer":null})");
  expect_defers(R"({"type":"iceCandidate","userId":4,"candicate":null,"candidate":null})");
  expect_defers(R"({"type":null})");
}

TEST(CodecFastPath, IgnoresSimpleExtraFields) {
  expect_fast_server(
      R"({"type":"participantLeft","userId":4,"reason":"timeout","n":12,"z":null,"o":{"a":"b","id":1}})");
  expect_fast_server(
      R"({"id":"participantLeft","name":"x\u003dy\n","type":"participantLeft","userId":4})");
  expect_fast_server(
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"c","usernameFragment":"abc","x":1}})");
  expect_fast_client(R"({"type":"sendMessage","message":"hi","sentAt":"2024-01-01","seq":3})");
  // Known fields of other messages are extra fields too.
  expect_fast_server(
      R"({"type":"participantLeft","userId":4,"sdpAnswer":"v=0","pw":"x","participant":{"id":1}})");
  // Extra fields whose values the fast path does not read are left to the reference.
  for (const char* extra : {R"("x":[1])", R"("x":true)", R"("x":false)", R"("x":1.5)",
                            R"("x":-1)", R"("x":1e3)", R"("x":{"y":{"z":1}})", R"("x":{"y":[]})",
                            R"("x":123456789012345678901234567890)"}) {
    expect_defers(std::string(R"({"type":"participantLeft","userId":4,)") + extra + "}");
  }
}

TEST(CodecFastPath, AcceptsJsonWhitespaceAnywhereBetweenTokens) {
  expect_fast_server(" \t\r\n{ \"type\" : \"participantLeft\" ,\n\t\"userId\"\r: 4 } \n\r\t ");
  expect_fast_server(
      "{\"type\":\"iceCandidate\",\"userId\":1,\"candicate\":\n{ \"candidate\" : \"c\" ,"
      " \"sdpMid\" :null , \"sdpMLineIndex\"\t:\t0\n}\n}");
  expect_fast_server("{ \"type\"\n:\r\"userNotFound\"\t}");
  // Not JSON whitespace: form feed, vertical tab, NBSP, NUL.
  for (const std::string& ws : {"\f"s, "\v"s, "\xC2\xA0"s, "\0"s}) {
    expect_defers("{\"type\":\"userNotFound\"" + ws + "}");
    expect_defers(ws + "{\"type\":\"userNotFound\"}");
    expect_defers("{\"type\":\"userNotFound\"}" + ws);
  }
}

TEST(CodecFastPath, RepeatedKeys) {
  // A repeated unknown key does not matter; a repeated known key (nlohmann keeps the last
  // value) is left to the reference.
  expect_fast_server(R"({"type":"participantLeft","x":1,"x":"2","userId":4})");
  for (const char* f : {R"({"type":"participantLeft","userId":4,"userId":5})",
                        R"({"type":"participantLeft","userId":null,"userId":5})",
                        R"({"type":"userNotFound","type":"permisionDeny"})",
                        R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"a","candidate":"b"}})",
                        R"({"type":"reciveTextMessage","userId":1,"message":"a","message":"b"})"}) {
    expect_defers(f);
  }
  auto d = decode_server(R"({"type":"participantLeft","userId":4,"userId":5})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(std::get<ParticipantLeft>(d.value()).user_id, 5);
}

// ---- decoding: the fast path defers --------------------------------------------------------

TEST(CodecFastPath, DefersOnLoneSurrogates) {
  for (const char* body : {R"(\ud800)", R"(\udbff)", R"(\udc00)", R"(\udfff)", R"(\ud800x)",
                           R"(\ud800\u0041)", R"(\ud800\ud800)", R"(\ud800\n)", R"(\ud800\)",
                           R"(\ude00\ud83d)"}) {
    expect_defers(message_frame(body));
  }
}

TEST(CodecFastPath, DefersOnBadEscapes) {
  for (const char* body : {R"(\x)", R"(\a)", R"(\U0041)", R"(\u12)", R"(\u00g0)", R"(\u 123)",
                           R"(\')", R"(\0)", "\\\xC3\xA9"}) {
    expect_defers(message_frame(body));
  }
  expect_defers(R"({"type":"reciveTextMessage","userId":1,"message":"\)");
  expect_defers(R"({"type":"reciveTextMessage","userId":1,"message":"\u00)");
}

TEST(CodecFastPath, DefersOnInvalidUtf8) {
  for (const std::string& bad :
       {"\xC3\x28"s, "\xFF"s, "\xFE"s, "\xC0\xAF"s, "\xC1\xBF"s, "\xE0\x80\xAF"s,
        "\xED\xA0\x80"s, "\xED\xBF\xBF"s, "\x80"s, "\xBF"s, "\xE6\x97"s, "\xF0\x9F\x98"s,
        "\xF4\x90\x80\x80"s, "\xF5\x80\x80\x80"s, "\xF8\x88\x80\x80\x80"s}) {
    expect_defers(message_frame("ok " + bad + " end"));
    expect_defers(message_frame(bad));
    expect_defers("{\"type\":\"participantLeft\",\"userId\":1,\"" + bad + "\":1}");  // in a key
    expect_defers("{\"type\":\"participantLeft\",\"userId\":1}" + bad);  // outside strings
  }
}

TEST(CodecFastPath, DefersOnRawControlCharacters) {
  for (int c = 0; c < 0x20; ++c) {
    expect_defers(message_frame("a" + std::string(1, static_cast<char>(c)) + "b"));
  }
  expect_fast_server(message_frame("DEL \x7f is fine"));
}

TEST(CodecFastPath, DefersOnAByteOrderMark) {
  const std::string frame = "\xEF\xBB\xBF{\"type\":\"participantLeft\",\"userId\":4}";
  expect_defers(frame);
  EXPECT_EQ(decode_server(frame).ok(), detail::reference_decode_server(frame).ok());
}

TEST(CodecFastPath, DefersOnNumbersItDoesNotRead) {
  for (const char* v : {"-1", "-0", "1.0", "12.5", "1e3", "1E3", "0e0", "01", "00",
                        "9007199254740992", "18446744073709551616", "1e400", "-", "1.", ".5",
                        "+1", "0x10", "Infinity", "NaN"}) {
    expect_defers(std::string(R"({"type":"participantLeft","userId":)") + v + "}");
  }
}

TEST(CodecFastPath, DefersOnTrailingOrMissingBytes) {
  for (const char* f : {R"({"type":"userNotFound"} x)", R"({"type":"userNotFound"}})",
                        R"({"type":"userNotFound"}{})", R"({"type":"userNotFound",})",
                        R"({"type":"userNotFound" "a":1})", R"({"type" "userNotFound"})",
                        R"({"type":"userNotFound",,"a":1})", R"({,"type":"userNotFound"})",
                        R"({"type":"userNotFound"])", R"({"type":'userNotFound'})",
                        R"({type:"userNotFound"})", R"({"type":"userNotFound","a":nul})",
                        R"({"type":"userNotFound","a":nulll})",
                        R"({"type":"userNotFound","a":NULL})"}) {
    expect_defers(f);
  }
}

TEST(CodecFastPath, DefersOnEveryTruncationOfAValidFrame) {
  std::vector<std::string> frames;
  for (const ServerMessage& m : sample_server_messages()) {
    if (!std::holds_alternative<ExistingParticipants>(m)) frames.push_back(encode(m));
  }
  frames.push_back(
      R"({"type":"reciveTextMessage","userId":"12","message":"a\u003db\ud83d\ude00\n中"})");
  for (const std::string& full : frames) {
    if (full.size() > 400) continue;  // the 3 KB answers: the shorter frames cover every state
    ASSERT_TRUE(detail::fast_decode_server(full).has_value()) << full;
    for (std::size_t n = 0; n < full.size(); ++n) {
      const std::string cut = full.substr(0, n);
      EXPECT_FALSE(detail::fast_decode_server(cut).has_value()) << cut;
      expect_same_server(cut);
    }
  }
  // The long ones at a stride, including cuts inside escapes.
  const std::string answer = encode(ServerMessage{ReceiveVideoAnswer{7, sample_sdp()}});
  for (std::size_t n = 0; n < answer.size(); n += 7) {
    EXPECT_FALSE(detail::fast_decode_server(answer.substr(0, n)).has_value()) << n;
  }
}

TEST(CodecFastPath, DefersOnEscapedKeys) {
  expect_defers(R"({"\u0074ype":"participantLeft","userId":4})");
  expect_defers(R"({"type":"participantLeft","user\u0049d":4})");
  expect_defers(R"({"type":"participantLeft","userId":4,"\n":1})");
}

TEST(CodecFastPath, DefersOnExistingParticipantsUnknownTypesAndDecodeErrors) {
  expect_defers(R"({"type":"existingParticipants","participants":[]})");
  expect_defers(R"({"type":"existingParticipants"})");
  expect_defers(R"({"type":"heartbeat"})");
  expect_defers(R"({"type":"nope","userId":1})");
  expect_defers(R"({"type":"participantLeft"})");
  expect_defers(R"({"type":"participantLeft","userId":"x"})");
  expect_defers(R"({"type":"iceCandidate","userId":1,"candicate":"c"})");
  expect_defers(R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":1}})");
  expect_defers(R"({"type":"iceCandidate","userId":1,"candicate":{"sdpMid":"0"}})");
  expect_defers(R"({"type":"newParticipantArrived","participant":{"name":"a"}})");
  expect_defers(R"({"type":"receiveVideoAnswer","userId":{"id":1},"sdpAnswer":"x"})");
  expect_defers(R"({"type":{"a":1}})");
  expect_defers(R"({"userId":1})");
  expect_defers("{}");
  // The server and client directions are disjoint.
  EXPECT_FALSE(detail::fast_decode_client(R"({"type":"participantLeft","userId":4})"));
  EXPECT_FALSE(detail::fast_decode_server(R"({"type":"sendMessage","message":"x"})"));
}

TEST(CodecFastPath, DefersWhenMoreStringsHaveEscapesThanItKeeps) {
  // Nine known fields with escapes: more than the fast decoder keeps decoded per frame.
  std::string frame = R"({"type":"reciveTextMessage","userId":1)";
  for (const char* key : {"message", "pw", "fileName", "fileUrl", "sdpAnswer", "sdpOffer"}) {
    frame += std::string(",\"") + key + R"(":"a\nb")";
  }
  frame += R"(,"candidate":{"candidate":"\n","sdpMid":"\n"},"room":"\u0031"})";
  expect_defers(frame);
  // Escapes in unknown fields cost nothing to keep: any number is fine.
  std::string many = R"({"type":"participantLeft","userId":4)";
  for (int i = 0; i < 100; ++i) many += ",\"x" + std::to_string(i) + R"(":"a\nb\u003d")";
  expect_fast_server(many + "}");
}

TEST(CodecFastPath, SpecialBytesAtEveryOffsetWithinAWord) {
  // The scanner tests 8 bytes at a time: put each kind of special byte at every position.
  for (const std::string& special : {"\\\""s, "\\\\"s, "\\n"s, "\\u003d"s, "\\ud83d\\ude00"s,
                                     "é"s, "中"s, "😀"s, "\x01"s, "\x1f"s, "\x7f"s, "\xFF"s,
                                     "\xC3"s, "\x80"s, "\""s}) {
    for (std::size_t before = 0; before < 17; ++before) {
      for (std::size_t after : {0u, 1u, 7u, 8u, 9u}) {
        expect_same_server(message_frame(std::string(before, 'a') + special +
                                         std::string(after, 'b')));
      }
    }
  }
}

TEST(CodecFastPath, LeavesTightLimitsToTheReference) {
  Limits flat;
  flat.max_depth = 1;
  const std::string nested = R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"c"}})";
  ASSERT_TRUE(detail::fast_decode_server(nested).has_value());
  const auto d = decode_server(nested, flat);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().kind, DecodeErrorKind::kTooDeep);
  EXPECT_EQ(d.error().text, detail::reference_decode_server(nested, flat).error().text);
  EXPECT_TRUE(decode_server(R"({"type":"participantLeft","userId":4})", flat).ok());
  Limits small;
  small.max_frame_bytes = 10;
  EXPECT_EQ(decode_server(R"({"type":"userNotFound"})", small).error().kind,
            DecodeErrorKind::kTooLarge);
}

TEST(CodecFastPath, DecodedStringsDoNotKeepTheRestOfTheFrameAsCapacity) {
  // An escaped string is decoded into room for the rest of the frame; a chat line kept in
  // history must not hold on to a megabyte because a long unknown field followed it.
  const std::string frame = R"({"type":"reciveTextMessage","userId":1,"message":"hi\n","pad":")" +
                            std::string(900 * 1000, 'x') + "\"}";
  auto m = detail::fast_decode_server(frame);
  ASSERT_TRUE(m.has_value());
  const std::string& text = std::get<ReceiveTextMessage>(*m).message;
  EXPECT_EQ(text, "hi\n");
  EXPECT_LT(text.capacity(), 1024u);
}

// ---- encoding ------------------------------------------------------------------------------

TEST(CodecFastPath, EncodesLikeTheReference) {
  std::string every_ascii;
  for (int c = 0; c < 0x80; ++c) every_ascii += static_cast<char>(c);
  const std::vector<std::string> texts = {
      "", "plain", every_ascii, "quotes \" and \\ backslashes \\\"", "DEL \x7f",
      "controls \x01\x02\x08\x09\x0a\x0b\x0c\x0d\x1b\x1f", "\0nul"s, "大家好 CJK 中文",
      "emoji 😀👍🏽 𝄞", "\u2028\u2029 line separators", std::string(5000, '\n'),
      sample_sdp(), gson_escape(sample_sdp())};
  std::vector<ServerMessage> server = sample_server_messages();
  std::vector<ClientMessage> client = sample_client_messages();
  for (const std::string& t : texts) {
    server.push_back(ReceiveTextMessage{-1, t});
    server.push_back(FileUploaded{std::numeric_limits<std::int64_t>::min(), t, t});
    server.push_back(NewParticipantArrived{{std::numeric_limits<std::int64_t>::max(), t, t, t}});
    server.push_back(RemoteIceCandidate{1, {t, t, -5}});
    server.push_back(ReceiveVideoAnswer{0, t});
    server.push_back(ExistingParticipants{{{1, t, "", t}, {2, "", t, ""}}});
    client.push_back(Join{-3, 4, t});
    client.push_back(SendMessage{t});
    client.push_back(UploadSuccess{t, t});
    client.push_back(OnIceCandidate{5, {t, t, 65535}});
    client.push_back(ReceiveVideoFrom{6, t});
  }
  for (const ServerMessage& m : server) {
    auto fast = detail::fast_encode(m);
    ASSERT_TRUE(fast.has_value()) << type_name(m);
    EXPECT_EQ(*fast, detail::reference_encode(m));
    EXPECT_EQ(encode(m), detail::reference_encode(m));
  }
  for (const ClientMessage& m : client) {
    auto fast = detail::fast_encode(m);
    ASSERT_TRUE(fast.has_value()) << type_name(m);
    EXPECT_EQ(*fast, detail::reference_encode(m));
    EXPECT_EQ(encode(m), detail::reference_encode(m));
  }
}

TEST(CodecFastPath, EncodesEveryByteAtEveryOffsetWithinAWord) {
  for (int c = 0; c < 0x80; ++c) {
    for (std::size_t before = 0; before < 17; ++before) {
      const std::string t = std::string(before, 'a') + static_cast<char>(c) + "bcdefghij";
      const ClientMessage m = SendMessage{t};
      auto fast = detail::fast_encode(m);
      ASSERT_TRUE(fast.has_value());
      EXPECT_EQ(*fast, detail::reference_encode(m)) << c << " at " << before;
    }
  }
}

TEST(CodecFastPath, LeavesInvalidUtf8ToTheReferenceEncoder) {
  for (const std::string& bad : {"ok \xFF\xFE end"s, "\xC3\x28"s, "\xC0\xAF"s, "\xED\xA0\x80"s,
                                 "\x80"s, "\xE6\x97"s, "trail \xF0\x9F\x98"s,
                                 std::string(100, 'a') + "\xF4\x90\x80\x80"}) {
    const ClientMessage c = SendMessage{bad};
    EXPECT_FALSE(detail::fast_encode(c).has_value());
    EXPECT_EQ(encode(c), detail::reference_encode(c));
    const ServerMessage s = NewParticipantArrived{{1, "ok", "fine", bad}};
    EXPECT_FALSE(detail::fast_encode(s).has_value());
    EXPECT_EQ(encode(s), detail::reference_encode(s));
  }
  EXPECT_EQ(encode(ClientMessage{SendMessage{"ok \xFF\xFE end"}}),
            "{\"message\":\"ok \xEF\xBF\xBD\xEF\xBF\xBD end\",\"type\":\"sendMessage\"}");
}

}  // namespace
}  // namespace gc::protocol
