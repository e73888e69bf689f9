// Rules 11 and 12 of shared/PROTOCOL.md: a Kurento-lineage server negotiates each media
// owner once per join session (a second receiveVideoFrom for one owner closes the socket
// with 1011), and closes any frame over 8 KiB with 1009.
//
// The Sim's fake server is strict like Kurento, and the Sim itself flags every repeated
// offer on one socket and every frame over the limit as a media violation, so every room
// scenario in this suite (and the others) checks both rules on every step.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "sim/driver.hpp"
#include "sim/expect.hpp"
#include "sim/sim.hpp"

namespace gc::sim {
namespace {

using core::NoticeCode;
using core::Phase;
using core::RejoinCause;
using core::TileState;

// No violation, no socket closed for a repeated offer, no session resubscribed.
void expect_negotiated_once(Sim& sim) {
  expect_no_violations(sim);
  EXPECT_EQ(sim.server().renegotiation_closes(), 0);
  for (int i = 0; i < sim.size(); ++i) EXPECT_EQ(sim.view(i).resubscribes, 0) << "session " << i;
}

// receiveVideoFrom per owner sent by session i, over all its sockets.
std::map<UserId, int> offers_by_owner(const Sim& sim, int i) {
  std::map<UserId, int> out;
  for (const auto& m : sim.sent_of<protocol::ReceiveVideoFrom>(i)) ++out[m.user_id];
  return out;
}

int sockets_opened(const Sim& sim, int i) {
  int n = 0;
  for (const auto& c : sim.commands(i)) n += std::holds_alternative<core::OpenSocket>(c);
  return n;
}

std::vector<UserId> ids(UserId from, int count) {
  std::vector<UserId> out;
  for (int k = 0; k < count; ++k) out.push_back(from + k);
  return out;
}

// Driver: an offer for every CreatePeer in `cmds` (what the platform does).
void offer_all(Driver& d, const std::vector<core::Command>& cmds) {
  for (const auto& c : Driver::of<core::CreatePeer>(cmds))
    d.handle(core::LocalOfferCreated{c.conn_id, "v=0 offer " + std::to_string(c.conn_id)});
}

core::SessionConfig lazy_config() {
  auto c = Driver::default_config();
  c.wait_for_visible_set = true;
  c.publish = false;
  return c;
}

// ---- subscribe lazily, keep until the owner leaves -------------------------------------

TEST(Rule11NegotiateOnce, NoSpeculativeSubscriptionBeforeTheVisibleSet) {
  Driver d(lazy_config());
  d.enter({Driver::who(2), Driver::who(3), Driver::who(4)});
  EXPECT_TRUE(Driver::of<core::CreatePeer>(d.all).empty());
  EXPECT_EQ(d.s.view().find(2)->tile, TileState::kConnecting);  // on screen until told otherwise
  auto cmds = d.handle(core::SetVisibleParticipants{std::vector<UserId>{3}, {}});
  auto created = Driver::of<core::CreatePeer>(cmds);
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].owner, 3);
  EXPECT_EQ(d.s.view().find(2)->tile, TileState::kPaused);
  EXPECT_EQ(d.s.view().live_subscriptions, 1u);
}

TEST(Rule11NegotiateOnce, PagingBackAndForthOffersEachOwnerOnceAndClosesNothing) {
  Driver d(lazy_config());
  d.enter({Driver::who(2), Driver::who(3), Driver::who(4), Driver::who(5)});
  const std::vector<std::vector<UserId>> pages = {{2, 3}, {4, 5}};
  for (int round = 0; round < 6; ++round) {
    const auto& page = pages[round % 2];
    const auto& next = pages[(round + 1) % 2];
    offer_all(d, d.handle(core::SetVisibleParticipants{page, next}));
    for (UserId id : page) EXPECT_TRUE(d.s.view().find(id)->visible);
    for (UserId id : next) EXPECT_FALSE(d.s.view().find(id)->visible);
  }
  EXPECT_TRUE(Driver::of<core::ClosePeer>(d.all).empty());
  std::map<UserId, int> offers;
  for (const auto& m : Driver::sent_of<protocol::ReceiveVideoFrom>(d.all)) ++offers[m.user_id];
  EXPECT_EQ(offers, (std::map<UserId, int>{{2, 1}, {3, 1}, {4, 1}, {5, 1}}));
  // The prefetched page was subscribed with the first page, before it was shown.
  const auto created = Driver::of<core::CreatePeer>(d.all);
  ASSERT_EQ(created.size(), 4u);
  EXPECT_EQ(d.s.view().resubscribes, 0);
}

