// rsi_cross: sell when RSI crosses above `above` (entering overbought), buy
// when it crosses below `below` (entering oversold). Strength: how far past the
// level RSI went, relative to the room left (above..100 or 0..below).
#pragma once

#include "indicators/rsi.hpp"
#include "rules/cross_detector.hpp"
#include "rules/rule_state.hpp"

namespace tickd::strategy {

class RsiCrossRule : public RuleState {
 public:
  explicit RsiCrossRule(const RuleSpec& spec) : rsi_(spec.period), above_(spec.above), below_(spec.below) {}

  std::optional<Firing> update(const Candle& candle) override {
    if (!rsi_.update(candle.close)) return std::nullopt;
    const double rsi = rsi_.value();
    const bool overbought = upper_.update(rsi - above_) > 0;
    const bool oversold = lower_.update(rsi - below_) < 0;
    if (!overbought && !oversold) return std::nullopt;
    Firing f;
    f.side = overbought ? Side::sell : Side::buy;
    f.strength = overbought ? clamp01((rsi - above_) / (100.0 - above_)) : clamp01((below_ - rsi) / below_);
    f.values = values();
    return f;
  }
  bool ready() const override { return rsi_.ready(); }
  nlohmann::json values() const override { return {{"rsi", rsi_.value()}}; }

 private:
  Rsi rsi_;
  double above_;
  double below_;
  CrossDetector upper_;
  CrossDetector lower_;
};

}  // namespace tickd::strategy
