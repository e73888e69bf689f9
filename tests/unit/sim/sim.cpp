#include "sim/sim.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

namespace gc::sim {

namespace {
template <class T>
bool later(const T& a, const T& b) {
  return a.at != b.at ? a.at > b.at : a.order > b.order;
}
}  // namespace

Sim::Sim() : Sim(Options{}) {}

Sim::Sim(Options options) : options_(std::move(options)), rng_(options_.seed) {
  server_ = std::make_unique<FakeServer>(options_.server,
                                         [this](ConnKey k, std::string t) { server_send(k, std::move(t)); });
  // Our fake offers read "offer:<client>:<conn>:<owner>:<dir>": find the connection whose
  // server endpoint went away and let it fail like a browser would, a little later.
  server_->on_close_request([this](ConnKey k, int code) {
    at(now_, [this, k, code]() {
      Socket* s = socket_of(k);
      if (!s || s->state == Socket::kClosed) return;
      if (s->server_knows) {
        s->server_knows = false;
        server_->on_close(k);
      }
      s->state = Socket::kClosed;
      const int client = s->client;
      const SocketId sid = s->id;
      at(now_ + options_.latency_ms, [this, client, sid, code]() {
        deliver(client, core::SocketClosed{sid, code, "server error"});
      });
    });
  });
  server_->on_endpoint_released([this](UserId, UserId, const std::string& offer) {
    int client = -1;
    unsigned long long conn = 0;
    if (std::sscanf(offer.c_str(), "offer:%d:%llu:", &client, &conn) != 2) return;
    if (client < 0 || client >= size()) return;
    auto it = clients_[client]->conns.find(conn);
    if (it == clients_[client]->conns.end() || it->second.closed) return;
    const ConnId id = conn;
    at(now_ + options_.ice_failure_ms, [this, client, id]() {
      auto it2 = clients_[client]->conns.find(id);
      if (it2 == clients_[client]->conns.end() || it2->second.closed) return;
      deliver(client, core::PeerStateChanged{id, core::PeerState::kFailed});
    });
  });
}

SessionConfig Sim::config_for(UserId id) {
  SessionConfig c;
  c.server_url = "wss://sim.test:8443/groupcall";
  c.room = 1;
  c.user_id = id;
  c.seed = 1000 + static_cast<std::uint64_t>(id);
  return c;
}

int Sim::add(SessionConfig config, MediaOptions media) {
  auto c = std::make_unique<Client>();
  c->session = std::make_unique<Session>(std::move(config));
  c->media = std::move(media);
  clients_.push_back(std::move(c));
  return size() - 1;
}

int Sim::join(UserId id, MediaOptions media) { return join(config_for(id), std::move(media)); }

int Sim::join(SessionConfig config, MediaOptions media) {
  const int i = add(std::move(config), std::move(media));
  handle(i, core::Join{});
  return i;
}

void Sim::handle(int i, const Event& e) { deliver(i, e); }

void Sim::at(Millis when, std::function<void()> fn) {
  queue_.push_back(Scheduled{when, order_++, std::move(fn)});
  std::push_heap(queue_.begin(), queue_.end(), [](const auto& a, const auto& b) { return later(a, b); });
}

void Sim::deliver(int i, Event e) {
  clients_[i]->session->handle(e, now_);
  pump(i);
}

void Sim::pump(int i) {
  Client& c = *clients_[i];
  // A loop: executing a command never feeds the session synchronously, but be safe.
  for (int guard = 0; guard < 1000 && c.session->has_commands(); ++guard) {
    for (const auto& cmd : c.session->take_commands()) {
      c.commands.push_back(cmd);
      execute(i, cmd);
    }
  }
  const auto& v = c.session->view();
  if (v.reconnect_at && v.reconnect_at != c.last_reconnect_at && v.reconnect_at > now_)
    c.reconnect_delays.push_back(*v.reconnect_at - now_);
  c.last_reconnect_at = v.reconnect_at;
}

Sim::Socket* Sim::socket_of(ConnKey k) {
  const int client = static_cast<int>(k >> 32);
  const SocketId id = k & 0xffffffffULL;
  if (client < 0 || client >= size()) return nullptr;
  auto& socks = clients_[client]->sockets;
  auto it = socks.find(id);
  return it == socks.end() ? nullptr : &it->second;
}

void Sim::server_send(ConnKey k, std::string text) {
  Socket* s = socket_of(k);
  if (!s || s->blackholed) return;
  const NetFaults& f = options_.faults;
  if (f.drop_if && f.drop_if(s->client, text)) return;
  if (f.drop > 0 && rng_.next_unit() < f.drop) {
    bool droppable = f.drop_only.empty();
    for (const auto& t : f.drop_only)
      droppable |= text.find("\"type\":\"" + t + "\"") != std::string::npos;
    if (droppable) return;
  }
  const int copies = (f.duplicate > 0 && rng_.next_unit() < f.duplicate) ? 2 : 1;
  for (int n = 0; n < copies; ++n) {
    Millis extra = f.jitter_ms > 0 ? static_cast<Millis>(rng_.next() % (f.jitter_ms + 1)) : 0;
    const int client = s->client;
    const SocketId id = s->id;
    Millis when = now_ + options_.latency_ms + extra;
    if (!f.reorder) {
      Millis& last = last_delivery_[k];
      when = std::max(when, last);
      last = when;
    }
    at(when, [this, client, id, text]() {
      Socket* s2 = socket_of(key(client, id));
      if (!s2 || s2->state != Socket::kOpen || s2->blackholed) return;
      if (text.find("\"participantLeft\"") != std::string::npos) {
        auto m = protocol::decode_server(text);
        if (m)
          if (const auto* left = std::get_if<protocol::ParticipantLeft>(&m.value()))
            clients_[client]->offered[id].erase(left->user_id);
      }
      deliver(client, core::SocketText{id, text});
    });
  }
}

void Sim::execute(int i, const Command& cmd) {
  Client& c = *clients_[i];
  const Millis lat = options_.latency_ms;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, core::OpenSocket>) {
          for (const auto& [id, s] : c.sockets)
            if (s.state != Socket::kClosed)
              c.violations.push_back("OpenSocket " + std::to_string(x.socket_id) +
                                     " while socket " + std::to_string(id) + " is not closed");
          c.sockets[x.socket_id] = Socket{i, x.socket_id};
          const SocketId id = x.socket_id;
          if (connect_hangs_) return;
          at(now_ + lat, [this, i, id]() {
            Socket* s = socket_of(key(i, id));
            if (!s || s->state != Socket::kConnecting) return;
            if (!server_up_) {
              s->state = Socket::kClosed;
              deliver(i, core::SocketError{id});
              deliver(i, core::SocketClosed{id, 1006, ""});
              return;
            }
            s->state = Socket::kOpen;
            s->server_knows = true;
            server_->on_open(key(i, id));
            deliver(i, core::SocketOpened{id});
          });
        } else if constexpr (std::is_same_v<T, core::CloseSocket>) {
          auto it = c.sockets.find(x.socket_id);
          if (it == c.sockets.end()) {
            c.violations.push_back("CloseSocket of unknown socket");
            return;
          }
          Socket& s = it->second;
          if (s.state == Socket::kClosed || s.state == Socket::kClosing) return;
          s.state = Socket::kClosing;
          const SocketId id = x.socket_id;
          at(now_ + lat, [this, i, id]() {
            Socket* s2 = socket_of(key(i, id));
            if (s2 && s2->server_knows && !s2->blackholed) {
              s2->server_knows = false;
              server_->on_close(key(i, id));
            }
          });
          at(now_ + 2 * lat, [this, i, id]() {
            Socket* s2 = socket_of(key(i, id));
            if (!s2 || s2->state == Socket::kClosed) return;
            s2->state = Socket::kClosed;
            if (!close_never_reported_) deliver(i, core::SocketClosed{id, 1000, ""});
          });
        } else if constexpr (std::is_same_v<T, core::SendText>) {
          SentFrame f{now_, x.socket_id, x.text, std::nullopt};
          auto decoded = protocol::decode_client(x.text);
          if (decoded) f.msg = decoded.value();
          c.sent.push_back(f);
          if (x.text.size() > c.session->config().max_send_frame_bytes)
            c.violations.push_back("frame of " + std::to_string(x.text.size()) +
                                   " bytes over max_send_frame_bytes (rule 12)");
          if (f.msg)
            if (const auto* offer = std::get_if<protocol::ReceiveVideoFrom>(&*f.msg))
              if (!c.offered[x.socket_id].insert(offer->user_id).second)
                c.violations.push_back("second receiveVideoFrom for owner " +
                                       std::to_string(offer->user_id) + " on socket " +
                                       std::to_string(x.socket_id) + " (rule 11)");
          auto it = c.sockets.find(x.socket_id);
          if (it == c.sockets.end() || it->second.state != Socket::kOpen) {
            c.violations.push_back("SendText on socket " + std::to_string(x.socket_id) +
                                   " that is not open");
            return;
          }
          if (it->second.blackholed) return;
          const SocketId id = x.socket_id;
          const std::string text = x.text;
          at(now_ + lat, [this, i, id, text]() {
            Socket* s2 = socket_of(key(i, id));
            if (s2 && s2->server_knows && !s2->blackholed) server_->on_frame(key(i, id), text);
          });
        } else if constexpr (std::is_same_v<T, core::RequestLocalMedia>) {
          c.media_requested = true;
          const bool denied = c.media.camera_denied;
          at(now_ + c.media.gum_delay_ms, [this, i, denied]() {
            if (denied) {
              deliver(i, core::LocalMediaFailed{"NotAllowedError: Permission denied", true});
            } else {
              deliver(i, core::LocalMediaReady{});
            }
          });
        } else if constexpr (std::is_same_v<T, core::ReleaseLocalMedia>) {
          c.media_requested = false;
        } else if constexpr (std::is_same_v<T, core::CreatePeer>) {
          if (c.conns.count(x.conn_id)) c.violations.push_back("CreatePeer reused a conn id");
          MediaConn mc;
          mc.id = x.conn_id;
          mc.owner = x.owner;
          mc.direction = x.direction;
          c.conns[x.conn_id] = mc;
          const ConnId id = x.conn_id;
          const Millis od = c.media.offer_delay_ms;
          const int n = c.media.local_candidates;
          const bool before = c.media.candidates_before_offer;
          const std::string sdp = "offer:" + std::to_string(i) + ":" + std::to_string(id) + ":" +
                                  std::to_string(x.owner) + ":" + core::to_string(x.direction);
          for (int k = 0; k < n; ++k) {
            protocol::IceCandidate cand;
            cand.candidate = "candidate:" + std::to_string(k) + " 1 udp 1 192.168.0." +
                             std::to_string(i + 1) + " " + std::to_string(50000 + k) + " typ host";
            cand.sdp_mid = "0";
            cand.sdp_mline_index = 0;
            const Millis when = before ? now_ + od / 2 + k * 0 : now_ + od + 1 + k;
            at(when, [this, i, id, cand]() { deliver(i, core::LocalIceCandidate{id, cand}); });
          }
          at(now_ + od, [this, i, id, sdp]() { deliver(i, core::LocalOfferCreated{id, sdp}); });
        } else if constexpr (std::is_same_v<T, core::ClosePeer>) {
          auto it = c.conns.find(x.conn_id);
          if (it == c.conns.end()) {
            c.violations.push_back("ClosePeer of unknown conn " + std::to_string(x.conn_id));
          } else if (it->second.closed) {
            c.violations.push_back("ClosePeer twice for conn " + std::to_string(x.conn_id));
          } else {
            it->second.closed = true;
          }
        } else if constexpr (std::is_same_v<T, core::ApplyRemoteAnswer>) {
          auto it = c.conns.find(x.conn_id);
          if (it == c.conns.end() || it->second.closed) {
            c.violations.push_back("ApplyRemoteAnswer on closed/unknown conn " +
                                   std::to_string(x.conn_id));
            return;
          }
          MediaConn& mc = it->second;
          if (mc.answer_applied) c.violations.push_back("answer applied twice");
          mc.answer_applied = true;
          mc.answer = x.sdp;
          const ConnId id = x.conn_id;
          bool fail = false;
          if (mc.direction == core::Direction::kRecvOnly) {
            auto f = c.media.fail_receive_from.find(mc.owner);
            if (f != c.media.fail_receive_from.end() && c.failures_done[mc.owner] < f->second) {
              ++c.failures_done[mc.owner];
              fail = true;
            }
          }
          const bool recv = mc.direction == core::Direction::kRecvOnly;
          const bool flows = c.media.media_flows;
          at(now_ + 1, [this, i, id]() { deliver(i, core::RemoteAnswerApplied{id}); });
          at(now_ + c.media.connect_delay_ms, [this, i, id, fail, recv, flows]() {
            deliver(i, core::PeerStateChanged{id, fail ? core::PeerState::kFailed
                                                       : core::PeerState::kConnected});
            if (!fail && recv && flows) deliver(i, core::MediaFlowing{id});
          });
        } else if constexpr (std::is_same_v<T, core::AddRemoteCandidate>) {
          auto it = c.conns.find(x.conn_id);
          if (it == c.conns.end() || it->second.closed) {
            c.violations.push_back("AddRemoteCandidate on closed/unknown conn");
            return;
          }
          if (!it->second.answer_applied)
            c.violations.push_back("AddRemoteCandidate before ApplyRemoteAnswer on conn " +
                                   std::to_string(x.conn_id));
          it->second.remote_candidates.push_back(x.candidate);
        } else {
          // SetLocalMediaEnabled, StartUpload, AbortUpload, Log: recorded only.
        }
      },
      cmd);
}

