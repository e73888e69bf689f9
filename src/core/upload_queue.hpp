#pragma once
// The files the user picked, uploaded one at a time in the order they were queued.
//
// An upload is
//   queued     waiting for the one before it (or started again after a stall);
//   uploading  the one transfer running: StartUpload went out, its progress is watched;
// and ends done (the Session announces it), failed (Retry queues it again with the same
// file), or cancelled. Finished ones stay in the list for the view, at most
// `history_cap` of them, oldest dropped first.
//
// Sans-IO like the Session: each transition returns what the Session must do, in order
// (commands to run, a file to announce, a failure to show), and never calls back. The
// Session turns them into its commands and notices and mirrors items() into the view.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/commands.hpp"
#include "core/events.hpp"
#include "core/view_model.hpp"

namespace gc::core {

class UploadQueue {
 public:
  struct Limits {
    std::size_t history_cap = 100;   // finished uploads kept
    Millis stall_timeout_ms = 30000;  // uploading with no progress this long: stalled
    int auto_retries = 1;             // a stalled upload starts again this often by itself
  };

  // The file server accepted the upload at `url`: announce it (uploadSuccess).
  struct Announce {
    UploadId id = 0;
    std::string name;
    std::string url;
  };
  // The upload failed: tell the user (a notice) why.
  struct Failed {
    UploadId id = 0;
    std::string name;
    UploadError why = UploadError::kFailed;
    std::string reason;
  };
  // Log carries a LocalError: an event for an upload in the wrong state, or a stall.
  using Effect = std::variant<StartUpload, AbortUpload, ForgetUpload, Announce, Failed, Log>;
  struct Effects {
    std::vector<Effect> list;  // in the order the Session must carry them out
    bool changed = false;      // items() changed
  };

  explicit UploadQueue(Limits limits) : limits_(limits) {}

  Effects on(const QueueUpload& u, Millis now);
  Effects on(const UploadProgress& e, Millis now);
  Effects on(const UploadFinished& e, Millis now);
  Effects on(const UploadFailed& e, Millis now);
  Effects on(const CancelUpload& e, Millis now);
  Effects on(const RetryUpload& e, Millis now);
  // The running upload failed for a reason of the Session's (its announcement cannot be
  // sent): as UploadFailed, with `why`.
  Effects fail(UploadId id, UploadError why, const std::string& reason, Millis now);
  // Leave: what is queued or uploading is cancelled; finished ones stay.
  Effects cancel_all();
  // Stalls due at `now`: aborted (the file kept), then queued again or failed "stalled".
  Effects on_timeout(Millis now);
  // When the running upload stalls unless it reports progress first.
  std::optional<Millis> next_timeout() const;

  const std::vector<UploadView>& items() const { return items_; }
  // The running upload `id`, else nullptr.
  const UploadView* uploading(UploadId id) const;

 private:
  UploadView* find(UploadId id);
  UploadView* active(UploadId id, const char* what, Effects& fx);
  // The running upload stops: its progress is no longer watched.
  void stop(UploadView& u, UploadState to);
  void mark_failed(UploadView& u, UploadError why, const std::string& reason, Effects& fx);
  // After an upload ends: the history trimmed, the next one started.
  void settle(Millis now, Effects& fx);
  void trim(Effects& fx);
  void pump(Millis now, Effects& fx);

  Limits limits_;
  std::vector<UploadView> items_;                    // queue order
  std::unordered_map<UploadId, Millis> progress_at_;  // uploading: last sign of life
};

}  // namespace gc::core
