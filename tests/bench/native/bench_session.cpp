// Session throughput: a 50-participant churn through Session::handle, including decoding
// every server frame and taking the commands after each event, as the platform would.
// Prints messages per second (items_per_second). Not a timed test.
//
// One iteration = one churn cycle in a room we are already in:
//   50 newParticipantArrived -> 50 LocalOfferCreated (+2 local candidates each)
//   -> 50 receiveVideoAnswer (~3 KB SDP) with 4 iceCandidate each (half before the answer)
//   -> connected + media flowing -> 50 chat lines -> 50 participantLeft.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/session.hpp"
#include "protocol/codec.hpp"

namespace gc::core {
namespace {

constexpr int kParticipants = 50;

std::string fake_sdp(std::size_t bytes) {
  std::string sdp = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  int line = 0;
  while (sdp.size() < bytes) {
    sdp += "a=rtpmap:" + std::to_string(96 + line % 32) + " VP8/90000\r\n";
    ++line;
  }
  return sdp;
}

protocol::IceCandidate candidate(int owner, int n) {
  protocol::IceCandidate c;
  c.candidate = "candidate:" + std::to_string(842163049 + n) + " 1 udp 1677729535 203.0.113." +
                std::to_string(owner) + " " + std::to_string(50000 + n) + " typ srflx";
  c.sdp_mid = "0";
  c.sdp_mline_index = 0;
  return c;
}

struct Frames {
  std::vector<std::string> arrive, answer, chat, leave;
  std::vector<std::vector<std::string>> cands;
  std::string offer = fake_sdp(3000);
};

Frames make_frames() {
  Frames f;
  const std::string sdp = fake_sdp(3000);
  for (int i = 0; i < kParticipants; ++i) {
    const UserId id = 100 + i;
    f.arrive.push_back(protocol::encode(protocol::ServerMessage{protocol::NewParticipantArrived{
        {id, "参与者" + std::to_string(i), i % 2 ? "Dr." : "", "研发部"}}}));
    f.answer.push_back(protocol::encode(protocol::ServerMessage{protocol::ReceiveVideoAnswer{id, sdp}}));
    std::vector<std::string> c;
    for (int n = 0; n < 4; ++n)
      c.push_back(protocol::encode(
          protocol::ServerMessage{protocol::RemoteIceCandidate{id, candidate(static_cast<int>(i), n)}}));
    f.cands.push_back(std::move(c));
    f.chat.push_back(protocol::encode(protocol::ServerMessage{
        protocol::ReceiveTextMessage{id, "大家好, this is line " + std::to_string(i)}}));
    f.leave.push_back(protocol::encode(protocol::ServerMessage{protocol::ParticipantLeft{id}}));
  }
  return f;
}

void BM_SessionChurn50(benchmark::State& state) {
  const Frames f = make_frames();
  SessionConfig cfg;
  cfg.server_url = "wss://bench/groupcall";
  cfg.room = 1;
  cfg.user_id = 1;
  Session s(cfg);
  Millis now = 0;
  SocketId sock = 0;
  s.handle(Join{}, now);
  for (const auto& c : s.take_commands())
    if (const auto* o = std::get_if<OpenSocket>(&c)) sock = o->socket_id;
  s.handle(SocketOpened{sock}, now);
  s.handle(SocketText{sock, protocol::encode(protocol::ServerMessage{protocol::ExistingParticipants{}})}, now);
  s.take_commands();

  std::int64_t messages = 0;
  std::vector<ConnId> conns(kParticipants);
  std::size_t sink = 0;
  auto feed = [&](const Event& e) {
    s.handle(e, now);
    auto cmds = s.take_commands();
    sink += cmds.size();
    ++messages;
    return cmds;
  };
  for (auto _ : state) {
    for (int i = 0; i < kParticipants; ++i) {
      for (const auto& c : feed(SocketText{sock, f.arrive[i]}))
        if (const auto* p = std::get_if<CreatePeer>(&c)) conns[i] = p->conn_id;
    }
    for (int i = 0; i < kParticipants; ++i) {
      feed(LocalIceCandidate{conns[i], candidate(1, 0)});  // held until the offer
      feed(LocalOfferCreated{conns[i], f.offer});
      feed(LocalIceCandidate{conns[i], candidate(1, 1)});
    }
    for (int i = 0; i < kParticipants; ++i) {
      feed(SocketText{sock, f.cands[i][0]});  // held until the answer
      feed(SocketText{sock, f.cands[i][1]});
      feed(SocketText{sock, f.answer[i]});
      feed(SocketText{sock, f.cands[i][2]});
      feed(SocketText{sock, f.cands[i][3]});
      feed(PeerStateChanged{conns[i], PeerState::kConnected});
      feed(MediaFlowing{conns[i]});
    }
    for (int i = 0; i < kParticipants; ++i) feed(SocketText{sock, f.chat[i]});
    for (int i = 0; i < kParticipants; ++i) feed(SocketText{sock, f.leave[i]});
    now += 10;
    s.on_timeout(now);
    s.take_commands();
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(messages);
  state.counters["participants"] = kParticipants;
}
BENCHMARK(BM_SessionChurn50)->Unit(benchmark::kMillisecond);

// Only server frames, the part a busy room is made of: chat lines at a steady state.
void BM_SessionChatFrames(benchmark::State& state) {
  const Frames f = make_frames();
  SessionConfig cfg;
  cfg.room = 1;
  cfg.user_id = 1;
  Session s(cfg);
  SocketId sock = 0;
  s.handle(Join{}, 0);
  for (const auto& c : s.take_commands())
    if (const auto* o = std::get_if<OpenSocket>(&c)) sock = o->socket_id;
  s.handle(SocketOpened{sock}, 0);
  s.handle(SocketText{sock, protocol::encode(protocol::ServerMessage{protocol::ExistingParticipants{}})}, 0);
  for (int i = 0; i < kParticipants; ++i) s.handle(SocketText{sock, f.arrive[i]}, 0);
  s.take_commands();
  std::int64_t messages = 0;
  for (auto _ : state) {
    for (const auto& line : f.chat) {
      s.handle(SocketText{sock, line}, 0);
      benchmark::DoNotOptimize(s.take_commands());
      ++messages;
    }
  }
  state.SetItemsProcessed(messages);
}
BENCHMARK(BM_SessionChatFrames);

}  // namespace
}  // namespace gc::core
