// Issue 15 item 4: notices and failures carry typed fields; the UI never parses their words.
#include <gtest/gtest.h>

#include "sim/driver.hpp"

namespace gc::sim {
namespace {

using core::MediaFailure;
using core::NoticeCode;
using core::UploadError;

const core::Notice& last_notice(const Driver& d) { return d.s.view().notices.back(); }

TEST(TypedNotices, ACameraRefusedIsDeniedAndOneMissingIsUnavailable) {
  Driver d;
  d.enter({});
  d.handle(core::LocalMediaFailed{"NotAllowedError: Permission denied", /*denied=*/true});
  EXPECT_EQ(d.s.view().self.media_failure, MediaFailure::kDenied);
  EXPECT_EQ(last_notice(d).code, NoticeCode::kCameraUnavailable);
  EXPECT_EQ(last_notice(d).media, MediaFailure::kDenied);

  Driver e;
  e.enter({});
  // The words say "denied", the browser said it is missing: the type wins.
  e.handle(core::LocalMediaFailed{"NotFoundError: Requested device not found (not denied)", false});
  EXPECT_EQ(e.s.view().self.media_failure, MediaFailure::kUnavailable);
  EXPECT_EQ(last_notice(e).media, MediaFailure::kUnavailable);
}

TEST(TypedNotices, AReceiveThatFailedNamesItsOwnerById) {
  Driver d;
  d.enter({Driver::who(42, "某人")});
  const core::ConnId conn = d.conn_for(42);
  ASSERT_NE(conn, 0u);
  d.handle(core::LocalOfferCreated{conn, std::string(9000, 'v')});  // over rule 12: not sent
  EXPECT_EQ(last_notice(d).code, NoticeCode::kReceiveFailed);
  EXPECT_EQ(last_notice(d).user, 42u);
}

TEST(TypedNotices, UploadFailuresSayWhyTooLargeStalledOrOther) {
  core::SessionConfig c = Driver::default_config();
  c.upload_auto_retries = 0;
  Driver d(c);
  d.enter({});
  d.handle(core::QueueUpload{1, "big.iso", 10});
  d.handle(core::UploadFailed{1, "HTTP 413 file too large", /*too_large=*/true});
  EXPECT_EQ(d.s.view().uploads[0].failure, UploadError::kTooLarge);
  EXPECT_EQ(last_notice(d).upload, UploadError::kTooLarge);

  d.handle(core::QueueUpload{2, "a.pdf", 10});
  d.handle(core::UploadFailed{2, "HTTP 500 too large a mess", false});
  EXPECT_EQ(d.s.view().uploads[1].failure, UploadError::kFailed) << "words are not a type";

  d.handle(core::QueueUpload{3, "b.pdf", 10});
  d.advance(d.s.config().upload_stall_timeout_ms);
  EXPECT_EQ(d.s.view().uploads[2].failure, UploadError::kStalled);
  EXPECT_EQ(last_notice(d).upload, UploadError::kStalled);
  d.handle(core::RetryUpload{3});
  EXPECT_EQ(d.s.view().uploads[2].failure, UploadError::kNone);
}

TEST(TypedNotices, ASplitLineCountsItsPartsAndARejoinSaysWhy) {
  Driver d;
  d.enter({Driver::who(2)});
  d.handle(core::SendChat{std::string(16000, 'a')});  // under the 16 KiB line cap, over 8 KiB frames
  ASSERT_FALSE(d.s.view().notices.empty());
  EXPECT_EQ(last_notice(d).code, NoticeCode::kChatSplit);
  EXPECT_EQ(static_cast<std::size_t>(last_notice(d).parts), d.s.view().chat.size());
  EXPECT_EQ(last_notice(d).parts, 2);

  d.handle(core::SocketClosed{d.sock, 1011, "renegotiation"});
  ASSERT_FALSE(d.s.view().notices.empty());
  ASSERT_EQ(last_notice(d).code, NoticeCode::kRejoining);
  ASSERT_TRUE(last_notice(d).rejoin_cause.has_value());
  EXPECT_EQ(*last_notice(d).rejoin_cause, core::RejoinCause::kServerError);
}

}  // namespace
}  // namespace gc::sim
