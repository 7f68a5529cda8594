// bollinger_break: buy when the close breaks above the upper band, sell when it
// breaks below the lower band (a breakout reading; the band includes the
// breaking candle, as TA-Lib's BBANDS does). Strength: the distance beyond the
// band in units of the band's half-width (k * stddev), capped at 1.
#pragma once

#include "indicators/bollinger.hpp"
#include "rules/cross_detector.hpp"
#include "rules/rule_state.hpp"

namespace tickd::strategy {

class BollingerBreakRule : public RuleState {
 public:
  explicit BollingerBreakRule(const RuleSpec& spec) : bands_(spec.period, spec.k) {}

  std::optional<Firing> update(const Candle& candle) override {
    if (!bands_.update(candle.close)) return std::nullopt;
    const double upper = bands_.upper(), lower = bands_.lower(), half = upper - bands_.middle();
    const bool up = upper_.update(candle.close - upper) > 0;
    const bool down = lower_.update(candle.close - lower) < 0;
    if (!up && !down) return std::nullopt;
    Firing f;
    f.side = up ? Side::buy : Side::sell;
    const double beyond = up ? candle.close - upper : lower - candle.close;
    f.strength = half > 0 ? clamp01(beyond / half) : 1.0;
    f.values = values();
    return f;
  }
  bool ready() const override { return bands_.ready(); }
  nlohmann::json values() const override {
    return {{"upper", bands_.upper()}, {"middle", bands_.middle()}, {"lower", bands_.lower()}};
  }

 private:
  Bollinger bands_;
  CrossDetector upper_;
  CrossDetector lower_;
};

}  // namespace tickd::strategy
