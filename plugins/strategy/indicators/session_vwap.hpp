// Volume-weighted average price over a session: sum(typical * volume) /
// sum(volume) with typical = (high + low + close) / 3, restarted whenever the
// session key changes (utc_day() gives the UTC day of a candle).
//
// Why the typical price and not the candle's quote_volume: quote_volume is the
// exact traded value, but candles restored from storage or files often lack it,
// and HLC/3 is the definition chart packages use, so values agree with what a
// trader sees elsewhere and stay defined for every candle.
#pragma once

#include <cstdint>

namespace tickd::strategy {

class SessionVwap {
 public:
  static std::int64_t utc_day(std::int64_t time_ms) {
    const std::int64_t day = 86400000;
    return time_ms >= 0 ? time_ms / day : -((-time_ms + day - 1) / day);
  }

  // Returns true once the session has seen volume.
  bool update(std::int64_t session, double high, double low, double close, double volume) {
    if (!started_ || session != session_) {
      session_ = session;
      started_ = true;
      price_volume_ = 0;
      volume_ = 0;
    }
    price_volume_ += (high + low + close) / 3.0 * volume;
    volume_ += volume;
    return ready();
  }

  bool ready() const { return volume_ > 0; }
  double value() const { return price_volume_ / volume_; }

 private:
  bool started_ = false;
  std::int64_t session_ = 0;
  double price_volume_ = 0;
  double volume_ = 0;
};

}  // namespace tickd::strategy
