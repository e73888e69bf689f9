// Issue 11 items 4 and 7, in the Session: lines queued for one room never reach another,
// and a replaced session (close 4000) never starts two windows kicking each other out.
#include <gtest/gtest.h>

#include "sim/driver.hpp"
#include "sim/sim.hpp"

namespace gc::sim {
namespace {

using core::ChatStatus;
using core::FailureReason;
using core::Phase;

// Joins, drops the socket, types a line while reconnecting: it is queued.
void queue_a_line(Driver& d, const std::string& text) {
  d.enter({Driver::who(2)});
  d.handle(core::SocketClosed{d.sock, 1006, ""});
  d.handle(core::SendChat{text});
  ASSERT_EQ(d.s.view().chat.back().status, ChatStatus::kQueued);
}

TEST(TrustQueuedLinesBelongToTheirRoom, LeaveThenJoinAnotherRoomSendsNothingThere) {
  Driver d;  // room 7
  queue_a_line(d, "for room 7 only");
  d.handle(core::Leave{});
  EXPECT_EQ(d.s.view().chat.back().status, ChatStatus::kNotSent);
  d.handle(core::SocketClosed{d.sock, 1000, ""});
  d.advance(5000);
  auto cmds = d.handle(core::Join{protocol::RoomId{8}, std::nullopt, std::nullopt});
  for (const auto& o : Driver::of<core::OpenSocket>(cmds)) d.sock = o.socket_id;
  d.handle(core::SocketOpened{d.sock});
  cmds = d.frame(protocol::ExistingParticipants{{Driver::who(3)}});
  EXPECT_TRUE(Driver::sent_of<protocol::SendMessage>(d.all).empty()) << "a line typed for room 7 went to room 8";
  EXPECT_EQ(d.s.view().chat.back().status, ChatStatus::kNotSent);
}

TEST(TrustQueuedLinesBelongToTheirRoom, AJoinAsAnotherUserWhileReconnectingDropsTheQueue) {
  Driver d;
  queue_a_line(d, "as user 1");
  d.handle(core::Join{std::nullopt, protocol::UserId{5}, std::nullopt});  // Reconnecting: applies, retries
  EXPECT_EQ(d.s.view().chat.back().status, ChatStatus::kNotSent);
}

TEST(TrustQueuedLinesBelongToTheirRoom, TheSameRoomAfterAWrongPasswordStillGetsTheLine) {
  Driver d;
  queue_a_line(d, "still for room 7");
  // The rejoin is refused (the room got a password meanwhile); the right one is typed.
  for (int k = 0; k < 600 && Driver::of<core::OpenSocket>(d.advance(100)).empty(); ++k) {}
  for (const auto& o : Driver::of<core::OpenSocket>(d.all)) d.sock = o.socket_id;
  d.handle(core::SocketOpened{d.sock});
  d.frame(protocol::PermissionDenied{});
  ASSERT_EQ(d.s.view().phase, Phase::kFailed);
  d.handle(core::SocketClosed{d.sock, 1000, ""});  // the refused socket is closed first (rule 6)
  auto cmds = d.handle(core::Join{std::nullopt, std::nullopt, std::string("secret")});
  for (const auto& o : Driver::of<core::OpenSocket>(cmds)) d.sock = o.socket_id;
  d.handle(core::SocketOpened{d.sock});
  cmds = d.frame(protocol::ExistingParticipants{{Driver::who(2)}});
  const auto sent = Driver::sent_of<protocol::SendMessage>(cmds);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message, "still for room 7");
}

TEST(TrustQueuedLinesBelongToTheirRoom, QueuedFileAnnouncementsAreNotSentAfterLeave) {
  Driver d;
  d.enter({});
  d.handle(core::QueueUpload{1, "a.pdf", 10});
  d.handle(core::SocketClosed{d.sock, 1006, ""});
  d.handle(core::UploadFinished{1, "/files/a.pdf"});
  ASSERT_EQ(d.s.view().files.back().status, ChatStatus::kQueued);
  d.handle(core::Leave{});
  EXPECT_EQ(d.s.view().files.back().status, ChatStatus::kNotSent);
}

TEST(TrustReplacedSession, Close4000FailsWithReplacedAndDoesNotReconnectByItself) {
  Driver d;
  d.enter({Driver::who(2)});
  auto cmds = d.handle(core::SocketClosed{d.sock, 4000, "replaced by a new session"});
  EXPECT_EQ(d.s.view().phase, Phase::kFailed);
  EXPECT_EQ(d.s.view().failure, FailureReason::kReplaced);
  EXPECT_TRUE(Driver::of<core::OpenSocket>(cmds).empty());
  cmds = d.advance(10 * 60 * 1000);
  EXPECT_TRUE(Driver::of<core::OpenSocket>(cmds).empty()) << "reconnected by itself: two windows would loop";
  EXPECT_FALSE(d.s.next_timeout().has_value());
  // "Use here" is Retry: one new attempt.
  cmds = d.handle(core::Retry{});
  EXPECT_EQ(Driver::of<core::OpenSocket>(cmds).size(), 1u);
}

TEST(TrustReplacedSession, AKioskRetriesEveryMinuteAndSaysWhy) {
  auto cfg = Driver::default_config();
  cfg.publish = false;
  cfg.replaced_retry_ms = 60000;
  Driver d(cfg);
  d.enter({Driver::who(2)});
  d.handle(core::SocketClosed{d.sock, 4000, ""});
  EXPECT_EQ(d.s.view().phase, Phase::kReconnecting);
  EXPECT_EQ(d.s.view().failure, FailureReason::kReplaced);
  ASSERT_TRUE(d.s.view().reconnect_at.has_value());
  EXPECT_EQ(*d.s.view().reconnect_at - d.now, 60000);
  EXPECT_TRUE(Driver::of<core::OpenSocket>(d.advance(59000)).empty());
  EXPECT_EQ(Driver::of<core::OpenSocket>(d.advance(1000)).size(), 1u);
}

TEST(TrustReplacedSession, TwoWindowsOfOneUserSettleInsteadOfKickingEachOtherOut) {
  Sim sim;
  sim.join(301);
  sim.join(302);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  // A second window of user 301: the server replaces the first one with close 4000.
  const int second = sim.join(301);
  sim.run_for(2000);
  // The harness's fake server replaces silently; deliver the close the real one sends.
  sim.kill_socket(0, 4000);
  sim.run_for(120000);
  EXPECT_EQ(sim.view(0).phase, Phase::kFailed);
  EXPECT_EQ(sim.view(0).failure, FailureReason::kReplaced);
  EXPECT_EQ(sim.view(second).phase, Phase::kInRoom);
  int opened = 0;  // the first window never tried again: no ping-pong
  for (const auto& c : sim.commands(0)) opened += std::holds_alternative<core::OpenSocket>(c);
  EXPECT_EQ(opened, 1);
}

// ---- item 8: uploads ----------------------------------------------------------------------

TEST(TrustUploads, AStalledUploadIsRetriedOnceThenFailsWithARetryThatNeedsNoNewPick) {
  Driver d;
  d.enter({});
  auto cmds = d.handle(core::QueueUpload{4, "big.zip", 1000000});
  ASSERT_EQ(Driver::of<core::StartUpload>(cmds).size(), 1u);
  d.handle(core::UploadProgress{4, 1000, 1000000});
  const Millis stall = d.s.config().upload_stall_timeout_ms;
  EXPECT_EQ(stall, 30000);
  EXPECT_TRUE(Driver::of<core::AbortUpload>(d.advance(stall - 1)).empty());  // progress at +0
  d.frame(protocol::UnrecognizedMessage{});  // the socket stays alive meanwhile
  // No progress for 30 s: aborted (the file kept) and started again by itself.
  cmds = d.advance(1);
  auto aborted = Driver::of<core::AbortUpload>(cmds);
  ASSERT_EQ(aborted.size(), 1u);
  EXPECT_TRUE(aborted[0].keep_file);
  EXPECT_EQ(Driver::of<core::StartUpload>(cmds).size(), 1u);
  EXPECT_TRUE(Driver::of<core::ForgetUpload>(cmds).empty());
  EXPECT_EQ(d.s.view().uploads[0].state, core::UploadState::kUploading);
  EXPECT_EQ(d.s.view().uploads[0].attempts, 2);
  // Stalls again: failed, "stalled", the file still kept.
  d.advance(stall / 2);
  d.frame(protocol::UnrecognizedMessage{});
  cmds = d.advance(stall - stall / 2);
  EXPECT_EQ(d.s.view().uploads[0].state, core::UploadState::kFailed);
  EXPECT_EQ(d.s.view().uploads[0].error, "stalled");
  EXPECT_TRUE(Driver::of<core::StartUpload>(cmds).empty());
  EXPECT_TRUE(Driver::of<core::ForgetUpload>(cmds).empty());
  EXPECT_EQ(d.s.view().notices.back().code, core::NoticeCode::kUploadFailed);
  // Retry: the same upload id starts again; then it finishes and the file is let go.
  cmds = d.handle(core::RetryUpload{4});
  ASSERT_EQ(Driver::of<core::StartUpload>(cmds).size(), 1u);
  EXPECT_EQ(Driver::of<core::StartUpload>(cmds)[0].upload_id, 4u);
  cmds = d.handle(core::UploadFinished{4, "/files/big.zip"});
  EXPECT_EQ(Driver::of<core::ForgetUpload>(cmds).size(), 1u);
  EXPECT_EQ(d.s.view().files.back().name, "big.zip");
}

TEST(TrustUploads, SteadyProgressIsNeverAStallAndCancelLetsTheFileGo) {
  Driver d;
  d.enter({});
  d.handle(core::QueueUpload{5, "slow.bin", 100});
  for (int k = 0; k < 10; ++k) {
    d.advance(20000);
    d.handle(core::UploadProgress{5, static_cast<std::uint64_t>(k + 1), 100});
  }
  EXPECT_EQ(d.s.view().uploads[0].state, core::UploadState::kUploading);
  EXPECT_EQ(d.s.view().uploads[0].attempts, 1);
  auto cmds = d.handle(core::CancelUpload{5});
  EXPECT_EQ(Driver::of<core::ForgetUpload>(cmds).size(), 1u);
  EXPECT_FALSE(Driver::of<core::AbortUpload>(cmds)[0].keep_file);
}

// ---- item 6: what others send is bounded ------------------------------------------------------

std::string cjk_run(std::size_t chars, std::uint32_t first) {  // distinct CJK code points
  std::string out;
  for (std::size_t k = 0; k < chars; ++k) {
    const std::uint32_t cp = 0x4E00 + (first + static_cast<std::uint32_t>(k)) % 0x5200;
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

TEST(TrustBoundedInput, ALongLineFromSomeoneElseIsCutWithAVisibleMark) {
  Driver d;
  d.enter({Driver::who(2)});
  const std::string huge = cjk_run(400 * 1024 / 3, 0);  // 400 KB
  d.frame(protocol::ReceiveTextMessage{2, huge});
  const core::ChatLine& line = d.s.view().chat.back();
  EXPECT_TRUE(line.truncated);
  EXPECT_LE(line.text.size(), d.s.config().max_received_chat_bytes);
  EXPECT_EQ(line.text.substr(line.text.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(huge.compare(0, line.text.size() - 3, line.text, 0, line.text.size() - 3), 0);  // a prefix
  EXPECT_EQ((line.text.size() - 3) % 3, 0u);  // whole characters only
  d.frame(protocol::ReceiveTextMessage{2, "short"});
  EXPECT_FALSE(d.s.view().chat.back().truncated);
}

TEST(TrustBoundedInput, TwentyHugeLinesAndAFloodKeepTheHistoryUnderItsByteCap) {
  auto cfg = Driver::default_config();
  cfg.max_chat_memory_bytes = 256 * 1024;  // the default is 8 MiB; same rule, smaller numbers
  Driver d(cfg);
  d.enter({Driver::who(2)});
  for (std::uint32_t k = 0; k < 20; ++k) d.frame(protocol::ReceiveTextMessage{2, cjk_run(400 * 1024 / 3, k * 1000)});
  std::size_t bytes = 0;
  for (const auto& line : d.s.view().chat) bytes += line.text.size();
  EXPECT_LE(bytes, cfg.max_chat_memory_bytes);
  EXPECT_GE(d.s.view().chat.size(), 2u);
  EXPECT_EQ(d.s.config().max_chat_memory_bytes, 256u * 1024);
  EXPECT_EQ(core::SessionConfig{}.max_chat_memory_bytes, 8u * 1024 * 1024);
}

TEST(TrustBoundedInput, NamesFileNamesAndUrlsAreCapped) {
  Driver d;
  d.enter({protocol::Participant{2, std::string(5000, 'n'), cjk_run(1000, 7), std::string(300, 'p')}});
  const auto* p = d.s.view().find(2);
  ASSERT_NE(p, nullptr);
  for (const std::string* part : {&p->name, &p->prefix, &p->postfix}) EXPECT_LE(part->size(), 256u);
  d.frame(protocol::FileUploaded{2, std::string(4000, 'f'), "https://files.example/" + std::string(20000, 'u')});
  const core::SharedFile& f = d.s.view().files.back();
  EXPECT_LE(f.name.size(), 1024u);
  EXPECT_LE(f.url.size(), 8u * 1024);
  EXPECT_FALSE(f.linkable);  // a cut URL leads somewhere else: never a link
  d.frame(protocol::FileUploaded{2, "a.pdf", "https://files.example/a.pdf"});
  EXPECT_TRUE(d.s.view().files.back().linkable);
}

// ---- item 5 (first half): the client keeps to the server's chat rate ----------------------------

TEST(TrustPacedSending, TwentyFiveLinesQueuedWhileAwayGoOutAtTheServersPaceInOrder) {
  Driver d;
  d.enter({Driver::who(2)});
  d.handle(core::SocketClosed{d.sock, 1006, ""});
  for (int k = 0; k < 25; ++k) d.handle(core::SendChat{"line " + std::to_string(k)});
  for (int k = 0; k < 600 && Driver::of<core::OpenSocket>(d.advance(100)).empty(); ++k) {}
  for (const auto& o : Driver::of<core::OpenSocket>(d.all)) d.sock = o.socket_id;
  d.handle(core::SocketOpened{d.sock});
  auto cmds = d.frame(protocol::ExistingParticipants{{Driver::who(2)}});
  EXPECT_EQ(Driver::sent_of<protocol::SendMessage>(cmds).size(), 20u);  // the reference server's 20 per 10 s
  EXPECT_EQ(d.s.view().chat[20].status, ChatStatus::kQueued);
  cmds = d.advance(d.s.config().chat_rate_window_ms - 1);
  EXPECT_TRUE(Driver::sent_of<protocol::SendMessage>(cmds).empty());
  d.frame(protocol::UnrecognizedMessage{});
  cmds = d.advance(1);
  const auto rest = Driver::sent_of<protocol::SendMessage>(cmds);
  ASSERT_EQ(rest.size(), 5u);
  EXPECT_EQ(rest[0].message, "line 20");
  EXPECT_EQ(rest[4].message, "line 24");
  // In order overall, each exactly once.
  const auto all = Driver::sent_of<protocol::SendMessage>(d.all);
  ASSERT_EQ(all.size(), 25u);
  for (int k = 0; k < 25; ++k) EXPECT_EQ(all[static_cast<std::size_t>(k)].message, "line " + std::to_string(k));
}

TEST(TrustPacedSending, ABurstTypedInTheRoomNeverPassesTheRateInAnyWindow) {
  Driver d;
  d.enter({Driver::who(2)});
  std::vector<Millis> times;
  for (int k = 0; k < 50; ++k) {
    for (const auto& m : Driver::sent_of<protocol::SendMessage>(d.handle(core::SendChat{"b" + std::to_string(k)})))
      (void)m, times.push_back(d.now);
    d.now += 100;
  }
  for (int k = 0; k < 40; ++k) {
    d.frame(protocol::UnrecognizedMessage{});
    for (const auto& m : Driver::sent_of<protocol::SendMessage>(d.advance(1000))) (void)m, times.push_back(d.now);
  }
  ASSERT_EQ(times.size(), 50u);
  const Millis window = d.s.config().chat_rate_window_ms;
  for (std::size_t a = 0; a < times.size(); ++a) {
    std::size_t in_window = 0;
    for (std::size_t b = a; b < times.size() && times[b] < times[a] + window; ++b) ++in_window;
    EXPECT_LE(in_window, 20u) << "at " << times[a];
  }
}

// Issue 11 item 5, second half: a server that echoes and then stays silent about a line may
// have dropped it (a rate limit): the line is never shown as sent, and can be sent again.
const core::ChatLine& last_line(const Driver& d) { return d.s.view().chat.back(); }

// In the room; "first" was echoed, so this server is known to echo own lines.
void enter_echoing_room(Driver& d) {
  d.enter({Driver::who(2)});
  d.handle(core::SendChat{"first"});
  d.frame(protocol::ReceiveTextMessage{1, "first"});
  ASSERT_EQ(last_line(d).status, ChatStatus::kSent);
}

TEST(TrustUnconfirmedLines, ALineAnEchoingServerNeverEchoedIsNotConfirmedNotSent) {
  Driver d;
  enter_echoing_room(d);
  d.handle(core::SendChat{"dropped by the server"});
  EXPECT_EQ(last_line(d).status, ChatStatus::kPending);
  d.advance(d.s.config().chat_echo_timeout_ms - 1);
  EXPECT_EQ(last_line(d).status, ChatStatus::kPending);
  d.advance(1);
  EXPECT_EQ(last_line(d).status, ChatStatus::kNotConfirmed);
  EXPECT_TRUE(last_line(d).resendable);
  EXPECT_STREQ(core::to_string(last_line(d).status), "not-confirmed");
}

TEST(TrustUnconfirmedLines, ResendSendsTheSameTextOnceMoreAndItsEchoConfirmsIt) {
  Driver d;
  enter_echoing_room(d);
  d.handle(core::SendChat{"again"});
  d.advance(d.s.config().chat_echo_timeout_ms);
  const std::uint64_t seq = last_line(d).seq;
  auto cmds = d.handle(core::ResendLine{seq});
  const auto resent = Driver::sent_of<protocol::SendMessage>(cmds);
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0].message, "again");
  EXPECT_EQ(last_line(d).status, ChatStatus::kPending);
  EXPECT_FALSE(last_line(d).resendable);
  EXPECT_TRUE(Driver::sent_of<protocol::SendMessage>(d.handle(core::ResendLine{seq})).empty())
      << "a pending line was sent a third time";
  d.frame(protocol::ReceiveTextMessage{1, "again"});
  EXPECT_EQ(last_line(d).status, ChatStatus::kSent);
  EXPECT_EQ(d.s.view().chat.size(), 2u) << "the echo of the resent line was shown as a new line";
}

TEST(TrustUnconfirmedLines, AServerThatNeverEchoesShowsLinesSentAtTheTimeout) {
  Driver d;  // rule 7: a server may not echo at all; then silence is not a sign of loss
  d.enter({Driver::who(2)});
  d.handle(core::SendChat{"no echo here"});
  d.advance(d.s.config().chat_echo_timeout_ms);
  EXPECT_EQ(last_line(d).status, ChatStatus::kSent);
  EXPECT_FALSE(last_line(d).resendable);
}

TEST(TrustUnconfirmedLines, ALateEchoStillConfirmsTheLine) {
  Driver d;
  enter_echoing_room(d);
  d.handle(core::SendChat{"slow"});
  d.advance(d.s.config().chat_echo_timeout_ms + 2000);
  ASSERT_EQ(last_line(d).status, ChatStatus::kNotConfirmed);
  d.frame(protocol::ReceiveTextMessage{1, "slow"});
  EXPECT_EQ(last_line(d).status, ChatStatus::kSent);
  EXPECT_FALSE(last_line(d).resendable);
  EXPECT_EQ(d.s.view().chat.size(), 2u);
}

TEST(TrustUnconfirmedLines, OnlyNotConfirmedLinesOfThisRoomCanBeSentAgain) {
  Driver d;
  enter_echoing_room(d);
  const std::uint64_t sent_seq = last_line(d).seq;
  EXPECT_TRUE(Driver::sent_of<protocol::SendMessage>(d.handle(core::ResendLine{sent_seq})).empty());
  EXPECT_TRUE(Driver::sent_of<protocol::SendMessage>(d.handle(core::ResendLine{999})).empty());
  d.handle(core::SendChat{"for room 7"});
  d.advance(d.s.config().chat_echo_timeout_ms);
  const std::uint64_t seq = last_line(d).seq;
  ASSERT_TRUE(last_line(d).resendable);
  // Joining room 8: the line stays not confirmed in the history, but never goes to room 8.
  d.handle(core::Leave{});
  d.handle(core::SocketClosed{d.sock, 1000, ""});
  auto cmds = d.handle(core::Join{protocol::RoomId{8}, std::nullopt, std::nullopt});
  for (const auto& o : Driver::of<core::OpenSocket>(cmds)) d.sock = o.socket_id;
  d.handle(core::SocketOpened{d.sock});
  d.frame(protocol::ExistingParticipants{{Driver::who(3)}});
  const core::ChatLine* line = nullptr;
  for (const auto& l : d.s.view().chat)
    if (l.seq == seq) line = &l;
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->status, ChatStatus::kNotConfirmed);
  EXPECT_FALSE(line->resendable);
  const std::size_t before = Driver::sent_of<protocol::SendMessage>(d.all).size();
  d.handle(core::ResendLine{seq});
  d.advance(20000);
  EXPECT_EQ(Driver::sent_of<protocol::SendMessage>(d.all).size(), before) << "a room 7 line went to room 8";
}

TEST(TrustUnconfirmedLines, ResendWhileReconnectingWaitsForTheRejoinOfTheSameRoom) {
  Driver d;
  enter_echoing_room(d);
  d.handle(core::SendChat{"later"});
  d.advance(d.s.config().chat_echo_timeout_ms);
  d.handle(core::SocketClosed{d.sock, 1006, ""});
  ASSERT_EQ(last_line(d).status, ChatStatus::kNotConfirmed) << "not confirmed is not requeued by itself";
  d.handle(core::ResendLine{last_line(d).seq});
  EXPECT_EQ(last_line(d).status, ChatStatus::kQueued);
  for (int k = 0; k < 600 && Driver::of<core::OpenSocket>(d.advance(100)).empty(); ++k) {}
  for (const auto& o : Driver::of<core::OpenSocket>(d.all)) d.sock = o.socket_id;
  d.handle(core::SocketOpened{d.sock});
  const auto sent = Driver::sent_of<protocol::SendMessage>(d.frame(protocol::ExistingParticipants{{Driver::who(2)}}));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message, "later");
}

TEST(TrustUnconfirmedLines, FileAnnouncementsAreNotConfirmedAndResentTheSameWay) {
  Driver d;
  enter_echoing_room(d);
  d.handle(core::QueueUpload{1, "a.pdf", 10});
  d.handle(core::UploadFinished{1, "/files/a.pdf"});
  ASSERT_EQ(d.s.view().files.back().status, ChatStatus::kPending);
  d.advance(d.s.config().chat_echo_timeout_ms);
  EXPECT_EQ(d.s.view().files.back().status, ChatStatus::kNotConfirmed);
  ASSERT_TRUE(d.s.view().files.back().resendable);
  const auto again = Driver::sent_of<protocol::UploadSuccess>(d.handle(core::ResendLine{d.s.view().files.back().seq}));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].file_name, "a.pdf");
  EXPECT_EQ(again[0].file_url, "/files/a.pdf");
  d.frame(protocol::FileUploaded{1, "a.pdf", "/files/a.pdf"});
  EXPECT_EQ(d.s.view().files.back().status, ChatStatus::kSent);
  EXPECT_EQ(d.s.view().files.size(), 1u);
}

