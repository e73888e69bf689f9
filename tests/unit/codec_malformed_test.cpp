// Whatever the bytes, decode returns a typed error with a readable text and never throws
// or aborts. One test per malformed class of issue 2 / PROTOCOL.md.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "protocol/codec.hpp"

namespace gc::protocol {
namespace {

using namespace std::string_literals;

std::string kind_name(DecodeErrorKind k) { return to_string(k); }

// The checks both directions share: `d` failed with `kind`, naming `type` and `field`.
// Returns the error, or nullptr (after a test failure) when the frame was accepted.
template <class T>
const DecodeError* expect_error(const Decoded<T>& d, const std::string& frame,
                                DecodeErrorKind kind, const std::string& type,
                                const std::string& field) {
  EXPECT_FALSE(d.ok()) << "accepted: " << frame.substr(0, 200);
  if (d.ok()) return nullptr;
  const DecodeError& e = d.error();
  EXPECT_EQ(kind_name(e.kind), kind_name(kind)) << e.text;
  EXPECT_EQ(e.type, type) << e.text;
  EXPECT_EQ(e.field, field) << e.text;
  EXPECT_FALSE(e.text.empty());
  if (!field.empty()) {
    EXPECT_NE(e.text.find(field), std::string::npos) << e.text;
  }
  return &e;
}

// Expects decode_server(frame) to fail with `kind`, naming `type` and `field`.
void expect_server_error(const std::string& frame, DecodeErrorKind kind,
                         const std::string& type = "", const std::string& field = "") {
  const auto d = decode_server(frame);
  const DecodeError* e = expect_error(d, frame, kind, type, field);
  if (!e) return;
  if (!type.empty() && kind != DecodeErrorKind::kUnknownType) {
    EXPECT_EQ(e->text.rfind(type + ": ", 0), 0u) << e->text;  // "<type>: field ..."
  } else if (!type.empty()) {
    EXPECT_NE(e->text.find("\"" + type + "\""), std::string::npos) << e->text;
  }
}

void expect_client_error(const std::string& frame, DecodeErrorKind kind,
                         const std::string& type = "", const std::string& field = "") {
  expect_error(decode_client(frame), frame, kind, type, field);
}

UserId server_user_id(const std::string& frame) {
  auto d = decode_server(frame);
  if (!d.ok()) {
    ADD_FAILURE() << frame << " -> " << d.error().text;
    return -1;
  }
  return std::get<ParticipantLeft>(d.value()).user_id;
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// ---- not JSON ----------------------------------------------------------------------------

TEST(CodecMalformed, RejectsTextThatIsNotJson) {
  expect_server_error("hello", DecodeErrorKind::kNotJson);
  expect_server_error("", DecodeErrorKind::kNotJson);
  expect_server_error("{type: 'userNotFound'}", DecodeErrorKind::kNotJson);
  expect_server_error(R"({"type":"userNotFound"} trailing)", DecodeErrorKind::kNotJson);
  expect_server_error(R"({"type":"userNotFound",})", DecodeErrorKind::kNotJson);
  expect_client_error("not json", DecodeErrorKind::kNotJson);
}

TEST(CodecMalformed, RejectsTruncatedFrames) {
  std::string full = encode(ServerMessage{ReceiveVideoAnswer{5, "v=0\r\n"}});
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto d = decode_server(full.substr(0, n));
    ASSERT_FALSE(d.ok()) << n;
    EXPECT_EQ(d.error().kind, DecodeErrorKind::kNotJson) << full.substr(0, n);
  }
}

TEST(CodecMalformed, RejectsInvalidUtf8Bytes) {
  for (const std::string& bad : {"\xC3\x28"s, "\xFF"s, "\xC0\xAF"s /* overlong '/' */,
                                 "\xED\xA0\x80"s /* surrogate */, "\x80"s, "\xE6\x97"s}) {
    std::string frame = R"({"type":"reciveTextMessage","userId":1,"message":")" + bad + "\"}";
    expect_server_error(frame, DecodeErrorKind::kNotJson);
    EXPECT_NE(decode_server(frame).error().text.find("UTF-8"), std::string::npos);
  }
}

TEST(CodecMalformed, RejectsNulBytesOutsideEscapes) {
  expect_server_error("{\"type\":\"userNotFound\"}\0"s, DecodeErrorKind::kNotJson);
  expect_server_error("{\"type\":\"user\0NotFound\"}"s, DecodeErrorKind::kNotJson);
  expect_server_error("\0"s, DecodeErrorKind::kNotJson);
  expect_server_error("{\"type\":\"userNotFound\"}\0{\"type\":\"permisionDeny\"}"s,
                      DecodeErrorKind::kNotJson);
  expect_client_error("{\"type\":\"sendMessage\",\"message\":\"a\"}\0"s,
                      DecodeErrorKind::kNotJson);
}

TEST(CodecMalformed, AcceptsEscapedNulInsideStrings) {
  auto d = decode_server(R"({"type":"reciveTextMessage","userId":1,"message":"a\u0000b"})");
  ASSERT_TRUE(d.ok()) << d.error().text;
  EXPECT_EQ(std::get<ReceiveTextMessage>(d.value()).message, "a\0b"s);
}

// ---- not an object -----------------------------------------------------------------------

TEST(CodecMalformed, RejectsArrayAtTopLevel) {
  expect_server_error(R"([{"type":"userNotFound"}])", DecodeErrorKind::kNotObject);
  EXPECT_NE(decode_server("[]").error().text.find("array"), std::string::npos);
}

TEST(CodecMalformed, RejectsScalarsAtTopLevel) {
  expect_server_error("42", DecodeErrorKind::kNotObject);
  expect_server_error("-1.5e3", DecodeErrorKind::kNotObject);
  expect_server_error(R"("userNotFound")", DecodeErrorKind::kNotObject);
  expect_server_error("true", DecodeErrorKind::kNotObject);
  expect_server_error("null", DecodeErrorKind::kNotObject);
  expect_client_error("7", DecodeErrorKind::kNotObject);
}

// ---- type --------------------------------------------------------------------------------

TEST(CodecMalformed, RejectsMissingType) {
  expect_server_error("{}", DecodeErrorKind::kMissingType, "", "type");
  expect_server_error(R"({"userId":1})", DecodeErrorKind::kMissingType, "", "type");
  expect_server_error(R"({"type":null})", DecodeErrorKind::kMissingType, "", "type");
  expect_server_error(R"({"Type":"userNotFound"})", DecodeErrorKind::kMissingType, "", "type");
  expect_client_error("{}", DecodeErrorKind::kMissingType, "", "type");
}

TEST(CodecMalformed, RejectsTypeThatIsNotAString) {
  expect_server_error(R"({"type":5})", DecodeErrorKind::kMissingType, "", "type");
  expect_server_error(R"({"type":["userNotFound"]})", DecodeErrorKind::kMissingType, "", "type");
  expect_server_error(R"({"type":{"name":"x"}})", DecodeErrorKind::kMissingType, "", "type");
  expect_server_error(R"({"type":true})", DecodeErrorKind::kMissingType, "", "type");
}

TEST(CodecMalformed, RejectsUnknownType) {
  expect_server_error(R"({"type":"nope"})", DecodeErrorKind::kUnknownType, "nope", "type");
  expect_server_error(R"({"type":""})", DecodeErrorKind::kUnknownType, "", "type");
  expect_server_error(R"({"type":"UserNotFound"})", DecodeErrorKind::kUnknownType,
                      "UserNotFound", "type");
  expect_server_error(R"({"type":"join","userId":1})", DecodeErrorKind::kUnknownType, "join",
                      "type");
  expect_client_error(R"({"type":"userNotFound"})", DecodeErrorKind::kUnknownType,
                      "userNotFound", "type");
}

TEST(CodecMalformed, UnknownTypeErrorQuotesAtMost64BytesOfTheType) {
  std::string longtype(10000, 'x');
  auto d = decode_server(R"({"type":")" + longtype + "\"}");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().type.size(), 64u);
  EXPECT_LT(d.error().text.size(), 200u);
}

