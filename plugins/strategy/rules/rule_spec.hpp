// A strategy rule as configured: what it computes and where it applies.
#pragma once

#include <tickd/config_schema.hpp>
#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace tickd::strategy {

enum class RuleType { ma_cross, rsi_cross, bollinger_break, macd_cross };
enum class MaKind { sma, ema };

struct RuleSpec {
  std::string name;
  RuleType type = RuleType::ma_cross;
  // ma_cross: fast, slow, ma; macd_cross: fast, slow, signal.
  int fast = 0;
  int slow = 0;
  int signal = 0;
  MaKind ma = MaKind::ema;
  // rsi_cross: period, above, below; bollinger_break: period, k.
  int period = 0;
  double above = 0;
  double below = 0;
  double k = 0;
  std::vector<std::string> symbols;  // empty: every symbol
  std::vector<Interval> intervals;   // empty: every interval

  bool applies_to(std::string_view symbol, Interval interval) const;
  // The rule's parameters, e.g. {"type":"ma_cross","ma":"ema","fast":9,"slow":21}.
  nlohmann::json parameters() const;
};

std::string_view rule_type_name(RuleType type);

// The observer's config keys: `rules`, each a mapping selected by its `type`.
ConfigSchema config_schema();

// Parses the observer's config ({"rules": [...]}), checked against
// config_schema() and then one key against another (fast below slow, below
// under above, unique names). Throws std::invalid_argument naming the rule and
// key.
std::vector<RuleSpec> parse_rules(const nlohmann::json& config);

}  // namespace tickd::strategy
