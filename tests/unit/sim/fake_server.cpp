#include "sim/fake_server.hpp"

#include <algorithm>
#include <utility>

namespace gc::sim {

FakeServer::FakeServer(ServerOptions options, SendFn send)
    : options_(std::move(options)), send_(std::move(send)) {}

void FakeServer::on_open(ConnKey key) { clients_[key] = Client{}; }

void FakeServer::on_close(ConnKey key) {
  leave(key, /*notify=*/true);
  clients_.erase(key);
}

std::vector<UserId> FakeServer::members(RoomId room) const {
  std::vector<UserId> out;
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return out;
  for (const auto& m : it->second.members) out.push_back(m.id);
  return out;
}

const std::set<std::pair<UserId, UserId>>& FakeServer::endpoints(RoomId room) {
  return rooms_[room].endpoints;
}

ConnKey FakeServer::key_of(RoomId room, UserId id) const {
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return 0;
  for (const auto& m : it->second.members)
    if (m.id == id) return m.key;
  return 0;
}

void FakeServer::send(ConnKey key, const protocol::ServerMessage& msg) {
  send_(key, protocol::encode(msg));
}

void FakeServer::broadcast(Room& room, const protocol::ServerMessage& msg, ConnKey except) {
  for (const auto& m : room.members)
    if (m.key != except) send(m.key, msg);
}

protocol::Participant FakeServer::describe(UserId id) const {
  auto it = options_.users.find(id);
  if (it != options_.users.end()) return it->second;
  return protocol::Participant{id, "user" + std::to_string(id), "", ""};
}

// Remove the client's membership and endpoints; tell the others.
void FakeServer::leave(ConnKey key, bool notify) {
  auto cit = clients_.find(key);
  if (cit == clients_.end() || !cit->second.joined) return;
  Client& c = cit->second;
  c.joined = false;
  Room& room = rooms_[c.room];
  auto it = std::find_if(room.members.begin(), room.members.end(),
                         [&](const Member& m) { return m.key == key; });
  if (it == room.members.end()) return;  // already replaced by a newer socket of that id
  room.members.erase(it);
  release_all_of(room, c.id);
  c.negotiated.clear();
  if (notify) {
    broadcast(room, protocol::ParticipantLeft{c.id}, key);
    for (const auto& mem : room.members) {
      auto other = clients_.find(mem.key);
      if (other != clients_.end()) other->second.negotiated.erase(c.id);
    }
  }
}

// Kurento's handler throws; Spring closes the socket with 1011 and the server runs leave.
void FakeServer::close_with_error(ConnKey key, Client& c, const std::string& why) {
  (void)why;
  leave(key, /*notify=*/true);
  c.closed = true;
  if (close_) close_(key, 1011);
}

void FakeServer::release(Room& room, std::pair<UserId, UserId> endpoint) {
  room.endpoints.erase(endpoint);
  auto it = room.offers.find(endpoint);
  if (it == room.offers.end()) return;
  const std::string offer = std::move(it->second);
  room.offers.erase(it);
  if (released_) released_(endpoint.first, endpoint.second, offer);
}

void FakeServer::release_all_of(Room& room, UserId id) {
  std::vector<std::pair<UserId, UserId>> gone;
  for (const auto& e : room.endpoints)
    if (e.first == id || e.second == id) gone.push_back(e);
  for (const auto& e : gone) release(room, e);
}

void FakeServer::on_frame(ConnKey key, const std::string& text) {
  ++frames_;
  auto cit = clients_.find(key);
  if (cit == clients_.end()) {
    violation("frame on a socket the server does not know");
    return;
  }
  if (cit->second.closed) return;
  auto decoded = protocol::decode_client(text);
  if (!decoded) {
    if (decoded.error().kind == protocol::DecodeErrorKind::kUnknownType) {
      if (options_.answer_unknown) send(key, protocol::UnrecognizedMessage{});
      return;
    }
    violation("undecodable client frame: " + decoded.error().text);
    return;
  }
  std::visit([&](const auto& m) { handle(key, cit->second, m); }, decoded.value());
}

void FakeServer::handle(ConnKey key, Client& c, const protocol::Join& m) {
  if (c.joined) {
    violation("second join on one socket");
    return;
  }
  if (options_.require_known_users && !options_.users.count(m.user_id)) {
    send(key, protocol::UserNotFound{});
    return;
  }
  auto pw = options_.room_passwords.find(m.room);
  if (pw != options_.room_passwords.end() && pw->second != m.pw) {
    send(key, protocol::PermissionDenied{});
    return;
  }
  ++joins_;
  Room& room = rooms_[m.room];
  // The same id joining again (a rejoin before the old socket's close arrived): the old
  // membership is replaced silently; the others see a second newParticipantArrived.
  auto old = std::find_if(room.members.begin(), room.members.end(),
                          [&](const Member& mem) { return mem.id == m.user_id; });
  if (old != room.members.end()) {
    clients_[old->key].joined = false;
    room.members.erase(old);
    release_all_of(room, m.user_id);
  }
  c.joined = true;
  c.room = m.room;
  c.id = m.user_id;
  std::vector<protocol::Participant> existing;
  for (const auto& mem : room.members) existing.push_back(describe(mem.id));
  broadcast(room, protocol::NewParticipantArrived{describe(m.user_id)}, key);
  room.members.push_back(Member{m.user_id, key});
  send(key, protocol::ExistingParticipants{existing});
}

void FakeServer::handle(ConnKey key, Client& c, const protocol::SendMessage& m) {
  if (!c.joined) {
    violation("sendMessage before join");
    return;
  }
  chat_log_.push_back(std::to_string(c.id) + ":" + m.message);
  broadcast(rooms_[c.room], protocol::ReceiveTextMessage{c.id, m.message},
            options_.echo_chat ? 0 : key);
}

void FakeServer::handle(ConnKey key, Client& c, const protocol::UploadSuccess& m) {
  if (!c.joined) {
    violation("uploadSuccess before join");
    return;
  }
  broadcast(rooms_[c.room], protocol::FileUploaded{c.id, m.file_name, m.file_url},
            options_.echo_files ? 0 : key);
}

void FakeServer::handle(ConnKey key, Client& c, const protocol::OnIceCandidate& m) {
  (void)key;
  ++candidates_;
  if (!c.joined) {
    violation("onIceCandidate before join");
    return;
  }
  if (!rooms_[c.room].endpoints.count({c.id, m.user_id})) {
    // A Kurento-style server drops it: the endpoint does not exist (yet).
    violation("onIceCandidate from " + std::to_string(c.id) + " for owner " +
              std::to_string(m.user_id) + " before its receiveVideoFrom");
  }
}

void FakeServer::handle(ConnKey key, Client& c, const protocol::ReceiveVideoFrom& m) {
  if (!c.joined) {
    violation("receiveVideoFrom before join");
    return;
  }
  ++offers_;
  Room& room = rooms_[c.room];
  const bool owner_here =
      std::any_of(room.members.begin(), room.members.end(),
                  [&](const Member& mem) { return mem.id == m.user_id; });
  if (!owner_here) {
    if (!options_.strict_renegotiation) return;  // lenient: logged and ignored
    ++unknown_owner_closes_;
    return close_with_error(key, c, "receiveVideoFrom for unknown owner");
  }
  if (options_.strict_renegotiation && !c.negotiated.insert(m.user_id).second) {
    {
      ++renegotiation_closes_;
      violation("second receiveVideoFrom from " + std::to_string(c.id) + " for owner " +
                std::to_string(m.user_id) + " on one join (SDP_END_POINT_ALREADY_NEGOTIATED)");
      return close_with_error(key, c, "endpoint already negotiated");
    }
  }
  // Lenient mode: a fresh endpoint replaces the old one.
  if (room.endpoints.count({c.id, m.user_id})) release(room, {c.id, m.user_id});
  room.endpoints.insert({c.id, m.user_id});
  room.offers[{c.id, m.user_id}] = m.sdp_offer;
  std::vector<protocol::RemoteIceCandidate> cands;
  for (int i = 0; i < options_.candidates_per_endpoint; ++i) {
    protocol::IceCandidate cand;
    cand.candidate = "candidate:" + std::to_string(next_candidate_++) + " 1 udp 1 10.0.0.1 " +
                     std::to_string(40000 + i) + " typ host";
    cand.sdp_mid = "0";
    cand.sdp_mline_index = 0;
    cands.push_back(protocol::RemoteIceCandidate{m.user_id, cand});
  }
  const protocol::ReceiveVideoAnswer answer{m.user_id, "answer-to:" + m.sdp_offer};
  if (!options_.candidates_before_answer) send(key, answer);
  for (const auto& cand : cands) send(key, cand);
  if (options_.candidates_before_answer) send(key, answer);
}

}  // namespace gc::sim
