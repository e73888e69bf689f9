// UploadQueue on its own: one upload at a time in queue order, what each transition asks
// of the Session (in order), stalls, Retry, Cancel and the history cap. The Session's use
// of it (the commands and notices that reach the platform) is pinned by the Rule9FileServer,
// TrustUploads and TypedNotices suites.
#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

#include "core/upload_queue.hpp"

namespace gc::core {
namespace {

using Q = UploadQueue;

// Each effect as one short line, so a test reads as the sequence the Session carries out.
std::vector<std::string> said(const Q::Effects& fx) {
  std::vector<std::string> out;
  for (const Q::Effect& effect : fx.list) {
    std::visit([&](const auto& e) {
      using E = std::decay_t<decltype(e)>;
      if constexpr (std::is_same_v<E, StartUpload>) {
        out.push_back("start " + std::to_string(e.upload_id));
      } else if constexpr (std::is_same_v<E, AbortUpload>) {
        out.push_back("abort " + std::to_string(e.upload_id) + (e.keep_file ? " keep" : ""));
      } else if constexpr (std::is_same_v<E, ForgetUpload>) {
        out.push_back("forget " + std::to_string(e.upload_id));
      } else if constexpr (std::is_same_v<E, Q::Announce>) {
        out.push_back("announce " + e.name + " " + e.url);
      } else if constexpr (std::is_same_v<E, Q::Failed>) {
        out.push_back("failed " + e.name + " " + to_string(e.why) + " " + e.reason);
      } else {
        const auto* err = std::get_if<LocalError>(&e.entry);
        out.push_back(std::string("log ") + to_string(e.level) + " " + (err ? to_string(err->code) : "?"));
      }
    }, effect);
  }
  return out;
}

using Lines = std::vector<std::string>;

Q::Limits limits(std::size_t history_cap = 100) { return Q::Limits{history_cap, 30000, 1}; }

TEST(UploadQueue, OneAtATimeInQueueOrderAndAFinishedOneIsAnnouncedBeforeTheNextStarts) {
  Q q(limits());
  EXPECT_EQ(said(q.on(QueueUpload{1, "a.txt", 100}, 0)), (Lines{"start 1"}));
  const Q::Effects second = q.on(QueueUpload{2, "b.txt", 200}, 0);
  EXPECT_TRUE(second.list.empty());
  EXPECT_TRUE(second.changed);
  q.on(QueueUpload{3, "c.txt", 300}, 0);
  ASSERT_EQ(q.items().size(), 3u);
  EXPECT_EQ(q.items()[0].state, UploadState::kUploading);
  EXPECT_EQ(q.items()[0].attempts, 1);
  EXPECT_EQ(q.items()[1].state, UploadState::kQueued);
  EXPECT_EQ(q.items()[1].attempts, 0);

  EXPECT_EQ(said(q.on(UploadFinished{1, "/f/a.txt"}, 10)),
            (Lines{"forget 1", "announce a.txt /f/a.txt", "start 2"}));
  EXPECT_EQ(q.items()[0].state, UploadState::kDone);
  EXPECT_EQ(q.items()[0].percent, 100);
  EXPECT_EQ(q.uploading(1), nullptr);
  ASSERT_NE(q.uploading(2), nullptr);
  EXPECT_EQ(q.uploading(2)->name, "b.txt");
}

TEST(UploadQueue, ProgressIsAPercentOfTheTotalAndOnlyANewPercentIsAChange) {
  Q q(limits());
  q.on(QueueUpload{1, "a.bin", 1000}, 0);
  const Q::Effects half = q.on(UploadProgress{1, 50, 100}, 5);
  EXPECT_TRUE(half.list.empty());
  EXPECT_TRUE(half.changed);
  EXPECT_EQ(q.items()[0].percent, 50);
  EXPECT_FALSE(q.on(UploadProgress{1, 50, 100}, 6).changed);  // same percent: the view is as it was
  q.on(UploadProgress{1, 250, 0}, 7);  // no total reported: the queued size is the total
  EXPECT_EQ(q.items()[0].percent, 25);
  q.on(UploadProgress{1, 5000, 0}, 8);  // more than the size: never over 100
  EXPECT_EQ(q.items()[0].percent, 100);
}

TEST(UploadQueue, EventsForAnUploadThatIsNotRunningAreLoggedAndChangeNothing) {
  Q q(limits());
  q.on(QueueUpload{1, "a", 10}, 0);
  q.on(QueueUpload{2, "b", 10}, 0);  // queued behind 1
  const Q::Effects early = q.on(UploadProgress{2, 5, 10}, 1);
  EXPECT_EQ(said(early), (Lines{"log debug unknown-upload"}));
  EXPECT_FALSE(early.changed);
  EXPECT_EQ(said(q.on(UploadFinished{9, "/f/x"}, 1)), (Lines{"log debug unknown-upload"}));
  EXPECT_EQ(said(q.on(UploadFailed{2, "late"}, 1)), (Lines{"log debug unknown-upload"}));
  EXPECT_EQ(said(q.on(RetryUpload{1}, 1)), (Lines{"log debug unknown-upload"}));  // running, not failed
  const Q::Effects twice = q.on(QueueUpload{1, "a again", 10}, 1);
  EXPECT_EQ(said(twice), (Lines{"log warning invalid-input"}));
  EXPECT_FALSE(twice.changed);
  EXPECT_EQ(q.items().size(), 2u);
  EXPECT_EQ(q.items()[1].state, UploadState::kQueued);
}

TEST(UploadQueue, AFailureSaysWhyAndStartsTheNextAndRetryQueuesTheSameUploadAgain) {
  Q q(limits());
  q.on(QueueUpload{1, "big.iso", 10}, 0);
  q.on(QueueUpload{2, "b", 10}, 0);
  EXPECT_EQ(said(q.on(UploadFailed{1, "HTTP 413", /*too_large=*/true}, 5)),
            (Lines{"failed big.iso too-large HTTP 413", "start 2"}));
  EXPECT_EQ(q.items()[0].state, UploadState::kFailed);
  EXPECT_EQ(q.items()[0].error, "HTTP 413");
  EXPECT_EQ(q.items()[0].failure, UploadError::kTooLarge);

  // Retry while 2 runs: queued again behind it, error cleared, its file kept (no forget).
  EXPECT_TRUE(q.on(RetryUpload{1}, 6).list.empty());
  EXPECT_EQ(q.items()[0].state, UploadState::kQueued);
  EXPECT_EQ(q.items()[0].failure, UploadError::kNone);
  EXPECT_TRUE(q.items()[0].error.empty());
  EXPECT_EQ(said(q.on(UploadFinished{2, "/f/b"}, 7)), (Lines{"forget 2", "announce b /f/b", "start 1"}));
  EXPECT_EQ(q.items()[0].attempts, 2);

  // The Session's own reason (an announcement that cannot be sent) fails it the same way.
  EXPECT_EQ(said(q.fail(1, UploadError::kAnnouncementTooLarge, "announcement-too-large", 8)),
            (Lines{"failed big.iso announcement-too-large announcement-too-large"}));
  EXPECT_FALSE(q.next_timeout().has_value());
}

TEST(UploadQueue, CancelAbortsOnlyARunningTransferAndLetsTheFileGo) {
  Q q(limits());
  q.on(QueueUpload{1, "a", 10}, 0);
  q.on(QueueUpload{2, "b", 10}, 0);
  q.on(QueueUpload{3, "c", 10}, 0);
  EXPECT_EQ(said(q.on(CancelUpload{2}, 1)), (Lines{"forget 2"}));  // queued: nothing to abort
  EXPECT_EQ(q.items()[1].state, UploadState::kCancelled);
  EXPECT_EQ(said(q.on(CancelUpload{1}, 2)), (Lines{"abort 1", "forget 1", "start 3"}));
  EXPECT_EQ(q.items()[0].state, UploadState::kCancelled);
  EXPECT_EQ(said(q.on(CancelUpload{1}, 3)), (Lines{"log debug unknown-upload"}));  // already
  // A late report from the cancelled transfer changes nothing.
  EXPECT_EQ(said(q.on(UploadFinished{1, "/f/a"}, 4)), (Lines{"log debug unknown-upload"}));
  EXPECT_EQ(q.items()[0].state, UploadState::kCancelled);
}

TEST(UploadQueue, AStallIsStartedAgainOnceByItselfThenFailsKeepingTheFile) {
  Q q(limits());
  q.on(QueueUpload{4, "big.zip", 1000000}, 1000);
  EXPECT_EQ(q.next_timeout(), 31000);
  q.on(UploadProgress{4, 1000, 1000000}, 11000);  // a sign of life moves the deadline
  EXPECT_EQ(q.next_timeout(), 41000);
  EXPECT_TRUE(q.on_timeout(40999).list.empty());

  const Q::Effects first = q.on_timeout(41000);
  EXPECT_EQ(said(first), (Lines{"abort 4 keep", "log warning unknown-upload", "start 4"}));
  EXPECT_TRUE(first.changed);
  EXPECT_EQ(q.items()[0].state, UploadState::kUploading);
  EXPECT_EQ(q.items()[0].attempts, 2);
  EXPECT_EQ(q.items()[0].percent, 0);
  EXPECT_EQ(q.next_timeout(), 71000);

  EXPECT_EQ(said(q.on_timeout(71000)),
            (Lines{"abort 4 keep", "log warning unknown-upload", "failed big.zip stalled stalled"}));
  EXPECT_EQ(q.items()[0].state, UploadState::kFailed);
  EXPECT_EQ(q.items()[0].error, "stalled");
  EXPECT_FALSE(q.next_timeout().has_value());  // nothing left to watch
  EXPECT_TRUE(q.on_timeout(200000).list.empty());

  // Retry needs no new pick: the same id starts again and is watched again.
  EXPECT_EQ(said(q.on(RetryUpload{4}, 80000)), (Lines{"start 4"}));
  EXPECT_EQ(q.next_timeout(), 110000);
}

TEST(UploadQueue, TheHistoryKeepsTheNewestFinishedOnesAndADroppedFailureLetsItsFileGo) {
  Q q(limits(/*history_cap=*/1));
  q.on(QueueUpload{1, "a", 10}, 0);
  q.on(QueueUpload{2, "b", 10}, 0);
  q.on(QueueUpload{3, "c", 10}, 0);
  q.on(UploadFailed{1, "HTTP 500"}, 1);  // one finished: within the cap
  ASSERT_EQ(q.items().size(), 3u);
  // 2 done: two finished, over the cap: the oldest (the failed 1) goes, and so does its file.
  EXPECT_EQ(said(q.on(UploadFinished{2, "/f/b"}, 2)),
            (Lines{"forget 2", "announce b /f/b", "forget 1", "start 3"}));
  ASSERT_EQ(q.items().size(), 2u);
  EXPECT_EQ(q.items()[0].id, 2u);
  EXPECT_EQ(q.items()[1].id, 3u);
  // A dropped done one needs no forget: its file went when it finished.
  EXPECT_EQ(said(q.on(UploadFinished{3, "/f/c"}, 3)), (Lines{"forget 3", "announce c /f/c"}));
  ASSERT_EQ(q.items().size(), 1u);
  EXPECT_EQ(q.items()[0].id, 3u);
}

TEST(UploadQueue, CancelAllStopsWhatIsQueuedOrRunningAndKeepsWhatFinished) {
  Q q(limits());
  q.on(QueueUpload{1, "a", 10}, 0);
  q.on(UploadFinished{1, "/f/a"}, 1);  // done; 2 is not queued yet
  q.on(QueueUpload{2, "b", 10}, 2);
  q.on(QueueUpload{3, "c", 10}, 2);
  const Q::Effects fx = q.cancel_all();
  EXPECT_EQ(said(fx), (Lines{"abort 2", "forget 2", "forget 3"}));
  EXPECT_TRUE(fx.changed);
  EXPECT_EQ(q.items()[0].state, UploadState::kDone);
  EXPECT_EQ(q.items()[1].state, UploadState::kCancelled);
  EXPECT_EQ(q.items()[2].state, UploadState::kCancelled);
  EXPECT_FALSE(q.next_timeout().has_value());
  EXPECT_FALSE(q.cancel_all().changed);  // nothing left to cancel
}

}  // namespace
}  // namespace gc::core
