// Simulation harness: N Sessions, one FakeServer, fake sockets and a fake media layer on
// a virtual clock. No sleeps, no threads: run() steps the clock to the earliest of the
// scheduled deliveries and every session's next_timeout(), and gives up (a test failure)
// after a bounded number of steps, which catches livelock.
//
// Network model: every frame takes `latency_ms` one way. Server -> client frames can be
// dropped, duplicated or delayed by a random extra (which reorders them) under a seeded
// PRNG (NetFaults). The server can be "down" (OpenSocket fails with error + close 1006),
// a socket can be killed (both sides see a close) or black-holed (nothing passes, nobody
// notices: only the liveness timeout can).
//
// Fake media: RequestLocalMedia -> LocalMediaReady (or Failed); CreatePeer -> local
// candidates (optionally before the offer, as browsers do) and LocalOfferCreated;
// ApplyRemoteAnswer -> RemoteAnswerApplied, connected, and (receive side) MediaFlowing.
// It records protocol violations of the Session (candidate added before the answer,
// commands for a closed connection) for tests to assert on.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/backoff.hpp"
#include "core/session.hpp"
#include "protocol/codec.hpp"
#include "sim/fake_server.hpp"

namespace gc::sim {

using core::Command;
using core::ConnId;
using core::Event;
using core::Millis;
using core::Session;
using core::SessionConfig;
using core::SocketId;

struct NetFaults {
  double drop = 0;       // probability a server->client frame is lost
  double duplicate = 0;  // probability it is delivered twice
  Millis jitter_ms = 0;  // random extra delay 0..jitter
  // Let the jitter reorder frames on one socket. A real WebSocket never does (TCP), and a
  // participantLeft overtaken by the same id's next newParticipantArrived cannot be told
  // apart from a real departure; only scenarios about message order turn this on.
  bool reorder = false;
  std::set<std::string> drop_only;  // if not empty: only frames of these types may be dropped
  // Deterministic loss: a server->client frame for which this returns true is dropped.
  std::function<bool(int client, const std::string& text)> drop_if;
};

struct MediaOptions {
  bool camera_denied = false;
  Millis gum_delay_ms = 30;
  Millis offer_delay_ms = 10;
  bool candidates_before_offer = true;
  int local_candidates = 2;
  Millis connect_delay_ms = 40;
  bool media_flows = true;
  // Receive connections for these owners fail (ICE failed) this many times first.
  std::map<UserId, int> fail_receive_from;
};

struct MediaConn {
  ConnId id = 0;
  UserId owner = 0;
  core::Direction direction = core::Direction::kRecvOnly;
  bool closed = false;
  bool answer_applied = false;
  std::string answer;
  std::vector<protocol::IceCandidate> remote_candidates;
};

struct SentFrame {
  Millis time = 0;
  SocketId socket_id = 0;
  std::string text;
  std::optional<protocol::ClientMessage> msg;  // nullopt: not a client message (heartbeat)
};

class Sim {
 public:
  struct Options {
    ServerOptions server;
    NetFaults faults;
    Millis latency_ms = 5;
    std::uint64_t seed = 1;
    int max_steps = 200000;
    // How long a browser takes to notice that the server released the endpoint of a live
    // connection (ICE consent failure): then the connection reports "failed".
    Millis ice_failure_ms = 5000;
  };

  Sim();
  explicit Sim(Options options);

  // A session with sensible defaults: url, room 1, user `id`, deterministic seed.
  static SessionConfig config_for(UserId id);
  // Adds a session (not joined yet); returns its index.
  int add(SessionConfig config, MediaOptions media = {});
  // add() then Join.
  int join(UserId id, MediaOptions media = {});
  int join(SessionConfig config, MediaOptions media = {});

  Session& session(int i) { return *clients_[i]->session; }
  const core::ViewModel& view(int i) { return clients_[i]->session->view(); }
  FakeServer& server() { return *server_; }
  Millis now() const { return now_; }
  int size() const { return static_cast<int>(clients_.size()); }

  // Feed an event to session i now and execute its commands.
  void handle(int i, const Event& e);
  // Run until `pred` holds (checked after every step) or `max_ms` of virtual time passed.
  bool run_until(const std::function<bool()>& pred, Millis max_ms = 60000);
  // Run everything due up to now + ms.
  void run_for(Millis ms);