void Sim::kill_socket(int i, int code) {
  for (auto& [id, s] : clients_[i]->sockets) {
    if (s.state == Socket::kOpen || s.state == Socket::kConnecting) {
      if (s.server_knows) {
        s.server_knows = false;
        server_->on_close(key(i, id));
      }
      s.state = Socket::kClosed;
      const SocketId sid = id;
      at(now_ + options_.latency_ms,
         [this, i, sid, code]() { deliver(i, core::SocketClosed{sid, code, "killed"}); });
    }
  }
}

void Sim::blackhole_socket(int i) {
  for (auto& [id, s] : clients_[i]->sockets)
    if (s.state == Socket::kOpen) s.blackholed = true;
}

std::vector<core::Log> Sim::logs(int i) const {
  std::vector<core::Log> out;
  for (const auto& c : clients_[i]->commands)
    if (const auto* l = std::get_if<core::Log>(&c)) out.push_back(*l);
  return out;
}

int Sim::count_remote_errors(int i, core::RemoteErrorCode code) const {
  int n = 0;
  for (const auto& l : logs(i))
    if (const auto* r = std::get_if<core::RemoteError>(&l.entry))
      if (r->code == code) ++n;
  return n;
}

int Sim::open_sockets(int i) const {
  int n = 0;
  for (const auto& [id, s] : clients_[i]->sockets) n += s.state != Socket::kClosed ? 1 : 0;
  return n;
}

