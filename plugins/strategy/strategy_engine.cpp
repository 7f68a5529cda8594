#include "strategy_engine.hpp"

#include <utility>

namespace tickd::strategy {

StrategyEngine::StrategyEngine(std::string observer_name, std::vector<RuleSpec> rules, HistoryFn history)
    : observer_name_(std::move(observer_name)), rules_(std::move(rules)), history_(std::move(history)) {}

StrategyEngine::Series& StrategyEngine::series(std::size_t rule, std::string_view symbol, Interval interval) {
  Series& s = series_[Key{rule, std::string(symbol), interval.seconds()}];
  if (!s.state) s.state = make_rule_state(rules_[rule]);
  return s;
}

std::size_t StrategyEngine::warm(Series& s, std::string_view symbol, Interval interval, TimeMs before) {
  std::size_t fed = 0;
  for (const Candle& c : history_(symbol, interval)) {
    if (!c.closed || c.open_time >= before || c.open_time <= s.last_open) continue;
    s.state->update(c);  // firings during warm-up are history: not published
    s.last_open = c.open_time;
    ++fed;
  }
  return fed;
}

std::size_t StrategyEngine::warm_start(const std::vector<std::string_view>& symbols,
                                       const std::vector<Interval>& intervals) {
  std::size_t fed = 0;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const RuleSpec& spec = rules_[r];
    std::vector<std::string_view> rule_symbols(spec.symbols.begin(), spec.symbols.end());
    if (rule_symbols.empty()) rule_symbols = symbols;
    const std::vector<Interval>& rule_intervals = spec.intervals.empty() ? intervals : spec.intervals;
    for (std::string_view symbol : rule_symbols)
      for (Interval interval : rule_intervals)
        fed += warm(series(r, symbol, interval), symbol, interval, std::numeric_limits<TimeMs>::max());
  }
  return fed;
}

std::vector<Signal> StrategyEngine::on_closed(const Candle& candle) {
  std::vector<Signal> out;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    if (!rules_[r].applies_to(candle.symbol, candle.interval)) continue;
    Series& s = series(r, candle.symbol, candle.interval);
    // Storage restores history after observers start, so a series that got
    // nothing at warm_start() is warmed on its first live candle instead.
    if (s.last_open == std::numeric_limits<TimeMs>::min())
      warm(s, candle.symbol, candle.interval, candle.open_time);
    if (candle.open_time <= s.last_open) continue;
    s.last_open = candle.open_time;
    if (auto firing = s.state->update(candle)) out.push_back(to_signal(r, candle, *firing));
  }
  return out;
}

Signal StrategyEngine::to_signal(std::size_t rule, const Candle& candle, const Firing& firing) const {
  const RuleSpec& spec = rules_[rule];
  nlohmann::json text = spec.parameters();
  text["rule"] = spec.name;
  for (const auto& item : firing.values.items()) text[item.key()] = item.value();
  Signal s;
  s.symbol = std::string(candle.symbol);
  s.interval = candle.interval;
  s.time = candle.open_time;
  s.side = firing.side;
  s.strength = firing.strength;
  s.price = candle.close;
  s.source = observer_name_ + "/" + spec.name;
  s.text = text.dump();
  return s;
}

const RuleState* StrategyEngine::state(std::string_view rule, std::string_view symbol,
                                       Interval interval) const {
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    if (rules_[r].name != rule) continue;
    auto it = series_.find(Key{r, std::string(symbol), interval.seconds()});
    return it == series_.end() ? nullptr : it->second.state.get();
  }
  return nullptr;
}

}  // namespace tickd::strategy
