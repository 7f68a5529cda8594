#include "alert_common/alert_rules.hpp"

#include "alert_common/message_template.hpp"

#include <algorithm>
#include <set>

namespace tickd::alerts {
namespace {

using nlohmann::json;

AlertRuleSpec parse_rule(const json& node, std::size_t index, std::int64_t default_cooldown,
                         const std::vector<std::string>& template_keys) {
  ConfigReader head(node, "rules[" + std::to_string(index) + "]: ");
  AlertRuleSpec spec;
  spec.name = head.string("name");
  if (spec.name.empty()) head.fail("'name' must not be empty");
  ConfigReader r(node, "rules[" + std::to_string(index) + "] (\"" + spec.name + "\"): ");
  const std::string type = r.string("type");
  auto keys = [&](std::initializer_list<const char*> extra) {
    std::vector<std::string> all{"name", "type", "symbols", "cooldown"};
    all.insert(all.end(), template_keys.begin(), template_keys.end());
    all.insert(all.end(), extra.begin(), extra.end());
    for (const auto& item : node.items())
      if (std::find(all.begin(), all.end(), item.key()) == all.end()) {
        std::string list;
        for (const auto& a : all) list += list.empty() ? a : ", " + a;
        r.fail("unknown key '" + item.key() + "' for type " + type + " (allowed: " + list + ")");
      }
  };
  if (type == "price_cross") {
    spec.type = AlertRuleType::price_cross;
    keys({"above", "below"});
    if (r.has("above") == r.has("below")) r.fail("give exactly one of 'above' or 'below' (a price level)");
    if (r.has("above")) spec.above = r.number("above", 0);
    if (r.has("below")) spec.below = r.number("below", 0);
  } else if (type == "percent_move") {
    spec.type = AlertRuleType::percent_move;
    keys({"percent", "window", "direction"});
    if (!r.has("percent")) r.fail("missing 'percent'");
    spec.percent = r.number("percent", 0);
    if (spec.percent >= 100) r.fail("'percent' must be below 100");
    if (!r.has("window")) r.fail("missing 'window' (e.g. 5m)");
    spec.window_ms = r.duration("window", 0);
    if (spec.window_ms <= 0) r.fail("'window' must be positive");
    const std::string dir = r.string("direction", std::string("any"));
    if (dir != "up" && dir != "down" && dir != "any") r.fail("'direction' must be up, down or any");
    spec.up = dir != "down";
    spec.down = dir != "up";
  } else if (type == "signal") {
    spec.type = AlertRuleType::signal;
    keys({"sources", "sides"});
    spec.sources = r.strings("sources");
    for (const auto& side : r.strings("sides")) {
      auto parsed = parse_side(side);
      if (!parsed) r.fail("unknown side '" + side + "' in 'sides' (buy, sell, neutral, unknown)");
      spec.sides.push_back(*parsed);
    }
  } else {
    r.fail("unknown type '" + type + "' (expected price_cross, percent_move or signal)");
  }
  spec.symbols = r.strings("symbols");
  spec.cooldown_ms = r.duration("cooldown", default_cooldown);
  for (const auto& key : template_keys) {
    const std::string text = r.string(key.c_str(), std::string());
    if (text.empty()) continue;
    MessageTemplate(text, "rules[" + std::to_string(index) + "]." + key);  // validates
    spec.templates[key] = text;
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

AlertRules read_alert_rules(const ConfigReader& r, const std::vector<std::string>& template_keys,
                            std::optional<nlohmann::json> default_rules, std::uint32_t default_max_per_hour) {
  AlertRules out;
  out.max_per_hour = default_max_per_hour;
  const std::int64_t cooldown = r.duration("cooldown", 300000);
  out.max_per_hour = static_cast<std::uint32_t>(r.count("max_per_hour", out.max_per_hour, 1, 100000));
  const json* rules = r.has("rules") ? &r.at("rules") : default_rules ? &*default_rules : nullptr;
  if (!rules || !rules->is_array() || rules->empty())
    r.fail("'rules' must be a non-empty list of alert rules");
  std::set<std::string> names;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    out.rules.push_back(parse_rule((*rules)[i], i, cooldown, template_keys));
    if (!names.insert(out.rules.back().name).second)
      r.fail("rules[" + std::to_string(i) + "]: duplicate rule name '" + out.rules.back().name + "'");
  }
  return out;
}

}  // namespace tickd::alerts
