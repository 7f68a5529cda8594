// Exponential backoff between reconnect or retry attempts: initial, doubling,
// capped at max. Deterministic on purpose (one daemon, one server: there is no
// herd to spread out, and tests can predict the delays).
#pragma once

#include <algorithm>
#include <chrono>

namespace tickd::storage {

class Backoff {
 public:
  using Duration = std::chrono::milliseconds;
  Backoff(Duration initial, Duration max) : initial_(initial), max_(std::max(initial, max)), next_(initial) {}

  // The delay to wait before the next attempt; each call doubles the following one.
  Duration next() {
    Duration now = next_;
    next_ = std::min(max_, next_ * 2);
    return now;
  }
  void reset() { next_ = initial_; }

 private:
  Duration initial_;
  Duration max_;
  Duration next_;
};

}  // namespace tickd::storage
