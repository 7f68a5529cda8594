// Alert rules, as every notifier plugin (email_alert, webhook, telegram)
// declares them under `rules:`, with the `cooldown` default and the
// `max_per_hour` limit next to them: one schema fragment that each plugin puts
// into its own config_schema(), and the one reader of it.
#pragma once

#include <tickd/config_schema.hpp>
#include <tickd/config_view.hpp>
#include <tickd/types.hpp>

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

// What differs between the plugins that share the rules.
struct AlertRuleOptions {
  // Per-rule template keys (email: subject, body; telegram, webhook: message).
  std::vector<std::string> template_keys;
  // Alerts per rolling hour by default: 20 emails, more chat messages.
  std::uint32_t max_per_hour = 20;
  // Without `rules:`, one rule named `signals` for every signal, no cooldown
  // (chat and webhook notifiers); else `rules:` is required.
  bool every_signal_by_default = false;
};

// The keys `rules`, `cooldown` and `max_per_hour`, for a plugin's schema.
std::vector<ConfigKey> alert_rule_keys(const AlertRuleOptions& options);

// Reads what alert_rule_keys() declared from a validated block. Throws
// std::invalid_argument naming the rule for what the schema cannot say: a
// price_cross with both or neither level, a duplicate name, a bad template.
AlertRules read_alert_rules(const ConfigView& config, const AlertRuleOptions& options);

}  // namespace tickd::alerts
