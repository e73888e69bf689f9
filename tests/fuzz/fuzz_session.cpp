// libFuzzer target: a Session in a room fed arbitrary server frames, interleaved with
// timeouts, media events, socket events and user intents derived from the input.
//
// Input format: chunks separated by the byte 0xFF (never valid in UTF-8 JSON text).
// A chunk whose first byte is below 0x08 is an action (see act()); any other chunk is
// delivered as a server frame on the current socket.
//
// Invariants checked after every step (abort on violation, so libFuzzer reports it):
//  - no duplicate participant ids; our own id is never a participant;
//  - chat, files and notices within their caps;
//  - every conn_id in the view names a connection that was created and not closed, and
//    connections exist only in the room;
//  - commands never name a closed connection, and text goes only to opened sockets;
//  - on_timeout(next_timeout()) moves next_timeout() strictly forward (no livelock);
//  - rule 11: no second receiveVideoFrom for one owner on one socket unless a
//    participantLeft for that owner came in between; view().resubscribes stays 0;
//  - rule 12: no frame sent over max_send_frame_bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/session.hpp"
#include "protocol/codec.hpp"

namespace {

using namespace gc::core;
namespace protocol = gc::protocol;

#define CHECK(cond)                                                           \
  do {                                                                        \
    if (!(cond)) {                                                            \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                           \
    }                                                                         \
  } while (0)

struct World {
  Session s;
  Millis now = 1000;
  std::set<ConnId> open_conns;
  std::vector<ConnId> all_conns;
  std::set<SocketId> open_sockets;  // opened by the session, not yet reported closed
  SocketId current = 0;             // newest OpenSocket
  std::vector<UploadId> uploads;
  std::map<SocketId, std::set<UserId>> offered;  // rule 11, per socket

  explicit World(SessionConfig c) : s(std::move(c)) {}

