// Chat history, unread count, paging (visible set), garbage frames, view revision and
// determinism.
#include <gtest/gtest.h>

#include "sim/driver.hpp"
#include "sim/sim.hpp"

namespace gc::sim {
namespace {

using core::Phase;
using core::TileState;

TEST(Rule7ChatEcho, ChatHistoryIsCapped) {
  auto cfg = Driver::default_config();
  cfg.chat_history_cap = 10;
  Driver d(cfg);
  d.enter({Driver::who(2)});
  for (int k = 0; k < 25; ++k) d.frame(protocol::ReceiveTextMessage{2, "line " + std::to_string(k)});
  for (int k = 0; k < 5; ++k) d.handle(core::SendChat{"mine " + std::to_string(k)});
  const auto& chat = d.s.view().chat;
  ASSERT_EQ(chat.size(), 10u);
  EXPECT_EQ(chat.front().text, "line 20");
  EXPECT_EQ(chat.back().text, "mine 4");
  for (std::size_t k = 1; k < chat.size(); ++k) EXPECT_GT(chat[k].seq, chat[k - 1].seq);
  // Echoes of own lines still merge after older lines were evicted.
  d.frame(protocol::ReceiveTextMessage{1, "mine 0"});
  EXPECT_EQ(d.s.view().chat.size(), 10u);
  EXPECT_EQ(d.s.view().chat[5].status, core::ChatStatus::kSent);
}

TEST(Rule7ChatEcho, DefaultHistoryCapIs2000AndMemoryStaysFlat) {
  Driver d;
  d.enter({Driver::who(2)});
  for (int k = 0; k < 5000; ++k) d.frame(protocol::ReceiveTextMessage{2, "x"});
  EXPECT_EQ(d.s.view().chat.size(), 2000u);
}

TEST(Rule7ChatEcho, UnreadCountsOnlyOthersWhileChatIsHidden) {
  Driver d;
  d.enter({Driver::who(2)});
  d.frame(protocol::ReceiveTextMessage{2, "a"});
  d.frame(protocol::ReceiveTextMessage{2, "b"});
  d.handle(core::SendChat{"mine"});
  EXPECT_EQ(d.s.view().unread, 2);
  d.handle(core::MarkChatRead{});
  EXPECT_EQ(d.s.view().unread, 0);
  d.handle(core::SetChatVisible{true});
  d.frame(protocol::ReceiveTextMessage{2, "c"});
  EXPECT_EQ(d.s.view().unread, 0);
  d.handle(core::SetChatVisible{false});
  d.frame(protocol::ReceiveTextMessage{2, "d"});
  EXPECT_EQ(d.s.view().unread, 1);
}

TEST(Rule7ChatEcho, EmptyOrOversizedChatIsRefusedAsLocalError) {
  Driver d;
  d.enter();
  auto cmds = d.handle(core::SendChat{"   "});
  EXPECT_TRUE(Driver::sent(cmds).empty());
  ASSERT_EQ(Driver::of<core::Log>(cmds).size(), 1u);
  EXPECT_TRUE(std::holds_alternative<core::LocalError>(Driver::of<core::Log>(cmds)[0].entry));
  cmds = d.handle(core::SendChat{std::string(20000, 'x')});
  EXPECT_TRUE(Driver::sent(cmds).empty());
  EXPECT_TRUE(d.s.view().chat.empty());
}

TEST(Rule7ChatEcho, ChatTypedBeforeTheFirstJoinCompletesIsSentOnce) {
  Driver d;
  d.connect();
  d.handle(core::SendChat{"early"});
  EXPECT_EQ(d.s.view().chat[0].status, core::ChatStatus::kQueued);
  auto cmds = d.frame(protocol::ExistingParticipants{});
  auto msgs = Driver::sent_of<protocol::SendMessage>(cmds);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].message, "early");
  EXPECT_EQ(d.s.view().chat[0].status, core::ChatStatus::kPending);
}

// ---- garbage ----------------------------------------------------------------------------

TEST(RemoteErrors, GarbageFramesAreLoggedAndTheSessionContinues) {
  auto cfg = Driver::default_config();
  cfg.max_frame_bytes = 4096;
  Driver d(cfg);
  d.enter({Driver::who(2)});
  const std::vector<std::string> garbage = {
      "not json", "[1,2]", "{}", R"({"type":"nope"})", R"({"type":"iceCandidate"})",
      R"({"type":"participantLeft","userId":-1})", std::string(5000, '{'),
      std::string("{\"type\":\"x\",\"a\":\"") + std::string(5000, 'a') + "\"}",
      std::string("\xff\xfe\x00", 3)};
  int logged = 0;
  for (const auto& g : garbage) {
    auto cmds = d.raw(g);
    for (const auto& l : Driver::of<core::Log>(cmds))
      if (std::holds_alternative<core::RemoteError>(l.entry)) ++logged;
    EXPECT_EQ(d.s.view().phase, Phase::kInRoom);
  }
  EXPECT_EQ(logged, static_cast<int>(garbage.size()));
  bool too_large = false;
  for (const auto& l : Driver::of<core::Log>(d.all))
    if (const auto* r = std::get_if<core::RemoteError>(&l.entry))
      too_large |= r->code == core::RemoteErrorCode::kFrameTooLarge;
  EXPECT_TRUE(too_large);
  EXPECT_EQ(d.s.view().notices.back().code, core::NoticeCode::kGarbageFromServer);
  // Still working: a valid frame after all that is handled.
  d.frame(protocol::ReceiveTextMessage{2, "still here"});
  EXPECT_EQ(d.s.view().chat.back().text, "still here");
  ASSERT_EQ(d.s.view().participants.size(), 1u);
}

