// Screen sharing (issue 13 item 1): the screen replaces the video track of the send
// connection that exists (replaceTrack, in the app), so it costs no offer and no message
// (rule 11); without a send connection a notice says why; the browser's own stop, the
// picker cancelled and leaving each end it cleanly.
#include <gtest/gtest.h>

#include "sim/driver.hpp"

namespace gc::sim {
namespace {

using core::NoticeCode;
using core::ScreenShare;

// In the room, publishing: the send connection exists and has offered.
Driver publishing() {
  Driver d;
  d.enter({Driver::who(2)});
  d.handle(core::LocalMediaReady{});
  d.handle(core::LocalOfferCreated{d.conn_for(1), "offer"});
  return d;
}

std::size_t offers(const Driver& d) { return Driver::sent_of<protocol::ReceiveVideoFrom>(d.all).size(); }

TEST(ScreenShare, SharingSwapsTheTrackWithoutAnOfferOrAnyMessage) {
  Driver d = publishing();
  const std::size_t offers_before = offers(d);
  const std::size_t frames_before = Driver::of<core::SendText>(d.all).size();

  auto cmds = d.handle(core::SetScreenShare{true});
  EXPECT_EQ(Driver::of<core::StartScreenShare>(cmds).size(), 1u);
  EXPECT_EQ(d.s.view().self.screen, ScreenShare::kStarting);
  cmds = d.handle(core::ScreenShareStarted{});
  EXPECT_EQ(d.s.view().self.screen, ScreenShare::kOn);
  EXPECT_TRUE(Driver::of<core::CreatePeer>(cmds).empty());
  EXPECT_TRUE(Driver::of<core::ClosePeer>(cmds).empty());

  cmds = d.handle(core::SetScreenShare{false});
  EXPECT_EQ(Driver::of<core::StopScreenShare>(cmds).size(), 1u);
  EXPECT_EQ(d.s.view().self.screen, ScreenShare::kOff);
  EXPECT_EQ(offers(d), offers_before) << "rule 11: the screen is never offered";
  EXPECT_EQ(Driver::of<core::SendText>(d.all).size(), frames_before) << "nothing is signalled";
}

TEST(ScreenShare, TheBrowsersOwnStopBringsTheCameraBack) {
  Driver d = publishing();
  d.handle(core::SetScreenShare{true});
  d.handle(core::ScreenShareStarted{});
  const auto cmds = d.handle(core::ScreenShareEnded{});
  EXPECT_EQ(Driver::of<core::StopScreenShare>(cmds).size(), 1u);
  EXPECT_EQ(d.s.view().self.screen, ScreenShare::kOff);
  EXPECT_TRUE(d.handle(core::ScreenShareEnded{}).empty()) << "a second end does nothing";
}

TEST(ScreenShare, ACancelledPickerIsATypedNoticeAndTheCallGoesOn) {
  Driver d = publishing();
  d.handle(core::SetScreenShare{true});
  const auto cmds = d.handle(core::ScreenShareFailed{"NotAllowedError: Permission denied", true});
  EXPECT_TRUE(Driver::of<core::StopScreenShare>(cmds).empty());
  EXPECT_EQ(d.s.view().self.screen, ScreenShare::kOff);
  ASSERT_FALSE(d.s.view().notices.empty());
  EXPECT_EQ(d.s.view().notices.back().code, NoticeCode::kScreenShareFailed);
  EXPECT_EQ(d.s.view().notices.back().media, core::MediaFailure::kDenied);
  EXPECT_EQ(d.s.view().phase, core::Phase::kInRoom);
  EXPECT_NE(d.s.view().self.conn_id, 0u) << "the camera keeps going";

  d.handle(core::SetScreenShare{true});
  d.handle(core::ScreenShareFailed{"NotReadableError: Could not start video source", false});
  EXPECT_EQ(d.s.view().notices.back().media, core::MediaFailure::kUnavailable);
}

TEST(ScreenShare, WithoutASendConnectionThereIsNothingToShareOnAndANoticeSaysSo) {
  auto cfg = Driver::default_config();
  cfg.publish = false;
  Driver receive_only(cfg);
  receive_only.enter({Driver::who(2)});
  auto cmds = receive_only.handle(core::SetScreenShare{true});
  EXPECT_TRUE(Driver::of<core::StartScreenShare>(cmds).empty());
  EXPECT_EQ(receive_only.s.view().self.screen, ScreenShare::kOff);
  ASSERT_FALSE(receive_only.s.view().notices.empty());
  EXPECT_EQ(receive_only.s.view().notices.back().code, NoticeCode::kScreenShareUnavailable);

  Driver refused;  // camera and microphone refused: no send connection either
  refused.enter({Driver::who(2)});
  refused.handle(core::LocalMediaFailed{"NotAllowedError: Permission denied", true});
  cmds = refused.handle(core::SetScreenShare{true});
  EXPECT_TRUE(Driver::of<core::StartScreenShare>(cmds).empty());
  EXPECT_EQ(refused.s.view().notices.back().code, NoticeCode::kScreenShareUnavailable);
  EXPECT_EQ(refused.s.view().notices.back().detail, "failed");
}

TEST(ScreenShare, AnAudioOnlyPublisherCanShareOnItsVideoSender) {
  Driver d;
  d.enter({Driver::who(2)});
  d.handle(core::LocalMediaReady{/*has_audio=*/true, /*has_video=*/false});
  ASSERT_NE(d.s.view().self.conn_id, 0u);
  const auto cmds = d.handle(core::SetScreenShare{true});
  EXPECT_EQ(Driver::of<core::StartScreenShare>(cmds).size(), 1u);
}

TEST(ScreenShare, OnlyInTheRoomAndOnlyOnce) {
  Driver d;
  d.connect();  // joining, not in the room yet
  EXPECT_TRUE(Driver::of<core::StartScreenShare>(d.handle(core::SetScreenShare{true})).empty());
  EXPECT_EQ(d.s.view().self.screen, ScreenShare::kOff);

  Driver e = publishing();
  e.handle(core::SetScreenShare{true});
  EXPECT_TRUE(Driver::of<core::StartScreenShare>(e.handle(core::SetScreenShare{true})).empty())
      << "the picker is open already";
  e.handle(core::ScreenShareStarted{});
  EXPECT_TRUE(Driver::of<core::StartScreenShare>(e.handle(core::SetScreenShare{true})).empty());
  EXPECT_EQ(e.s.view().self.screen, ScreenShare::kOn);
}

TEST(ScreenShare, StoppedWhileThePickerWasOpenALateScreenIsStoppedAgain) {
  Driver d = publishing();
  d.handle(core::SetScreenShare{true});
  EXPECT_EQ(Driver::of<core::StopScreenShare>(d.handle(core::SetScreenShare{false})).size(), 1u);
  const auto cmds = d.handle(core::ScreenShareStarted{});
  EXPECT_EQ(Driver::of<core::StopScreenShare>(cmds).size(), 1u);
  EXPECT_EQ(d.s.view().self.screen, ScreenShare::kOff);
  EXPECT_TRUE(d.handle(core::ScreenShareFailed{"late", true}).empty()) << "no notice for a request given up";
}

TEST(ScreenShare, LeavingStopsTheShareBeforeTheCameraIsReleased) {
  Driver d = publishing();
  d.handle(core::SetScreenShare{true});
  d.handle(core::ScreenShareStarted{});
  const auto cmds = d.handle(core::Leave{});
  std::size_t stop = cmds.size(), release = cmds.size();
  for (std::size_t i = 0; i < cmds.size(); ++i) {
    if (std::holds_alternative<core::StopScreenShare>(cmds[i])) stop = i;
    if (std::holds_alternative<core::ReleaseLocalMedia>(cmds[i])) release = i;
  }
  ASSERT_LT(stop, cmds.size());
  ASSERT_LT(release, cmds.size());
  EXPECT_LT(stop, release);
  EXPECT_EQ(d.s.view().self.screen, ScreenShare::kOff);
}

TEST(ScreenShare, APlannedRejoinKeepsSharingOnTheNewSendConnection) {
  Driver d = publishing();
  d.handle(core::SetScreenShare{true});
  d.handle(core::ScreenShareStarted{});
  // The send connection fails after its offer: a planned rejoin (rule 11), a new socket.
  auto cmds = d.handle(core::PeerStateChanged{d.conn_for(1), core::PeerState::kFailed});
  ASSERT_EQ(Driver::of<core::CloseSocket>(cmds).size(), 1u);
  EXPECT_TRUE(Driver::of<core::StopScreenShare>(cmds).empty());
  EXPECT_EQ(d.s.view().self.screen, ScreenShare::kOn) << "the app puts the screen on the next send connection";
}

}  // namespace
}  // namespace gc::sim
