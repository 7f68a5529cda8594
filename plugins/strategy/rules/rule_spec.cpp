#include "rules/rule_spec.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <stdexcept>

namespace tickd::strategy {
namespace {

using nlohmann::json;

std::string plain(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

class RuleReader {
 public:
  RuleReader(const json& node, std::size_t index) : node_(node) {
    where_ = "rules[" + std::to_string(index) + "]";
    if (!node.is_object()) fail("must be a mapping with name and type");
  }

  [[noreturn]] void fail(const std::string& what) const { throw std::invalid_argument(where_ + ": " + what); }

  void set_name(const std::string& name) { where_ += " (\"" + name + "\")"; }

  bool has(const char* key) const { return node_.contains(key); }

  std::string string(const char* key) const {
    if (!has(key)) fail(std::string("missing '") + key + "'");
    const json& v = node_.at(key);
    if (!v.is_string() || v.get<std::string>().empty())
      fail(std::string("'") + key + "' must be a non-empty string");
    return v.get<std::string>();
  }

  int period(const char* key) const {
    if (!has(key)) fail(std::string("missing '") + key + "'");
    const json& v = node_.at(key);
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 100000)
      fail(std::string("'") + key + "' must be an integer from 1 to 100000, got " + v.dump());
    return v.get<int>();
  }

  double number(const char* key, double lo, double hi) const {
    if (!has(key)) fail(std::string("missing '") + key + "'");
    const json& v = node_.at(key);
    if (!v.is_number() || !(v.get<double>() > lo) || !(v.get<double>() < hi))
      fail(std::string("'") + key + "' must be a number above " + plain(lo) + " and below " + plain(hi) +
           ", got " + v.dump());
    return v.get<double>();
  }

  std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    if (!has(key)) return out;
    const json& v = node_.at(key);
    if (!v.is_array()) fail(std::string("'") + key + "' must be a list of names");
    for (const auto& item : v) {
      if (!item.is_string() || item.get<std::string>().empty())
        fail(std::string("'") + key + "' must contain only non-empty names, got " + item.dump());
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  void only_keys(std::initializer_list<const char*> allowed, std::string_view type) const {
    for (const auto& item : node_.items()) {
      bool known = false;
      std::string list;
      for (const char* a : allowed) {
        known = known || item.key() == a;
        list += list.empty() ? a : std::string(", ") + a;
      }
      if (!known)
        fail("unknown key '" + item.key() + "' for type " + std::string(type) + " (allowed: " + list + ")");
    }
  }

 private:
  const json& node_;
  std::string where_;
};

RuleType parse_type(const RuleReader& r, const std::string& text) {
  for (RuleType t :
       {RuleType::ma_cross, RuleType::rsi_cross, RuleType::bollinger_break, RuleType::macd_cross})
    if (rule_type_name(t) == text) return t;
  r.fail("unknown type '" + text + "' (expected ma_cross, rsi_cross, bollinger_break or macd_cross)");
}

RuleSpec parse_rule(const json& node, std::size_t index) {
  RuleReader r(node, index);
  RuleSpec spec;
  spec.name = r.string("name");
  r.set_name(spec.name);
  spec.type = parse_type(r, r.string("type"));
  const std::string_view type = rule_type_name(spec.type);
  switch (spec.type) {
    case RuleType::ma_cross: {
      r.only_keys({"name", "type", "fast", "slow", "ma", "symbols", "intervals"}, type);
      spec.fast = r.period("fast");
      spec.slow = r.period("slow");
      const std::string ma = r.has("ma") ? r.string("ma") : "ema";
      if (ma != "sma" && ma != "ema") r.fail("'ma' must be sma or ema, got '" + ma + "'");
      spec.ma = ma == "sma" ? MaKind::sma : MaKind::ema;
      break;
    }
    case RuleType::macd_cross:
      r.only_keys({"name", "type", "fast", "slow", "signal", "symbols", "intervals"}, type);
      spec.fast = r.has("fast") ? r.period("fast") : 12;
      spec.slow = r.has("slow") ? r.period("slow") : 26;
      spec.signal = r.has("signal") ? r.period("signal") : 9;
      break;
    case RuleType::rsi_cross:
      r.only_keys({"name", "type", "period", "above", "below", "symbols", "intervals"}, type);
      spec.period = r.has("period") ? r.period("period") : 14;
      spec.above = r.has("above") ? r.number("above", 0, 100) : 70;
      spec.below = r.has("below") ? r.number("below", 0, 100) : 30;
      if (spec.below >= spec.above) r.fail("'below' must be lower than 'above'");
      break;
    case RuleType::bollinger_break:
      r.only_keys({"name", "type", "period", "k", "symbols", "intervals"}, type);
      spec.period = r.has("period") ? r.period("period") : 20;
      spec.k = r.has("k") ? r.number("k", 0, 100) : 2.0;
      break;
  }
  if ((spec.type == RuleType::ma_cross || spec.type == RuleType::macd_cross) && spec.fast >= spec.slow)
    r.fail("'fast' (" + std::to_string(spec.fast) + ") must be lower than 'slow' (" +
           std::to_string(spec.slow) + ")");
  spec.symbols = r.strings("symbols");
  for (const auto& name : r.strings("intervals")) {
    auto interval = Interval::parse(name);
    if (!interval) r.fail("unknown interval '" + name + "' (valid: " + Interval::valid_names() + ")");
    spec.intervals.push_back(*interval);
  }
  return spec;
}

}  // namespace

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
  if (!config.is_object()) throw std::invalid_argument("config must be a mapping with 'rules'");
  for (const auto& item : config.items())
    if (item.key() != "rules")
      throw std::invalid_argument("unknown key '" + item.key() + "' (allowed: rules)");
  if (!config.contains("rules") || !config["rules"].is_array() || config["rules"].empty())
    throw std::invalid_argument("'rules' must be a non-empty list of rules");
  std::vector<RuleSpec> rules;
  std::set<std::string> names;
  for (std::size_t i = 0; i < config["rules"].size(); ++i) {
    rules.push_back(parse_rule(config["rules"][i], i));
    if (!names.insert(rules.back().name).second)
      throw std::invalid_argument("rules[" + std::to_string(i) + "]: duplicate rule name '" +
                                  rules.back().name + "'");
  }
  return rules;
}

}  // namespace tickd::strategy
