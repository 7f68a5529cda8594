// MACD with TA-Lib's semantics: the slow EMA is seeded with the SMA of the first
// `slow` inputs, and the fast EMA is started at that same input, seeded with
// the SMA of the last `fast` inputs (so it is NOT an independent EMA(fast) of
// the whole series: this is TA-Lib's known difference from pandas' ewm). The
// signal line is an EMA(signal) of the MACD line seeded with its SMA; the first
// complete value comes at input slow + signal - 2.
#pragma once

#include "indicators/ema.hpp"
#include "indicators/sma.hpp"

#include <stdexcept>

namespace tickd::strategy {

class Macd {
 public:
  Macd(int fast, int slow, int signal) : fast_seed_(fast), fast_(fast), slow_(slow), signal_(signal) {
    if (fast >= slow) throw std::invalid_argument("MACD fast period must be below the slow period");
  }

  bool update(double x) {
    if (!fast_.ready()) fast_seed_.update(x);
    slow_.update(x);
    if (!slow_.ready()) return false;
    if (fast_.ready())
      fast_.update(x);
    else
      fast_.seed(fast_seed_.value());
    macd_ = fast_.value() - slow_.value();
    return signal_.update(macd_);
  }

  bool ready() const { return signal_.ready(); }
  double macd() const { return macd_; }
  double signal() const { return signal_.value(); }
  double histogram() const { return macd_ - signal_.value(); }

 private:
  Sma fast_seed_;
  Ema fast_;
  Ema slow_;
  Ema signal_;
  double macd_ = 0;
};

}  // namespace tickd::strategy