TEST(CodecMalformed, UnknownTypeErrorDoesNotSplitUtf8) {
  std::string type;
  for (int i = 0; i < 30; ++i) type += "类";  // 3 bytes each: 64 is not a boundary
  auto d = decode_server(R"({"type":")" + type + "\"}");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().type.size(), 63u);
}

// ---- missing required fields -------------------------------------------------------------

TEST(CodecMalformed, RejectsEachMissingRequiredServerField) {
  using K = DecodeErrorKind;
  expect_server_error(R"({"type":"newParticipantArrived"})", K::kMissingField,
                      "newParticipantArrived", "participant");
  expect_server_error(R"({"type":"newParticipantArrived","participant":{"name":"a"}})",
                      K::kMissingField, "newParticipantArrived", "participant.id");
  expect_server_error(R"({"type":"existingParticipants","participants":[{"id":1},{"name":"b"}]})",
                      K::kMissingField, "existingParticipants", "participants[1].id");
  expect_server_error(R"({"type":"receiveVideoAnswer","sdpAnswer":"v=0"})", K::kMissingField,
                      "receiveVideoAnswer", "userId");
  expect_server_error(R"({"type":"receiveVideoAnswer","userId":1})", K::kMissingField,
                      "receiveVideoAnswer", "sdpAnswer");
  expect_server_error(R"({"type":"participantLeft"})", K::kMissingField, "participantLeft",
                      "userId");
  expect_server_error(R"({"type":"iceCandidate","candicate":{"candidate":""}})",
                      K::kMissingField, "iceCandidate", "userId");
  expect_server_error(R"({"type":"iceCandidate","userId":1})", K::kMissingField, "iceCandidate",
                      "candicate");
  expect_server_error(R"({"type":"iceCandidate","userId":1,"candicate":{"sdpMid":"0"}})",
                      K::kMissingField, "iceCandidate", "candicate.candidate");
  expect_server_error(R"({"type":"reciveTextMessage","message":"hi"})", K::kMissingField,
                      "reciveTextMessage", "userId");
  expect_server_error(R"({"type":"fileUploaded","fileName":"a","fileUrl":"/a"})",
                      K::kMissingField, "fileUploaded", "userId");
  expect_server_error(R"({"type":"fileUploaded","userId":1,"fileName":"a"})", K::kMissingField,
                      "fileUploaded", "fileUrl");
}

