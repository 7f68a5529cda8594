// Which candles of one series (symbol, interval) received from NATS may enter
// the aggregator, so that nothing is applied twice and the source's closed
// candle is always the one that closes a bucket.
//
// Closed candles come from JetStream, updates from core NATS: two paths, so
// the update of bucket T+1 can overtake the closed candle of T. Passing it on
// would close T in the aggregator with the last update's figures, and the real
// closed T would then be ignored as old. So an update is passed only when
// every earlier bucket has been closed by its own candle (or belongs to the
// bucket already open); otherwise the newest such update is held and released
// when the closed candle it waits for arrives.
//
// A closed candle for a bucket already closed is either a repeat (the stream
// delivered it again after a reconnect or restart) or an amendment: the
// source corrected that candle after a late tick and published it with the
// next revision of its message id (nats_subjects::candle_message_id). Each
// revision of a bucket passes once, a newer one after an older one only.
#pragma once

#include "model/market_data.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>

namespace tickd::core {

class SeriesGate {
 public:
  static constexpr TimeMs kNone = std::numeric_limits<TimeMs>::min();
  // Amended buckets whose revision is remembered: amendments reach back a few
  // buckets, as far as the source's history at most. An older one forgotten
  // and delivered again is applied again, which changes nothing.
  static constexpr std::size_t kRevisionsKept = 256;

  explicit SeriesGate(TimeMs length_ms) : length_ms_(length_ms) {}

  // History already holds the closed candles opening before `end`.
  void restored_until(TimeMs end) {
    if (end <= 0 || (last_closed_ != kNone && end - length_ms_ <= last_closed_)) return;
    last_closed_ = end - length_ms_;
  }

  enum class Closed {
    pass,    // newer than every closed candle passed so far: closes its bucket
    amend,   // a newer revision of a bucket already closed: replaces it
    repeat,  // a revision already passed (or the first close of a bucket closed before)
  };
  // `revision`: the one its message id carries (0: the bucket's first close).
  // `release` gets a held update that may follow it now.
  Closed closed(const CandleData& c, std::uint32_t revision, std::optional<CandleData>& release) {
    release.reset();
    if (last_closed_ != kNone && c.open_time <= last_closed_) {
      if (revision == 0) return Closed::repeat;
      const auto it = revisions_.find(c.open_time);
      if (it != revisions_.end() && revision <= it->second) return Closed::repeat;
      remember(c.open_time, revision);
      return Closed::amend;
    }
    if (revision > 0) remember(c.open_time, revision);  // its earlier revisions came before we looked
    last_closed_ = c.open_time;
    if (open_ != kNone && open_ <= c.open_time) open_ = kNone;
    if (held_ && held_->open_time > last_closed_) {
      if (follows_closed(held_->open_time)) {
        release = held_;
        open_ = held_->open_time;
        held_.reset();
      }
    } else {
      held_.reset();
    }
    return Closed::pass;
  }

  enum class Update { pass, stale, held };
  Update update(const CandleData& c) {
    if (last_closed_ != kNone && c.open_time <= last_closed_) return Update::stale;
    if (open_ != kNone) {
      if (c.open_time == open_) return Update::pass;
      if (c.open_time < open_) return Update::stale;
      held_ = c;  // would close `open_` before its own closed candle
      return Update::held;
    }
    if (last_closed_ != kNone && !follows_closed(c.open_time)) {
      held_ = c;  // closed candles of the buckets between are still on their way
      return Update::held;
    }
    open_ = c.open_time;
    return Update::pass;
  }

  TimeMs last_closed() const { return last_closed_; }

 private:
  bool follows_closed(TimeMs open_time) const { return open_time <= last_closed_ + length_ms_; }

  void remember(TimeMs open_time, std::uint32_t revision) {
    revisions_[open_time] = revision;
    if (revisions_.size() > kRevisionsKept) revisions_.erase(revisions_.begin());
  }

  TimeMs length_ms_;
  TimeMs last_closed_ = kNone;  // open time of the newest closed candle passed
  TimeMs open_ = kNone;         // open time of the bucket updates have opened
  std::optional<CandleData> held_;
  std::map<TimeMs, std::uint32_t> revisions_;  // open time -> newest revision passed (> 0 only)
};

}  // namespace tickd::core
