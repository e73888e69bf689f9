// Session scenarios named after the rules of shared/PROTOCOL.md (1-10). Whole rooms run in
// the Sim harness (fake Kurento-ordered server, fake media, virtual clock); scripted
// orderings use the single-session Driver.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "sim/driver.hpp"
#include "sim/expect.hpp"
#include "sim/sim.hpp"

namespace gc::sim {
namespace {

using core::Phase;
using core::TileState;

// ---- rule 1: connections ----------------------------------------------------------------

TEST(Rule1Connections, OneSendOnlyForSelfAndOneRecvOnlyPerParticipant) {
  Sim sim;
  for (UserId id : {11, 12, 13}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  for (int i = 0; i < 3; ++i) {
    std::map<UserId, int> recv;
    int send = 0;
    for (const auto& c : sim.commands(i))
      if (const auto* p = std::get_if<core::CreatePeer>(&c)) {
        if (p->direction == core::Direction::kSendOnly) {
          EXPECT_EQ(p->owner, sim.view(i).self.id);
          ++send;
        } else {
          ++recv[p->owner];
        }
      }
    EXPECT_EQ(send, 1);
    EXPECT_EQ(recv.size(), 2u);
    for (const auto& [owner, n] : recv) {
      EXPECT_EQ(n, 1) << "owner " << owner;
      EXPECT_NE(owner, sim.view(i).self.id);
    }
  }
  expect_no_violations(sim);
}

TEST(Rule1Connections, IdsInMessagesNameTheMediaOwner) {
  Sim sim;
  for (UserId id : {21, 22, 23}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  for (int i = 0; i < 3; ++i) {
    // Our fake offers carry the owner they were created for: "offer:<i>:<conn>:<owner>:<dir>".
    for (const auto& m : sim.sent_of<protocol::ReceiveVideoFrom>(i)) {
      const std::string owner_part = ":" + std::to_string(m.user_id) + ":";
      EXPECT_NE(m.sdp_offer.find(owner_part), std::string::npos) << m.sdp_offer;
    }
    // Every answer was applied to the connection of the owner it names.
    for (const auto& [id, mc] : sim.media(i)) {
      if (!mc.answer_applied) continue;
      const std::string owner_part = ":" + std::to_string(mc.owner) + ":";
      EXPECT_NE(mc.answer.find(owner_part), std::string::npos) << mc.answer;
    }
  }
  // Server side: each member has its own publisher endpoint and one per other owner.
  EXPECT_TRUE(sim.all_endpoints());
  for (UserId id : {21, 22, 23}) EXPECT_TRUE(sim.server().endpoints(1).count({id, id}));
  expect_no_violations(sim);
}

// ---- rule 2: join order -----------------------------------------------------------------

TEST(Rule2JoinOrder, LateJoinerSubscribesToEveryone) {
  Sim sim;
  for (UserId id : {31, 32, 33}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const int late = sim.join(34);
  ASSERT_TRUE(sim.run_until([&] { return sim.in_room(late); }, 5000));
  // Subscriptions go out with the list, before (and without waiting for) our own camera.
  int recv = 0;
  for (const auto& c : sim.commands(late))
    if (const auto* p = std::get_if<core::CreatePeer>(&c))
      if (p->direction == core::Direction::kRecvOnly) ++recv;
  EXPECT_EQ(recv, 3);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const auto& v = sim.view(late);
  ASSERT_EQ(v.participants.size(), 3u);
  EXPECT_EQ(v.participants[0].id, 31);  // join order as listed
  EXPECT_EQ(v.participants[2].id, 33);
  for (int i = 0; i < 3; ++i) EXPECT_NE(sim.view(i).find(34), nullptr);
  expect_no_violations(sim);
}

TEST(Rule2JoinOrder, SubscribesWithoutWaitingForOwnCamera) {
  Driver d;
  d.connect();
  // The camera has not answered yet; the list arrives.
  auto cmds = d.frame(protocol::ExistingParticipants{{Driver::who(2), Driver::who(3)}});
  auto peers = Driver::of<core::CreatePeer>(cmds);
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(peers[0].direction, core::Direction::kRecvOnly);
  EXPECT_EQ(d.s.view().self.publish, core::PublishState::kStarting);
  cmds = d.handle(core::LocalMediaReady{});
  peers = Driver::of<core::CreatePeer>(cmds);
  ASSERT_EQ(peers.size(), 1u);
  EXPECT_EQ(peers[0].direction, core::Direction::kSendOnly);
  EXPECT_EQ(peers[0].owner, 1);
}

TEST(Rule2JoinOrder, OnlyExistingParticipantsMeansSuccess) {
  Driver d;
  d.connect();
  EXPECT_EQ(d.s.view().phase, Phase::kJoining);
  ASSERT_EQ(Driver::sent_of<protocol::Join>(d.all).size(), 1u);
  EXPECT_EQ(Driver::sent_of<protocol::Join>(d.all)[0].room, 7);
  EXPECT_EQ(Driver::sent_of<protocol::Join>(d.all)[0].user_id, 1);
  // A newParticipantArrived may come first: kept, not yet subscribed.
  auto cmds = d.frame(protocol::NewParticipantArrived{Driver::who(5)});
  EXPECT_EQ(d.s.view().phase, Phase::kJoining);
  EXPECT_TRUE(Driver::of<core::CreatePeer>(cmds).empty());
  // The list never includes us; if a server put us in anyway, no tile for ourselves.
  cmds = d.frame(protocol::ExistingParticipants{{Driver::who(1), Driver::who(4)}});
  EXPECT_EQ(d.s.view().phase, Phase::kInRoom);
  ASSERT_EQ(d.s.view().participants.size(), 2u);
  EXPECT_EQ(d.s.view().find(1), nullptr);
  EXPECT_NE(d.s.view().find(4), nullptr);
  EXPECT_NE(d.s.view().find(5), nullptr);
  EXPECT_EQ(Driver::of<core::CreatePeer>(cmds).size(), 2u);
}

// ---- rule 3: ICE ordering ---------------------------------------------------------------

TEST(Rule3IceOrdering, CandidateBeforeAnswerIsAppliedAfterIt) {
  Sim::Options o;
  o.server.candidates_before_answer = true;
  Sim sim(o);
  for (UserId id : {41, 42, 43}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  // The fake media layer flags any AddRemoteCandidate before ApplyRemoteAnswer.
  expect_no_violations(sim);
  for (int i = 0; i < 3; ++i)
    for (const auto& [id, mc] : sim.media(i)) {
      if (mc.answer_applied) {
        EXPECT_EQ(mc.remote_candidates.size(), 2u);
      }
    }

  Driver d;
  d.enter({Driver::who(2)});
  const core::ConnId conn = d.conn_for(2);
  d.handle(core::LocalOfferCreated{conn, "offer"});
  auto cmds = d.frame(protocol::RemoteIceCandidate{2, Driver::cand(1)});
  cmds = d.frame(protocol::RemoteIceCandidate{2, Driver::cand(2)});
  EXPECT_TRUE(Driver::of<core::AddRemoteCandidate>(cmds).empty());
  cmds = d.frame(protocol::ReceiveVideoAnswer{2, "answer"});
  ASSERT_EQ(cmds.size(), 3u);
  ASSERT_TRUE(std::holds_alternative<core::ApplyRemoteAnswer>(cmds[0]));
  EXPECT_EQ(std::get<core::ApplyRemoteAnswer>(cmds[0]).conn_id, conn);
  EXPECT_EQ(std::get<core::AddRemoteCandidate>(cmds[1]).candidate, Driver::cand(1));
  EXPECT_EQ(std::get<core::AddRemoteCandidate>(cmds[2]).candidate, Driver::cand(2));
  // After the answer, candidates go straight through.
  cmds = d.frame(protocol::RemoteIceCandidate{2, Driver::cand(3)});
  ASSERT_EQ(Driver::of<core::AddRemoteCandidate>(cmds).size(), 1u);
}

TEST(Rule3IceOrdering, NoCandidateIsSentBeforeItsOffer) {
  Sim sim;
  MediaOptions m;
  m.candidates_before_offer = true;  // what browsers do: onicecandidate before the promise
  m.local_candidates = 3;
  for (UserId id : {51, 52, 53}) sim.join(id, m);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  for (int i = 0; i < 3; ++i) {
    std::map<UserId, bool> offered;
    std::map<UserId, int> cands;
    for (const auto& f : sim.sent(i)) {
      if (!f.msg) continue;
      if (const auto* r = std::get_if<protocol::ReceiveVideoFrom>(&*f.msg)) offered[r->user_id] = true;
      if (const auto* c = std::get_if<protocol::OnIceCandidate>(&*f.msg)) {
        EXPECT_TRUE(offered[c->user_id]) << "candidate for " << c->user_id << " before its offer";
        ++cands[c->user_id];
      }
    }
    EXPECT_EQ(cands.size(), 3u);  // self + 2 others
    for (const auto& [owner, n] : cands) EXPECT_EQ(n, 3) << owner;
  }
  expect_no_violations(sim);  // the server flags candidates for endpoints it has not created
}

TEST(Rule3IceOrdering, CandidatesForUnknownOrDepartedOwnersAreIgnored) {
  Driver d;
  d.enter({Driver::who(2)});
  const core::ConnId conn = d.conn_for(2);
  d.handle(core::LocalOfferCreated{conn, "offer"});
  auto cmds = d.frame(protocol::RemoteIceCandidate{999, Driver::cand(1)});
  EXPECT_TRUE(Driver::of<core::AddRemoteCandidate>(cmds).empty());
  cmds = d.frame(protocol::ReceiveVideoAnswer{999, "answer"});
  EXPECT_TRUE(Driver::of<core::ApplyRemoteAnswer>(cmds).empty());
  d.frame(protocol::ParticipantLeft{2});
  cmds = d.frame(protocol::RemoteIceCandidate{2, Driver::cand(2)});
  EXPECT_TRUE(Driver::of<core::AddRemoteCandidate>(cmds).empty());
  for (const auto& l : Driver::of<core::Log>(cmds)) EXPECT_EQ(l.level, core::LogLevel::kDebug);
  EXPECT_EQ(d.s.view().phase, Phase::kInRoom);
}

TEST(Rule3IceOrdering, LateEventsForAClosedConnIdAreHarmless) {
  Driver d;
  d.enter({Driver::who(2), Driver::who(3)});
  const core::ConnId old = d.conn_for(2);
  d.frame(protocol::ParticipantLeft{2});
  const auto before = d.s.view().revision;
  for (const core::Event& e :
       std::vector<core::Event>{core::LocalOfferCreated{old, "late"},
                                core::LocalIceCandidate{old, Driver::cand(1)},
                                core::RemoteAnswerApplied{old},
                                core::PeerStateChanged{old, core::PeerState::kFailed},
                                core::MediaFlowing{old}, core::NoMedia{old},
                                core::LocalOfferFailed{old, "x"}, core::RemoteAnswerFailed{old, "x"},
                                core::PeerStateChanged{12345, core::PeerState::kConnected}}) {
    auto cmds = d.handle(e);
    EXPECT_TRUE(Driver::of<core::SendText>(cmds).empty()) << core::event_name(e);
    EXPECT_TRUE(Driver::of<core::CreatePeer>(cmds).empty()) << core::event_name(e);
    EXPECT_TRUE(Driver::of<core::ClosePeer>(cmds).empty()) << core::event_name(e);
  }
  EXPECT_EQ(d.s.view().revision, before);
  ASSERT_EQ(d.s.view().participants.size(), 1u);
  EXPECT_EQ(d.s.view().participants[0].tile, TileState::kConnecting);
}

// ---- rule 4: leaving --------------------------------------------------------------------

TEST(Rule4Leaving, ParticipantLeftClosesTheConnectionAndRemovesTheTile) {
  Sim sim;
  for (UserId id : {61, 62, 63}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const core::ConnId conn_of_62_at_0 = sim.view(0).find(62)->conn_id;
  sim.handle(1, core::Leave{});
  EXPECT_EQ(sim.view(1).phase, Phase::kLeft);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).find(62) == nullptr; }, 2000));
  EXPECT_TRUE(sim.media(0).at(conn_of_62_at_0).closed);
  EXPECT_EQ(sim.view(0).participants.size(), 1u);
  EXPECT_EQ(sim.view(2).find(62), nullptr);
  EXPECT_EQ(sim.server().members(1), (std::vector<UserId>{61, 63}));
  expect_no_violations(sim);
}

TEST(Rule4Leaving, LeaveClosesTheSocketAndEveryPeer) {
  Driver d;
  d.enter({Driver::who(2), Driver::who(3)});
  d.handle(core::LocalMediaReady{});
  auto cmds = d.handle(core::Leave{});
  EXPECT_EQ(Driver::of<core::CloseSocket>(cmds).size(), 1u);
  EXPECT_EQ(Driver::of<core::ClosePeer>(cmds).size(), 3u);
  EXPECT_EQ(Driver::of<core::ReleaseLocalMedia>(cmds).size(), 1u);
  EXPECT_TRUE(Driver::sent(cmds).empty());  // no leave message exists
  EXPECT_EQ(d.s.view().phase, Phase::kLeft);
  EXPECT_TRUE(d.s.view().participants.empty());
  EXPECT_FALSE(d.s.next_timeout().has_value());
}

// ---- rule 5: duplicates -----------------------------------------------------------------

TEST(Rule5Duplicates, DuplicateAnnouncementDoesNotDuplicateATile) {
  Driver d;
  d.enter({Driver::who(2, "old name")});
  const core::ConnId conn = d.conn_for(2);
  auto cmds = d.frame(protocol::NewParticipantArrived{{2, "new name", "Dr.", "(QA)"}});
  EXPECT_TRUE(Driver::of<core::CreatePeer>(cmds).empty());  // media not dead: keep it
  ASSERT_EQ(d.s.view().participants.size(), 1u);
  EXPECT_EQ(d.s.view().participants[0].name, "new name");
  EXPECT_EQ(d.s.view().participants[0].prefix, "Dr.");
  EXPECT_EQ(d.s.view().participants[0].conn_id, conn);
  d.frame(protocol::ExistingParticipants{{Driver::who(2), Driver::who(2)}});
  EXPECT_EQ(d.s.view().participants.size(), 1u);
}

TEST(Rule5Duplicates, DuplicatedFramesStillGiveOneTileEach) {
  Sim::Options o;
  o.faults.duplicate = 0.3;
  o.seed = 5;
  Sim sim(o);
  for (UserId id : {71, 72, 73, 74}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 20000));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(sim.view(i).participants.size(), 3u);
  EXPECT_TRUE(sim.server().violations().empty());
}

// ---- rule 6: recovery -------------------------------------------------------------------

TEST(Rule6Recovery, SocketDropRejoinsWithBackoffAndRestoresEverySubscription) {
  Sim sim;
  for (UserId id : {81, 82, 83}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.kill_socket(0);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 1000));
  const auto& v = sim.view(0);
  ASSERT_TRUE(v.reconnect_at.has_value());
  const Millis delay = *v.reconnect_at - sim.now();
  EXPECT_GE(delay, 400);  // 500 ms, minus at most 20 % jitter
  EXPECT_LE(delay, 500);
  EXPECT_EQ(v.reconnect_attempts, 1);
  for (const auto& p : v.participants) EXPECT_EQ(p.tile, TileState::kRetrying);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  EXPECT_TRUE(sim.all_endpoints());
  EXPECT_EQ(sim.server().members(1).size(), 3u);
  EXPECT_EQ(sim.view(0).participants.size(), 2u);
  expect_no_violations(sim);  // includes: no new socket while the old one was open
}

TEST(Rule6Recovery, NewSocketOpensOnlyAfterTheOldOneClosed) {
  Driver d;
  d.enter({Driver::who(2)});
  auto cmds = d.handle(core::SocketError{d.sock});
  auto closes = Driver::of<core::CloseSocket>(cmds);
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].socket_id, d.sock);
  EXPECT_EQ(Driver::of<core::ClosePeer>(cmds).size(), 1u);
  // The backoff passes, but the old socket has not reported its close yet.
  cmds = d.advance(600);
  EXPECT_TRUE(Driver::of<core::OpenSocket>(cmds).empty());
  cmds = d.handle(core::SocketClosed{d.sock, 1006, ""});
  auto opens = Driver::of<core::OpenSocket>(cmds);
  ASSERT_EQ(opens.size(), 1u);
  EXPECT_GT(opens[0].socket_id, d.sock);
}

