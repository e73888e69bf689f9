// UploadQueue: one upload at a time, in queue order (see upload_queue.hpp).
#include "core/upload_queue.hpp"

#include <algorithm>
#include <utility>

namespace gc::core {

namespace {

Log unknown_upload(LogLevel level, std::string detail) {
  return Log{level, LocalError{LocalErrorCode::kUnknownUpload, std::move(detail)}};
}

bool finished(const UploadView& u) {
  return u.state == UploadState::kDone || u.state == UploadState::kFailed ||
         u.state == UploadState::kCancelled;
}

}  // namespace

const UploadView* UploadQueue::uploading(UploadId id) const {
  for (const auto& u : items_)
    if (u.id == id) return u.state == UploadState::kUploading ? &u : nullptr;
  return nullptr;
}

UploadView* UploadQueue::find(UploadId id) {
  for (auto& u : items_)
    if (u.id == id) return &u;
  return nullptr;
}

UploadView* UploadQueue::active(UploadId id, const char* what, Effects& fx) {
  UploadView* u = find(id);
  if (!u || u->state != UploadState::kUploading) {
    fx.list.push_back(unknown_upload(LogLevel::kDebug, std::string(what) + " for upload " +
                                                           std::to_string(id) + " that is not uploading"));
    return nullptr;
  }
  return u;
}

void UploadQueue::stop(UploadView& u, UploadState to) {
  u.state = to;
  progress_at_.erase(u.id);
}

void UploadQueue::mark_failed(UploadView& u, UploadError why, const std::string& reason, Effects& fx) {
  stop(u, UploadState::kFailed);
  u.error = reason;
  u.failure = why;
  fx.list.push_back(Failed{u.id, u.name, why, reason});
  fx.changed = true;
}

void UploadQueue::settle(Millis now, Effects& fx) {
  trim(fx);
  pump(now, fx);
}

// Finished uploads beyond the cap go, oldest first; a failed one's file with it (no
// Retry is possible any more).
void UploadQueue::trim(Effects& fx) {
  std::size_t n = static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), finished));
  for (auto it = items_.begin(); n > limits_.history_cap && it != items_.end();) {
    if (finished(*it)) {
      if (it->state == UploadState::kFailed) fx.list.push_back(ForgetUpload{it->id});
      it = items_.erase(it);
      fx.changed = true;
      --n;
    } else {
      ++it;
    }
  }
}

void UploadQueue::pump(Millis now, Effects& fx) {
  for (const auto& u : items_)
    if (u.state == UploadState::kUploading) return;
  for (auto& u : items_) {
    if (u.state == UploadState::kQueued) {
      u.state = UploadState::kUploading;
      ++u.attempts;
      progress_at_[u.id] = now;
      fx.list.push_back(StartUpload{u.id});
      fx.changed = true;
      return;
    }
  }
}

UploadQueue::Effects UploadQueue::on(const QueueUpload& u, Millis now) {
  Effects fx;
  if (find(u.upload_id)) {
    fx.list.push_back(Log{LogLevel::kWarning,
                          LocalError{LocalErrorCode::kInvalidInput,
                                     "upload id " + std::to_string(u.upload_id) + " queued twice"}});
    return fx;
  }
  items_.push_back(UploadView{u.upload_id, u.name, u.size, UploadState::kQueued, 0, {}});
  fx.changed = true;
  pump(now, fx);
  return fx;
}

UploadQueue::Effects UploadQueue::on(const UploadProgress& e, Millis now) {
  Effects fx;
  UploadView* u = active(e.upload_id, "UploadProgress", fx);
  if (!u) return fx;
  progress_at_[u->id] = now;
  const std::uint64_t total = e.total ? e.total : u->size;
  const int pct = total ? static_cast<int>(std::min<std::uint64_t>(e.sent, total) * 100 / total) : 0;
  if (pct != u->percent) {
    u->percent = pct;
    fx.changed = true;
  }
  return fx;
}

