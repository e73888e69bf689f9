// Codec throughput: decode_server over a realistic mix of server frames, and encode of the
// client's messages. Prints messages per second (items_per_second). Not a timed test.
//
// The mix is what a client in a busy 16-person room sees while everyone connects: trickle
// ICE dominates (several candidates per connection), each connection gets one answer of
// ~3 KB SDP, plus chat and arrivals.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "protocol/codec.hpp"
#include "gson_escape.hpp"  // tests/unit

namespace gc::protocol {
namespace {

std::string fake_sdp(std::size_t bytes) {
  std::string sdp =
      "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
      "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\n";
  int line = 0;
  while (sdp.size() < bytes) {
    sdp += "a=rtpmap:" + std::to_string(96 + line % 32) + " VP8/90000\r\na=rtcp-fb:" +
           std::to_string(96 + line % 32) + " nack pli\r\n";
    ++line;
  }
  return sdp;
}

std::vector<std::string> server_mix() {
  std::vector<std::string> frames;
  const std::string sdp = fake_sdp(3000);
  for (UserId owner = 1; owner <= 16; ++owner) {
    frames.push_back(encode(ServerMessage{NewParticipantArrived{
        {owner, "参与者" + std::to_string(owner), owner % 2 ? "Dr." : "", "研发部"}}}));
    frames.push_back(encode(ServerMessage{ReceiveVideoAnswer{owner, sdp}}));
    for (int c = 0; c < 8; ++c) {
      IceCandidate cand{"candidate:" + std::to_string(842163049 + c) +
                            " 1 udp 1677729535 203.0.113." + std::to_string(owner) + " " +
                            std::to_string(50000 + c) +
                            " typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sYhE "
                            "network-cost 999",
                        "0", 0};
      frames.push_back(encode(ServerMessage{RemoteIceCandidate{owner, cand}}));
    }
    frames.push_back(encode(ServerMessage{ReceiveTextMessage{owner, "大家好，能听到吗？ ok"}}));
  }
  return frames;
}

void BM_DecodeServerMix(benchmark::State& state) {
  const std::vector<std::string> frames = server_mix();
  std::size_t bytes = 0;
  for (const auto& f : frames) bytes += f.size();
  for (auto _ : state) {
    for (const std::string& f : frames) {
      auto d = decode_server(f);
      benchmark::DoNotOptimize(d);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_DecodeServerMix);

void BM_DecodeIceCandidate(benchmark::State& state) {
  const std::string frame = encode(ServerMessage{RemoteIceCandidate{
      7, {"candidate:842163049 1 udp 1677729535 203.0.113.7 50000 typ srflx raddr 0.0.0.0 "
          "rport 0 generation 0 ufrag sYhE network-cost 999",
          "0", 0}}});
  for (auto _ : state) {
    auto d = decode_server(frame);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeIceCandidate);

void BM_DecodeAnswer3KB(benchmark::State& state) {
  const std::string frame = encode(ServerMessage{ReceiveVideoAnswer{7, fake_sdp(3000)}});
  for (auto _ : state) {
    auto d = decode_server(frame);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodeAnswer3KB);

// The same answer as a Gson-lineage (Java) server writes it: an escape every few bytes.
void BM_DecodeAnswerGson3KB(benchmark::State& state) {
  const std::string frame = R"({"type":"receiveVideoAnswer","userId":7,"sdpAnswer":")" +
                            gc::test::gson_escape(fake_sdp(3000)) + "\"}";
  for (auto _ : state) {
    auto d = decode_server(frame);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodeAnswerGson3KB);

void BM_DecodeRejectsGarbage(benchmark::State& state) {
  const std::string frame = std::string(4000, '[');  // rejected by the depth pre-scan
  for (auto _ : state) {
    auto d = decode_server(frame);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeRejectsGarbage);

void BM_EncodeClientMix(benchmark::State& state) {
  std::vector<ClientMessage> msgs;
  const std::string sdp = fake_sdp(3000);
  for (UserId owner = 1; owner <= 16; ++owner) {
    msgs.push_back(ReceiveVideoFrom{owner, sdp});
    for (int c = 0; c < 8; ++c) {
      msgs.push_back(OnIceCandidate{
          owner, {"candidate:1 1 udp 2122260223 192.168.1.2 " + std::to_string(50000 + c) +
                      " typ host generation 0",
                  "0", 0}});
    }
  }
  msgs.push_back(Join{3, 42, "pw"});
  msgs.push_back(SendMessage{"大家好"});
  for (auto _ : state) {
    for (const ClientMessage& m : msgs) {
      std::string s = encode(m);
      benchmark::DoNotOptimize(s);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * msgs.size()));
}
BENCHMARK(BM_EncodeClientMix);

}  // namespace
}  // namespace gc::protocol