TEST(Rule6Recovery, CloseThatNeverArrivesDoesNotBlockForever) {
  Sim sim;
  sim.join(91);
  sim.join(92);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.set_close_never_reported(true);
  sim.blackhole_socket(0);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 70000));
  const Millis lost_at = sim.now();
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 20000));
  EXPECT_GE(sim.now() - lost_at, sim.session(0).config().close_wait_ms);
}

TEST(Rule6Recovery, VideoThatComesBackBeforeTheTimeoutIsCountedButLeftAlone) {
  Sim sim;
  sim.join(111);
  sim.join(112);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const core::ConnId conn = sim.view(0).find(112)->conn_id;
  sim.handle(0, core::NoMedia{conn});
  sim.run_for(sim.session(0).config().stalled_media_timeout_ms / 2);
  sim.handle(0, core::MediaFlowing{conn});  // frames again: the same connection carries on
  EXPECT_EQ(sim.view(0).find(112)->tile, TileState::kLive);
  sim.run_for(3 * sim.session(0).config().stalled_media_timeout_ms);
  EXPECT_EQ(sim.view(0).find(112)->conn_id, conn);
  EXPECT_EQ(sim.view(0).find(112)->stalls.detected, 1);
  EXPECT_EQ(sim.view(0).find(112)->stalls.acted, 0);
  EXPECT_EQ(sim.view(0).stalls.detected, 1);
  EXPECT_EQ(sim.view(0).stalls.acted, 0);
  EXPECT_EQ(sim.server().joins(), 2);
}