TEST(Rule11NegotiateOnce, PagingThroughARoomInTheSimNeverRepeatsAnOffer) {
  Sim sim;
  auto viewer = Sim::config_for(500);
  viewer.wait_for_visible_set = true;
  const int v = sim.join(viewer);
  for (UserId id : ids(501, 12)) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(v).participants.size() == 12; }, 20000));
  for (int round = 0; round < 12; ++round) {
    const UserId first = 501 + static_cast<UserId>((round % 4) * 3);
    const UserId next = 501 + static_cast<UserId>(((round + 1) % 4) * 3);
    sim.handle(v, core::SetVisibleParticipants{ids(first, 3), ids(next, 3)});
    sim.run_for(3000);
  }
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 30000));
  for (const auto& [owner, n] : offers_by_owner(sim, v)) EXPECT_EQ(n, 1) << "owner " << owner;
  EXPECT_EQ(offers_by_owner(sim, v).size(), 13u);  // twelve owners and our own camera
  EXPECT_EQ(sockets_opened(sim, v), 1);
  expect_negotiated_once(sim);
}

TEST(Rule11NegotiateOnce, HiddenTilesKeepTheirLiveConnection) {
  Sim sim;
  auto viewer = Sim::config_for(520);
  viewer.wait_for_visible_set = true;
  const int v = sim.join(viewer);
  sim.join(521);
  sim.join(522);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(v).participants.size() == 2; }, 10000));
  sim.handle(v, core::SetVisibleParticipants{std::vector<UserId>{521, 522}, {}});
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const core::ConnId conn = sim.view(v).find(522)->conn_id;
  sim.handle(v, core::SetVisibleParticipants{std::vector<UserId>{521}, {}});
  sim.run_for(60000);
  const auto* p = sim.view(v).find(522);
  EXPECT_FALSE(p->visible);
  EXPECT_EQ(p->conn_id, conn);
  EXPECT_EQ(p->tile, TileState::kLive);
  EXPECT_FALSE(sim.media(v).at(conn).closed);
  expect_negotiated_once(sim);
}

// ---- re-announcements and departures ----------------------------------------------------

TEST(Rule11NegotiateOnce, ReannouncementNeverReoffersEvenWithDeadMedia) {
  Driver d;
  d.enter({Driver::who(2)});
  const core::ConnId first = d.conn_for(2);
  d.handle(core::LocalOfferCreated{first, "offer"});
  d.handle(core::PeerStateChanged{first, core::PeerState::kConnected});
  d.handle(core::NoMedia{first});
  auto cmds = d.frame(protocol::NewParticipantArrived{Driver::who(2, "renamed")});
  EXPECT_TRUE(Driver::of<core::CreatePeer>(cmds).empty());
  EXPECT_TRUE(Driver::of<core::ClosePeer>(cmds).empty());
  cmds = d.frame(protocol::ExistingParticipants{{Driver::who(2)}});  // a stray list, too
  EXPECT_TRUE(Driver::of<core::CreatePeer>(cmds).empty());
  EXPECT_EQ(d.s.view().find(2)->conn_id, first);
  EXPECT_EQ(d.s.view().find(2)->name, "u2");
}

