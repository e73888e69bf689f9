// Recovery, failures and publishing: backoff schedule, unreachable server, refused joins,
// camera denied, receive-only kiosk.
#include <gtest/gtest.h>

#include "core/backoff.hpp"
#include "sim/driver.hpp"
#include "sim/sim.hpp"

namespace gc::sim {
namespace {

using core::FailureReason;
using core::Phase;
using core::PublishState;

TEST(Backoff, DelaysDoubleFrom500To30000WithJitterWithinBounds) {
  core::Backoff b(core::BackoffConfig{}, 7);
  const Millis bases[] = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (Millis base : bases) {
    const Millis d = b.next_delay();
    EXPECT_LE(d, base);
    EXPECT_GE(d, base - base / 5);
  }
  EXPECT_EQ(b.attempts(), 9);
  b.reset();
  EXPECT_LE(b.next_delay(), 500);
}

TEST(Backoff, DeterministicPerSeed) {
  core::Backoff a(core::BackoffConfig{}, 99), b(core::BackoffConfig{}, 99), c(core::BackoffConfig{}, 100);
  bool differs = false;
  for (int k = 0; k < 12; ++k) {
    const Millis x = a.next_delay();
    EXPECT_EQ(x, b.next_delay());
    differs |= x != c.next_delay();
  }
  EXPECT_TRUE(differs);
}

TEST(Backoff, NoJitterGivesExactBases) {
  core::Backoff b(core::BackoffConfig{100, 1000, 3.0, 0.0}, 1);
  EXPECT_EQ(b.next_delay(), 100);
  EXPECT_EQ(b.next_delay(), 300);
  EXPECT_EQ(b.next_delay(), 900);
  EXPECT_EQ(b.next_delay(), 1000);
}

std::vector<Millis> unreachable_delays(std::uint64_t seed, int n) {
  Sim sim;
  sim.set_server_up(false);
  auto cfg = Sim::config_for(1);
  cfg.seed = seed;
  sim.join(cfg);
  sim.run_until([&] { return static_cast<int>(sim.reconnect_delays(0).size()) >= n; }, 600000);
  return sim.reconnect_delays(0);
}

TEST(Rule6Recovery, BackoffDelaysAreAsConfiguredAndDeterministicPerSeed) {
  const auto a = unreachable_delays(3, 10);
  ASSERT_GE(a.size(), 10u);
  const Millis bases[] = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000};
  for (int k = 0; k < 10; ++k) {
    EXPECT_LE(a[k], bases[k]) << k;
    EXPECT_GE(a[k], bases[k] * 8 / 10) << k;
  }
  EXPECT_EQ(unreachable_delays(3, 10), a);
  EXPECT_NE(unreachable_delays(4, 10), a);
}

TEST(Rule6Recovery, ServerUnreachableOnFirstConnectShowsErrorAndRetryWorksOnceUp) {
  Sim sim;
  sim.set_server_up(false);
  sim.join(201);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 1000));
  EXPECT_EQ(sim.view(0).failure, FailureReason::kServerUnreachable);
  EXPECT_EQ(sim.view(0).notices.back().code, core::NoticeCode::kServerUnreachable);
  sim.run_for(20000);
  EXPECT_EQ(sim.view(0).phase, Phase::kReconnecting);
  EXPECT_GE(sim.view(0).reconnect_attempts, 5);
  EXPECT_TRUE(sim.view(0).reconnect_at.has_value());  // a countdown for the UI
  // The server comes back; the user presses Retry: no waiting for the countdown.
  sim.set_server_up(true);
  const Millis t = sim.now();
  sim.handle(0, core::Retry{});
  ASSERT_TRUE(sim.run_until([&] { return sim.in_room(0); }, 1000));
  EXPECT_LT(sim.now() - t, 100);
  EXPECT_EQ(sim.view(0).failure, FailureReason::kNone);
  EXPECT_EQ(sim.view(0).reconnect_attempts, 0);
}

