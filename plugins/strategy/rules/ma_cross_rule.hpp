// ma_cross: buy when the fast average crosses above the slow one, sell when it
// crosses below. Strength: the gap between the averages as a percentage of the
// close, capped at 1 (a 1% gap or more is 1).
#pragma once

#include "indicators/ema.hpp"
#include "indicators/sma.hpp"
#include "rules/cross_detector.hpp"
#include "rules/rule_state.hpp"

#include <cmath>

namespace tickd::strategy {

template <class Average>
class MaCrossRule : public RuleState {
 public:
  explicit MaCrossRule(const RuleSpec& spec) : fast_(spec.fast), slow_(spec.slow) {}

  std::optional<Firing> update(const Candle& candle) override {
    fast_.update(candle.close);
    if (!slow_.update(candle.close)) return std::nullopt;
    const int cross = cross_.update(fast_.value() - slow_.value());
    if (cross == 0) return std::nullopt;
    Firing f;
    f.side = cross > 0 ? Side::buy : Side::sell;
    f.strength = clamp01(std::fabs(fast_.value() - slow_.value()) / candle.close * 100.0);
    f.values = values();
    return f;
  }
  bool ready() const override { return slow_.ready(); }
  nlohmann::json values() const override {
    return {{"fast_value", fast_.value()}, {"slow_value", slow_.value()}};
  }

 private:
  Average fast_;
  Average slow_;
  CrossDetector cross_;
};

}  // namespace tickd::strategy