std::vector<Millis> Sim::reconnect_delays(int i) const { return clients_[i]->reconnect_delays; }

bool Sim::all_live() {
  std::vector<UserId> in;
  for (int i = 0; i < size(); ++i) {
    const auto phase = view(i).phase;
    if (phase == core::Phase::kInRoom) {
      in.push_back(view(i).self.id);
    } else if (phase != core::Phase::kIdle && phase != core::Phase::kLeft &&
               phase != core::Phase::kFailed) {
      return false;  // still on its way in
    }
  }
  for (int i = 0; i < size(); ++i) {
    if (!in_room(i)) continue;
    const auto& v = view(i);
    if (v.participants.size() + 1 != in.size()) return false;
    for (const auto& p : v.participants)
      if (p.tile != core::TileState::kLive) return false;
    if (session(i).config().publish && !clients_[i]->media.camera_denied &&
        v.self.publish != core::PublishState::kLive)
      return false;
  }
  return !in.empty();
}

bool Sim::all_endpoints(RoomId room) {
  const auto members = server_->members(room);
  const auto& eps = server_->endpoints(room);
  for (UserId r : members)
    for (UserId o : members) {
      if (r == o) continue;
      if (!eps.count({r, o})) return false;
    }
  return true;
}

void Sim::check_invariants() {
  for (int i = 0; i < size(); ++i) {
    const auto& v = view(i);
    const auto& cfg = session(i).config();
    std::set<UserId> ids;
    std::set<ConnId> conn_ids;
    for (const auto& p : v.participants) {
      EXPECT_TRUE(ids.insert(p.id).second) << "session " << i << ": participant " << p.id << " twice";
      EXPECT_NE(p.id, v.self.id) << "session " << i << ": self listed as participant";
      if (p.conn_id) {
        EXPECT_TRUE(conn_ids.insert(p.conn_id).second);
        auto it = clients_[i]->conns.find(p.conn_id);
        EXPECT_TRUE(it != clients_[i]->conns.end() && !it->second.closed)
            << "session " << i << ": tile " << p.id << " names a closed connection";
      }
    }
    EXPECT_LE(v.chat.size(), cfg.chat_history_cap);
    EXPECT_LE(v.files.size(), cfg.file_history_cap);
    EXPECT_LE(v.notices.size(), cfg.notice_cap);
    EXPECT_LE(open_sockets(i), 2) << "session " << i;
  }
}

