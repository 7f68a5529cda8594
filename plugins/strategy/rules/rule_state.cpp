#include "rules/rule_state.hpp"

#include "rules/bollinger_break_rule.hpp"
#include "rules/ma_cross_rule.hpp"
#include "rules/macd_cross_rule.hpp"
#include "rules/rsi_cross_rule.hpp"

namespace tickd::strategy {

std::unique_ptr<RuleState> make_rule_state(const RuleSpec& spec) {
  switch (spec.type) {
    case RuleType::ma_cross:
      if (spec.ma == MaKind::sma) return std::make_unique<MaCrossRule<Sma>>(spec);
      return std::make_unique<MaCrossRule<Ema>>(spec);
    case RuleType::rsi_cross:
      return std::make_unique<RsiCrossRule>(spec);
    case RuleType::bollinger_break:
      return std::make_unique<BollingerBreakRule>(spec);
    case RuleType::macd_cross:
      return std::make_unique<MacdCrossRule>(spec);
  }
  return nullptr;
}

}  // namespace tickd::strategy
