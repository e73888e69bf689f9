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
//
// Strict by default, like Kurento (shared/PROTOCOL.md rule 11): a second receiveVideoFrom
// for an owner whose endpoint exists on this join (own id included), or one for an owner
// not in the room, throws in the real server's handler: the socket is closed with 1011 and
// the normal leave runs. A repeat is also recorded as a violation (a client bug); an
// unknown owner only as a count (a client can race a participantLeft).
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
  bool strict_renegotiation = true;  // false: a new offer replaces the endpoint (lenient)
  std::map<UserId, protocol::Participant> users;  // names; unknown ids get "user<id>"
  std::map<RoomId, std::string> room_passwords;   // rooms not listed need no password
};

class FakeServer {
 public:
  using SendFn = std::function<void(ConnKey, std::string)>;
  // An endpoint (receiver, owner) went away while its client may still use it: the media
  // of the connection that sent `offer` is dead from now on.
  using ReleasedFn = std::function<void(UserId receiver, UserId owner, const std::string& offer)>;
  // The server closes a client's socket (code 1011 ...): the harness delivers the close.
  using CloseFn = std::function<void(ConnKey, int code)>;

  FakeServer(ServerOptions options, SendFn send);

  void on_open(ConnKey key);
  void on_frame(ConnKey key, const std::string& text);
  void on_close(ConnKey key);

  void on_endpoint_released(ReleasedFn fn) { released_ = std::move(fn); }
  void on_close_request(CloseFn fn) { close_ = std::move(fn); }
  int renegotiation_closes() const { return renegotiation_closes_; }
  int unknown_owner_closes() const { return unknown_owner_closes_; }
  // receiveVideoFrom received per (receiver, owner), over all sockets.
  int offers_received() const { return offers_; }
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
    bool closed = false;  // the server closed it; frames still in flight are ignored
    // Owners this join negotiated an endpoint for (Kurento's incomingMedia by name, plus
    // the own outgoing endpoint). An owner leaves it only when that owner's leave is
    // announced (participantLeft); a silent replacement keeps it, as in Kurento.
    std::set<UserId> negotiated;
    bool joined = false;
    RoomId room = 0;
    UserId id = 0;
  };

  void send(ConnKey key, const protocol::ServerMessage& msg);
  void broadcast(Room& room, const protocol::ServerMessage& msg, ConnKey except);
  void leave(ConnKey key, bool notify);
  void release(Room& room, std::pair<UserId, UserId> endpoint);
  void release_all_of(Room& room, UserId id);
  void close_with_error(ConnKey key, Client& c, const std::string& why);
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
  CloseFn close_;
  int renegotiation_closes_ = 0;
  int unknown_owner_closes_ = 0;
  int offers_ = 0;
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
