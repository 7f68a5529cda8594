// The one log rate limiter of tickd, for the daemon and plugins: at most
// `burst` messages per `period`, and a count of those held back, so a flood of
// bad input or an outage cannot flood the log.
//
//   tickd::LogThrottle throttle(1, std::chrono::minutes(1));   // once a minute
//   if (auto line = throttle.pass("send failed: " + why)) host.warn(*line);
//
// Not thread-safe: one per thread, or behind the caller's lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace tickd {

class LogThrottle {
 public:
  explicit LogThrottle(std::uint32_t burst = 10,
                       std::chrono::steady_clock::duration period = std::chrono::seconds(10))
      : burst_(burst), period_(period) {}

  // True when this message may be logged; `suppressed` is then the number held
  // back since the last one that was let through.
  bool allow(std::uint64_t& suppressed) {
    const auto now = std::chrono::steady_clock::now();
    if (!started_ || now - window_start_ >= period_) {
      started_ = true;
      window_start_ = now;
      in_window_ = 0;
    }
    if (in_window_ >= burst_) {
      ++suppressed_;
      return false;
    }
    ++in_window_;
    suppressed = suppressed_;
    suppressed_ = 0;
    return true;
  }

  // The line to log now ("message (N similar message(s) suppressed)"), or
  // nothing when it is held back.
  std::optional<std::string> pass(const std::string& message) {
    std::uint64_t suppressed = 0;
    if (!allow(suppressed)) return std::nullopt;
    if (suppressed == 0) return message;
    return message + " (" + std::to_string(suppressed) + " similar message(s) suppressed)";
  }

 private:
  std::uint32_t burst_;
  std::chrono::steady_clock::duration period_;
  bool started_ = false;
  std::chrono::steady_clock::time_point window_start_{};
  std::uint32_t in_window_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace tickd
