// Driver: one Session driven by hand, frame by frame, for scripted scenarios where the
// exact order of server messages matters (the Sim harness is for whole rooms).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/session.hpp"
#include "protocol/codec.hpp"

namespace gc::sim {

struct Driver {
  explicit Driver(core::SessionConfig c = default_config()) : s(std::move(c)) {}

  static core::SessionConfig default_config() {
    core::SessionConfig c;
    c.server_url = "wss://drv.test/groupcall";
    c.room = 7;
    c.user_id = 1;
    c.seed = 42;
    return c;
  }

  core::Session s;
  core::Millis now = 1000;
  std::vector<core::Command> all;  // every command ever taken
  core::SocketId sock = 0;

  std::vector<core::Command> take() {
    auto c = s.take_commands();
    all.insert(all.end(), c.begin(), c.end());
    return c;
  }
  std::vector<core::Command> handle(const core::Event& e) {
    s.handle(e, now);
    return take();
  }
  std::vector<core::Command> frame(const protocol::ServerMessage& m) {
    return handle(core::SocketText{sock, protocol::encode(m)});
  }
  std::vector<core::Command> raw(const std::string& text) {
    return handle(core::SocketText{sock, text});
  }
  std::vector<core::Command> advance(core::Millis ms) {
    now += ms;
    s.on_timeout(now);
    return take();
  }
  // Join and open the socket; returns after the join frame was sent.
  void connect() {
    for (const auto& c : handle(core::Join{}))
      if (const auto* o = std::get_if<core::OpenSocket>(&c)) sock = o->socket_id;
    handle(core::SocketOpened{sock});
  }
  // connect() then existingParticipants with these participants.
  void enter(std::vector<protocol::Participant> list = {}) {
    connect();
    frame(protocol::ExistingParticipants{std::move(list)});
  }

  template <class T>
  static std::vector<T> of(const std::vector<core::Command>& cmds) {
    std::vector<T> out;
    for (const auto& c : cmds)
      if (const T* x = std::get_if<T>(&c)) out.push_back(*x);
    return out;
  }
  // Client messages sent in `cmds`, decoded (heartbeats skipped).
  static std::vector<protocol::ClientMessage> sent(const std::vector<core::Command>& cmds) {
    std::vector<protocol::ClientMessage> out;
    for (const auto& t : of<core::SendText>(cmds)) {
      auto d = protocol::decode_client(t.text);
      if (d) out.push_back(d.value());
    }
    return out;
  }
  template <class T>
  static std::vector<T> sent_of(const std::vector<core::Command>& cmds) {
    std::vector<T> out;
    for (const auto& m : sent(cmds))
      if (const T* x = std::get_if<T>(&m)) out.push_back(*x);
    return out;
  }
  // The conn_id of the CreatePeer for `owner` among all commands so far (last one).
  core::ConnId conn_for(core::UserId owner) const {
    core::ConnId id = 0;
    for (const auto& c : all)
      if (const auto* p = std::get_if<core::CreatePeer>(&c))
        if (p->owner == owner) id = p->conn_id;
    return id;
  }
  static protocol::Participant who(core::UserId id, std::string name = "") {
    return protocol::Participant{id, name.empty() ? "u" + std::to_string(id) : name, "", ""};
  }
  static protocol::IceCandidate cand(int n) {
    protocol::IceCandidate c;
    c.candidate = "candidate:" + std::to_string(n) + " 1 udp 1 10.1.1.1 9 typ host";
    c.sdp_mid = "0";
    c.sdp_mline_index = 0;
    return c;
  }
};

}  // namespace gc::sim
