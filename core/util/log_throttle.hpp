// Lets through at most `burst` messages per `period`, and says how many it held
// back, so a flood of bad input cannot flood the log.
#pragma once

#include <chrono>
#include <cstdint>

namespace tickd::core {

class LogThrottle {
 public:
  explicit LogThrottle(std::uint32_t burst = 10, std::chrono::seconds period = std::chrono::seconds(10))
      : burst_(burst), period_(period) {}

  // True when this message may be logged; `suppressed` is then the number held
  // back since the last one that was let through.
  bool allow(std::uint64_t& suppressed) {
    auto now = std::chrono::steady_clock::now();
    if (now - window_start_ >= period_) {
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

 private:
  std::uint32_t burst_;
  std::chrono::steady_clock::duration period_;
  std::chrono::steady_clock::time_point window_start_{};
  std::uint32_t in_window_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace tickd::core
