// The lowest and highest price of the last `window` of ticks, kept in two
// monotonic deques: O(1) amortized per tick however many ticks the window holds.
#pragma once

#include <tickd/types.hpp>

#include <deque>
#include <utility>

namespace tickd::alerts {

class PercentMoveWindow {
 public:
  explicit PercentMoveWindow(TimeMs window_ms) : window_ms_(window_ms) {}

  // Adds a tick after expiring the ones older than the window.
  void add(TimeMs time, double price) {
    expire(time);
    while (!lows_.empty() && lows_.back().second >= price) lows_.pop_back();
    lows_.emplace_back(time, price);
    while (!highs_.empty() && highs_.back().second <= price) highs_.pop_back();
    highs_.emplace_back(time, price);
  }

  void expire(TimeMs now) {
    while (!lows_.empty() && lows_.front().first < now - window_ms_) lows_.pop_front();
    while (!highs_.empty() && highs_.front().first < now - window_ms_) highs_.pop_front();
  }

  bool empty() const { return lows_.empty(); }
  double low() const { return lows_.front().second; }
  double high() const { return highs_.front().second; }

  // After an alert the move starts again from the current price, so a move
  // that keeps going needs another full `percent` to alert again.
  void restart(TimeMs time, double price) {
    lows_.clear();
    highs_.clear();
    add(time, price);
  }

 private:
  TimeMs window_ms_;
  std::deque<std::pair<TimeMs, double>> lows_;   // increasing prices
  std::deque<std::pair<TimeMs, double>> highs_;  // decreasing prices
};

}  // namespace tickd::alerts