TEST(CodecMalformed, RejectsEachMissingRequiredClientField) {
  using K = DecodeErrorKind;
  expect_client_error(R"({"type":"join","room":1})", K::kMissingField, "join", "userId");
  expect_client_error(R"({"type":"sendMessage"})", K::kMissingField, "sendMessage", "message");
  expect_client_error(R"({"type":"uploadSuccess","fileUrl":"/a"})", K::kMissingField,
                      "uploadSuccess", "fileName");
  expect_client_error(R"({"type":"uploadSuccess","fileName":"a"})", K::kMissingField,
                      "uploadSuccess", "fileUrl");
  expect_client_error(R"({"type":"onIceCandidate","candidate":{"candidate":""}})",
                      K::kMissingField, "onIceCandidate", "userId");
  expect_client_error(R"({"type":"onIceCandidate","userId":1})", K::kMissingField,
                      "onIceCandidate", "candidate");
  expect_client_error(R"({"type":"onIceCandidate","userId":1,"candidate":{}})",
                      K::kMissingField, "onIceCandidate", "candidate.candidate");
  expect_client_error(R"({"type":"receiveVideoFrom","sdpOffer":"v=0"})", K::kMissingField,
                      "receiveVideoFrom", "userId");
  expect_client_error(R"({"type":"receiveVideoFrom","userId":1})", K::kMissingField,
                      "receiveVideoFrom", "sdpOffer");
}

TEST(CodecMalformed, NullRequiredFieldCountsAsMissing) {
  expect_server_error(R"({"type":"participantLeft","userId":null})",
                      DecodeErrorKind::kMissingField, "participantLeft", "userId");
  expect_server_error(R"({"type":"fileUploaded","userId":1,"fileUrl":null})",
                      DecodeErrorKind::kMissingField, "fileUploaded", "fileUrl");
}

// ---- wrong field types -------------------------------------------------------------------

