// A fixed-length window over the newest values with their running sum and sum
// of squares: O(1) per value, the base of SMA and Bollinger bands.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <vector>

namespace tickd::strategy {

class RollingWindow {
 public:
  explicit RollingWindow(std::size_t length) : values_(length) {
    if (length == 0) throw std::invalid_argument("window length must be at least 1");
  }

  void push(double x) {
    if (count_ == values_.size()) {
      const double old = values_[next_];
      sum_ -= old;
      sum_sq_ -= old * old;
    } else {
      ++count_;
    }
    values_[next_] = x;
    sum_ += x;
    sum_sq_ += x * x;
    if (++next_ == values_.size()) {
      next_ = 0;
      // Running sums drift by rounding over millions of candles; summing the
      // ring afresh once per lap bounds the error at O(1) amortized cost.
      if (count_ == values_.size()) resum();
    }
  }

  bool full() const { return count_ == values_.size(); }
  std::size_t length() const { return values_.size(); }
  double sum() const { return sum_; }
  double mean() const { return sum_ / static_cast<double>(count_); }

  // Population variance the way TA-Lib's STDDEV computes it, E[x^2] - E[x]^2,
  // floored at zero because rounding can make it slightly negative.
  double variance() const {
    const double n = static_cast<double>(count_);
    const double m = sum_ / n;
    const double v = sum_sq_ / n - m * m;
    return v > 0 ? v : 0;
  }

 private:
  void resum() {
    sum_ = 0;
    sum_sq_ = 0;
    for (double v : values_) {
      sum_ += v;
      sum_sq_ += v * v;
    }
  }

  std::vector<double> values_;
  std::size_t next_ = 0;
  std::size_t count_ = 0;
  double sum_ = 0;
  double sum_sq_ = 0;
};

}  // namespace tickd::strategy