TEST(Rule6Recovery, VideoThatNeverStartedIsNotChurned) {
  Sim sim;
  MediaOptions m;
  m.media_flows = false;  // connections connect, but no video is ever decoded (audio only)
  sim.join(113, m);
  sim.join(114);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).find(114) &&
                                         sim.view(0).find(114)->tile == TileState::kNoMedia; },
                            30000));
  const core::ConnId conn = sim.view(0).find(114)->conn_id;
  ASSERT_NE(conn, 0u);
  sim.handle(0, core::NoMedia{conn});
  sim.run_for(3 * sim.session(0).config().stalled_media_timeout_ms);
  EXPECT_EQ(sim.view(0).find(114)->conn_id, conn);
  EXPECT_EQ(sim.view(0).find(114)->tile, TileState::kNoMedia);
  EXPECT_EQ(sim.view(0).stalls.detected, 0);  // never flowed: not a stall
  EXPECT_EQ(sim.view(0).stalls.acted, 0);
}

// ---- rule 7: chat and files echo --------------------------------------------------------

void chat_echo_scenario(bool echo) {
  Sim::Options o;
  o.server.echo_chat = echo;
  Sim sim(o);
  sim.join(111);
  sim.join(112);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const Millis sent_at = sim.now();
  sim.handle(0, core::SendChat{"你好 hello"});
  ASSERT_EQ(sim.view(0).chat.size(), 1u);
  EXPECT_EQ(sim.view(0).chat[0].status, core::ChatStatus::kPending);  // shown at once
  EXPECT_TRUE(sim.view(0).chat[0].is_self);
  ASSERT_TRUE(sim.run_until(
      [&] { return sim.view(0).chat[0].status == core::ChatStatus::kSent; }, 10000));
  if (echo) {
    EXPECT_LT(sim.now() - sent_at, 100);  // merged by the echo, not the timeout
  } else {
    EXPECT_EQ(sim.now() - sent_at, 5000);  // the echo timeout
  }
  sim.run_for(10000);
  ASSERT_EQ(sim.view(0).chat.size(), 1u);  // never shown twice
  ASSERT_EQ(sim.view(1).chat.size(), 1u);
  EXPECT_EQ(sim.view(1).chat[0].sender, 111);
  EXPECT_FALSE(sim.view(1).chat[0].is_self);
  EXPECT_EQ(sim.view(1).chat[0].text, "你好 hello");
  EXPECT_EQ(sim.view(1).unread, 1);
  EXPECT_EQ(sim.view(0).unread, 0);
}

