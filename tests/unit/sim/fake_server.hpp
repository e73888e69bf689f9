// A scripted groupcall server with Kurento "group-call" ordering, for the simulation
// harness. It speaks shared/PROTOCOL.md through the real codec and records every rule a
// client breaks (candidates before the offer, offers for unknown owners, ...) as a
// violation string instead of crashing, so tests can assert "no violations".
//
// Ordering (as the Kurento tutorial does it):
//   join      -> newParticipantArrived to everyone already in the room, then
//                existingParticipants to the joiner;
//   receiveVideoFrom{owner} -> creates the endpoint (receiver, owner), receiveVideoAnswer,
//                then `candidates_per_endpoint` iceCandidate (or candidates first, with
//                candidates_before_answer);
//   onIceCandidate for an endpoint that does not exist yet -> dropped (a violation);
//   socket closed -> participantLeft to the rest of the room.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "protocol/codec.hpp"
#include "protocol/messages.hpp"

namespace gc::sim {

using protocol::RoomId;
using protocol::UserId;

// One accepted client socket: (session index, socket id) packed by the harness.
using ConnKey = std::uint64_t;

struct ServerOptions {
  bool echo_chat = true;    // sender gets its own reciveTextMessage back
  bool echo_files = true;   // sender gets its own fileUploaded back
  bool answer_unknown = true;  // unknown type -> unrecognizedMessage (rule 8)
  bool candidates_before_answer = false;
  int candidates_per_endpoint = 2;
  bool require_known_users = false;  // true: only ids in `users` may join
  std::map<UserId, protocol::Participant> users;  // names; unknown ids get "user<id>"
  std::map<RoomId, std::string> room_passwords;   // rooms not listed need no password
};

class FakeServer {
 public:
  using SendFn = std::function<void(ConnKey, std::string)>;
  // An endpoint (receiver, owner) went away while its client may still use it: the media
  // of the connection that sent `offer` is dead from now on.
  using ReleasedFn = std::function<void(UserId receiver, UserId owner, const std::string& offer)>;

  FakeServer(ServerOptions options, SendFn send);

  void on_open(ConnKey key);
  void on_frame(ConnKey key, const std::string& text);
  void on_close(ConnKey key);

  void on_endpoint_released(ReleasedFn fn) { released_ = std::move(fn); }
  ServerOptions& options() { return options_; }
  const std::vector<std::string>& violations() const { return violations_; }
  // Ids currently in `room`, in join order.
  std::vector<UserId> members(RoomId room) const;
  // Endpoints (receiver, owner) currently alive in `room`.
  const std::set<std::pair<UserId, UserId>>& endpoints(RoomId room);
  int joins() const { return joins_; }
  int frames_received() const { return frames_; }
  int candidates_received() const { return candidates_; }
  std::vector<std::string> chat_log() const { return chat_log_; }  // "id:text" in order

  // Send an arbitrary frame to one client (scripted scenarios).
  void send_raw(ConnKey key, const std::string& text) { send_(key, text); }
  // The client key of a member, or 0.
  ConnKey key_of(RoomId room, UserId id) const;

 private:
  struct Member {
    UserId id = 0;
    ConnKey key = 0;
  };
  struct Room {
    std::vector<Member> members;
    std::set<std::pair<UserId, UserId>> endpoints;  // (receiver, owner)
    std::map<std::pair<UserId, UserId>, std::string> offers;  // the offer that made each
  };
  struct Client {
    bool joined = false;
    RoomId room = 0;
    UserId id = 0;
  };

  void send(ConnKey key, const protocol::ServerMessage& msg);
  void broadcast(Room& room, const protocol::ServerMessage& msg, ConnKey except);
  void leave(ConnKey key, bool notify);
  void release(Room& room, std::pair<UserId, UserId> endpoint);
  void release_all_of(Room& room, UserId id);
  protocol::Participant describe(UserId id) const;
  void handle(ConnKey key, Client& c, const protocol::Join& m);
  void handle(ConnKey key, Client& c, const protocol::SendMessage& m);
  void handle(ConnKey key, Client& c, const protocol::UploadSuccess& m);
  void handle(ConnKey key, Client& c, const protocol::OnIceCandidate& m);
  void handle(ConnKey key, Client& c, const protocol::ReceiveVideoFrom& m);
  void violation(std::string what) { violations_.push_back(std::move(what)); }

  ServerOptions options_;
  SendFn send_;
  ReleasedFn released_;
  std::map<ConnKey, Client> clients_;
  std::map<RoomId, Room> rooms_;
  std::vector<std::string> violations_;
  std::vector<std::string> chat_log_;
  int joins_ = 0;
  int frames_ = 0;
  int candidates_ = 0;
  int next_candidate_ = 1;
};

}  // namespace gc::sim
