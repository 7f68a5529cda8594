// Bollinger bands as TA-Lib's BBANDS with an SMA middle band: middle = SMA(n),
// upper/lower = middle +- k * population standard deviation of the same n.
#pragma once

#include "indicators/rolling_window.hpp"

#include <cmath>

namespace tickd::strategy {

class Bollinger {
 public:
  Bollinger(int period, double k) : window_(period >= 1 ? static_cast<std::size_t>(period) : 0), k_(k) {}

  bool update(double x) {
    window_.push(x);
    return ready();
  }
  bool ready() const { return window_.full(); }
  double middle() const { return window_.mean(); }
  double stddev() const { return std::sqrt(window_.variance()); }
  double upper() const { return middle() + k_ * stddev(); }
  double lower() const { return middle() - k_ * stddev(); }

 private:
  RollingWindow window_;
  double k_;
};

}  // namespace tickd::strategy
