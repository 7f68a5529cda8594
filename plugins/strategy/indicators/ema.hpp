// Exponential moving average with TA-Lib's default seeding: the first value is
// the SMA of the first `period` inputs (at input period-1), then
// ema += (x - ema) * 2 / (period + 1).
#pragma once

#include <stdexcept>

namespace tickd::strategy {

class Ema {
 public:
  explicit Ema(int period) : period_(period), k_(2.0 / (period + 1.0)) {
    if (period < 1) throw std::invalid_argument("EMA period must be at least 1");
  }

  bool update(double x) {
    if (ready_) {
      value_ += (x - value_) * k_;
      return true;
    }
    seed_sum_ += x;
    if (++count_ == period_) seed(seed_sum_ / period_);
    return ready_;
  }

  // Starts the average at `value` as if it had been seeded normally; MACD
  // needs this to align its fast EMA with the slow one as TA-Lib does.
  void seed(double value) {
    value_ = value;
    ready_ = true;
  }

  bool ready() const { return ready_; }
  double value() const { return value_; }
  int period() const { return period_; }

 private:
  int period_;
  double k_;
  int count_ = 0;
  double seed_sum_ = 0;
  double value_ = 0;
  bool ready_ = false;
};

}  // namespace tickd::strategy
