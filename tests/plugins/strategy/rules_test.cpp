// Each rule fires exactly where a hand-computed crafted series says, and
// nowhere else. The expected indices are worked out in the comments.
#include "crafted_series.hpp"

#include <gtest/gtest.h>

namespace tickd::strategy {
namespace {

using test::candles_from;
using test::firings;
using test::spec_of;
using Fired = std::map<std::size_t, Side>;

TEST(MaCrossRuleTest, SmaFiresOnStrictCrossingsOnly) {
  // SMA(2) - SMA(3): i2 -0.5 (sets side), i3 -0.5, i4 -0.33, i5 0 (touch),
  // i6 9.5-8.67 > 0 -> buy, i7 +, i8/i9 0, i10 7.5-9 < 0 -> sell, i11 -, i12.. 0.
  auto candles = candles_from({10, 9, 8, 7, 7, 7, 12, 12, 12, 12, 3, 3, 3, 3});
  auto spec = spec_of({{"name", "x"}, {"type", "ma_cross"}, {"fast", 2}, {"slow", 3}, {"ma", "sma"}});
  EXPECT_EQ(firings(spec, candles), (Fired{{6, Side::buy}, {10, Side::sell}}));
}

TEST(MaCrossRuleTest, EmaFiresOnceAndNotWhileConverging) {
  // EMA(2) seeded 9.5 at i1, EMA(3) seeded 9 at i2; i2..i4 fast < slow;
  // i5: fast 6.5 + 13.5 * 2/3 = 15.5 > slow 7 + 13 / 2 = 13.5 -> buy; then both
  // converge to 20 from below with fast ahead: no second crossing.
  std::vector<double> closes{10, 9, 8, 7, 6};
  closes.resize(40, 20.0);
  auto spec = spec_of({{"name", "x"}, {"type", "ma_cross"}, {"fast", 2}, {"slow", 3}, {"ma", "ema"}});
  EXPECT_EQ(firings(spec, candles_from(closes)), (Fired{{5, Side::buy}}));
}

TEST(RsiCrossRuleTest, SellEnteringOverboughtBuyEnteringOversold) {
  // RSI(2): i2 50 (sets sides); i3 +2 -> gain 1.25 loss 0.25 -> 83.3: above 70 -> sell;
  // i4 flat -> 83.3; i5 -4 -> gain 0.3125 loss 2.0625 -> 13.2: below 30 -> buy;
  // i6 13.2; i7 +1 -> 52.9: leaves oversold upwards, which is not a firing.
  auto candles = candles_from({10, 11, 10, 12, 12, 8, 8, 9, 9});
  auto spec = spec_of({{"name", "x"}, {"type", "rsi_cross"}, {"period", 2}, {"above", 70}, {"below", 30}});
  EXPECT_EQ(firings(spec, candles), (Fired{{3, Side::sell}, {5, Side::buy}}));
}

TEST(BollingerBreakRuleTest, BuyAboveUpperSellBelowLower) {
  // period 3, k 1: i2 mean 10.33 sd 0.47 (sets sides); i3 upper 11.14 > 11;
  // i4 mean 13.67 sd 4.50 upper 18.16 < 20 -> buy; i5 upper 21.24 > 20;
  // i6 flat band at 20 (touch); i7 mean 15 sd 7.07 lower 7.93 > 5 -> sell.
  auto candles = candles_from({10, 11, 10, 11, 20, 20, 20, 5, 5});
  auto spec = spec_of({{"name", "x"}, {"type", "bollinger_break"}, {"period", 3}, {"k", 1}});
  EXPECT_EQ(firings(spec, candles), (Fired{{4, Side::buy}, {7, Side::sell}}));
}

TEST(MacdCrossRuleTest, FiresOnceOnEachTrendReversal) {
  // An accelerating fall keeps MACD(3,6,3) under its signal from the first
  // value on (i7..i29); a steady rise from i30 takes it above (buy at i30) and
  // it stays above while the rise goes on; an accelerating fall from i60 takes
  // it below (sell at i60). Indices checked with reference/talib_reference.py's
  // macd() on the same closes.
  std::vector<double> closes;
  for (int i = 0; i < 30; ++i) closes.push_back(100 - 0.05 * i * i);
  for (int i = 0; i < 30; ++i) closes.push_back(closes[29] + 3.0 * (i + 1));
  for (int i = 0; i < 30; ++i) closes.push_back(closes[59] - 0.1 * (i + 1) * (i + 1));
  auto spec = spec_of({{"name", "x"}, {"type", "macd_cross"}, {"fast", 3}, {"slow", 6}, {"signal", 3}});
  EXPECT_EQ(firings(spec, candles_from(closes)), (Fired{{30, Side::buy}, {60, Side::sell}}));
}

TEST(RuleStrengthTest, StaysWithinZeroAndOne) {
  auto candles = candles_from({10, 11, 10, 11, 20, 20, 20, 5, 5});
  auto state =
      make_rule_state(spec_of({{"name", "x"}, {"type", "bollinger_break"}, {"period", 3}, {"k", 1}}));
  for (const auto& c : candles)
    if (auto f = state->update(c)) {
      EXPECT_GT(f->strength, 0.0);
      EXPECT_LE(f->strength, 1.0);
    }
}

}  // namespace
}  // namespace tickd::strategy