TEST(Rule7ChatEcho, ChatEchoMergesWithEchoOn) { chat_echo_scenario(true); }
TEST(Rule7ChatEcho, ChatEchoMergesWithEchoOff) { chat_echo_scenario(false); }

TEST(Rule7ChatEcho, IdenticalLinesEachMergeOneEcho) {
  Driver d;
  d.enter();
  d.handle(core::SendChat{"ok"});
  d.handle(core::SendChat{"ok"});
  d.frame(protocol::ReceiveTextMessage{1, "ok"});
  const auto& chat = d.s.view().chat;
  ASSERT_EQ(chat.size(), 2u);
  EXPECT_EQ(chat[0].status, core::ChatStatus::kSent);  // the oldest pending line merges
  EXPECT_EQ(chat[1].status, core::ChatStatus::kPending);
  d.frame(protocol::ReceiveTextMessage{1, "ok"});
  EXPECT_EQ(d.s.view().chat.size(), 2u);
  EXPECT_EQ(d.s.view().chat[1].status, core::ChatStatus::kSent);
  // A third own-id line with no pending counterpart (our other tab) is shown as ours.
  d.frame(protocol::ReceiveTextMessage{1, "ok"});
  ASSERT_EQ(d.s.view().chat.size(), 3u);
  EXPECT_TRUE(d.s.view().chat[2].is_self);
}

