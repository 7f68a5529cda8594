// macd_cross: buy when the MACD line crosses above its signal line, sell when it
// crosses below. Strength: |histogram| as a percentage of the close, capped at 1.
#pragma once

#include "indicators/macd.hpp"
#include "rules/cross_detector.hpp"
#include "rules/rule_state.hpp"

#include <cmath>

namespace tickd::strategy {

class MacdCrossRule : public RuleState {
 public:
  explicit MacdCrossRule(const RuleSpec& spec) : macd_(spec.fast, spec.slow, spec.signal) {}

  std::optional<Firing> update(const Candle& candle) override {
    if (!macd_.update(candle.close)) return std::nullopt;
    const int cross = cross_.update(macd_.histogram());
    if (cross == 0) return std::nullopt;
    Firing f;
    f.side = cross > 0 ? Side::buy : Side::sell;
    f.strength = clamp01(std::fabs(macd_.histogram()) / candle.close * 100.0);
    f.values = values();
    return f;
  }
  bool ready() const override { return macd_.ready(); }
  nlohmann::json values() const override {
    return {{"macd", macd_.macd()}, {"signal_value", macd_.signal()}, {"histogram", macd_.histogram()}};
  }

 private:
  Macd macd_;
  CrossDetector cross_;
};

}  // namespace tickd::strategy
