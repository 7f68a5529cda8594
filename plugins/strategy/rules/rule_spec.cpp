#include "rules/rule_spec.hpp"

#include <tickd/config_validation.hpp>
#include <tickd/config_view.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace tickd::strategy {
namespace {

using nlohmann::json;
namespace s = tickd::schema;

constexpr RuleType kTypes[] = {RuleType::ma_cross, RuleType::rsi_cross, RuleType::bollinger_break,
                               RuleType::macd_cross};

ConfigKey period(const char* name, const char* description) {
  return s::integer(name, description).range(1, 100000);
}

// Keys every rule has beside its type's own.
std::vector<ConfigKey> with_common_keys(std::vector<ConfigKey> keys) {
  std::vector<std::string> intervals;
  for (const auto& k : Interval::known) intervals.emplace_back(k.name);
  keys.insert(keys.begin(),
              s::string("name", "Rule name, unique; part of each signal's source").required().non_empty());
  keys.push_back(s::list("symbols", s::string().non_empty(), "Symbols the rule watches; empty: all"));
  keys.push_back(s::list("intervals", s::choice(intervals), "Intervals the rule watches; empty: all"));
  return keys;
}

RuleSpec parse_rule(const ConfigView& r) {
  RuleSpec spec;
  spec.name = r.string("name");
  const std::string type = r.string("type");
  for (RuleType t : kTypes)
    if (rule_type_name(t) == type) spec.type = t;
  auto fail = [&](const std::string& what) {
    throw std::invalid_argument(r.path() + " (\"" + spec.name + "\"): " + what);
  };
  switch (spec.type) {
    case RuleType::ma_cross:
      spec.fast = static_cast<int>(r.integer("fast"));
      spec.slow = static_cast<int>(r.integer("slow"));
      spec.ma = r.string("ma") == "sma" ? MaKind::sma : MaKind::ema;
      break;
    case RuleType::macd_cross:
      spec.fast = static_cast<int>(r.integer("fast"));
      spec.slow = static_cast<int>(r.integer("slow"));
      spec.signal = static_cast<int>(r.integer("signal"));
      break;
    case RuleType::rsi_cross:
      spec.period = static_cast<int>(r.integer("period"));
      spec.above = r.number("above");
      spec.below = r.number("below");
      if (spec.below >= spec.above) fail("'below' must be lower than 'above'");
      break;
    case RuleType::bollinger_break:
      spec.period = static_cast<int>(r.integer("period"));
      spec.k = r.number("k");
      break;
  }
  if ((spec.type == RuleType::ma_cross || spec.type == RuleType::macd_cross) && spec.fast >= spec.slow)
    fail("'fast' (" + std::to_string(spec.fast) + ") must be lower than 'slow' (" +
         std::to_string(spec.slow) + ")");
  spec.symbols = r.strings("symbols");
  for (const auto& name : r.strings("intervals")) spec.intervals.push_back(*Interval::parse(name));
  return spec;
}

}  // namespace

ConfigSchema config_schema() {
  const ConfigKey band_level = s::number("", "").above(0).below(100);
  auto level = [&](const char* name, const char* description, double fallback) {
    ConfigKey key = band_level;
    key.json()["name"] = name;
    key.json()["description"] = description;
    return key.default_value(fallback);
  };
  std::vector<ConfigVariant> variants = {
      {"ma_cross", "A fast moving average crosses a slow one",
       with_common_keys({period("fast", "Fast average period").required(),
                         period("slow", "Slow average period, above fast").required(),
                         s::choice("ma", {"sma", "ema"}, "Kind of average").default_value("ema")})},
      {"rsi_cross", "RSI leaves the band between below and above",
       with_common_keys(
           {period("period", "RSI period").default_value(14),
            level("above", "Overbought level (sell signal when crossed downwards)", 70),
            level("below", "Oversold level, under above (buy signal when crossed upwards)", 30)})},
      {"bollinger_break", "The close breaks out of the Bollinger bands",
       with_common_keys(
           {period("period", "Bands period").default_value(20),
            s::number("k", "Band width in standard deviations").default_value(2).above(0).below(100)})},
      {"macd_cross", "MACD crosses its signal line",
       with_common_keys({period("fast", "Fast EMA period").default_value(12),
                         period("slow", "Slow EMA period, above fast").default_value(26),
                         period("signal", "Signal line EMA period").default_value(9)})},
  };
  return {s::list("rules", s::variants("type", variants), "Signal rules, each selected by its type")
              .required()
              .non_empty()};
}

std::string_view rule_type_name(RuleType type) {
  switch (type) {
    case RuleType::ma_cross:
      return "ma_cross";
    case RuleType::rsi_cross:
      return "rsi_cross";
    case RuleType::bollinger_break:
      return "bollinger_break";
    case RuleType::macd_cross:
      return "macd_cross";
  }
  return "?";
}

bool RuleSpec::applies_to(std::string_view symbol, Interval interval) const {
  const bool symbol_ok =
      symbols.empty() || std::find(symbols.begin(), symbols.end(), symbol) != symbols.end();
  const bool interval_ok =
      intervals.empty() || std::find(intervals.begin(), intervals.end(), interval) != intervals.end();
  return symbol_ok && interval_ok;
}

nlohmann::json RuleSpec::parameters() const {
  json out{{"type", rule_type_name(type)}};
  switch (type) {
    case RuleType::ma_cross:
      out["ma"] = ma == MaKind::sma ? "sma" : "ema";
      out["fast"] = fast;
      out["slow"] = slow;
      break;
    case RuleType::macd_cross:
      out["fast"] = fast;
      out["slow"] = slow;
      out["signal"] = signal;
      break;
    case RuleType::rsi_cross:
      out["period"] = period;
      out["above"] = above;
      out["below"] = below;
      break;
    case RuleType::bollinger_break:
      out["period"] = period;
      out["k"] = k;
      break;
  }
  return out;
}

std::vector<RuleSpec> parse_rules(const nlohmann::json& config) {
  auto checked = validate_config(config_schema().to_json(), config);
  if (!checked.ok()) throw std::invalid_argument(checked.summary());
  std::vector<RuleSpec> rules;
  std::set<std::string> names;
  for (const auto& rule : ConfigView(std::move(checked.value)).list("rules")) {
    rules.push_back(parse_rule(rule));
    if (!names.insert(rules.back().name).second)
      throw std::invalid_argument(rule.path() + ": duplicate rule name '" + rules.back().name + "'");
  }
  return rules;
}

}  // namespace tickd::strategy
