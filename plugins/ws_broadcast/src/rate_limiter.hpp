// Token bucket for inbound client messages: `rate` per second, bursts of up to
// one second's worth.
#pragma once

#include <algorithm>
#include <chrono>

namespace tickd::ws {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(double per_second)
      : rate_(per_second), burst_(std::max(1.0, per_second)), tokens_(burst_), last_(Clock::now()) {}

  bool allow(Clock::time_point now = Clock::now()) {
    std::chrono::duration<double> dt = now - last_;
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + dt.count() * rate_);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace tickd::ws