TEST(Rule6Recovery, ServerUnreachableRecoversByItselfWithoutRetry) {
  Sim sim;
  sim.set_server_up(false);
  sim.join(202);
  sim.run_for(5000);
  sim.set_server_up(true);
  ASSERT_TRUE(sim.run_until([&] { return sim.in_room(0); }, 31000));
}

TEST(Rule6Recovery, ConnectTimeoutRetries) {
  Sim sim;
  sim.set_connect_hangs(true);
  sim.join(203);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 20000));
  EXPECT_EQ(sim.view(0).disconnect_cause, core::DisconnectCause::kConnectTimeout);
  EXPECT_EQ(sim.now(), 10000);
  EXPECT_EQ(sim.count_remote_errors(0, core::RemoteErrorCode::kConnectTimeout), 1);
  sim.set_connect_hangs(false);
  ASSERT_TRUE(sim.run_until([&] { return sim.in_room(0); }, 20000));
}

TEST(Rule6Recovery, RepeatedDropsBackOffAndStableRoomResetsTheBackoff) {
  Sim sim;
  sim.join(204);
  sim.join(205);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  // Drop right after each rejoin: delays grow.
  for (int k = 0; k < 3; ++k) {
    sim.kill_socket(0);
    ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 1000));
    ASSERT_TRUE(sim.run_until([&] { return sim.in_room(0); }, 10000));
  }
  auto d = sim.reconnect_delays(0);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_LE(d[0], 500);
  EXPECT_GT(d[1], 500);
  EXPECT_GT(d[2], 1000);
  // Stay in the room for a while: the next loss starts from the initial delay again.
  sim.run_for(15000);
  sim.kill_socket(0);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 1000));
  d = sim.reconnect_delays(0);
  EXPECT_LE(d.back(), 500);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
}

TEST(Rule6Recovery, RejoinDropsParticipantsWhoLeftMeanwhile) {
  Sim sim;
  sim.join(206);
  sim.join(207);
  sim.join(208);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.kill_socket(0);
  sim.handle(2, core::Leave{});  // 208 leaves while 206 is away
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 1000));
  ASSERT_TRUE(sim.run_until([&] { return sim.in_room(0); }, 10000));
  ASSERT_EQ(sim.view(0).participants.size(), 1u);
  EXPECT_EQ(sim.view(0).participants[0].id, 207);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
}

TEST(Rule6Recovery, BothSidesRecoverWhenTheServerRestarts) {
  Sim sim;
  for (UserId id : {211, 212, 213, 214}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.set_server_up(false);
  for (int i = 0; i < 4; ++i) sim.kill_socket(i);
  sim.run_for(8000);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(sim.view(i).phase, Phase::kReconnecting);
  sim.set_server_up(true);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 40000));
  EXPECT_TRUE(sim.all_endpoints());
  EXPECT_TRUE(sim.server().violations().empty());
}

// ---- refused joins ----------------------------------------------------------------------

TEST(Rule2JoinOrder, UserNotFoundFailsWithReasonAndNoAutoRetry) {
  Sim::Options o;
  o.server.require_known_users = true;
  o.server.users[301] = protocol::Participant{301, "known", "", ""};
  Sim sim(o);
  sim.join(999);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kFailed; }, 2000));
  EXPECT_EQ(sim.view(0).failure, FailureReason::kUserNotFound);
  EXPECT_EQ(sim.view(0).notices.back().code, core::NoticeCode::kRefused);
  const int joins_sent = static_cast<int>(sim.sent_of<protocol::Join>(0).size());
  sim.run_for(120000);
  EXPECT_EQ(static_cast<int>(sim.sent_of<protocol::Join>(0).size()), joins_sent);
  EXPECT_FALSE(sim.session(0).next_timeout().has_value());
  EXPECT_EQ(sim.open_sockets(0), 0);
  // A join with a known id works without a new Session ("without reload").
  core::Join j;
  j.user_id = 301;
  sim.handle(0, j);
  ASSERT_TRUE(sim.run_until([&] { return sim.in_room(0); }, 2000));
  EXPECT_EQ(sim.view(0).self.id, 301);
}

