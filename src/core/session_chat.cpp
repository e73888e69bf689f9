// The Session's chat lines and file announcements (rule 7: EchoOutbox, the client's own
// pace; rule 12: long lines split), and the UploadQueue's effects carried out.
#include "core/session_impl.hpp"

#include <type_traits>

#include "core/links.hpp"

namespace gc::core {

namespace session_detail {

// Rule 12: a chat line whose sendMessage frame would be over `max_frame` bytes is cut
// into parts whose frames fit, in order. Cuts fall on a code point boundary, never inside
// a joined emoji (before U+200D / U+FE0F or after U+200D), and preferably after the last
// line break or space in the second half of a part. Empty when even one code point cannot
// fit (a limit below the frame's own overhead).
std::vector<std::string> split_chat(const std::string& text, std::size_t max_frame) {
  const auto fits = [&](std::size_t pos, std::size_t len) {
    return protocol::encode(protocol::SendMessage{text.substr(pos, len)}).size() <= max_frame;
  };
  const auto is_cont = [&](std::size_t i) {
    return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
  };
  const auto starts_with = [&](std::size_t i, const char* s) { return text.compare(i, 3, s) == 0; };
  const auto boundary = [&](std::size_t i) {  // may the text be cut before byte i?
    if (i == 0 || i >= text.size()) return true;
    if (is_cont(i)) return false;
    if (starts_with(i, "\xE2\x80\x8D") || starts_with(i, "\xEF\xB8\x8F")) return false;  // ZWJ, VS16
    return !(i >= 3 && starts_with(i - 3, "\xE2\x80\x8D"));
  };
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (fits(pos, std::string::npos)) {
      parts.push_back(text.substr(pos));
      break;
    }
    std::size_t lo = 0, hi = text.size() - pos;  // fits(lo) holds, fits(hi) does not
    while (hi - lo > 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      (fits(pos, mid) ? lo : hi) = mid;
    }
    std::size_t cut = lo;
    while (cut > 0 && !boundary(pos + cut)) --cut;
    if (cut == 0) return {};
    for (const char brk : {'\n', ' '}) {
      const std::size_t at = text.rfind(brk, pos + cut - 1);
      if (at != std::string::npos && at + 1 > pos + cut / 2) {
        cut = at + 1 - pos;
        break;
      }
    }
    parts.push_back(text.substr(pos, cut));
    pos += cut;
  }
  return parts;
}

// `text` cut to at most `max` bytes on a code point boundary, ending in "…" (U+2026) when
// it was cut. True when it was.
bool clip_utf8(std::string& text, std::size_t max) {
  if (text.size() <= max) return false;
  text = clipped_utf8(text, max, nullptr);
  return true;
}

// The same cut as a copy of only the bytes kept: a received line may be megabytes long and
// only its first max_received_chat_bytes are kept (scenario 22: twenty 400 KB lines).
std::string clipped_utf8(std::string_view text, std::size_t max, bool* cut_out) {
  if (cut_out) *cut_out = text.size() > max;
  if (text.size() <= max) return std::string(text);
  static constexpr const char kEllipsis[] = "\xE2\x80\xA6";
  std::size_t cut = max >= 3 ? max - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out;
  out.reserve(cut + 3);
  out.append(text.substr(0, cut));
  if (max >= 3) out += kEllipsis;
  return out;
}

}  // namespace session_detail

void Session::Impl::push_chat(ChatLine line) {
  chat_bytes += line.text.size();
  view.chat.push_back(std::move(line));
  while (view.chat.size() > config.chat_history_cap ||
         (chat_bytes > config.max_chat_memory_bytes && view.chat.size() > 1)) {
    chat_bytes -= view.chat.front().text.size();
    view.chat.pop_front();
  }
  touch();
}

void Session::Impl::push_file(SharedFile f) {
  view.files.push_back(std::move(f));
  while (view.files.size() > config.file_history_cap) view.files.pop_front();
  touch();
}

