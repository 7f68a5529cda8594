// Evaluates the alert rules: price rules on every tick (crossings are exact to
// the trade), signal rules on every signal; throttles what they raise.
#pragma once

#include "alert_common/alert.hpp"
#include "alert_common/alert_rules.hpp"
#include "alert_common/alert_throttle.hpp"
#include "alert_common/percent_move_window.hpp"

#include <tickd/metrics.hpp>
#include <tickd/types.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tickd::alerts {

// Atomics: the engine runs on the observer's worker, Observer::metrics reads
// them from another thread.
struct AlertCounters {
  std::atomic<std::uint64_t> raised{0};        // rules that fired
  std::atomic<std::uint64_t> cooldown{0};      // suppressed by a rule's cooldown
  std::atomic<std::uint64_t> rate_limited{0};  // suppressed by max_per_hour
};

// The wall clock, UTC ms: the notifiers' clock outside tests.
TimeMs wall_clock_ms();

// The alerting plugins' shared figures: alerts_raised, alerts_cooldown and
// alerts_rate_limited (reads atomics only, as Observer::metrics must).
void report_alert_metrics(const AlertCounters& counters, Metrics& out);
// "N alert(s) raised, N in cooldown, N over max_per_hour", for the log at stop.
std::string alert_summary(const AlertCounters& counters);

class AlertEngine {
 public:
  using Clock = std::function<TimeMs()>;  // wall clock, UTC ms

  AlertEngine(std::string observer_name, std::vector<AlertRuleSpec> rules, std::uint32_t max_per_hour,
              Clock clock);

  // Each returns the alerts to send, paired with the index of their rule.
  std::vector<std::pair<std::size_t, Alert>> on_tick(const Tick& tick);
  std::vector<std::pair<std::size_t, Alert>> on_signal(const Signal& signal);

  const AlertCounters& counters() const { return counters_; }
  const std::vector<AlertRuleSpec>& rules() const { return rules_; }

 private:
  std::optional<Alert> price_cross(const AlertRuleSpec& rule, const Tick& tick);
  std::optional<Alert> percent_move(std::size_t index, const Tick& tick);
  void admit(std::size_t index, Alert alert, std::vector<std::pair<std::size_t, Alert>>& out);

  std::string observer_name_;
  std::vector<AlertRuleSpec> rules_;
  AlertThrottle throttle_;
  Clock clock_;
  AlertCounters counters_;
  std::map<std::string, double, std::less<>> last_price_;  // by symbol
  std::map<std::pair<std::size_t, std::string>, PercentMoveWindow> windows_;
};

}  // namespace tickd::alerts