Millis Sim::next_time() const {
  std::optional<Millis> t;
  if (!queue_.empty()) t = queue_.front().at;
  for (const auto& c : clients_) {
    auto nt = c->session->next_timeout();
    if (nt && (!t || *nt < *t)) t = nt;
  }
  return t ? std::max(*t, now_) : -1;
}

bool Sim::step() {
  const Millis t = next_time();
  if (t < 0) return false;
  if (++steps_ > options_.max_steps) {
    ADD_FAILURE() << "simulation did not settle after " << options_.max_steps
                  << " steps (livelock?) at t=" << now_;
    return false;
  }
  now_ = t;
  while (!queue_.empty() && queue_.front().at <= now_) {
    std::pop_heap(queue_.begin(), queue_.end(), [](const auto& a, const auto& b) { return later(a, b); });
    Scheduled s = std::move(queue_.back());
    queue_.pop_back();
    s.fn();
  }
  for (int i = 0; i < size(); ++i) {
    auto nt = clients_[i]->session->next_timeout();
    if (nt && *nt <= now_) {
      clients_[i]->session->on_timeout(now_);
      pump(i);
    }
  }
  check_invariants();
  return true;
}

bool Sim::run_until(const std::function<bool()>& pred, Millis max_ms) {
  const Millis deadline = now_ + max_ms;
  while (!pred()) {
    const Millis t = next_time();
    if (t < 0 || t > deadline) {
      now_ = std::max(now_, deadline);
      return pred();
    }
    if (!step()) return pred();
  }
  return true;
}

void Sim::run_for(Millis ms) {
  const Millis deadline = now_ + ms;
  for (;;) {
    const Millis t = next_time();
    if (t < 0 || t > deadline) break;
    if (!step()) break;
  }
  now_ = std::max(now_, deadline);
}

}  // namespace gc::sim
