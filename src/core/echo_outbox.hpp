#pragma once
// Own chat lines and file announcements between typing and confirmation (PROTOCOL.md rule 7).
//
// One type for both: Payload is the chat text, or the file's name and URL. An item is
//   queued   typed while away from the room, or held back by the client's own pacing;
//   pending  sent; waiting for the server's echo until its deadline;
// and leaves the outbox when its echo matches, when its deadline passes (the Session then
// marks it sent or not confirmed), or when it is dropped (Leave, a join elsewhere).
// The line's status for the UI lives in the view; the outbox only keeps what is needed to
// send again, match an echo, and time out. Items are identified by the view's seq.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "core/backoff.hpp"  // Millis

namespace gc::core {

template <class Payload>
class EchoOutbox {
 public:
  struct Item {
    std::uint64_t seq = 0;
    Payload payload;
  };

  // ---- queued ------------------------------------------------------------------------
  void enqueue(std::uint64_t seq, Payload payload) { queued_.push_back(Item{seq, std::move(payload)}); }
  // Back at the front, ahead of anything typed since (a socket lost before the echo).
  void enqueue_front(std::vector<Item> items) { queued_.insert(queued_.begin(), items.begin(), items.end()); }
  bool has_queued() const { return !queued_.empty(); }
  Item pop_queued() {
    Item item = std::move(queued_.front());
    queued_.pop_front();
    return item;
  }
  // Everything queued, in order; the queue is then empty.
  std::vector<std::uint64_t> drop_queued() {
    std::vector<std::uint64_t> seqs;
    for (const Item& q : queued_) seqs.push_back(q.seq);
    queued_.clear();
    return seqs;
  }

  // ---- pending -----------------------------------------------------------------------
  // Sent at `now`: its echo may come until `deadline`, and still match until `now` plus
  // the match window (a late echo confirms a line that was marked not confirmed).
  void sent(std::uint64_t seq, Payload payload, Millis now, Millis deadline, std::size_t cap) {
    unechoed_.push_back(Sent{Item{seq, std::move(payload)}, now});
    while (unechoed_.size() > std::max<std::size_t>(cap, 1)) unechoed_.pop_front();
    deadlines_.push_back(Deadline{seq, deadline});
  }
  // An own-id echo: the oldest unechoed item with the same payload sent within `window`.
  std::optional<std::uint64_t> take_echo(const Payload& echoed, Millis now, Millis window) {
    while (!unechoed_.empty() && unechoed_.front().at < now - window) unechoed_.pop_front();
    for (auto it = unechoed_.begin(); it != unechoed_.end(); ++it) {
      if (it->item.payload == echoed) {
        const std::uint64_t seq = it->item.seq;
        unechoed_.erase(it);
        return seq;
      }
    }
    return std::nullopt;
  }
  // Calls on_expired(seq) for each deadline at or before `now`, oldest first.
  void expire(Millis now, const std::function<void(std::uint64_t)>& on_expired) {
    while (!deadlines_.empty() && deadlines_.front().at <= now) {
      const std::uint64_t seq = deadlines_.front().seq;
      deadlines_.pop_front();
      on_expired(seq);
    }
  }
  std::optional<Millis> next_deadline() const {
    if (deadlines_.empty()) return std::nullopt;
    return deadlines_.front().at;
  }
  // No longer waited for (sent again, or requeued): neither an echo nor a deadline applies.
  void forget(std::uint64_t seq) {
    const auto same = [seq](const auto& x) { return seq_of(x) == seq; };
    unechoed_.erase(std::remove_if(unechoed_.begin(), unechoed_.end(), same), unechoed_.end());
    deadlines_.erase(std::remove_if(deadlines_.begin(), deadlines_.end(), same), deadlines_.end());
  }

 private:
  struct Sent {
    Item item;
    Millis at = 0;
  };
  struct Deadline {
    std::uint64_t seq = 0;
    Millis at = 0;
  };
  static std::uint64_t seq_of(const Sent& s) { return s.item.seq; }
  static std::uint64_t seq_of(const Deadline& d) { return d.seq; }

  std::deque<Item> queued_;
  std::deque<Sent> unechoed_;
  std::deque<Deadline> deadlines_;  // in send order, so in deadline order
};

}  // namespace gc::core