TEST(Rule7ChatEcho, LateEchoAfterTimeoutIsStillMerged) {
  Driver d;
  d.enter();
  d.handle(core::SendChat{"slow"});
  d.advance(6000);
  EXPECT_EQ(d.s.view().chat[0].status, core::ChatStatus::kSent);
  d.frame(protocol::ReceiveTextMessage{1, "slow"});
  EXPECT_EQ(d.s.view().chat.size(), 1u);
}

TEST(Rule7ChatEcho, QueuedChatIsDeliveredAfterRejoin) {
  Sim sim;
  sim.join(121);
  sim.join(122);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.kill_socket(0);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 1000));
  sim.handle(0, core::SendChat{"typed while offline"});
  EXPECT_EQ(sim.view(0).chat.back().status, core::ChatStatus::kQueued);
  sim.handle(0, core::SendChat{"second"});
  ASSERT_TRUE(sim.run_until([&] { return sim.view(1).chat.size() == 2; }, 10000));
  EXPECT_EQ(sim.view(1).chat[0].text, "typed while offline");
  EXPECT_EQ(sim.view(1).chat[1].text, "second");
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).chat.back().status == core::ChatStatus::kSent; },
                            10000));
  EXPECT_EQ(sim.view(0).chat.size(), 2u);
  EXPECT_EQ(sim.server().chat_log(),
            (std::vector<std::string>{"121:typed while offline", "121:second"}));
}