TEST(Rule11NegotiateOnce, OwnerWhoLeftAndCameBackIsOfferedAgain) {
  Driver d;
  d.enter({Driver::who(2)});
  const core::ConnId first = d.conn_for(2);
  d.handle(core::LocalOfferCreated{first, "offer"});
  auto cmds = d.frame(protocol::ParticipantLeft{2});
  EXPECT_EQ(Driver::of<core::ClosePeer>(cmds).size(), 1u);
  cmds = d.frame(protocol::NewParticipantArrived{Driver::who(2)});
  auto created = Driver::of<core::CreatePeer>(cmds);
  ASSERT_EQ(created.size(), 1u);
  cmds = d.handle(core::LocalOfferCreated{created[0].conn_id, "offer 2"});
  EXPECT_EQ(Driver::sent_of<protocol::ReceiveVideoFrom>(cmds).size(), 1u);
  EXPECT_EQ(d.s.view().resubscribes, 0);
}

TEST(Rule11NegotiateOnce, ARoomWithDuplicateAnnouncementsAndChurnStaysClean) {
  Sim::Options o;
  o.faults.duplicate = 0.2;  // duplicated newParticipantArrived, answers, candidates...
  o.faults.jitter_ms = 30;
  o.seed = 5;
  Sim sim(o);
  for (UserId id : ids(540, 5)) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 30000));
  sim.handle(2, core::Leave{});
  sim.run_for(2000);
  sim.handle(2, core::Join{});
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 30000));
  expect_negotiated_once(sim);
}

// ---- recovery is a planned rejoin -------------------------------------------------------

TEST(Rule11NegotiateOnce, StalledVideoRejoinsAfterTheTimeoutAndNotBefore) {
  Sim sim;
  sim.join(111);
  sim.join(112);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const core::ConnId stalled = sim.view(0).find(112)->conn_id;
  sim.handle(0, core::NoMedia{stalled});
  const Millis timeout = sim.session(0).config().stalled_media_timeout_ms;
  EXPECT_GE(timeout, 10000);
  sim.run_for(timeout - 100);
  EXPECT_EQ(sim.view(0).rejoins.count, 0);
  EXPECT_EQ(sim.view(0).find(112)->conn_id, stalled);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).rejoins.count == 1; }, 1000));
  EXPECT_EQ(sim.view(0).rejoins.last_cause, RejoinCause::kStalledVideo);
  EXPECT_EQ(sim.view(0).notices.back().code, NoticeCode::kRejoining);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 20000));
  EXPECT_EQ(sim.view(0).find(112)->stalls.acted, 1);
  EXPECT_EQ(sim.view(0).stalls.detected, 1);
  EXPECT_EQ(sockets_opened(sim, 0), 2);
  EXPECT_EQ(sim.server().joins(), 3);  // 111 joined twice
  expect_negotiated_once(sim);
}

TEST(Rule11NegotiateOnce, TheStallTimeoutCountsFromTheLastFrameNotFromTheReport) {
  Sim sim;
  sim.join(141);
  sim.join(142);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const Millis timeout = sim.session(0).config().stalled_media_timeout_ms;
  // The platform noticed the stall `timeout` after the last frame: the rejoin is due now.
  sim.handle(0, core::NoMedia{sim.view(0).find(142)->conn_id, sim.now() - timeout});
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).rejoins.count == 1; }, 100));
  // A report 4 s after the last frame leaves 6 s.
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const Millis reported = sim.now();
  sim.handle(0, core::NoMedia{sim.view(0).find(142)->conn_id, reported - 4000});
  sim.run_for(35000);  // past the 30 s between rejoins
  ASSERT_EQ(sim.view(0).rejoins.count, 2);
  EXPECT_EQ(sim.view(0).rejoins.last_cause, RejoinCause::kStalledVideo);
  expect_negotiated_once(sim);
}

