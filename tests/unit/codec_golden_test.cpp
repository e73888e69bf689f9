// Golden JSON for every message we put on the wire: exact type names, exact key sets and
// exact JSON types (PROTOCOL.md tables). Compared as parsed JSON, so key order is free,
// plus explicit JSON-type checks (nlohmann's == treats 5 and 5.0 as equal).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "protocol/codec.hpp"

namespace gc::protocol {
namespace {

using json = nlohmann::json;

json wire(const ClientMessage& m) { return json::parse(encode(m)); }
json wire(const ServerMessage& m) { return json::parse(encode(m)); }

void expect_integer(const json& j, const char* key) {
  ASSERT_TRUE(j.contains(key)) << key;
  EXPECT_TRUE(j[key].is_number_integer()) << key << " is " << j[key].type_name();
}

TEST(CodecGolden, JoinCarriesRoomAndUserIdAsNumbersAndPassword) {
  json j = wire(Join{7, 42, "secret"});
  EXPECT_EQ(j, json::parse(R"({"type":"join","room":7,"userId":42,"pw":"secret"})"));
  expect_integer(j, "room");
  expect_integer(j, "userId");
  EXPECT_TRUE(j["pw"].is_string());
}

TEST(CodecGolden, JoinOmitsPwWhenEmpty) {
  json j = wire(Join{0, 42, ""});
  EXPECT_EQ(j, json::parse(R"({"type":"join","room":0,"userId":42})"));
  EXPECT_FALSE(j.contains("pw"));
}

TEST(CodecGolden, JoinSendsLargestWireInteger) {
  json j = wire(Join{kMaxWireInteger, kMaxWireInteger, ""});
  EXPECT_EQ(j["room"].get<std::int64_t>(), kMaxWireInteger);
  EXPECT_EQ(j["userId"].get<std::int64_t>(), kMaxWireInteger);
}

TEST(CodecGolden, SendMessageCarriesTextVerbatim) {
  json j = wire(SendMessage{"大家好 \"quoted\" \\ \n line"});
  EXPECT_EQ(j, (json{{"type", "sendMessage"}, {"message", "大家好 \"quoted\" \\ \n line"}}));
}

TEST(CodecGolden, SendMessageIsUtf8NotEscapedAscii) {
  std::string s = encode(ClientMessage{SendMessage{"你好"}});
  EXPECT_NE(s.find("你好"), std::string::npos) << s;
}

TEST(CodecGolden, UploadSuccessCarriesFileNameAndUrl) {
  json j = wire(UploadSuccess{"报告.pdf", "/files/abc123"});
  EXPECT_EQ(j, json::parse(R"({"type":"uploadSuccess","fileName":"报告.pdf","fileUrl":"/files/abc123"})"));
}

TEST(CodecGolden, OnIceCandidateSendsCandidateObjectWithAllThreeKeys) {
  IceCandidate c{"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host", "0", 0};
  json j = wire(OnIceCandidate{42, c});
  EXPECT_EQ(j, json::parse(R"({"type":"onIceCandidate","userId":42,"candidate":{
      "candidate":"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host",
      "sdpMid":"0","sdpMLineIndex":0}})"));
  expect_integer(j, "userId");
  expect_integer(j["candidate"], "sdpMLineIndex");
  EXPECT_TRUE(j["candidate"]["sdpMid"].is_string());
}

TEST(CodecGolden, OnIceCandidateSendsNullForAbsentSdpMidAndIndex) {
  json j = wire(OnIceCandidate{3, IceCandidate{"", std::nullopt, std::nullopt}});
  EXPECT_EQ(j, json::parse(R"({"type":"onIceCandidate","userId":3,"candidate":{
      "candidate":"","sdpMid":null,"sdpMLineIndex":null}})"));
  EXPECT_TRUE(j["candidate"]["sdpMid"].is_null());
  EXPECT_TRUE(j["candidate"]["sdpMLineIndex"].is_null());
}

TEST(CodecGolden, ReceiveVideoFromCarriesOwnerIdAndOffer) {
  json j = wire(ReceiveVideoFrom{9, "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"});
  EXPECT_EQ(j, json::parse(R"({"type":"receiveVideoFrom","userId":9,
      "sdpOffer":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"})"));
  expect_integer(j, "userId");
}

TEST(CodecGolden, HeartbeatIsABareUnknownType) {
  EXPECT_EQ(json::parse(encode_heartbeat()), json::parse(R"({"type":"heartbeat"})"));
  EXPECT_EQ(kHeartbeatType, "heartbeat");
}

