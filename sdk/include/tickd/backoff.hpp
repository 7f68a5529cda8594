// The one backoff of tickd, for the daemon's feed connections and for plugins
// that retry (storage writers, senders): the wait before each next attempt
// starts at `initial` and doubles up to `max`.
//
// Jitter::equal (half the wait fixed, half random) is for clients that a server
// drops together, so they do not all come back in the same instant, yet none
// retries at once; Jitter::none keeps the waits predictable (one daemon and one
// server have no herd to spread out, and tests can know the delays).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace tickd {

class Backoff {
 public:
  enum class Jitter { none, equal };

  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, Jitter jitter = Jitter::none,
          std::uint64_t seed = std::random_device{}())
      : initial_ms_(std::max<std::int64_t>(1, initial.count())),
        max_ms_(std::max<std::int64_t>(initial_ms_, max.count())),
        jitter_(jitter),
        rng_(seed) {}

  // The wait before the next attempt; each call doubles the base up to max.
  std::chrono::milliseconds next() {
    const std::int64_t base = std::min(max_ms_, initial_ms_ << std::min(attempt_, 40));
    ++attempt_;
    if (jitter_ == Jitter::none) return std::chrono::milliseconds(base);
    const std::int64_t half = base / 2;
    std::uniform_int_distribution<std::int64_t> spread(0, base - half);
    return std::chrono::milliseconds(half + spread(rng_));
  }
  // After an attempt that worked: start again from `initial`.
  void reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  std::int64_t initial_ms_;
  std::int64_t max_ms_;
  Jitter jitter_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace tickd
