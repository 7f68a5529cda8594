// Paces messages to Telegram's limits: at most one message per chat every
// `per_chat_interval` and `global_per_second` in all, plus a hold on a chat
// (or on everything) after a 429. Times are steady-clock milliseconds. Used
// by the one sender thread only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>

namespace tickd::telegram {

class RateLimiter {
 public:
  RateLimiter(std::int64_t per_chat_interval_ms, double global_per_second)
      : per_chat_ms_(per_chat_interval_ms),
        global_ms_(global_per_second > 0 ? static_cast<std::int64_t>(1000.0 / global_per_second) : 0) {}

  // How long to wait before a message to `chat` may go; 0: now.
  std::int64_t wait_ms(std::int64_t chat, std::int64_t now) const {
    std::int64_t next = next_any_;
    if (auto it = next_chat_.find(chat); it != next_chat_.end()) next = std::max(next, it->second);
    return std::max<std::int64_t>(0, next - now);
  }

  void sent(std::int64_t chat, std::int64_t now) {
    next_any_ = std::max(next_any_, now + global_ms_);
    auto& n = next_chat_[chat];
    n = std::max(n, now + per_chat_ms_);
  }

  // After a 429 for `chat`: nothing more to it before `until`.
  void hold(std::int64_t chat, std::int64_t until) {
    auto& n = next_chat_[chat];
    n = std::max(n, until);
  }

 private:
  std::int64_t per_chat_ms_;
  std::int64_t global_ms_;
  std::int64_t next_any_ = 0;
  std::map<std::int64_t, std::int64_t> next_chat_;
};

}  // namespace tickd::telegram