TEST(CodecMalformed, RejectsEachWrongServerFieldType) {
  using K = DecodeErrorKind;
  expect_server_error(R"({"type":"existingParticipants","participants":{"id":1}})",
                      K::kWrongFieldType, "existingParticipants", "participants");
  expect_server_error(R"({"type":"existingParticipants","participants":"[]"})",
                      K::kWrongFieldType, "existingParticipants", "participants");
  expect_server_error(R"({"type":"existingParticipants","participants":[{"id":1},7]})",
                      K::kWrongFieldType, "existingParticipants", "participants[1]");
  expect_server_error(R"({"type":"existingParticipants","participants":[{"id":true}]})",
                      K::kWrongFieldType, "existingParticipants", "participants[0].id");
  expect_server_error(R"({"type":"existingParticipants","participants":[{"id":1,"name":5}]})",
                      K::kWrongFieldType, "existingParticipants", "participants[0].name");
  expect_server_error(R"({"type":"newParticipantArrived","participant":{"id":1,"prefix":[]}})",
                      K::kWrongFieldType, "newParticipantArrived", "participant.prefix");
  expect_server_error(R"({"type":"newParticipantArrived","participant":{"id":1,"postfix":{}}})",
                      K::kWrongFieldType, "newParticipantArrived", "participant.postfix");
  expect_server_error(R"({"type":"newParticipantArrived","participant":"alice"})",
                      K::kWrongFieldType, "newParticipantArrived", "participant");
  expect_server_error(R"({"type":"receiveVideoAnswer","userId":1,"sdpAnswer":5})",
                      K::kWrongFieldType, "receiveVideoAnswer", "sdpAnswer");
  expect_server_error(R"({"type":"participantLeft","userId":true})", K::kWrongFieldType,
                      "participantLeft", "userId");
  expect_server_error(R"({"type":"participantLeft","userId":{"id":1}})", K::kWrongFieldType,
                      "participantLeft", "userId");
  expect_server_error(R"({"type":"participantLeft","userId":[1]})", K::kWrongFieldType,
                      "participantLeft", "userId");
  expect_server_error(R"({"type":"iceCandidate","userId":1,"candicate":"candidate:1"})",
                      K::kWrongFieldType, "iceCandidate", "candicate");
  expect_server_error(R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":1}})",
                      K::kWrongFieldType, "iceCandidate", "candicate.candidate");
  expect_server_error(
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"","sdpMid":0}})",
      K::kWrongFieldType, "iceCandidate", "candicate.sdpMid");
  expect_server_error(
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"","sdpMLineIndex":"x"}})",
      K::kWrongFieldType, "iceCandidate", "candicate.sdpMLineIndex");
  expect_server_error(R"({"type":"reciveTextMessage","userId":1,"message":42})",
                      K::kWrongFieldType, "reciveTextMessage", "message");
  expect_server_error(R"({"type":"fileUploaded","userId":1,"fileName":1,"fileUrl":"/a"})",
                      K::kWrongFieldType, "fileUploaded", "fileName");
  expect_server_error(R"({"type":"fileUploaded","userId":1,"fileUrl":["/a"]})",
                      K::kWrongFieldType, "fileUploaded", "fileUrl");
}

TEST(CodecMalformed, RejectsEachWrongClientFieldType) {
  using K = DecodeErrorKind;
  expect_client_error(R"({"type":"join","room":"abc","userId":1})", K::kWrongFieldType, "join",
                      "room");
  expect_client_error(R"({"type":"join","userId":1,"pw":1234})", K::kWrongFieldType, "join",
                      "pw");
  expect_client_error(R"({"type":"sendMessage","message":null,"x":1})", K::kMissingField,
                      "sendMessage", "message");
  expect_client_error(R"({"type":"sendMessage","message":["hi"]})", K::kWrongFieldType,
                      "sendMessage", "message");
  expect_client_error(R"({"type":"uploadSuccess","fileName":"a","fileUrl":false})",
                      K::kWrongFieldType, "uploadSuccess", "fileUrl");
  expect_client_error(R"({"type":"onIceCandidate","userId":1,"candidate":[]})",
                      K::kWrongFieldType, "onIceCandidate", "candidate");
  expect_client_error(R"({"type":"receiveVideoFrom","userId":"me","sdpOffer":"v=0"})",
                      K::kWrongFieldType, "receiveVideoFrom", "userId");
  expect_client_error(R"({"type":"receiveVideoFrom","userId":1,"sdpOffer":{"sdp":"v=0"}})",
                      K::kWrongFieldType, "receiveVideoFrom", "sdpOffer");
}

