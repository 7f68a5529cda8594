#include "alert_common/alert_engine.hpp"

#include "alert_common/message_template.hpp"

#include <tickd/duration.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

namespace tickd::alerts {

void report_alert_metrics(const AlertCounters& c, Metrics& out) {
  out.counter("alerts_raised", "Alert rules that fired", static_cast<double>(c.raised.load()));
  out.counter("alerts_cooldown", "Alerts held back by a rule's cooldown",
              static_cast<double>(c.cooldown.load()));
  out.counter("alerts_rate_limited", "Alerts held back by max_per_hour",
              static_cast<double>(c.rate_limited.load()));
}

std::string alert_summary(const AlertCounters& c) {
  return std::to_string(c.raised) + " alert(s) raised, " + std::to_string(c.cooldown) + " in cooldown, " +
         std::to_string(c.rate_limited) + " over max_per_hour";
}

TimeMs wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

AlertEngine::AlertEngine(std::string observer_name, std::vector<AlertRuleSpec> rules,
                         std::uint32_t max_per_hour, Clock clock)
    : observer_name_(std::move(observer_name)),
      rules_(std::move(rules)),
      throttle_(max_per_hour),
      clock_(std::move(clock)) {}

std::vector<std::pair<std::size_t, Alert>> AlertEngine::on_tick(const Tick& tick) {
  std::vector<std::pair<std::size_t, Alert>> out;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const AlertRuleSpec& rule = rules_[i];
    if (rule.type == AlertRuleType::signal || !rule.applies_to(tick.symbol)) continue;
    auto alert = rule.type == AlertRuleType::price_cross ? price_cross(rule, tick) : percent_move(i, tick);
    if (!alert) continue;
    alert->symbol = std::string(tick.symbol);
    alert->price = tick.price;
    alert->time = tick.time;
    admit(i, std::move(*alert), out);
  }
  auto last = last_price_.find(tick.symbol);
  if (last == last_price_.end())
    last_price_.emplace(std::string(tick.symbol), tick.price);
  else
    last->second = tick.price;
  return out;
}

std::optional<Alert> AlertEngine::price_cross(const AlertRuleSpec& rule, const Tick& tick) {
  auto last = last_price_.find(tick.symbol);
  if (last == last_price_.end()) return std::nullopt;
  const double before = last->second;
  const bool up = rule.above && before < *rule.above && tick.price >= *rule.above;
  const bool down = rule.below && before > *rule.below && tick.price <= *rule.below;
  if (!up && !down) return std::nullopt;
  Alert a;
  a.side = up ? "up" : "down";
  a.text = std::string(tick.symbol) + " crossed " + (up ? "above " : "below ") +
           format_price(up ? *rule.above : *rule.below) + " (from " + format_price(before) + " to " +
           format_price(tick.price) + ")";
  return a;
}

std::optional<Alert> AlertEngine::percent_move(std::size_t index, const Tick& tick) {
  const AlertRuleSpec& rule = rules_[index];
  auto key = std::make_pair(index, std::string(tick.symbol));
  auto it = windows_.find(key);
  if (it == windows_.end()) it = windows_.emplace(key, PercentMoveWindow(rule.window_ms)).first;
  PercentMoveWindow& w = it->second;
  w.expire(tick.time);
  std::optional<Alert> out;
  if (!w.empty()) {
    const double factor = rule.percent / 100.0;
    const bool up = rule.up && tick.price >= w.low() * (1 + factor);
    const bool down = !up && rule.down && tick.price <= w.high() * (1 - factor);
    if (up || down) {
      const double from = up ? w.low() : w.high();
      char pct[32];
      std::snprintf(pct, sizeof pct, "%.2f", (tick.price - from) / from * 100.0);
      Alert a;
      a.side = up ? "up" : "down";
      a.text = std::string(tick.symbol) + (up ? " rose " : " fell ") + pct + "% within " +
               format_duration(rule.window_ms) + " (from " + format_price(from) + " to " +
               format_price(tick.price) + ")";
      out = std::move(a);
      w.restart(tick.time, tick.price);
      return out;
    }
  }
  w.add(tick.time, tick.price);
  return out;
}

std::vector<std::pair<std::size_t, Alert>> AlertEngine::on_signal(const Signal& signal) {
  std::vector<std::pair<std::size_t, Alert>> out;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const AlertRuleSpec& rule = rules_[i];
    if (rule.type != AlertRuleType::signal || !rule.applies_to(signal.symbol)) continue;
    const auto slash = signal.source.rfind('/');
    const std::string rule_part =
        slash == std::string::npos ? signal.source : signal.source.substr(slash + 1);
    const bool source_ok = rule.sources.empty() ||
                           std::any_of(rule.sources.begin(), rule.sources.end(), [&](const std::string& s) {
                             return s == signal.source || s == rule_part;
                           });
    const bool side_ok = rule.sides.empty() ||
                         std::find(rule.sides.begin(), rule.sides.end(), signal.side) != rule.sides.end();
    if (!source_ok || !side_ok) continue;
    Alert a;
    a.symbol = signal.symbol;
    a.price = signal.price;
    a.time = signal.time;
    a.side = std::string(side_name(signal.side));
    a.source = signal.source;
    a.text = signal.text;
    a.interval = signal.interval.valid() ? std::string(signal.interval.name()) : std::string();
    a.strength = signal.strength;
    admit(i, std::move(a), out);
  }
  return out;
}

void AlertEngine::admit(std::size_t index, Alert alert, std::vector<std::pair<std::size_t, Alert>>& out) {
  const AlertRuleSpec& rule = rules_[index];
  ++counters_.raised;
  alert.rule = rule.name;
  if (alert.source.empty()) alert.source = observer_name_ + "/" + rule.name;
  switch (throttle_.admit(rule.name, alert.symbol, rule.cooldown_ms, clock_())) {
    case AlertThrottle::Verdict::send:
      out.emplace_back(index, std::move(alert));
      break;
    case AlertThrottle::Verdict::cooldown:
      ++counters_.cooldown;
      break;
    case AlertThrottle::Verdict::rate_limited:
      ++counters_.rate_limited;
      break;
  }
}

}  // namespace tickd::alerts