TEST(Rule7ChatEcho, PendingChatLostWithTheSocketIsSentAgainAfterRejoin) {
  for (bool echo : {true, false}) {
    Sim::Options o;
    o.server.echo_chat = echo;
    Sim sim(o);
    sim.join(141);
    sim.join(142);
    ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
    sim.handle(0, core::SendChat{"在断线前打的字"});
    ASSERT_EQ(sim.view(0).chat.back().status, core::ChatStatus::kPending);
    sim.kill_socket(0);  // the frame dies with the socket, before the server reads it
    ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 1000));
    EXPECT_EQ(sim.view(0).chat.back().status, core::ChatStatus::kQueued);
    ASSERT_TRUE(sim.run_until([&] { return sim.view(1).chat.size() == 1; }, 20000)) << "echo " << echo;
    sim.run_for(10000);
    ASSERT_EQ(sim.view(1).chat.size(), 1u) << "echo " << echo;
    EXPECT_EQ(sim.view(1).chat[0].text, "在断线前打的字");
    ASSERT_EQ(sim.view(0).chat.size(), 1u) << "echo " << echo;
    EXPECT_EQ(sim.view(0).chat[0].status, core::ChatStatus::kSent);
    EXPECT_EQ(sim.server().chat_log(), (std::vector<std::string>{"141:在断线前打的字"}));
  }
}