TEST(CodecMalformed, RejectsIdStringsThatAreNotDigits) {
  using K = DecodeErrorKind;
  for (const char* s : {"", "abc", "12a", " 12", "12 ", "+12", "1.0", "0x10", "1e3", "１２"}) {
    expect_server_error(std::string(R"({"type":"participantLeft","userId":")") + s + "\"}",
                        K::kWrongFieldType, "participantLeft", "userId");
  }
}

// ---- ids: range ----------------------------------------------------------------------------

TEST(CodecMalformed, RejectsNegativeIds) {
  using K = DecodeErrorKind;
  expect_server_error(R"({"type":"participantLeft","userId":-1})", K::kOutOfRange,
                      "participantLeft", "userId");
  expect_server_error(R"({"type":"participantLeft","userId":"-5"})", K::kOutOfRange,
                      "participantLeft", "userId");
  expect_server_error(R"({"type":"participantLeft","userId":-9223372036854775808})",
                      K::kOutOfRange, "participantLeft", "userId");
  expect_client_error(R"({"type":"join","room":-1,"userId":1})", K::kOutOfRange, "join", "room");
}

TEST(CodecMalformed, RejectsFractionalIds) {
  using K = DecodeErrorKind;
  expect_server_error(R"({"type":"participantLeft","userId":1.5})", K::kOutOfRange,
                      "participantLeft", "userId");
  expect_server_error(R"({"type":"participantLeft","userId":0.0001})", K::kOutOfRange,
                      "participantLeft", "userId");
  expect_server_error(R"({"type":"participantLeft","userId":-0.5})", K::kOutOfRange,
                      "participantLeft", "userId");
}

TEST(CodecMalformed, RejectsIdsAbove2To53Minus1) {
  using K = DecodeErrorKind;
  for (const char* v : {"9007199254740992", "18446744073709551615", "18446744073709551616",
                        "1e300", "\"9007199254740992\"", "\"99999999999999999999999999\""}) {
    expect_server_error(std::string(R"({"type":"participantLeft","userId":)") + v + "}",
                        K::kOutOfRange, "participantLeft", "userId");
  }
  EXPECT_EQ(server_user_id(R"({"type":"participantLeft","userId":9007199254740991})"),
            kMaxWireInteger);
  EXPECT_EQ(server_user_id(R"({"type":"participantLeft","userId":"9007199254740991"})"),
            kMaxWireInteger);
}

TEST(CodecMalformed, RejectsNumbersJsonCannotHold) {
  // 1e400 overflows a double: nlohmann reports a parse error.
  auto d = decode_server(R"({"type":"participantLeft","userId":1e400})");
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(d.error().kind == DecodeErrorKind::kNotJson ||
              d.error().kind == DecodeErrorKind::kOutOfRange)
      << d.error().text;
}

TEST(CodecMalformed, RejectsSdpMLineIndexOutside0To65535) {
  using K = DecodeErrorKind;
  expect_server_error(
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"","sdpMLineIndex":65536}})",
      K::kOutOfRange, "iceCandidate", "candicate.sdpMLineIndex");
  expect_server_error(
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"","sdpMLineIndex":-1}})",
      K::kOutOfRange, "iceCandidate", "candicate.sdpMLineIndex");
}

TEST(CodecMalformed, AcceptsDigitStringIds) {
  EXPECT_EQ(server_user_id(R"({"type":"participantLeft","userId":"12"})"), 12);
  EXPECT_EQ(server_user_id(R"({"type":"participantLeft","userId":"0"})"), 0);
  EXPECT_EQ(server_user_id(R"({"type":"participantLeft","userId":"007"})"), 7);
  auto d = decode_client(R"({"type":"join","room":"3","userId":"12"})");
  ASSERT_TRUE(d.ok()) << d.error().text;
  EXPECT_EQ(std::get<Join>(d.value()).room, 3);
  EXPECT_EQ(std::get<Join>(d.value()).user_id, 12);
  auto p = decode_server(R"({"type":"newParticipantArrived","participant":{"id":"77"}})");
  ASSERT_TRUE(p.ok()) << p.error().text;
  EXPECT_EQ(std::get<NewParticipantArrived>(p.value()).participant.id, 77);
}

