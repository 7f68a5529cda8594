#include "alert_common/alert_rules.hpp"

#include "alert_common/message_template.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace tickd::alerts {
namespace {

namespace s = tickd::schema;

// Keys every rule has beside its type's own.
std::vector<ConfigKey> with_common_keys(std::vector<ConfigKey> keys, const AlertRuleOptions& options) {
  keys.insert(keys.begin(),
              s::string("name", "Rule name, unique; {rule} in templates").required().non_empty());
  keys.push_back(s::list("symbols", s::string().non_empty(), "Symbols the rule watches; empty: all"));
  keys.push_back(s::duration("cooldown", "No second alert for the same symbol within it; default: cooldown"));
  for (const auto& key : options.template_keys)
    keys.push_back(s::string(key, "This rule's own " + key + " template; default: the observer's"));
  return keys;
}

AlertRuleSpec read_rule(const ConfigView& r, std::int64_t default_cooldown, const AlertRuleOptions& options) {
  AlertRuleSpec spec;
  spec.name = r.string("name");
  const std::string type = r.string("type");
  auto fail = [&](const std::string& what) {
    throw std::invalid_argument(r.path() + " (\"" + spec.name + "\"): " + what);
  };
  if (type == "price_cross") {
    spec.type = AlertRuleType::price_cross;
    if (r.has("above") == r.has("below")) fail("give exactly one of 'above' or 'below' (a price level)");
    if (r.has("above")) spec.above = r.number("above");
    if (r.has("below")) spec.below = r.number("below");
  } else if (type == "percent_move") {
    spec.type = AlertRuleType::percent_move;
    spec.percent = r.number("percent");
    spec.window_ms = r.duration("window").count();
    const std::string direction = r.string("direction");
    spec.up = direction != "down";
    spec.down = direction != "up";
  } else {
    spec.type = AlertRuleType::signal;
    spec.sources = r.strings("sources");
    for (const auto& side : r.strings("sides")) spec.sides.push_back(*parse_side(side));
  }
  spec.symbols = r.strings("symbols");
  spec.cooldown_ms = r.has("cooldown") ? r.duration("cooldown").count() : default_cooldown;
  for (const auto& key : options.template_keys) {
    if (!r.has(key) || r.string(key).empty()) continue;
    MessageTemplate(r.string(key), r.path() + "." + key);  // validates
    spec.templates[key] = r.string(key);
  }
  return spec;
}

}  // namespace

bool AlertRuleSpec::applies_to(std::string_view symbol) const {
  return symbols.empty() || std::find(symbols.begin(), symbols.end(), symbol) != symbols.end();
}

const std::string& AlertRuleSpec::template_or(const std::string& key, const std::string& fallback) const {
  auto it = templates.find(key);
  return it == templates.end() ? fallback : it->second;
}

std::vector<ConfigKey> alert_rule_keys(const AlertRuleOptions& options) {
  const std::vector<ConfigVariant> variants = {
      {"price_cross", "The price crosses a level (exactly one of above, below)",
       with_common_keys(
           {s::number("above", "Fires on the tick that reaches or passes it upwards").above(0),
            s::number("below", "Fires on the tick that reaches or passes it downwards").above(0)},
           options)},
      {"percent_move", "The price moves by percent within a window of ticks",
       with_common_keys(
           {s::number("percent", "Size of the move in %").required().above(0).below(100),
            s::duration("window", "How far back the move is measured").required().min("1ms"),
            s::choice("direction", {"up", "down", "any"}, "Which moves count").default_value("any")},
           options)},
      {"signal", "A signal from the strategy (or any plugin)",
       with_common_keys({s::list("sources", s::string().non_empty(),
                                 "A whole source (ema_cross/ema_9_21) or its rule part; empty: all"),
                         s::list("sides", s::choice({"buy", "sell", "neutral", "unknown"}),
                                 "Sides that count; empty: all")},
                        options)},
  };
  ConfigKey rules = s::list("rules", s::variants("type", variants),
                            options.every_signal_by_default
                                ? "Alert rules, each selected by its type; default: every signal"
                                : "Alert rules, each selected by its type")
                        .non_empty();
  if (options.every_signal_by_default)
    rules.default_value(nlohmann::json::array({{{"name", "signals"}, {"type", "signal"}, {"cooldown", 0}}}));
  else
    rules.required();
  return {
      s::duration("cooldown", "Each rule's default: no second alert for the same (rule, symbol) within it")
          .default_value("5m"),
      s::integer("max_per_hour", "Alerts sent in any rolling hour, at most")
          .default_value(options.max_per_hour)
          .range(1, 100000),
      std::move(rules)};
}

AlertRules read_alert_rules(const ConfigView& config, const AlertRuleOptions& options) {
  AlertRules out;
  out.max_per_hour = static_cast<std::uint32_t>(config.integer("max_per_hour"));
  const std::int64_t cooldown = config.duration("cooldown").count();
  std::set<std::string> names;
  for (const auto& rule : config.list("rules")) {
    out.rules.push_back(read_rule(rule, cooldown, options));
    if (!names.insert(out.rules.back().name).second)
      throw std::invalid_argument(rule.path() + ": duplicate rule name '" + out.rules.back().name + "'");
  }
  return out;
}

}  // namespace tickd::alerts