TEST(RemoteErrors, GarbageFromTheServerInTheSimDoesNotBreakTheRoom) {
  Sim sim;
  sim.join(701);
  sim.join(702);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const ConnKey k = sim.server().key_of(1, 701);
  sim.server().send_raw(k, "\x01garbage");
  sim.server().send_raw(k, R"({"type":"receiveVideoAnswer","userId":"abc"})");
  sim.run_for(1000);
  EXPECT_EQ(sim.count_remote_errors(0, core::RemoteErrorCode::kUndecodableFrame), 2);
  EXPECT_TRUE(sim.all_live());
}

TEST(RemoteErrors, SecondAnswerIsIgnored) {
  Driver d;
  d.enter({Driver::who(2)});
  const ConnId c = d.conn_for(2);
  d.handle(core::LocalOfferCreated{c, "o"});
  auto cmds = d.frame(protocol::ReceiveVideoAnswer{2, "a1"});
  EXPECT_EQ(Driver::of<core::ApplyRemoteAnswer>(cmds).size(), 1u);
  cmds = d.frame(protocol::ReceiveVideoAnswer{2, "a2"});
  EXPECT_TRUE(Driver::of<core::ApplyRemoteAnswer>(cmds).empty());
}

// ---- paging: subscribe only to visible tiles --------------------------------------------

TEST(ViewModel, RevisionChangesOnlyWithTheView) {
  Driver d;
  d.enter({Driver::who(2)});
  auto r = d.s.view().revision;
  d.handle(core::MarkChatRead{});  // nothing unread: no change
  EXPECT_EQ(d.s.view().revision, r);
  d.frame(protocol::ReceiveTextMessage{2, "hi"});
  EXPECT_GT(d.s.view().revision, r);
  r = d.s.view().revision;
  d.handle(core::SetMuted{true});
  EXPECT_GT(d.s.view().revision, r);
  EXPECT_TRUE(d.s.view().self.muted);
}

TEST(ViewModel, MuteAndCameraOffOnlyToggleLocalTracks) {
  Driver d;
  d.enter();
  auto cmds = d.handle(core::SetCameraOff{true});
  auto en = Driver::of<core::SetLocalMediaEnabled>(cmds);
  ASSERT_EQ(en.size(), 1u);
  EXPECT_TRUE(en[0].audio);
  EXPECT_FALSE(en[0].video);
  EXPECT_TRUE(Driver::sent(cmds).empty());
}

TEST(Determinism, SameSeedSameCommands) {
  auto run = [] {
    Sim::Options o;
    o.faults.jitter_ms = 30;
    o.faults.duplicate = 0.1;
    Sim sim(o);
    for (UserId id : {801, 802, 803}) sim.join(id);
    sim.run_until([&] { return sim.all_live(); }, 20000);
    sim.kill_socket(1);
    sim.run_until([&] { return sim.all_live(); }, 20000);
    std::vector<std::string> out;
    for (int i = 0; i < sim.size(); ++i)
      for (const auto& c : sim.commands(i)) out.push_back(core::command_name(c));
    for (int i = 0; i < sim.size(); ++i)
      for (const auto& f : sim.sent(i)) out.push_back(std::to_string(f.time) + f.text);
    return out;
  };
  EXPECT_EQ(run(), run());
}

TEST(Rule3IceOrdering, ReorderedAndDelayedFramesStillConverge) {
  Sim::Options o;
  o.faults.jitter_ms = 80;  // heavy reordering of server frames
  o.faults.reorder = true;
  o.seed = 11;
  Sim sim(o);
  for (UserId id : {901, 902, 903, 904, 905}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 60000));
  EXPECT_TRUE(sim.server().violations().empty());
  for (int i = 0; i < sim.size(); ++i) EXPECT_TRUE(sim.media_violations(i).empty());
}

TEST(Rule6Recovery, DroppedServerFramesAreRecoveredByTimeouts) {
  Sim::Options o;
  o.faults.drop = 0.3;
  // A lost answer is recovered by a planned rejoin (Rule11NegotiateOnce); a lost list by
  // the join timeout, here.
  o.faults.drop_only = {"existingParticipants"};
  o.seed = 3;
  Sim sim(o);
  for (UserId id : {951, 952, 953}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 300000));
  EXPECT_TRUE(sim.server().violations().empty());
  int recoveries = 0;
  for (int i = 0; i < sim.size(); ++i) {
    EXPECT_TRUE(sim.media_violations(i).empty());
    recoveries += sim.count_remote_errors(i, core::RemoteErrorCode::kJoinTimeout);
    for (const auto& l : sim.logs(i))
      if (const auto* e = std::get_if<core::LocalError>(&l.entry))
        recoveries += e->code == core::LocalErrorCode::kPeerFailed;
  }
  EXPECT_GT(recoveries, 0);  // something was really dropped and recovered from
}

}  // namespace
}  // namespace gc::sim
