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
#pragma once

#include "model/market_data.hpp"

#include <limits>
#include <optional>

namespace tickd::core {

class SeriesGate {
 public:
  static constexpr TimeMs kNone = std::numeric_limits<TimeMs>::min();

  explicit SeriesGate(TimeMs length_ms) : length_ms_(length_ms) {}

  // History already holds the closed candles opening before `end`.
  void restored_until(TimeMs end) {
    if (end <= 0 || (last_closed_ != kNone && end - length_ms_ <= last_closed_)) return;
    last_closed_ = end - length_ms_;
  }

  // True when `c` is newer than every closed candle passed so far (it is then
  // recorded as passed); false for a repeat. `release` gets a held update that
  // may follow it now.
  bool closed(const CandleData& c, std::optional<CandleData>& release) {
    release.reset();
    if (last_closed_ != kNone && c.open_time <= last_closed_) return false;
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
    return true;
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

  TimeMs length_ms_;
  TimeMs last_closed_ = kNone;  // open time of the newest closed candle passed
  TimeMs open_ = kNone;         // open time of the bucket updates have opened
  std::optional<CandleData> held_;
};

}  // namespace tickd::core
