// Alert rules, as every notifier plugin (email_alert, webhook, telegram)
// declares them under `rules:`, with the `cooldown` default and the
// `max_per_hour` limit next to them.
#pragma once

#include "alert_common/config_reader.hpp"

#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickd::alerts {

enum class AlertRuleType { price_cross, percent_move, signal };

struct AlertRuleSpec {
  std::string name;
  AlertRuleType type = AlertRuleType::price_cross;
  std::vector<std::string> symbols;  // empty: every symbol
  std::int64_t cooldown_ms = 0;
  // price_cross: exactly one of above / below.
  std::optional<double> above;
  std::optional<double> below;
  // percent_move: |move| >= percent within window; direction up, down or any.
  double percent = 0;
  std::int64_t window_ms = 0;
  bool up = true;
  bool down = true;
  // signal: empty lists accept everything. A source filter matches the whole
  // source ("ema_cross/ema_9_21") or its rule part ("ema_9_21").
  std::vector<std::string> sources;
  std::vector<Side> sides;
  // Per-rule templates by key (email: subject, body; telegram: message); a
  // missing key means the observer's template. Validated when parsed.
  std::map<std::string, std::string> templates;

  bool applies_to(std::string_view symbol) const;
  // The rule's template for `key`, or `fallback`.
  const std::string& template_or(const std::string& key, const std::string& fallback) const;
};

struct AlertRules {
  std::vector<AlertRuleSpec> rules;
  std::uint32_t max_per_hour = 20;
};

// Reads `rules`, `cooldown` (each rule's default, 5m) and `max_per_hour` from
// a plugin's config. `template_keys` are the per-rule template keys the plugin
// accepts. Without `rules`, `default_rules` is used when given, else it is an
// error. Throws std::invalid_argument naming the key.
// `default_max_per_hour` differs by channel: 20 emails, more chat messages.
AlertRules read_alert_rules(const ConfigReader& config, const std::vector<std::string>& template_keys,
                            std::optional<nlohmann::json> default_rules = std::nullopt,
                            std::uint32_t default_max_per_hour = 20);

// The rules a chat or webhook notifier uses when none are configured: every
// signal, without a cooldown.
inline nlohmann::json every_signal_rule() {
  return nlohmann::json::array({{{"name", "signals"}, {"type", "signal"}, {"cooldown", 0}}});
}

// The config keys read_alert_rules reads, for only_keys().
inline const std::vector<std::string>& alert_rule_keys() {
  static const std::vector<std::string> keys{"rules", "cooldown", "max_per_hour"};
  return keys;
}

}  // namespace tickd::alerts