// May one more sendMessage / uploadSuccess go out now without passing the server's rate?
bool Session::Impl::within_rate(Millis now) {
  while (!rate_sent.empty() && rate_sent.front() <= now - config.chat_rate_window_ms)
    rate_sent.pop_front();
  return config.chat_rate_count <= 0 || static_cast<int>(rate_sent.size()) < config.chat_rate_count;
}

// Seqs are unique across chat and files.
ChatStatus* Session::Impl::status_of(std::uint64_t seq) {
  if (ChatLine* line = find_by_seq(view.chat, seq)) return &line->status;
  if (SharedFile* f = find_by_seq(view.files, seq)) return &f->status;
  return nullptr;
}

void Session::Impl::set_status(std::uint64_t seq, ChatStatus status) {
  if (ChatStatus* s = status_of(seq)) *s = status;
  touch();
}

void Session::Impl::set_resendable(std::uint64_t seq, bool resendable) {
  if (ChatLine* line = find_by_seq(view.chat, seq)) line->resendable = resendable;
  if (SharedFile* f = find_by_seq(view.files, seq)) f->resendable = resendable;
}

template <class P>
void Session::Impl::send_now(EchoOutbox<P>& box, std::uint64_t seq, P payload, Millis now) {
  if (transmit(payload)) rate_sent.push_back(now);
  set_status(seq, ChatStatus::kPending);
  box.sent(seq, std::move(payload), now, now + config.chat_echo_timeout_ms, history_cap(box));
}

// A new own line (or one to send again): out now when in the room, nothing waits ahead
// of it and the pace allows; otherwise queued, in order, behind what waits.
template <class P>
void Session::Impl::submit(EchoOutbox<P>& box, std::uint64_t seq, P payload, Millis now) {
  if (view.phase == Phase::kInRoom && !box.has_queued() && within_rate(now)) {
    send_now(box, seq, std::move(payload), now);
  } else {
    set_status(seq, ChatStatus::kQueued);
    box.enqueue(seq, std::move(payload));
  }
}

// Own lines and file announcements still Pending when the socket dies may never have
// reached the server (nothing typed is lost): they go back to the queue, in typing
// order ahead of anything typed since, and are sent again after the rejoin. A server
// that relayed one but whose echo was lost shows it twice to the others; losing it
// would be worse. Lines already Sent (echoed, or past the echo timeout) stay sent.
template <class P, class Items, class Payload>
void Session::Impl::requeue_pending(EchoOutbox<P>& box, Items& items, Payload payload_of) {
  std::vector<typename EchoOutbox<P>::Item> back;
  for (auto& item : items) {
    if (!item.is_self || item.status != ChatStatus::kPending) continue;
    item.status = ChatStatus::kQueued;
    box.forget(item.seq);
    back.push_back({item.seq, payload_of(item)});
  }
  if (back.empty()) return;
  box.enqueue_front(std::move(back));
  touch();
}

void Session::Impl::requeue_unconfirmed() {
  requeue_pending(chat_box, view.chat, [](const ChatLine& l) { return l.text; });
  requeue_pending(file_box, view.files, [](const SharedFile& f) { return FileRef{f.name, f.url}; });
}

// Lines still queued for this room are never sent to another one: Leave, or a join with
// another room or user, marks them not sent (they stay in the history, marked so), and
// lines not confirmed here can no longer be sent again.
void Session::Impl::abandon_queued(const char* why) {
  std::vector<std::uint64_t> seqs = chat_box.drop_queued();
  for (std::uint64_t seq : file_box.drop_queued()) seqs.push_back(seq);
  for (std::uint64_t seq : seqs) set_status(seq, ChatStatus::kNotSent);
  for (ChatLine& line : view.chat) line.resendable = false;
  for (SharedFile& f : view.files) f.resendable = false;
  if (seqs.empty()) return;
  info(LogLevel::kInfo, std::to_string(seqs.size()) + " queued line(s) not sent: " + why);
  touch();
}

