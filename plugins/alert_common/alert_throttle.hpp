// Decides whether an alert may be sent: a cooldown per (rule, symbol) and a
// global limit of alerts per rolling hour, so a choppy market cannot flood an
// inbox or a chat. Times come from the wall clock the caller passes in.
#pragma once

#include <tickd/types.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>

namespace tickd::alerts {

class AlertThrottle {
 public:
  enum class Verdict { send, cooldown, rate_limited };

  explicit AlertThrottle(std::uint32_t max_per_hour) : max_per_hour_(max_per_hour) {}

  Verdict admit(const std::string& rule, const std::string& symbol, TimeMs cooldown_ms, TimeMs now) {
    auto key = std::make_pair(rule, symbol);
    auto last = last_sent_.find(key);
    if (last != last_sent_.end() && now - last->second < cooldown_ms) return Verdict::cooldown;
    while (!sent_.empty() && sent_.front() <= now - kHourMs) sent_.pop_front();
    if (sent_.size() >= max_per_hour_) return Verdict::rate_limited;
    sent_.push_back(now);
    last_sent_[key] = now;
    return Verdict::send;
  }

 private:
  static constexpr TimeMs kHourMs = 3600000;
  std::uint32_t max_per_hour_;
  std::deque<TimeMs> sent_;
  std::map<std::pair<std::string, std::string>, TimeMs> last_sent_;
};

}  // namespace tickd::alerts
