// Relative strength index with Wilder smoothing, seeded as TA-Lib does (no
// unstable period): the first value, at input `period`, uses the plain means
// of the first `period` gains and losses; afterwards
// avg = (avg * (period - 1) + x) / period. When both averages are ~0 the
// value is 0, as in TA-Lib.
#pragma once

#include <stdexcept>

namespace tickd::strategy {

class Rsi {
 public:
  explicit Rsi(int period) : period_(period) {
    if (period < 1) throw std::invalid_argument("RSI period must be at least 1");
  }

  bool update(double close) {
    if (!has_prev_) {
      prev_ = close;
      has_prev_ = true;
      return false;
    }
    const double change = close - prev_;
    prev_ = close;
    const double gain = change > 0 ? change : 0;
    const double loss = change < 0 ? -change : 0;
    if (count_ < period_) {
      avg_gain_ += gain;
      avg_loss_ += loss;
      if (++count_ < period_) return false;
      avg_gain_ /= period_;
      avg_loss_ /= period_;
    } else {
      avg_gain_ = (avg_gain_ * (period_ - 1) + gain) / period_;
      avg_loss_ = (avg_loss_ * (period_ - 1) + loss) / period_;
    }
    const double total = avg_gain_ + avg_loss_;
    value_ = (total > 1e-8 || total < -1e-8) ? 100.0 * avg_gain_ / total : 0.0;
    return true;
  }

  bool ready() const { return count_ == period_; }
  double value() const { return value_; }

 private:
  int period_;
  int count_ = 0;
  bool has_prev_ = false;
  double prev_ = 0;
  double avg_gain_ = 0;
  double avg_loss_ = 0;
  double value_ = 0;
};

}  // namespace tickd::strategy