TEST(CodecMalformed, AcceptsWholeNumbersWrittenAsFloats) {
  EXPECT_EQ(server_user_id(R"({"type":"participantLeft","userId":12.0})"), 12);
  EXPECT_EQ(server_user_id(R"({"type":"participantLeft","userId":1e3})"), 1000);
  EXPECT_EQ(server_user_id(R"({"type":"participantLeft","userId":-0})"), 0);
}

// ---- size and depth ----------------------------------------------------------------------

TEST(CodecMalformed, RejectsFrameOfOneMebibytePlusOne) {
  const std::size_t limit = Limits{}.max_frame_bytes;
  ASSERT_EQ(limit, 1024u * 1024u);
  std::string head = R"({"type":"reciveTextMessage","userId":1,"message":")";
  std::string tail = "\"}";
  std::string exact = head + std::string(limit - head.size() - tail.size(), 'a') + tail;
  ASSERT_EQ(exact.size(), limit);
  EXPECT_TRUE(decode_server(exact).ok());
  std::string over = head + std::string(limit + 1 - head.size() - tail.size(), 'a') + tail;
  ASSERT_EQ(over.size(), limit + 1);
  expect_server_error(over, DecodeErrorKind::kTooLarge);
  EXPECT_NE(decode_server(over).error().text.find("1048577"), std::string::npos);
}

TEST(CodecMalformed, RejectsFiveMegabyteMessageUnderDefaultLimits) {
  std::string frame = R"({"type":"reciveTextMessage","userId":1,"message":")" +
                      std::string(5 * 1000 * 1000, 'x') + "\"}";
  expect_server_error(frame, DecodeErrorKind::kTooLarge);
  Limits big;
  big.max_frame_bytes = 8 * 1024 * 1024;
  auto d = decode_server(frame, big);
  ASSERT_TRUE(d.ok()) << d.error().text;
  EXPECT_EQ(std::get<ReceiveTextMessage>(d.value()).message.size(), 5u * 1000 * 1000);
}

TEST(CodecMalformed, RejectsTenThousandNestedArrays) {
  expect_server_error(nested_arrays(10000), DecodeErrorKind::kTooDeep);
  expect_server_error(R"({"type":"userNotFound","x":)" + nested_arrays(10000) + "}",
                      DecodeErrorKind::kTooDeep);
  expect_client_error(std::string(10000, '{'), DecodeErrorKind::kTooDeep);
}

TEST(CodecMalformed, RejectsNestingJustPastTheLimit) {
  const int depth = Limits{}.max_depth;
  // The top-level object is level 1, so `depth - 1` arrays inside it is exactly the limit.
  std::string ok = R"({"type":"userNotFound","x":)" + nested_arrays(depth - 1) + "}";
  EXPECT_TRUE(decode_server(ok).ok());
  std::string deep = R"({"type":"userNotFound","x":)" + nested_arrays(depth) + "}";
  expect_server_error(deep, DecodeErrorKind::kTooDeep);
}

TEST(CodecMalformed, BracketsInsideStringsDoNotCountAsNesting) {
  std::string msg = std::string(1000, '[') + "\\\"{{{" + std::string(1000, '{');
  auto d = decode_server(R"({"type":"reciveTextMessage","userId":1,"message":")" + msg + "\"}");
  ASSERT_TRUE(d.ok()) << d.error().text;
  EXPECT_EQ(std::get<ReceiveTextMessage>(d.value()).message.size(), 2004u);
}

TEST(CodecMalformed, HonoursCustomLimits) {
  Limits tight;
  tight.max_frame_bytes = 10;
  tight.max_depth = 1;
  EXPECT_EQ(decode_server(R"({"type":"userNotFound"})", tight).error().kind,
            DecodeErrorKind::kTooLarge);
  tight.max_frame_bytes = 1000;
  EXPECT_TRUE(decode_server(R"({"type":"userNotFound"})", tight).ok());
  EXPECT_EQ(decode_server(R"({"type":"userNotFound","a":[]})", tight).error().kind,
            DecodeErrorKind::kTooDeep);
}

// ---- tolerance ---------------------------------------------------------------------------