TEST(Rule7ChatEcho, OwnFileAnnouncementMergesWithItsEcho) {
  for (bool echo : {true, false}) {
    Sim::Options o;
    o.server.echo_files = echo;
    Sim sim(o);
    sim.join(131);
    sim.join(132);
    ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
    sim.handle(0, core::QueueUpload{7, "报告.pdf", 1000});
    sim.handle(0, core::UploadFinished{7, "/files/abc.pdf"});
    ASSERT_EQ(sim.view(0).files.size(), 1u);
    EXPECT_EQ(sim.view(0).files[0].status, core::ChatStatus::kPending);
    sim.run_for(10000);
    ASSERT_EQ(sim.view(0).files.size(), 1u) << "echo " << echo;
    EXPECT_EQ(sim.view(0).files[0].status, core::ChatStatus::kSent);
    ASSERT_EQ(sim.view(1).files.size(), 1u);
    EXPECT_EQ(sim.view(1).files[0].uploader, 131);
    EXPECT_EQ(sim.view(1).files[0].name, "报告.pdf");
    EXPECT_TRUE(sim.view(1).files[0].linkable);
  }
}

// ---- rule 8: idle proxies ---------------------------------------------------------------

TEST(Rule8IdleProxies, HeartbeatIsSentEveryInterval) {
  Sim sim;
  sim.join(141);
  ASSERT_TRUE(sim.run_until([&] { return sim.in_room(0); }, 5000));
  const Millis entered = sim.now();
  sim.run_for(100000);
  std::vector<Millis> beats;
  for (const auto& f : sim.sent(0))
    if (f.text == protocol::encode_heartbeat()) beats.push_back(f.time - entered);
  ASSERT_EQ(beats.size(), 4u);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(beats[k], 25000 * (k + 1));
  EXPECT_TRUE(sim.in_room(0));  // unrecognizedMessage answers count as liveness
  EXPECT_EQ(sim.server().joins(), 1);
}

TEST(Rule8IdleProxies, HeartbeatTimeoutReconnects) {
  Sim sim;
  sim.join(151);
  sim.join(152);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.blackhole_socket(0);
  const Millis cut = sim.now();
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 120000));
  EXPECT_EQ(sim.view(0).disconnect_cause, core::DisconnectCause::kLivenessTimeout);
  // The last frame before the cut was at most one heartbeat earlier.
  EXPECT_LE(sim.now() - cut, 60000);
  EXPECT_GE(sim.now() - cut, 60000 - 25000 - 100);
  EXPECT_EQ(sim.count_remote_errors(0, core::RemoteErrorCode::kLivenessTimeout), 1);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  EXPECT_EQ(sim.server().members(1).size(), 2u);
}

TEST(Rule8IdleProxies, UnrecognizedMessageCountsAsLiveness) {
  Driver d;
  d.enter();
  for (int k = 0; k < 10; ++k) {
    d.advance(25000);  // heartbeat goes out
    d.frame(protocol::UnrecognizedMessage{});
  }
  EXPECT_EQ(d.s.view().phase, Phase::kInRoom);
  d.advance(60000);  // nothing at all for 60 s
  EXPECT_EQ(d.s.view().phase, Phase::kReconnecting);
}

// ---- rule 9: file server ----------------------------------------------------------------

TEST(Rule9FileServer, UnsafeFileUrlIsNotLinkable) {
  Driver d;
  d.enter({Driver::who(2)});
  d.frame(protocol::FileUploaded{2, "a", "javascript:alert(1)"});
  d.frame(protocol::FileUploaded{2, "b", "https://files.example.com/b.pdf"});
  d.frame(protocol::FileUploaded{2, "c", "/upload/c.png"});
  d.frame(protocol::FileUploaded{2, "d", "data:text/html,<script>"});
  const auto& f = d.s.view().files;
  ASSERT_EQ(f.size(), 4u);
  EXPECT_FALSE(f[0].linkable);
  EXPECT_TRUE(f[1].linkable);
  EXPECT_TRUE(f[2].linkable);
  EXPECT_FALSE(f[3].linkable);
  EXPECT_EQ(f[0].url, "javascript:alert(1)");  // kept as text, just not a link
  EXPECT_EQ(f[1].uploader, 2);
}

