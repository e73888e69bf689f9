// The wire's misspellings (PROTOCOL.md): we send the spec's spelling and accept both.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "protocol/codec.hpp"

namespace gc::protocol {
namespace {

using json = nlohmann::json;

template <class T>
T server_as(const char* frame) {
  auto d = decode_server(frame);
  if (!d.ok()) {
    ADD_FAILURE() << frame << " -> " << d.error().text;
    return T{};
  }
  if (!std::holds_alternative<T>(d.value())) {
    ADD_FAILURE() << frame << " decoded as another type: " << type_name(d.value());
    return T{};
  }
  return std::get<T>(d.value());
}

// ---- permisionDeny -----------------------------------------------------------------------

TEST(CodecSpelling, AcceptsPermisionDenyAsSpecSpelt) {
  server_as<PermissionDenied>(R"({"type":"permisionDeny"})");
}

TEST(CodecSpelling, AcceptsPermissionDenyCorrectlySpelt) {
  server_as<PermissionDenied>(R"({"type":"permissionDeny"})");
}

TEST(CodecSpelling, EncodesPermisionDenyAsSpecSpelt) {
  EXPECT_EQ(json::parse(encode(ServerMessage{PermissionDenied{}}))["type"], "permisionDeny");
}

// ---- reciveTextMessage -------------------------------------------------------------------

TEST(CodecSpelling, AcceptsReciveTextMessageAsSpecSpelt) {
  auto m = server_as<ReceiveTextMessage>(R"({"type":"reciveTextMessage","userId":3,"message":"hi"})");
  EXPECT_EQ(m, (ReceiveTextMessage{3, "hi"}));
}

TEST(CodecSpelling, AcceptsReceiveTextMessageCorrectlySpelt) {
  auto m = server_as<ReceiveTextMessage>(R"({"type":"receiveTextMessage","userId":3,"message":"hi"})");
  EXPECT_EQ(m, (ReceiveTextMessage{3, "hi"}));
}

TEST(CodecSpelling, EncodesReciveTextMessageAsSpecSpelt) {
  EXPECT_EQ(json::parse(encode(ServerMessage{ReceiveTextMessage{1, "x"}}))["type"],
            "reciveTextMessage");
}

// ---- candicate ---------------------------------------------------------------------------

TEST(CodecSpelling, AcceptsCandicateFieldAsSpecSpelt) {
  auto m = server_as<RemoteIceCandidate>(
      R"({"type":"iceCandidate","userId":4,"candicate":{"candidate":"c1","sdpMid":"0","sdpMLineIndex":0}})");
  EXPECT_EQ(m, (RemoteIceCandidate{4, {"c1", "0", 0}}));
}

TEST(CodecSpelling, AcceptsCandidateFieldCorrectlySpelt) {
  auto m = server_as<RemoteIceCandidate>(
      R"({"type":"iceCandidate","userId":4,"candidate":{"candidate":"c1","sdpMid":"0","sdpMLineIndex":0}})");
  EXPECT_EQ(m, (RemoteIceCandidate{4, {"c1", "0", 0}}));
}

TEST(CodecSpelling, PrefersCandicateWhenBothSpellingsArePresent) {
  auto m = server_as<RemoteIceCandidate>(
      R"({"type":"iceCandidate","userId":4,"candidate":{"candidate":"correct"},"candicate":{"candidate":"spec"}})");
  EXPECT_EQ(m.candidate.candidate, "spec");
}

TEST(CodecSpelling, FallsBackToCandidateWhenCandicateIsNull) {
  auto m = server_as<RemoteIceCandidate>(
      R"({"type":"iceCandidate","userId":4,"candicate":null,"candidate":{"candidate":"c"}})");
  EXPECT_EQ(m.candidate.candidate, "c");
}

TEST(CodecSpelling, ErrorInCorrectlySpeltCandidateNamesThatField) {
  auto d = decode_server(R"({"type":"iceCandidate","userId":4,"candidate":{"candidate":7}})");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().field, "candidate.candidate");
}

TEST(CodecSpelling, EncodesCandicateFieldAsSpecSpelt) {
  json j = json::parse(encode(ServerMessage{RemoteIceCandidate{1, {"c", "0", 0}}}));
  EXPECT_TRUE(j.contains("candicate"));
  EXPECT_FALSE(j.contains("candidate"));
}

// The client's own onIceCandidate is spelt correctly in the spec: keep it that way.
TEST(CodecSpelling, OnIceCandidateUsesCorrectlySpeltCandidateField) {
  json j = json::parse(encode(ClientMessage{OnIceCandidate{1, {"c", "0", 0}}}));
  EXPECT_TRUE(j.contains("candidate"));
  EXPECT_FALSE(j.contains("candicate"));
}

// ---- what is not a spelling variant ------------------------------------------------------

TEST(CodecSpelling, TypeNamesAreCaseSensitive) {
  for (const char* f : {R"({"type":"PermisionDeny"})", R"({"type":"permissiondeny"})",
                        R"({"type":"ReciveTextMessage","userId":1})",
                        R"({"type":"recieveTextMessage","userId":1})"}) {
    auto d = decode_server(f);
    ASSERT_FALSE(d.ok()) << f;
    EXPECT_EQ(d.error().kind, DecodeErrorKind::kUnknownType) << f;
  }
}

}  // namespace
}  // namespace gc::protocol