TEST(Rule11NegotiateOnce, StallsRejoinAtMostOncePerThirtySeconds) {
  Sim sim;
  for (UserId id : {121, 122, 123}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.handle(0, core::NoMedia{sim.view(0).find(122)->conn_id});
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).rejoins.count == 1; }, 15000));
  const Millis first = sim.now();
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.handle(0, core::NoMedia{sim.view(0).find(123)->conn_id});  // stalls again, soon after
  sim.run_for(12000);
  EXPECT_EQ(sim.view(0).rejoins.count, 1) << "a second rejoin within 30 s";
  ASSERT_TRUE(sim.view(0).rejoins.pending_at.has_value());
  EXPECT_GE(*sim.view(0).rejoins.pending_at, first + 30000);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).rejoins.count == 2; }, 30000));
  EXPECT_GE(sim.now(), first + 30000);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  expect_negotiated_once(sim);
}

TEST(Rule11NegotiateOnce, VideoBackBeforeTheDebouncedRejoinCallsItOff) {
  Sim sim;
  for (UserId id : {131, 132, 133}) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.handle(0, core::NoMedia{sim.view(0).find(132)->conn_id});
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).rejoins.count == 1; }, 15000));
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  const core::ConnId conn = sim.view(0).find(133)->conn_id;
  sim.handle(0, core::NoMedia{conn});
  sim.run_for(11000);
  ASSERT_TRUE(sim.view(0).rejoins.pending_at.has_value());  // waiting for the 30 s
  sim.handle(0, core::MediaFlowing{conn});
  EXPECT_FALSE(sim.view(0).rejoins.pending_at.has_value());
  sim.run_for(40000);
  EXPECT_EQ(sim.view(0).rejoins.count, 1);
  expect_negotiated_once(sim);
}

TEST(Rule11NegotiateOnce, FailedReceiveConnectionRecoversByOnePlannedRejoin) {
  Sim sim;
  MediaOptions m;
  m.fail_receive_from[102] = 1;
  sim.join(101, m);
  sim.join(102);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).rejoins.count == 1; }, 10000));
  EXPECT_EQ(sim.view(0).rejoins.last_cause, RejoinCause::kReceiveFailed);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 20000));
  EXPECT_EQ(offers_by_owner(sim, 0)[102], 2);  // once per socket
  EXPECT_EQ(sockets_opened(sim, 0), 2);
  expect_negotiated_once(sim);
}

TEST(Rule11NegotiateOnce, ALostAnswerRecoversByAPlannedRejoin) {
  Sim::Options o;
  bool dropped = false;
  o.faults.drop_if = [&dropped](int client, const std::string& text) {
    if (dropped || client != 0 || text.find("\"receiveVideoAnswer\"") == std::string::npos ||
        text.find("\"userId\":162") == std::string::npos)
      return false;
    return dropped = true;
  };
  Sim sim(o);
  sim.join(161);
  sim.join(162);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(0).rejoins.count == 1; }, 30000));
  EXPECT_TRUE(dropped);
  EXPECT_EQ(sim.view(0).rejoins.last_cause, RejoinCause::kReceiveFailed);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 20000));
  expect_negotiated_once(sim);
}

TEST(Rule11NegotiateOnce, PublishFailureAfterTheOfferRejoinsInsteadOfRepublishing) {
  Driver d;
  d.enter({});
  d.handle(core::LocalMediaReady{});
  const core::ConnId pub = d.conn_for(1);
  ASSERT_NE(pub, 0u);
  d.handle(core::LocalOfferCreated{pub, "offer"});
  auto cmds = d.handle(core::PeerStateChanged{pub, core::PeerState::kFailed});
  EXPECT_TRUE(Driver::of<core::CreatePeer>(cmds).empty());  // no second offer for ourselves
  EXPECT_TRUE(Driver::of<core::CloseSocket>(cmds).size() == 1u);  // the first rejoin is at once
  EXPECT_EQ(d.s.view().rejoins.last_cause, RejoinCause::kPublishFailed);
  EXPECT_EQ(d.s.view().phase, Phase::kReconnecting);
  EXPECT_EQ(d.s.view().disconnect_cause, core::DisconnectCause::kPlannedRejoin);
}

