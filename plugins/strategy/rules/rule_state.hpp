// The live state of one rule on one series (symbol, interval): its indicators
// and crossing detectors, fed with closed candles in order.
#pragma once

#include "rules/rule_spec.hpp"

#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <optional>

namespace tickd::strategy {

struct Firing {
  Side side = Side::neutral;
  double strength = 0;    // 0..1, defined per rule (see docs/STRATEGIES_AND_ALERTS.md)
  nlohmann::json values;  // indicator values at the firing candle
};

class RuleState {
 public:
  virtual ~RuleState() = default;
  // Feeds one closed candle; returns a firing when the rule triggers on it.
  virtual std::optional<Firing> update(const Candle& candle) = 0;
  // True once every indicator of the rule has a value.
  virtual bool ready() const = 0;
  // Current indicator values, for logs and tests.
  virtual nlohmann::json values() const = 0;
};

std::unique_ptr<RuleState> make_rule_state(const RuleSpec& spec);

inline double clamp01(double x) { return std::min(1.0, std::max(0.0, x)); }

}  // namespace tickd::strategy
