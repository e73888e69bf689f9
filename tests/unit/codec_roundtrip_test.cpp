// decode(encode(m)) == m for every one of the 15 message types, in both directions, with
// edge values (largest id, empty and non-ASCII strings, NUL bytes, absent optionals).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/codec.hpp"

namespace gc::protocol {
namespace {

using namespace std::string_literals;

void expect_client_round_trip(const ClientMessage& m) {
  std::string frame = encode(m);
  auto d = decode_client(frame);
  ASSERT_TRUE(d.ok()) << frame << " -> " << d.error().text;
  EXPECT_TRUE(d.value() == m) << frame;
  EXPECT_EQ(encode(d.value()), frame);
}

void expect_server_round_trip(const ServerMessage& m) {
  std::string frame = encode(m);
  auto d = decode_server(frame);
  ASSERT_TRUE(d.ok()) << frame << " -> " << d.error().text;
  EXPECT_TRUE(d.value() == m) << frame;
  EXPECT_EQ(encode(d.value()), frame);
}

// ---- client -> server --------------------------------------------------------------------

TEST(CodecRoundTrip, Join) {
  expect_client_round_trip(Join{0, 1, ""});
  expect_client_round_trip(Join{12, 34, "pässwörd 密码"});
  expect_client_round_trip(Join{kMaxWireInteger, kMaxWireInteger, "x"});
}

TEST(CodecRoundTrip, SendMessage) {
  expect_client_round_trip(SendMessage{""});
  expect_client_round_trip(SendMessage{"你好，世界！ https://example.com/a?b=c#d"});
  expect_client_round_trip(SendMessage{"nul\0inside\ttab\nnewline \"q\" \\ /"s});
  expect_client_round_trip(SendMessage{"emoji 😀 and 𝄞"});
}

TEST(CodecRoundTrip, UploadSuccess) {
  expect_client_round_trip(UploadSuccess{"报告 2024.pdf", "/files/%E6%8A%A5.pdf"});
  expect_client_round_trip(UploadSuccess{"", ""});
}

TEST(CodecRoundTrip, OnIceCandidate) {
  expect_client_round_trip(OnIceCandidate{7, {"candidate:1 1 udp 1 1.2.3.4 5 typ host", "0", 0}});
  expect_client_round_trip(OnIceCandidate{7, {"", std::nullopt, std::nullopt}});
  expect_client_round_trip(OnIceCandidate{7, {"c", "audio", std::nullopt}});
  expect_client_round_trip(OnIceCandidate{7, {"c", std::nullopt, 65535}});
}

TEST(CodecRoundTrip, ReceiveVideoFrom) {
  expect_client_round_trip(ReceiveVideoFrom{0, ""});
  expect_client_round_trip(ReceiveVideoFrom{99, "v=0\r\no=- 4611731400430051336 2 IN IP4 "
                                                "127.0.0.1\r\ns=-\r\nt=0 0\r\n"});
}

// ---- server -> client --------------------------------------------------------------------

TEST(CodecRoundTrip, UserNotFound) { expect_server_round_trip(UserNotFound{}); }

TEST(CodecRoundTrip, PermissionDenied) { expect_server_round_trip(PermissionDenied{}); }

TEST(CodecRoundTrip, ExistingParticipants) {
  expect_server_round_trip(ExistingParticipants{});
  std::vector<Participant> many;
  for (UserId id = 1; id <= 50; ++id) {
    many.push_back({id, "用户" + std::to_string(id), id % 2 ? "Dr." : "", id % 3 ? "" : "IT"});
  }
  expect_server_round_trip(ExistingParticipants{many});
}

TEST(CodecRoundTrip, NewParticipantArrived) {
  expect_server_round_trip(NewParticipantArrived{{kMaxWireInteger, "李娜", "主任", "（财务部）"}});
  expect_server_round_trip(NewParticipantArrived{{0, "", "", ""}});
}

TEST(CodecRoundTrip, ReceiveVideoAnswer) {
  expect_server_round_trip(ReceiveVideoAnswer{3, std::string(3000, 'a') + "\r\n"});
}

TEST(CodecRoundTrip, ParticipantLeft) {
  expect_server_round_trip(ParticipantLeft{0});
  expect_server_round_trip(ParticipantLeft{kMaxWireInteger});
}

TEST(CodecRoundTrip, RemoteIceCandidate) {
  expect_server_round_trip(RemoteIceCandidate{3, {"candidate:9 1 tcp 1 ::1 9 typ host", "1", 1}});
  expect_server_round_trip(RemoteIceCandidate{3, {"", std::nullopt, std::nullopt}});
}

TEST(CodecRoundTrip, ReceiveTextMessage) {
  expect_server_round_trip(ReceiveTextMessage{3, "收到，谢谢。"});
  expect_server_round_trip(ReceiveTextMessage{3, ""});
}

TEST(CodecRoundTrip, FileUploaded) {
  expect_server_round_trip(FileUploaded{3, "a.pdf", "https://files.example.com/a.pdf"});
  expect_server_round_trip(FileUploaded{3, "", "javascript:alert(1)"});  // codec does not judge
}

TEST(CodecRoundTrip, UnrecognizedMessage) { expect_server_round_trip(UnrecognizedMessage{}); }

// The two directions are disjoint: a client frame is not a server message and vice versa.
TEST(CodecRoundTrip, ClientFramesAreUnknownToTheServerDecoderAndViceVersa) {
  auto d = decode_server(encode(ClientMessage{Join{1, 2, ""}}));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().kind, DecodeErrorKind::kUnknownType);
  auto c = decode_client(encode(ServerMessage{ParticipantLeft{2}}));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, DecodeErrorKind::kUnknownType);
}

TEST(CodecRoundTrip, HeartbeatIsUnknownToAConformingServer) {
  auto d = decode_client(encode_heartbeat());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().kind, DecodeErrorKind::kUnknownType);
  EXPECT_EQ(d.error().type, "heartbeat");
}

}  // namespace
}  // namespace gc::protocol