TEST(Rule11NegotiateOnce, ServerCloseWith1011RejoinsAtOnceWithANotice) {
  Driver d;
  d.enter({Driver::who(2)});
  auto cmds = d.handle(core::SocketClosed{d.sock, 1011, "SDP_END_POINT_ALREADY_NEGOTIATED"});
  ASSERT_EQ(Driver::of<core::OpenSocket>(cmds).size(), 1u);  // no backoff wait
  EXPECT_EQ(d.s.view().disconnect_cause, core::DisconnectCause::kServerError);
  EXPECT_EQ(d.s.view().rejoins.count, 1);
  EXPECT_EQ(d.s.view().rejoins.last_cause, RejoinCause::kServerError);
  EXPECT_EQ(d.s.view().notices.back().code, NoticeCode::kRejoining);
  EXPECT_EQ(d.s.view().notices.back().detail, "server-error");
  // A second 1011 soon after backs off like any loss (no hammering a broken server).
  d.sock = Driver::of<core::OpenSocket>(cmds)[0].socket_id;
  d.handle(core::SocketOpened{d.sock});
  d.frame(protocol::ExistingParticipants{{Driver::who(2)}});
  cmds = d.handle(core::SocketClosed{d.sock, 1011, ""});
  EXPECT_TRUE(Driver::of<core::OpenSocket>(cmds).empty());
  EXPECT_TRUE(d.s.view().reconnect_at.has_value());
}

TEST(Rule11NegotiateOnce, AnOwnerFailingThroughEveryRejoinIsLeftFailedUntilRetry) {
  Sim sim;
  MediaOptions m;
  m.fail_receive_from[172] = 100;  // never works
  sim.join(171, m);
  sim.join(172);
  const int max = sim.session(0).config().max_rejoins_per_owner;
  ASSERT_TRUE(sim.run_until([&] {
    const auto* p = sim.view(0).find(172);
    return p && p->tile == TileState::kFailed;
  }, 300000));
  EXPECT_EQ(sim.view(0).rejoins.count, max);
  sim.run_for(120000);
  EXPECT_EQ(sim.view(0).rejoins.count, max) << "kept rejoining for a dead owner";
  EXPECT_EQ(sim.view(0).phase, Phase::kInRoom);
  sim.handle(0, core::Retry{});
  sim.run_for(100);
  EXPECT_EQ(sim.view(0).rejoins.count, max + 1);
  EXPECT_EQ(sim.view(0).rejoins.last_cause, RejoinCause::kUserRetry);
  expect_negotiated_once(sim);
}

// ---- the stream cap -----------------------------------------------------------------------

TEST(Rule11NegotiateOnce, TilesOverTheCapArePausedAndResumeVideoRejoinsWithWhatIsOnScreen) {
  auto cfg = lazy_config();
  cfg.max_live_subscriptions = 3;
  Driver d(cfg);
  d.enter({Driver::who(2), Driver::who(3), Driver::who(4), Driver::who(5), Driver::who(6)});
  offer_all(d, d.handle(core::SetVisibleParticipants{std::vector<UserId>{2, 3}, {4}}));
  EXPECT_EQ(d.s.view().live_subscriptions, 3u);
  auto cmds = d.handle(core::SetVisibleParticipants{std::vector<UserId>{5, 6}, {2}});
  EXPECT_TRUE(Driver::of<core::CreatePeer>(cmds).empty());
  EXPECT_EQ(d.s.view().find(5)->tile, TileState::kCapped);
  EXPECT_EQ(d.s.view().find(6)->tile, TileState::kCapped);
  EXPECT_FALSE(d.s.view().rejoins.pending_at.has_value());  // the user decides
  cmds = d.handle(core::ResumeVideo{});
  EXPECT_EQ(Driver::of<core::CloseSocket>(cmds).size(), 1u);
  EXPECT_EQ(d.s.view().rejoins.last_cause, RejoinCause::kTooManyStreams);
  d.handle(core::SocketClosed{d.sock, 1000, ""});
  cmds = d.advance(1);
  const auto opened = Driver::of<core::OpenSocket>(d.all);
  d.sock = opened.back().socket_id;
  d.handle(core::SocketOpened{d.sock});
  cmds = d.frame(protocol::ExistingParticipants{{Driver::who(2), Driver::who(3), Driver::who(4),
                                                  Driver::who(5), Driver::who(6)}});
  std::set<UserId> owners;
  for (const auto& c : Driver::of<core::CreatePeer>(cmds)) owners.insert(c.owner);
  EXPECT_EQ(owners, (std::set<UserId>{5, 6, 2}));  // on screen first, then the prefetch
  EXPECT_EQ(d.s.view().find(3)->tile, TileState::kPaused);
}