// Nothing typed is lost: lines queued while away go out in order after the rejoin, at the
// client's own pace (within_rate); what does not fit now goes when the window moves on.
template <class P>
void Session::Impl::flush(EchoOutbox<P>& box, Millis now) {
  while (box.has_queued() && within_rate(now)) {
    auto q = box.pop_queued();
    send_now(box, q.seq, std::move(q.payload), now);
  }
}

void Session::Impl::flush_queued(Millis now) {
  flush(chat_box, now);
  flush(file_box, now);
}

// Rule 7: an own-id echo merges with the oldest unechoed own entry with the same content.
template <class P>
bool Session::Impl::merge_echo(EchoOutbox<P>& box, const P& echoed, Millis now) {
  const std::optional<std::uint64_t> seq = box.take_echo(echoed, now, config.echo_match_window_ms);
  if (!seq) return false;
  echo_seen = true;
  set_status(*seq, ChatStatus::kSent);  // a late echo confirms a not-confirmed line too
  set_resendable(*seq, false);
  return true;
}

// A sent line's echo deadline passed: sent, unless this server echoes (echo_seen), in
// which case it is not confirmed and can be sent again (ResendLine).
template <class P>
void Session::Impl::expire_echoes(EchoOutbox<P>& box, Millis now) {
  box.expire(now, [&](std::uint64_t seq) {
    ChatStatus* status = status_of(seq);
    if (!status || *status != ChatStatus::kPending) return;
    if (!echo_seen) {
      *status = ChatStatus::kSent;
    } else {
      *status = ChatStatus::kNotConfirmed;
      set_resendable(seq, true);
      info(LogLevel::kWarning, "no echo for own line " + std::to_string(seq) + " within " +
                                   std::to_string(config.chat_echo_timeout_ms) + " ms: not confirmed");
    }
    touch();
  });
}

void Session::Impl::on_chat(const protocol::ReceiveTextMessage& m, Millis now) {
  const bool own = m.user_id == view.self.id;
  if (own && merge_echo(chat_box, m.message, now)) return;
  bool truncated = false;
  std::string text = clipped_utf8(m.message, config.max_received_chat_bytes, &truncated);
  ChatLine line{next_seq++, m.user_id, own, std::move(text), now, ChatStatus::kSent};
  line.truncated = truncated;
  push_chat(std::move(line));
  if (!own && !view.chat_visible) ++view.unread;
}

void Session::Impl::on_file(const protocol::FileUploaded& m, Millis now) {
  const bool own = m.user_id == view.self.id;
  if (own && merge_echo(file_box, FileRef{m.file_name, m.file_url}, now)) return;
  SharedFile f{next_seq++, m.user_id, own, m.file_name, m.file_url, false, now, ChatStatus::kSent};
  clip_utf8(f.name, config.max_file_name_bytes);
  const bool url_cut = clip_utf8(f.url, config.max_file_url_bytes);
  f.linkable = !url_cut && is_linkable_url(f.url);
  push_file(std::move(f));
}

void Session::Impl::on(const SendChat& c, Millis now) {
  if (c.text.empty() || c.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    local_error(LogLevel::kDebug, LocalErrorCode::kInvalidInput, "empty chat line");
    return;
  }
  if (c.text.size() > config.max_chat_bytes) {
    local_error(LogLevel::kWarning, LocalErrorCode::kInvalidInput,
                "chat line of " + std::to_string(c.text.size()) + " bytes is over the limit");
    return;
  }
  if (view.phase == Phase::kLeft) {
    local_error(LogLevel::kInfo, LocalErrorCode::kWrongPhase, "SendChat after Leave");
    return;
  }
  const std::vector<std::string> parts = split_chat(c.text, config.max_send_frame_bytes);
  if (parts.empty()) {
    local_error(LogLevel::kWarning, LocalErrorCode::kFrameTooLarge,
                "no chat frame fits in " + std::to_string(config.max_send_frame_bytes) + " bytes");
    return;
  }
  // Each part is a line of its own, for us as for everyone (each is echoed on its own).
  for (const std::string& part : parts) {
    const std::uint64_t seq = next_seq++;
    push_chat(ChatLine{seq, view.self.id, true, part, now, ChatStatus::kQueued});
    submit(chat_box, seq, part, now);
  }
  if (parts.size() > 1)
    notice(NoticeCode::kChatSplit, std::to_string(parts.size()), now).parts = static_cast<int>(parts.size());
}