TEST(CodecGolden, EncodeReplacesInvalidUtf8InsteadOfFailing) {
  std::string bad = "ok \xFF\xFE end";
  std::string s = encode(ClientMessage{SendMessage{bad}});
  json j = json::parse(s);
  EXPECT_EQ(j["message"], "ok \xEF\xBF\xBD\xEF\xBF\xBD end");
}

TEST(CodecGolden, ClientTypeNamesAreTheSpecNames) {
  EXPECT_STREQ(type_name(ClientMessage{Join{}}), "join");
  EXPECT_STREQ(type_name(ClientMessage{SendMessage{}}), "sendMessage");
  EXPECT_STREQ(type_name(ClientMessage{UploadSuccess{}}), "uploadSuccess");
  EXPECT_STREQ(type_name(ClientMessage{OnIceCandidate{}}), "onIceCandidate");
  EXPECT_STREQ(type_name(ClientMessage{ReceiveVideoFrom{}}), "receiveVideoFrom");
}

// Server messages (what the fake server sends): the spec's spellings, misspellings included.
TEST(CodecGolden, ServerMessagesUseSpecNamesAndFields) {
  EXPECT_EQ(wire(ServerMessage{UserNotFound{}}), json::parse(R"({"type":"userNotFound"})"));
  EXPECT_EQ(wire(ServerMessage{PermissionDenied{}}), json::parse(R"({"type":"permisionDeny"})"));
  EXPECT_EQ(wire(ServerMessage{ExistingParticipants{{{1, "王伟", "Dr.", "R&D"}, {2, "", "", ""}}}}),
            json::parse(R"({"type":"existingParticipants","participants":[
                {"id":1,"name":"王伟","prefix":"Dr.","postfix":"R&D"},
                {"id":2,"name":"","prefix":"","postfix":""}]})"));
  EXPECT_EQ(wire(ServerMessage{ExistingParticipants{}}),
            json::parse(R"({"type":"existingParticipants","participants":[]})"));
  EXPECT_EQ(wire(ServerMessage{NewParticipantArrived{{5, "Ann", "", "HR"}}}),
            json::parse(R"({"type":"newParticipantArrived",
                "participant":{"id":5,"name":"Ann","prefix":"","postfix":"HR"}})"));
  EXPECT_EQ(wire(ServerMessage{ReceiveVideoAnswer{5, "v=0\r\n"}}),
            json::parse(R"({"type":"receiveVideoAnswer","userId":5,"sdpAnswer":"v=0\r\n"})"));
  EXPECT_EQ(wire(ServerMessage{ParticipantLeft{5}}),
            json::parse(R"({"type":"participantLeft","userId":5})"));
  EXPECT_EQ(wire(ServerMessage{RemoteIceCandidate{5, {"candidate:x", "1", 1}}}),
            json::parse(R"({"type":"iceCandidate","userId":5,
                "candicate":{"candidate":"candidate:x","sdpMid":"1","sdpMLineIndex":1}})"));
  EXPECT_EQ(wire(ServerMessage{ReceiveTextMessage{5, "hi"}}),
            json::parse(R"({"type":"reciveTextMessage","userId":5,"message":"hi"})"));
  EXPECT_EQ(wire(ServerMessage{FileUploaded{5, "a.pdf", "/f/a"}}),
            json::parse(R"({"type":"fileUploaded","userId":5,"fileName":"a.pdf","fileUrl":"/f/a"})"));
  EXPECT_EQ(wire(ServerMessage{UnrecognizedMessage{}}),
            json::parse(R"({"type":"unrecognizedMessage"})"));
}

TEST(CodecGolden, ServerTypeNamesAreTheSpecSpellings) {
  EXPECT_STREQ(type_name(ServerMessage{UserNotFound{}}), "userNotFound");
  EXPECT_STREQ(type_name(ServerMessage{PermissionDenied{}}), "permisionDeny");
  EXPECT_STREQ(type_name(ServerMessage{ExistingParticipants{}}), "existingParticipants");
  EXPECT_STREQ(type_name(ServerMessage{NewParticipantArrived{}}), "newParticipantArrived");
  EXPECT_STREQ(type_name(ServerMessage{ReceiveVideoAnswer{}}), "receiveVideoAnswer");
  EXPECT_STREQ(type_name(ServerMessage{ParticipantLeft{}}), "participantLeft");
  EXPECT_STREQ(type_name(ServerMessage{RemoteIceCandidate{}}), "iceCandidate");
  EXPECT_STREQ(type_name(ServerMessage{ReceiveTextMessage{}}), "reciveTextMessage");
  EXPECT_STREQ(type_name(ServerMessage{FileUploaded{}}), "fileUploaded");
  EXPECT_STREQ(type_name(ServerMessage{UnrecognizedMessage{}}), "unrecognizedMessage");
}

}  // namespace
}  // namespace gc::protocol