TEST(Rule11NegotiateOnce, AFreedSlotUnpausesACappedTileWithoutARejoin) {
  auto cfg = lazy_config();
  cfg.max_live_subscriptions = 2;
  Driver d(cfg);
  d.enter({Driver::who(2), Driver::who(3), Driver::who(4)});
  offer_all(d, d.handle(core::SetVisibleParticipants{std::vector<UserId>{2, 3, 4}, {}}));
  EXPECT_EQ(d.s.view().find(4)->tile, TileState::kCapped);
  auto cmds = d.frame(protocol::ParticipantLeft{2});
  auto created = Driver::of<core::CreatePeer>(cmds);
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].owner, 4);
  EXPECT_EQ(d.s.view().rejoins.count, 0);
}

TEST(Rule11NegotiateOnce, KioskRotationRejoinsByItselfOverTheCapAtMostEveryThirtySeconds) {
  Sim sim;
  auto kiosk = Sim::config_for(600);
  kiosk.publish = false;
  kiosk.wait_for_visible_set = true;
  kiosk.auto_resume_video = true;
  kiosk.max_live_subscriptions = 8;
  const int k = sim.join(kiosk);
  for (UserId id : ids(601, 12)) sim.join(id);
  ASSERT_TRUE(sim.run_until([&] { return sim.view(k).participants.size() == 12; }, 20000));
  // Pages of 3, turned every 20 s, with the next page prefetched: 3 rotations.
  for (int turn = 0; turn < 12; ++turn) {
    const UserId first = 601 + static_cast<UserId>((turn % 4) * 3);
    const UserId next = 601 + static_cast<UserId>(((turn + 1) % 4) * 3);
    sim.handle(k, core::SetVisibleParticipants{ids(first, 3), ids(next, 3)});
    sim.run_for(20000);
    for (UserId id : ids(first, 3)) {
      const auto* p = sim.view(k).find(id);
      ASSERT_NE(p, nullptr);
      EXPECT_NE(p->tile, TileState::kFailed);
    }
    EXPECT_LE(sim.view(k).live_subscriptions, 8u);
  }
  EXPECT_GE(sim.view(k).rejoins.count, 1);
  EXPECT_EQ(sim.view(k).rejoins.last_cause, RejoinCause::kTooManyStreams);
  // Rejoins at least 30 s apart: socket opens of the kiosk after the first.
  std::vector<Millis> opens;
  for (const auto& f : sim.sent(k))
    if (f.msg && std::holds_alternative<protocol::Join>(*f.msg)) opens.push_back(f.time);
  for (std::size_t n = 2; n < opens.size(); ++n) EXPECT_GE(opens[n] - opens[n - 1], 30000);
  expect_negotiated_once(sim);
}

// ---- local track changes never renegotiate -------------------------------------------------

