// Reconnect delays: exponential from `initial` up to `max`, with "equal jitter"
// (half fixed, half random) so that many clients dropped together by a broker
// do not all come back in the same instant, yet none retries immediately.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>

namespace tickd::core {

class Backoff {
 public:
  Backoff(std::int64_t initial_ms, std::int64_t max_ms, std::uint64_t seed = std::random_device{}())
      : initial_ms_(std::max<std::int64_t>(1, initial_ms)),
        max_ms_(std::max(initial_ms_, max_ms)),
        rng_(seed) {}

  // The delay before the next attempt; each call doubles the base up to max.
  std::int64_t next_ms() {
    const std::int64_t base = std::min(max_ms_, initial_ms_ << std::min(attempt_, 40));
    ++attempt_;
    const std::int64_t half = base / 2;
    std::uniform_int_distribution<std::int64_t> jitter(0, base - half);
    return half + jitter(rng_);
  }
  // After a connection that worked: start again from `initial`.
  void reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  std::int64_t initial_ms_;
  std::int64_t max_ms_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace tickd::core