TEST(Rule2JoinOrder, PermissionDeniedThenRetryWithTheRightPasswordSucceeds) {
  Sim::Options o;
  o.server.room_passwords[1] = "s3cret";
  Sim sim(o);
  auto cfg = Sim::config_for(311);
  cfg.password = "wrong";
  sim.join(cfg);
  sim.join([] {
    auto c = Sim::config_for(312);
    c.password = "s3cret";
    return c;
  }());
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kFailed && sim.in_room(1); },
                            2000));
  EXPECT_EQ(sim.view(0).failure, FailureReason::kPermissionDenied);
  EXPECT_EQ(sim.view(1).participants.size(), 0u);
  // The camera is released while the join screen is up, and requested again on retry.
  EXPECT_EQ(sim.view(0).self.publish, PublishState::kNone);
  core::Join j;
  j.password = "s3cret";
  sim.handle(0, j);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 5000));
  EXPECT_EQ(sim.sent_of<protocol::Join>(0).back().pw, "s3cret");
}

TEST(Rule8IdleProxies, JoinAnsweredWithUnrecognizedMessageIsAProtocolError) {
  Driver d;
  d.connect();
  d.frame(protocol::UnrecognizedMessage{});
  EXPECT_EQ(d.s.view().phase, Phase::kFailed);
  EXPECT_EQ(d.s.view().failure, FailureReason::kProtocolError);
}

// ---- publishing -------------------------------------------------------------------------

TEST(Rule1Connections, CameraDeniedStillWatchesEveryone) {
  Sim sim;
  MediaOptions denied;
  denied.camera_denied = true;
  sim.join(401, denied);
  sim.join(402);
  sim.join(403);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const auto& v = sim.view(0);
  EXPECT_EQ(v.self.publish, PublishState::kFailed);
  EXPECT_FALSE(v.self.media_error.empty());
  EXPECT_EQ(v.participants.size(), 2u);
  for (const auto& p : v.participants) EXPECT_EQ(p.tile, core::TileState::kLive);
  for (const auto& c : sim.commands(0)) {
    if (const auto* p = std::get_if<core::CreatePeer>(&c)) {
      EXPECT_NE(p->direction, core::Direction::kSendOnly);
    }
  }
  bool camera_notice = false;
  for (const auto& n : v.notices) camera_notice |= n.code == core::NoticeCode::kCameraUnavailable;
  EXPECT_TRUE(camera_notice);
  // The others still see 401 as a participant (it watches; its tile has no send side).
  EXPECT_NE(sim.view(1).find(401), nullptr);
}

TEST(Rule1Connections, ReceiveOnlyKioskNeverPublishes) {
  Sim sim;
  auto kiosk = Sim::config_for(501);
  kiosk.publish = false;
  sim.join(kiosk);
  sim.join(502);
  sim.join(503);
  ASSERT_TRUE(sim.run_until([&] { return sim.in_room(0) && sim.view(0).participants.size() == 2; },
                            5000));
  sim.run_for(5000);
  EXPECT_EQ(sim.view(0).self.publish, PublishState::kReceiveOnly);
  for (const auto& c : sim.commands(0)) {
    EXPECT_FALSE(std::holds_alternative<core::RequestLocalMedia>(c));
    if (const auto* p = std::get_if<core::CreatePeer>(&c)) {
      EXPECT_EQ(p->direction, core::Direction::kRecvOnly);
    }
  }
  for (const auto& m : sim.sent_of<protocol::ReceiveVideoFrom>(0)) EXPECT_NE(m.user_id, 501);
  for (const auto& p : sim.view(0).participants) EXPECT_EQ(p.tile, core::TileState::kLive);
}