TEST(Rule11NegotiateOnce, MuteCameraOffAndTrackSwapsNeverRenegotiate) {
  Driver d;
  d.enter({Driver::who(2)});
  d.handle(core::LocalMediaReady{});
  offer_all(d, d.all);
  const std::size_t peers = Driver::of<core::CreatePeer>(d.all).size();
  const std::size_t frames = Driver::of<core::SendText>(d.all).size();
  // Device switches and screen sharing replace the published track in the browser
  // (replaceTrack); the only thing the Session ever sees of them is enable/disable.
  for (int n = 0; n < 3; ++n) {
    d.handle(core::SetMuted{true});
    d.handle(core::SetCameraOff{true});
    d.handle(core::SetCameraOff{false});
    d.handle(core::SetMuted{false});
    d.handle(core::LocalMediaReady{});  // a platform that reported new tracks: ignored
  }
  EXPECT_EQ(Driver::of<core::CreatePeer>(d.all).size(), peers);
  EXPECT_EQ(Driver::of<core::SendText>(d.all).size(), frames);
  EXPECT_EQ(Driver::of<core::SetLocalMediaEnabled>(d.all).size(), 12u);
}

// ---- the fake server is as strict as Kurento -----------------------------------------------

TEST(Rule11NegotiateOnce, StrictFakeServerClosesARepeatedOfferWith1011AndRunsLeave) {
  std::vector<std::pair<ConnKey, std::string>> out;
  std::vector<std::pair<ConnKey, int>> closes;
  FakeServer server({}, [&](ConnKey k, std::string t) { out.emplace_back(k, std::move(t)); });
  server.on_close_request([&](ConnKey k, int code) { closes.emplace_back(k, code); });
  server.on_open(1);
  server.on_open(2);
  server.on_frame(1, protocol::encode(protocol::Join{1, 10, ""}));
  server.on_frame(2, protocol::encode(protocol::Join{1, 20, ""}));
  server.on_frame(1, protocol::encode(protocol::ReceiveVideoFrom{20, "o1"}));
  EXPECT_TRUE(closes.empty());
  server.on_frame(1, protocol::encode(protocol::ReceiveVideoFrom{20, "o2"}));
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0], (std::pair<ConnKey, int>{1, 1011}));
  EXPECT_EQ(server.renegotiation_closes(), 1);
  EXPECT_EQ(server.members(1), std::vector<UserId>{20});
  EXPECT_EQ(out.back().first, 2u);
  EXPECT_NE(out.back().second.find("participantLeft"), std::string::npos);
  // An unknown owner: 1011 as well, but not a violation (a client can race a leave).
  server.on_frame(2, protocol::encode(protocol::ReceiveVideoFrom{99, "o3"}));
  EXPECT_EQ(server.unknown_owner_closes(), 1);
  EXPECT_EQ(server.violations().size(), 1u);
}

// ---- rule 12: frames fit 8 KiB ---------------------------------------------------------------

std::string repeat(const std::string& unit, std::size_t times) {
  std::string s;
  for (std::size_t n = 0; n < times; ++n) s += unit;
  return s;
}

TEST(Rule12FrameSize, ALongChatLineGoesOutAsOrderedPartsThatEachFit) {
  Driver d;
  d.enter({Driver::who(2)});
  const std::string text = repeat("群聊消息 long line, ", 650);  // ~16 KB
  ASSERT_LE(text.size(), d.s.config().max_chat_bytes);
  auto cmds = d.handle(core::SendChat{text});
  std::string joined;
  for (const auto& t : Driver::of<core::SendText>(cmds)) EXPECT_LE(t.text.size(), 8192u);
  const auto parts = Driver::sent_of<protocol::SendMessage>(cmds);
  ASSERT_GE(parts.size(), 2u);
  for (const auto& p : parts) joined += p.message;
  EXPECT_EQ(joined, text);
  // Each part is a line of its own, in order; the user is told.
  ASSERT_EQ(d.s.view().chat.size(), parts.size());
  for (std::size_t n = 0; n < parts.size(); ++n) EXPECT_EQ(d.s.view().chat[n].text, parts[n].message);
  EXPECT_EQ(d.s.view().notices.back().code, NoticeCode::kChatSplit);
  EXPECT_EQ(d.s.view().notices.back().detail, std::to_string(parts.size()));
}

