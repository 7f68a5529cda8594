// Runs the configured rules over closed candles: one RuleState per (rule,
// symbol, interval), warmed from history so that indicators are valid at once,
// and turns firings into Signals.
#pragma once

#include "rules/rule_spec.hpp"
#include "rules/rule_state.hpp"

#include <tickd/types.hpp>

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace tickd::strategy {

class StrategyEngine {
 public:
  // Candles of a series, oldest first (the open candle may come last).
  using HistoryFn = std::function<std::vector<Candle>(std::string_view symbol, Interval interval)>;

  StrategyEngine(std::string observer_name, std::vector<RuleSpec> rules, HistoryFn history);

  // Creates and warms the state of every rule on each of the given symbols and
  // intervals it applies to (a rule's own symbols/intervals replace the lists).
  // Returns the number of closed candles fed. Publishes nothing.
  std::size_t warm_start(const std::vector<std::string_view>& symbols,
                         const std::vector<Interval>& intervals);

  // Feeds a closed candle to every rule that applies; returns the signals it
  // fires. A series seen for the first time is first warmed from history
  // (candles before this one). Candles not newer than the last one fed to a
  // series are ignored, so history and live events may overlap.
  std::vector<Signal> on_closed(const Candle& candle);

  // The state of a rule on a series, nullptr if none was created yet.
  const RuleState* state(std::string_view rule, std::string_view symbol, Interval interval) const;

  const std::vector<RuleSpec>& rules() const { return rules_; }

 private:
  struct Series {
    std::unique_ptr<RuleState> state;
    TimeMs last_open = std::numeric_limits<TimeMs>::min();
  };
  using Key = std::tuple<std::size_t, std::string, std::int64_t>;

  Series& series(std::size_t rule, std::string_view symbol, Interval interval);
  std::size_t warm(Series& s, std::string_view symbol, Interval interval, TimeMs before);
  Signal to_signal(std::size_t rule, const Candle& candle, const Firing& firing) const;

  std::string observer_name_;
  std::vector<RuleSpec> rules_;
  HistoryFn history_;
  std::map<Key, Series> series_;
};

}  // namespace tickd::strategy