TEST(Rule9FileServer, UploadLifecycleQueuedUploadingDoneFailedCancelled) {
  Driver d;
  d.enter();
  auto cmds = d.handle(core::QueueUpload{1, "a.txt", 100});
  ASSERT_EQ(Driver::of<core::StartUpload>(cmds).size(), 1u);
  cmds = d.handle(core::QueueUpload{2, "b.txt", 200});
  EXPECT_TRUE(Driver::of<core::StartUpload>(cmds).empty());  // one at a time
  d.handle(core::QueueUpload{3, "c.txt", 300});
  d.handle(core::QueueUpload{4, "d.txt", 400});
  const auto& u = d.s.view().uploads;
  EXPECT_EQ(u[0].state, core::UploadState::kUploading);
  EXPECT_EQ(u[1].state, core::UploadState::kQueued);
  d.handle(core::UploadProgress{1, 50, 100});
  EXPECT_EQ(u[0].percent, 50);
  cmds = d.handle(core::UploadFinished{1, "/f/a.txt"});
  EXPECT_EQ(u[0].state, core::UploadState::kDone);
  EXPECT_EQ(u[0].percent, 100);
  auto ann = Driver::sent_of<protocol::UploadSuccess>(cmds);
  ASSERT_EQ(ann.size(), 1u);
  EXPECT_EQ(ann[0].file_name, "a.txt");
  EXPECT_EQ(ann[0].file_url, "/f/a.txt");
  ASSERT_EQ(Driver::of<core::StartUpload>(cmds).size(), 1u);
  EXPECT_EQ(Driver::of<core::StartUpload>(cmds)[0].upload_id, 2u);
  // Cancel a queued one: no abort needed.
  cmds = d.handle(core::CancelUpload{3});
  EXPECT_TRUE(Driver::of<core::AbortUpload>(cmds).empty());
  EXPECT_EQ(u[2].state, core::UploadState::kCancelled);
  // Failure of the running one starts the next.
  cmds = d.handle(core::UploadFailed{2, "HTTP 413", /*too_large=*/true});
  EXPECT_EQ(u[1].state, core::UploadState::kFailed);
  EXPECT_EQ(u[1].error, "HTTP 413");
  EXPECT_EQ(u[1].failure, core::UploadError::kTooLarge);
  EXPECT_EQ(d.s.view().notices.back().code, core::NoticeCode::kUploadFailed);
  EXPECT_EQ(d.s.view().notices.back().upload, core::UploadError::kTooLarge);
  ASSERT_EQ(Driver::of<core::StartUpload>(cmds).size(), 1u);
  EXPECT_EQ(Driver::of<core::StartUpload>(cmds)[0].upload_id, 4u);
  // Cancel the running one: abort it.
  cmds = d.handle(core::CancelUpload{4});
  ASSERT_EQ(Driver::of<core::AbortUpload>(cmds).size(), 1u);
  EXPECT_EQ(u[3].state, core::UploadState::kCancelled);
  // Late progress / finish for a cancelled upload changes nothing.
  cmds = d.handle(core::UploadFinished{4, "/f/d.txt"});
  EXPECT_TRUE(Driver::sent(cmds).empty());
  EXPECT_EQ(u[3].state, core::UploadState::kCancelled);
  EXPECT_EQ(d.s.view().files.size(), 1u);
}

// ---- rule 10: participant display -------------------------------------------------------

TEST(Rule10ParticipantDisplay, PrefixNameAndPostfixMayBeMissing) {
  Driver d;
  d.connect();
  d.raw(R"js({"type":"existingParticipants","participants":[)js"
        R"js({"id":2,"name":"王伟","prefix":"主任","postfix":"(财务部)"},)js"
        R"js({"id":3},{"id":"4","name":"Ann"}]})js");
  const auto& v = d.s.view();
  ASSERT_EQ(v.participants.size(), 3u);
  EXPECT_EQ(v.participants[0].prefix, "主任");
  EXPECT_EQ(v.participants[0].name, "王伟");
  EXPECT_EQ(v.participants[0].postfix, "(财务部)");
  EXPECT_EQ(v.participants[1].name, "");
  EXPECT_EQ(v.participants[1].prefix, "");
  EXPECT_EQ(v.participants[2].id, 4);
  EXPECT_EQ(v.participants[2].name, "Ann");
  EXPECT_EQ(v.participants[2].postfix, "");
}

}  // namespace
}  // namespace gc::sim