UploadQueue::Effects UploadQueue::on(const UploadFinished& e, Millis now) {
  Effects fx;
  UploadView* u = active(e.upload_id, "UploadFinished", fx);
  if (!u) return fx;
  stop(*u, UploadState::kDone);
  u->percent = 100;
  fx.list.push_back(ForgetUpload{u->id});
  fx.list.push_back(Announce{u->id, u->name, e.url});
  fx.changed = true;
  settle(now, fx);
  return fx;
}

UploadQueue::Effects UploadQueue::on(const UploadFailed& e, Millis now) {
  return fail(e.upload_id, e.too_large ? UploadError::kTooLarge : UploadError::kFailed, e.reason, now);
}

UploadQueue::Effects UploadQueue::fail(UploadId id, UploadError why, const std::string& reason, Millis now) {
  Effects fx;
  UploadView* u = active(id, "UploadFailed", fx);
  if (!u) return fx;
  mark_failed(*u, why, reason, fx);
  settle(now, fx);
  return fx;
}

UploadQueue::Effects UploadQueue::on(const CancelUpload& e, Millis now) {
  Effects fx;
  UploadView* u = find(e.upload_id);
  if (!u || (u->state != UploadState::kQueued && u->state != UploadState::kUploading)) {
    fx.list.push_back(unknown_upload(LogLevel::kDebug, "CancelUpload for " + std::to_string(e.upload_id) +
                                                           " that is not active"));
    return fx;
  }
  if (u->state == UploadState::kUploading) fx.list.push_back(AbortUpload{u->id});
  fx.list.push_back(ForgetUpload{u->id});
  stop(*u, UploadState::kCancelled);
  fx.changed = true;
  settle(now, fx);
  return fx;
}

UploadQueue::Effects UploadQueue::on(const RetryUpload& e, Millis now) {
  Effects fx;
  UploadView* u = find(e.upload_id);
  if (!u || u->state != UploadState::kFailed) {
    fx.list.push_back(unknown_upload(LogLevel::kDebug, "RetryUpload for " + std::to_string(e.upload_id) +
                                                           " that has not failed"));
    return fx;
  }
  u->state = UploadState::kQueued;
  u->percent = 0;
  u->error.clear();
  u->failure = UploadError::kNone;
  fx.changed = true;
  pump(now, fx);
  return fx;
}

UploadQueue::Effects UploadQueue::cancel_all() {
  Effects fx;
  for (auto& u : items_) {
    if (u.state == UploadState::kUploading) fx.list.push_back(AbortUpload{u.id});
    if (u.state == UploadState::kUploading || u.state == UploadState::kQueued) {
      u.state = UploadState::kCancelled;
      fx.list.push_back(ForgetUpload{u.id});
      fx.changed = true;
    }
  }
  progress_at_.clear();
  return fx;
}

// A dead proxy or a server that stopped reading shows as no progress: the transfer is
// aborted and started again by itself auto_retries times (the platform keeps the file),
// then it fails "stalled", and Retry needs no new pick.
UploadQueue::Effects UploadQueue::on_timeout(Millis now) {
  Effects fx;
  for (auto& u : items_) {
    if (u.state != UploadState::kUploading) continue;
    const auto at = progress_at_.find(u.id);
    if (at == progress_at_.end() || now < at->second + limits_.stall_timeout_ms) continue;
    fx.list.push_back(AbortUpload{u.id, /*keep_file=*/true});
    fx.list.push_back(unknown_upload(LogLevel::kWarning,
                                     "upload " + std::to_string(u.id) + " stalled: no progress for " +
                                         std::to_string(limits_.stall_timeout_ms) + " ms"));
    if (u.attempts <= limits_.auto_retries) {
      stop(u, UploadState::kQueued);
      u.percent = 0;
      fx.changed = true;
    } else {
      mark_failed(u, UploadError::kStalled, "stalled", fx);
    }
  }
  pump(now, fx);
  return fx;
}

std::optional<Millis> UploadQueue::next_timeout() const {
  std::optional<Millis> t;
  for (const auto& [id, at] : progress_at_)
    if (!t || at + limits_.stall_timeout_ms < *t) t = at + limits_.stall_timeout_ms;
  return t;
}

}  // namespace gc::core