TEST(Rule12FrameSize, SplittingCountsJsonEscapesAndNeverCutsACharacterOrAJoinedEmoji) {
  auto cfg = Driver::default_config();
  cfg.max_send_frame_bytes = 200;
  Driver d(cfg);
  d.enter({});
  const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
  const std::string text = repeat("\"\\\x01", 30) + repeat("汉" + family, 20);
  auto cmds = d.handle(core::SendChat{text});
  std::string joined;
  for (const auto& t : Driver::of<core::SendText>(cmds)) EXPECT_LE(t.text.size(), 200u);
  for (const auto& p : Driver::sent_of<protocol::SendMessage>(cmds)) {
    joined += p.message;
    // Every part is valid UTF-8 on its own, and no part starts or ends inside a ZWJ sequence.
    EXPECT_NE(p.message.rfind("\xE2\x80\x8D"), p.message.size() - 3);
    EXPECT_NE(p.message.find("\xE2\x80\x8D"), 0u);
    const unsigned char first = static_cast<unsigned char>(p.message[0]);
    EXPECT_NE(first & 0xC0, 0x80);
  }
  EXPECT_EQ(joined, text);
}

TEST(Rule12FrameSize, ChatQueuedWhileAwayIsSplitAndSentInOrderAfterTheRejoin) {
  Sim sim;
  sim.join(181);
  sim.join(182);
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 10000));
  sim.kill_socket(0);
  sim.run_for(10);
  const std::string text = repeat("x", 12000);
  sim.handle(0, core::SendChat{text});
  ASSERT_TRUE(sim.run_until([&] { return sim.all_live(); }, 20000));
  sim.run_for(1000);
  std::string joined;
  for (const auto& line : sim.view(1).chat) joined += line.text;
  EXPECT_EQ(joined, text);
  expect_negotiated_once(sim);
}

TEST(Rule12FrameSize, AnOfferTooLargeForTheServerIsNotSentAndTheTileSaysSo) {
  Driver d;
  d.enter({Driver::who(2)});
  auto cmds = d.handle(core::LocalOfferCreated{d.conn_for(2), std::string(9000, 'a')});
  EXPECT_TRUE(Driver::of<core::SendText>(cmds).empty());
  EXPECT_EQ(d.s.view().find(2)->tile, TileState::kFailed);
  EXPECT_EQ(d.s.view().notices.back().code, NoticeCode::kReceiveFailed);
  bool logged = false;
  for (const auto& l : Driver::of<core::Log>(cmds))
    if (const auto* e = std::get_if<core::LocalError>(&l.entry))
      logged |= e->code == core::LocalErrorCode::kFrameTooLarge;
  EXPECT_TRUE(logged);
}

TEST(Rule12FrameSize, AFileAnnouncementThatCannotFitFailsTheUpload) {
  Driver d;
  d.enter({});
  d.handle(core::QueueUpload{7, "report.pdf", 10});
  auto cmds = d.handle(core::UploadFinished{7, "https://files.example/" + std::string(9000, 'p')});
  EXPECT_TRUE(Driver::of<core::SendText>(cmds).empty());
  EXPECT_EQ(d.s.view().uploads.back().state, core::UploadState::kFailed);
  EXPECT_EQ(d.s.view().uploads.back().error, "announcement-too-large");
  EXPECT_TRUE(d.s.view().files.empty());
}

TEST(Rule12FrameSize, AJoinThatCannotFitFailsInsteadOfTimingOutForever) {
  auto cfg = Driver::default_config();
  cfg.password = std::string(9000, 'p');
  Driver d(cfg);
  d.connect();
  EXPECT_EQ(d.s.view().phase, Phase::kFailed);
  EXPECT_EQ(d.s.view().failure, core::FailureReason::kProtocolError);
  EXPECT_TRUE(Driver::sent_of<protocol::Join>(d.all).empty());
}

}  // namespace
}  // namespace gc::sim