  void run(const std::vector<Command>& cmds) {
    for (const auto& c : cmds) {
      if (const auto* o = std::get_if<OpenSocket>(&c)) {
        open_sockets.insert(o->socket_id);
        current = o->socket_id;
      } else if (const auto* p = std::get_if<CreatePeer>(&c)) {
        CHECK(open_conns.insert(p->conn_id).second);
        all_conns.push_back(p->conn_id);
      } else if (const auto* cp = std::get_if<ClosePeer>(&c)) {
        CHECK(open_conns.erase(cp->conn_id) == 1);
      } else if (const auto* st = std::get_if<SendText>(&c)) {
        CHECK(open_sockets.count(st->socket_id) == 1);
        CHECK(st->text.size() <= s.config().max_send_frame_bytes);
        auto msg = protocol::decode_client(st->text);
        if (msg)
          if (const auto* offer = std::get_if<protocol::ReceiveVideoFrom>(&msg.value()))
            CHECK(offered[st->socket_id].insert(offer->user_id).second);
      }
    }
  }
  void handle(const Event& e) {
    if (const auto* text = std::get_if<SocketText>(&e)) {
      auto msg = protocol::decode_server(text->text);
      if (msg)
        if (const auto* left = std::get_if<protocol::ParticipantLeft>(&msg.value()))
          offered[text->socket_id].erase(left->user_id);
    }
    s.handle(e, now);
    run(s.take_commands());
    check();
  }
  void timeout() {
    auto t = s.next_timeout();
    if (!t) return;
    if (*t > now) now = *t;
    s.on_timeout(now);
    run(s.take_commands());
    auto t2 = s.next_timeout();
    CHECK(!t2 || *t2 > now);
    check();
  }
  void check() {
    const ViewModel& v = s.view();
    std::set<UserId> ids;
    for (const auto& p : v.participants) {
      CHECK(ids.insert(p.id).second);
      CHECK(p.id != v.self.id);
      if (p.conn_id) CHECK(open_conns.count(p.conn_id) == 1);
    }
    if (v.self.conn_id) CHECK(open_conns.count(v.self.conn_id) == 1);
    if (v.phase != Phase::kInRoom) CHECK(open_conns.empty());
    CHECK(v.chat.size() <= s.config().chat_history_cap);
    CHECK(v.files.size() <= s.config().file_history_cap);
    CHECK(v.notices.size() <= s.config().notice_cap);
    CHECK(v.unread >= 0);
    CHECK(v.resubscribes == 0);
    CHECK(v.live_subscriptions <= s.config().max_live_subscriptions);
  }
  ConnId pick_conn(std::uint8_t b) const {
    if (all_conns.empty() || b == 0xFE) return b;  // sometimes an id that never existed
    return all_conns[b % all_conns.size()];
  }
};

std::uint8_t at(const std::string& c, std::size_t i) {
  return i < c.size() ? static_cast<std::uint8_t>(c[i]) : 0;
}

std::string tail(const std::string& c) { return c.size() > 3 ? c.substr(3) : std::string(); }

void act(World& w, const std::string& c) {
  const std::uint8_t op = at(c, 0), a = at(c, 1), b = at(c, 2);
  switch (op) {
    case 0:  // time passes
      w.now += static_cast<Millis>(a) * 1000 + b;
      w.timeout();
      return;
    case 1: {  // media event for some connection
      const ConnId id = w.pick_conn(b);
      protocol::IceCandidate cand;
      cand.candidate = tail(c);
      switch (a % 10) {
        case 0: return w.handle(LocalOfferCreated{id, "v=0 offer " + tail(c)});
        case 1: return w.handle(LocalIceCandidate{id, cand});
        case 2: return w.handle(RemoteAnswerApplied{id});
        case 3: return w.handle(RemoteAnswerFailed{id, "x"});
        case 4: return w.handle(PeerStateChanged{id, static_cast<PeerState>(at(c, 3) % 6)});
        case 5: return w.handle(MediaFlowing{id});
        case 6: return w.handle(NoMedia{id});
        case 7: return w.handle(LocalOfferFailed{id, "x"});
        case 8: return w.handle(LocalMediaReady{});
        default: return w.handle(LocalMediaFailed{"NotAllowedError"});
      }
    }
    case 2: {  // socket events
      switch (a % 4) {
        case 0: return w.handle(SocketOpened{w.current});
        case 1: {
          // Report the close of the oldest socket still open (ours or the current one).
          if (w.open_sockets.empty()) return;
          const SocketId id = b & 1 ? *w.open_sockets.rbegin() : *w.open_sockets.begin();
          w.open_sockets.erase(id);
          return w.handle(SocketClosed{id, (b & 2) ? 1011 : 1006, ""});
        }
        case 2: return w.handle(SocketError{w.current});
        default: return w.handle(SocketText{static_cast<SocketId>(b), tail(c)});
      }
    }
    case 3: {  // user intents
      switch (a % 12) {
        case 0: return w.handle(SendChat{tail(c)});
        case 1: return w.handle(Retry{});
        case 2: return w.handle(Leave{});
        case 3: {
          Join j;
          if (b & 1) j.password = tail(c);
          return w.handle(j);
        }
        case 4: {
          std::vector<UserId> ids;
          for (std::size_t i = 3; i < c.size(); ++i) ids.push_back(static_cast<std::uint8_t>(c[i]) % 8);
          if (b & 1) return w.handle(SetVisibleParticipants{std::nullopt, {}});
          if (b & 2) return w.handle(ResumeVideo{});
          // The first half on screen, the rest prefetched.
          std::vector<UserId> next(ids.begin() + static_cast<std::ptrdiff_t>(ids.size() / 2), ids.end());
          ids.resize(ids.size() / 2);
          return w.handle(SetVisibleParticipants{ids, next});
        }
        case 5:
          if (b & 1) return w.handle(ResendLine{static_cast<std::uint64_t>(b >> 1)});  // any seq
          return w.handle(MarkChatRead{});
        case 6: return w.handle(SetChatVisible{(b & 1) != 0});
        case 7:
          if (b & 2) return w.handle(SetScreenShare{(b & 1) != 0});
          if (b & 4) {  // what getDisplayMedia and the track answer, in any order
            if (b & 8) return w.handle(ScreenShareEnded{});
            if (b & 16) return w.handle(ScreenShareFailed{"x", (b & 1) != 0});
            return w.handle(ScreenShareStarted{});
          }
          return w.handle(SetMuted{(b & 1) != 0});
        case 8: {
          const UploadId id = b % 8;
          w.uploads.push_back(id);
          return w.handle(QueueUpload{id, tail(c), 1000});
        }
        case 9: return w.handle(UploadProgress{static_cast<UploadId>(b % 8), at(c, 3), at(c, 4)});
        case 10: return w.handle(UploadFinished{static_cast<UploadId>(b % 8), tail(c)});
        default:
          if (b & 1) return w.handle(CancelUpload{static_cast<UploadId>(b % 8)});
          if (b & 2) return w.handle(RetryUpload{static_cast<UploadId>(b % 8)});
          return w.handle(UploadFailed{static_cast<UploadId>(b % 8), "x"});
      }
    }
    default:  // run every timer that is due soon (bounded)
      for (int i = 0; i < 8; ++i) w.timeout();
      return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  SessionConfig cfg;
  cfg.server_url = "wss://fuzz/groupcall";
  cfg.room = 1;
  cfg.user_id = 1;
  cfg.chat_history_cap = 16;
  cfg.file_history_cap = 8;
  cfg.notice_cap = 4;
  cfg.max_frame_bytes = 64 * 1024;
  cfg.max_live_subscriptions = 3;  // small: the cap and ResumeVideo are reached
  cfg.max_send_frame_bytes = 1024;  // small: long chat lines are split
  cfg.seed = size;
  World w(cfg);

  // Into the room: join, socket open, existingParticipants with ids 2 and 3, camera ready.
  w.handle(Join{});
  w.handle(SocketOpened{w.current});
  w.handle(SocketText{w.current, protocol::encode(protocol::ServerMessage{
                                     protocol::ExistingParticipants{{{2, "two", "", ""},
                                                                     {3, "three", "", ""}}}})});
  w.handle(LocalMediaReady{});
  CHECK(w.s.view().phase == Phase::kInRoom);

  const std::string input(reinterpret_cast<const char*>(data), size);
  std::size_t start = 0;
  int steps = 0;
  while (start <= input.size() && steps < 4096) {
    std::size_t end = input.find('\xFF', start);
    if (end == std::string::npos) end = input.size();
    const std::string chunk = input.substr(start, end - start);
    start = end + 1;
    ++steps;
    if (!chunk.empty() && static_cast<std::uint8_t>(chunk[0]) < 0x08) {
      act(w, chunk);
    } else {
      w.handle(SocketText{w.current, chunk});
    }
  }
  for (int i = 0; i < 16; ++i) w.timeout();
  return 0;
}