// The queue decides; the Session carries its effects out in the order given (the
// announcement of a finished upload goes out before the next upload starts).
void Session::Impl::apply(UploadQueue::Effects fx, Millis now) {
  for (UploadQueue::Effect& effect : fx.list) {
    std::visit([&](auto& e) {
      using E = std::decay_t<decltype(e)>;
      if constexpr (std::is_same_v<E, UploadQueue::Announce>) {
        announce_upload(e, now);
      } else if constexpr (std::is_same_v<E, UploadQueue::Failed>) {
        notice(NoticeCode::kUploadFailed, e.name + ": " + e.reason, now).upload = e.why;
      } else {
        emit(std::move(e));  // StartUpload, AbortUpload, ForgetUpload, Log
      }
    }, effect);
  }
  if (fx.changed) {
    view.uploads = uploads.items();
    touch();
  }
}

void Session::Impl::announce_upload(const UploadQueue::Announce& a, Millis now) {
  const std::uint64_t seq = next_seq++;
  push_file(SharedFile{seq, view.self.id, true, a.name, a.url, is_linkable_url(a.url), now,
                       ChatStatus::kQueued});
  submit(file_box, seq, FileRef{a.name, a.url}, now);
}

void Session::Impl::on(const UploadFinished& e, Millis now) {
  if (const UploadView* u = uploads.uploading(e.upload_id)) {
    const std::size_t frame = protocol::encode(protocol::UploadSuccess{u->name, e.url}).size();
    if (frame > config.max_send_frame_bytes) {  // rule 12: the announcement could never be sent
      local_error(LogLevel::kWarning, LocalErrorCode::kFrameTooLarge,
                  "uploadSuccess frame of " + std::to_string(frame) + " bytes for " + u->name);
      apply(uploads.fail(e.upload_id, UploadError::kAnnouncementTooLarge, "announcement-too-large", now), now);
      return;
    }
  }
  apply(uploads.on(e, now), now);
}

void Session::Impl::on(const ResendLine& r, Millis now) {
  ChatLine* line = find_by_seq(view.chat, r.seq);
  SharedFile* file = line ? nullptr : find_by_seq(view.files, r.seq);
  const bool resendable = line ? line->resendable : file && file->resendable;
  if (!resendable || view.phase == Phase::kLeft) {
    local_error(LogLevel::kDebug, LocalErrorCode::kInvalidInput,
                "ResendLine for " + std::to_string(r.seq) + ", which cannot be sent again");
    return;
  }
  set_resendable(r.seq, false);
  if (line) {
    chat_box.forget(r.seq);
    submit(chat_box, r.seq, line->text, now);
  } else {
    file_box.forget(r.seq);
    submit(file_box, r.seq, FileRef{file->name, file->url}, now);
  }
  info(LogLevel::kInfo, "own line " + std::to_string(r.seq) + " sent again");
}

void Session::Impl::on(const MarkChatRead&, Millis) {
  if (view.unread != 0) {
    view.unread = 0;
    touch();
  }
}

void Session::Impl::on(const SetChatVisible& e, Millis) {
  view.chat_visible = e.visible;
  if (e.visible) view.unread = 0;
  touch();
}

// Echo deadlines (a line becomes sent or not confirmed) and uploads without progress.
void Session::Impl::chat_timers(Millis now) {
  expire_echoes(chat_box, now);
  expire_echoes(file_box, now);
  apply(uploads.on_timeout(now), now);
}

}  // namespace gc::core
