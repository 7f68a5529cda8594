// Simple moving average (TA-Lib SMA): the mean of the last `period` values,
// first valid after `period` values.
#pragma once

#include "indicators/rolling_window.hpp"

namespace tickd::strategy {

class Sma {
 public:
  explicit Sma(int period) : window_(period >= 1 ? static_cast<std::size_t>(period) : 0) {}

  // Returns true once the average is valid.
  bool update(double x) {
    window_.push(x);
    return ready();
  }
  bool ready() const { return window_.full(); }
  double value() const { return window_.mean(); }

 private:
  RollingWindow window_;
};

}  // namespace tickd::strategy
