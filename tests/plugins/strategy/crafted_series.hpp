// Helpers to run a rule over a hand-made series of closes.
#pragma once

#include "rules/rule_spec.hpp"
#include "rules/rule_state.hpp"

#include <tickd/types.hpp>

#include <map>
#include <vector>

namespace tickd::strategy::test {

inline Candle candle_at(std::size_t i, double close, std::string_view symbol = "BTCUSDT") {
  Candle c;
  c.symbol = symbol;
  c.interval = *Interval::parse("1m");
  c.open_time = 1700000000000 + static_cast<TimeMs>(i) * 60000;
  c.open = c.high = c.low = c.close = close;
  c.volume = 1;
  c.closed = true;
  return c;
}

inline std::vector<Candle> candles_from(const std::vector<double>& closes) {
  std::vector<Candle> out;
  for (std::size_t i = 0; i < closes.size(); ++i) out.push_back(candle_at(i, closes[i]));
  return out;
}

// Index of each firing candle -> side.
inline std::map<std::size_t, Side> firings(const RuleSpec& spec, const std::vector<Candle>& candles) {
  auto state = make_rule_state(spec);
  std::map<std::size_t, Side> out;
  for (std::size_t i = 0; i < candles.size(); ++i)
    if (auto f = state->update(candles[i])) out[i] = f->side;
  return out;
}

inline RuleSpec spec_of(const nlohmann::json& rule) { return parse_rules({{"rules", {rule}}}).at(0); }

}  // namespace tickd::strategy::test
