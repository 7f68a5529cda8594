// Lets a repeated message through at most once per interval and says how many
// were held back, so an outage of a mail server or a webhook cannot flood the log.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace tickd::alerts {

class LogLimiter {
 public:
  explicit LogLimiter(std::chrono::steady_clock::duration interval) : interval_(interval) {}

  // The text to log now, or nothing when the message is held back.
  std::optional<std::string> pass(const std::string& message) {
    const auto now = std::chrono::steady_clock::now();
    if (logged_once_ && now - last_ < interval_) {
      ++held_;
      return std::nullopt;
    }
    std::string out = message;
    if (held_ > 0) out += " (" + std::to_string(held_) + " similar message(s) suppressed)";
    held_ = 0;
    last_ = now;
    logged_once_ = true;
    return out;
  }

 private:
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point last_{};
  bool logged_once_ = false;
  std::uint64_t held_ = 0;
};

}  // namespace tickd::alerts
