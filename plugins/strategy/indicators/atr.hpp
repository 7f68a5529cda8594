// Average true range as TA-Lib's ATR: true range needs the previous close, so
// the first value, at input `period`, is the mean of the true ranges of inputs
// 1..period; afterwards Wilder smoothing atr = (atr * (period - 1) + tr) / period.
#pragma once

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tickd::strategy {

class Atr {
 public:
  explicit Atr(int period) : period_(period) {
    if (period < 1) throw std::invalid_argument("ATR period must be at least 1");
  }

  bool update(double high, double low, double close) {
    if (!has_prev_) {
      prev_close_ = close;
      has_prev_ = true;
      return false;
    }
    const double tr = std::max({high - low, std::fabs(high - prev_close_), std::fabs(low - prev_close_)});
    prev_close_ = close;
    if (count_ < period_) {
      value_ += tr;
      if (++count_ < period_) return false;
      value_ /= period_;
    } else {
      value_ = (value_ * (period_ - 1) + tr) / period_;
    }
    return true;
  }

  bool ready() const { return count_ == period_; }
  double value() const { return value_; }

 private:
  int period_;
  int count_ = 0;
  bool has_prev_ = false;
  double prev_close_ = 0;
  double value_ = 0;
};

}  // namespace tickd::strategy