TEST(CodecMalformed, IgnoresUnknownExtraFields) {
  auto d = decode_server(R"({"type":"participantLeft","userId":4,"reason":"timeout","x":[1]})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(std::get<ParticipantLeft>(d.value()).user_id, 4);
}

TEST(CodecMalformed, MissingOrNullParticipantPartsBecomeEmpty) {
  auto d = decode_server(
      R"({"type":"existingParticipants","participants":[{"id":1},{"id":2,"name":null,"prefix":null,"postfix":null}]})");
  ASSERT_TRUE(d.ok()) << d.error().text;
  const auto& list = std::get<ExistingParticipants>(d.value()).participants;
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0], (Participant{1, "", "", ""}));
  EXPECT_EQ(list[1], (Participant{2, "", "", ""}));
}

TEST(CodecMalformed, ExistingParticipantsWithoutListIsEmptyPerSpecDefault) {
  for (const char* f : {R"({"type":"existingParticipants"})",
                        R"({"type":"existingParticipants","participants":null})"}) {
    auto d = decode_server(f);
    ASSERT_TRUE(d.ok()) << d.error().text;
    EXPECT_TRUE(std::get<ExistingParticipants>(d.value()).participants.empty());
  }
}

TEST(CodecMalformed, TextAndFileNameDefaultToEmptyPerSpec) {
  auto t = decode_server(R"({"type":"reciveTextMessage","userId":1})");
  ASSERT_TRUE(t.ok()) << t.error().text;
  EXPECT_EQ(std::get<ReceiveTextMessage>(t.value()).message, "");
  auto f = decode_server(R"({"type":"fileUploaded","userId":1,"fileUrl":"/a"})");
  ASSERT_TRUE(f.ok()) << f.error().text;
  EXPECT_EQ(std::get<FileUploaded>(f.value()).file_name, "");
}

TEST(CodecMalformed, JoinRoomDefaultsToZeroPerSpec) {
  auto d = decode_client(R"({"type":"join","userId":5})");
  ASSERT_TRUE(d.ok()) << d.error().text;
  EXPECT_EQ(std::get<Join>(d.value()), (Join{0, 5, ""}));
}

TEST(CodecMalformed, CandidateWithNullOrMissingSdpMidAndIndexDecodes) {
  auto d = decode_server(
      R"({"type":"iceCandidate","userId":1,"candicate":{"candidate":"c","sdpMid":null}})");
  ASSERT_TRUE(d.ok()) << d.error().text;
  const auto& c = std::get<RemoteIceCandidate>(d.value()).candidate;
  EXPECT_EQ(c.candidate, "c");
  EXPECT_FALSE(c.sdp_mid.has_value());
  EXPECT_FALSE(c.sdp_mline_index.has_value());
}

// ---- error reporting ---------------------------------------------------------------------

TEST(CodecMalformed, EveryErrorKindHasADistinctReadableName) {
  std::set<std::string> names;
  for (auto k : {DecodeErrorKind::kTooLarge, DecodeErrorKind::kTooDeep, DecodeErrorKind::kNotJson,
                 DecodeErrorKind::kNotObject, DecodeErrorKind::kMissingType,
                 DecodeErrorKind::kUnknownType, DecodeErrorKind::kMissingField,
                 DecodeErrorKind::kWrongFieldType, DecodeErrorKind::kOutOfRange}) {
    std::string n = to_string(k);
    EXPECT_FALSE(n.empty());
    EXPECT_NE(n[0], 'k') << n;  // a sentence fragment, not the enumerator's name
    names.insert(n);
  }
  EXPECT_EQ(names.size(), 9u);
  EXPECT_STREQ(to_string(DecodeErrorKind::kOutOfRange), "value out of range");
}

TEST(CodecMalformed, ErrorTextNamesTypeFieldAndProblem) {
  auto d = decode_server(
      R"({"type":"existingParticipants","participants":[{"id":1},{"id":2},{"id":"x"}]})");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().text,
            "existingParticipants: field participants[2].id is not an integer (got string \"x\")");
  auto r = decode_server(R"({"type":"participantLeft","userId":-3})");
  EXPECT_EQ(r.error().text,
            "participantLeft: field userId = -3 is out of range (expected a whole number "
            "0..9007199254740991)");
  auto m = decode_server(R"({"type":"participantLeft"})");
  EXPECT_EQ(m.error().text, "participantLeft: required field userId is missing");
}

}  // namespace
}  // namespace gc::protocol