TEST(Rule1Connections, LateCameraAfterLeaveIsReleasedAndADuplicateReadyIsIgnored) {
  Driver d;
  d.enter({Driver::who(2)});
  auto cmds = d.handle(core::LocalMediaReady{});
  EXPECT_EQ(Driver::of<core::CreatePeer>(cmds).size(), 1u);
  cmds = d.handle(core::LocalMediaReady{});  // a bridge that reports twice
  EXPECT_TRUE(Driver::of<core::ReleaseLocalMedia>(cmds).empty());
  EXPECT_TRUE(Driver::of<core::CreatePeer>(cmds).empty());

  Driver late;
  late.connect();  // camera requested at Join, not answered yet
  late.handle(core::Leave{});
  cmds = late.handle(core::LocalMediaReady{});
  EXPECT_EQ(Driver::of<core::ReleaseLocalMedia>(cmds).size(), 1u);
  EXPECT_FALSE(late.s.view().self.media_ready);
}

TEST(Rule6Recovery, PublishConnectionIsRecreatedAfterRejoin) {
  Sim sim;
  sim.join(601);
  sim.join(602);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const ConnId before = sim.view(0).self.conn_id;
  sim.kill_socket(0);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).phase == Phase::kReconnecting; }, 1000));
  EXPECT_EQ(sim.view(0).self.conn_id, 0u);
  EXPECT_EQ(sim.view(0).self.publish, PublishState::kStarting);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  EXPECT_GT(sim.view(0).self.conn_id, before);
  EXPECT_TRUE(sim.media(0).at(before).closed);
  // The camera is not requested again for a rejoin.
  int requests = 0;
  for (const auto& c : sim.commands(0)) requests += std::holds_alternative<core::RequestLocalMedia>(c);
  EXPECT_EQ(requests, 1);
}

TEST(Rule6Recovery, ReceiveConnectionGivesUpAfterMaxAttemptsAndRetryRestartsIt) {
  auto cfg = Driver::default_config();
  cfg.receive_max_attempts = 3;
  Driver d(cfg);
  d.enter({Driver::who(2)});
  for (int k = 0; k < 3; ++k) {
    d.handle(core::PeerStateChanged{d.conn_for(2), core::PeerState::kFailed});
    d.advance(31000);
    d.frame(protocol::UnrecognizedMessage{});  // keep the socket alive
  }
  const auto* p = d.s.view().find(2);
  EXPECT_EQ(p->tile, core::TileState::kFailed);
  EXPECT_EQ(p->conn_id, 0u);
  EXPECT_EQ(d.s.view().notices.back().code, core::NoticeCode::kReceiveFailed);
  auto cmds = d.handle(core::Retry{});
  EXPECT_EQ(Driver::of<core::CreatePeer>(cmds).size(), 1u);
  EXPECT_EQ(d.s.view().find(2)->tile, core::TileState::kConnecting);
}

TEST(Rule6Recovery, ConnectionNotConnectedInTimeRejoinsInsteadOfReoffering) {
  Driver d;
  d.enter({Driver::who(2)});
  const ConnId first = d.conn_for(2);
  d.handle(core::LocalOfferCreated{first, "offer"});
  // The server never answers: the endpoint exists, so the owner cannot be offered again on
  // this socket (rule 11); the connection is given up and the session rejoins.
  auto cmds = d.advance(20000);
  EXPECT_EQ(Driver::of<core::CloseSocket>(cmds).size(), 1u);
  EXPECT_EQ(d.s.view().find(2)->tile, core::TileState::kRetrying);
  EXPECT_EQ(d.conn_for(2), first);
  EXPECT_EQ(d.s.view().rejoins.last_cause, core::RejoinCause::kReceiveFailed);
}

TEST(Rule6Recovery, AnOfferThatFailedLocallyIsRetriedWithItsOwnBackoff) {
  Driver d;
  d.enter({Driver::who(2)});
  const ConnId first = d.conn_for(2);
  d.handle(core::LocalOfferFailed{first, "OperationError"});  // nothing reached the server
  const auto* p = d.s.view().find(2);
  EXPECT_EQ(p->tile, core::TileState::kRetrying);
  ASSERT_TRUE(p->retry_at.has_value());
  EXPECT_GE(*p->retry_at - d.now, 800);  // receive_backoff: 1000 ms minus at most 20 %
  d.advance(1000);
  EXPECT_GT(d.conn_for(2), first);
  EXPECT_EQ(d.s.view().rejoins.count, 0);
}

}  // namespace
}  // namespace gc::sim