TEST(TrustUnconfirmedLines, TwentyFiveFlushedAfterARejoinAreEachEitherConfirmedOrNotConfirmed) {
  // The review's case: 25 lines queued while away, the server echoing only some of them.
  Driver d;
  enter_echoing_room(d);
  d.handle(core::SocketClosed{d.sock, 1006, ""});
  for (int k = 0; k < 25; ++k) d.handle(core::SendChat{"q" + std::to_string(k)});
  for (int k = 0; k < 600 && Driver::of<core::OpenSocket>(d.advance(100)).empty(); ++k) {}
  for (const auto& o : Driver::of<core::OpenSocket>(d.all)) d.sock = o.socket_id;
  d.handle(core::SocketOpened{d.sock});
  // The server relays (echoes) every line but q3 and q17.
  const auto relay = [&](const std::vector<core::Command>& cmds) {
    for (const auto& m : Driver::sent_of<protocol::SendMessage>(cmds))
      if (m.message != "q3" && m.message != "q17") d.frame(protocol::ReceiveTextMessage{1, m.message});
  };
  relay(d.frame(protocol::ExistingParticipants{{Driver::who(2)}}));
  for (int round = 0; round < 40; ++round) relay(d.advance(500));
  EXPECT_EQ(Driver::sent_of<protocol::SendMessage>(d.all).size(), 26u) << "each line exactly once";
  int sent = 0, not_confirmed = 0;
  for (const auto& l : d.s.view().chat) {
    if (l.text == "first") continue;
    const bool dropped = l.text == "q3" || l.text == "q17";
    EXPECT_EQ(l.status, dropped ? ChatStatus::kNotConfirmed : ChatStatus::kSent) << l.text;
    (l.status == ChatStatus::kSent ? sent : not_confirmed) += 1;
  }
  EXPECT_EQ(sent, 23);
  EXPECT_EQ(not_confirmed, 2);
}

}  // namespace
}  // namespace gc::sim