  // Faults.
  void set_faults(NetFaults f) { options_.faults = f; }
  void set_server_up(bool up) { server_up_ = up; }
  // OpenSocket neither opens nor fails (a silent firewall): only the connect timeout helps.
  void set_connect_hangs(bool hangs) { connect_hangs_ = hangs; }
  // CloseSocket never produces SocketClosed (a browser that loses the event).
  void set_close_never_reported(bool never) { close_never_reported_ = never; }
  // Kill session i's current socket: the server and the client both see a close.
  void kill_socket(int i, int code = 1006);
  // Black-hole session i's current socket: frames vanish both ways, no close.
  void blackhole_socket(int i);

  // Records.
  const std::vector<SentFrame>& sent(int i) const { return clients_[i]->sent; }
  const std::vector<Command>& commands(int i) const { return clients_[i]->commands; }
  std::vector<core::Log> logs(int i) const;
  int count_remote_errors(int i, core::RemoteErrorCode code) const;
  const std::vector<std::string>& media_violations(int i) const { return clients_[i]->violations; }
  const std::map<ConnId, MediaConn>& media(int i) const { return clients_[i]->conns; }
  int open_sockets(int i) const;  // sockets of session i not yet closed
  std::vector<Millis> reconnect_delays(int i) const;  // reconnect_at - time, per loss

  // Convenience predicates.
  bool in_room(int i) { return view(i).phase == core::Phase::kInRoom; }
  // No session is on its way in (connecting, joining, reconnecting), and every session in
  // the room sees every other one (and only those) with live video.
  bool all_live();
  // Server-side: every pair has its endpoints (each receiver -> each owner, and own).
  bool all_endpoints(RoomId room = 1);
  // Sent messages of session i of type T.
  template <class T>
  std::vector<T> sent_of(int i) const {
    std::vector<T> out;
    for (const auto& f : clients_[i]->sent)
      if (f.msg)
        if (const T* m = std::get_if<T>(&*f.msg)) out.push_back(*m);
    return out;
  }
  // Checks view invariants of every session; reports failures through GoogleTest.
  void check_invariants();

 private:
  struct Socket {
    int client = 0;
    SocketId id = 0;
    enum State { kConnecting, kOpen, kClosing, kClosed } state = kConnecting;
    bool blackholed = false;
    bool server_knows = false;
  };
  struct Client {
    std::unique_ptr<Session> session;
    MediaOptions media;
    std::map<ConnId, MediaConn> conns;
    std::map<SocketId, Socket> sockets;
    std::vector<SentFrame> sent;
    std::vector<Command> commands;
    std::vector<std::string> violations;
    std::vector<Millis> reconnect_delays;
    std::optional<Millis> last_reconnect_at;
    std::map<UserId, int> failures_done;
    // Rule 11, seen from the client side: owners offered per socket, until a
    // participantLeft for them arrives on that socket. A repeat is a media violation.
    std::map<SocketId, std::set<UserId>> offered;
    bool media_requested = false;
  };
  struct Scheduled {
    Millis at = 0;
    std::uint64_t order = 0;
    std::function<void()> fn;
  };

  static ConnKey key(int client, SocketId id) {
    return (static_cast<ConnKey>(client) << 32) | static_cast<ConnKey>(id);
  }
  Socket* socket_of(ConnKey k);
  void at(Millis when, std::function<void()> fn);
  void deliver(int i, Event e);  // to session i at the current time
  void pump(int i);              // execute session i's commands
  void execute(int i, const Command& c);
  void server_send(ConnKey k, std::string text);
  void close_both(int i, SocketId id, int code);
  Millis next_time() const;  // -1 when nothing is scheduled
  bool step();  // one clock step; false when nothing is left to do

  Options options_;
  core::SplitMix64 rng_;
  std::unique_ptr<FakeServer> server_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::vector<Scheduled> queue_;  // heap on (at, order)
  std::map<ConnKey, Millis> last_delivery_;  // per socket, when reorder is off
  std::uint64_t order_ = 0;
  Millis now_ = 0;
  bool server_up_ = true;
  bool connect_hangs_ = false;
  bool close_never_reported_ = false;
  int steps_ = 0;
};

}  // namespace gc::sim
