// On the real BTCUSDT 1h series the rules fire exactly where the independently
// computed reference values (reference/talib_reference.py, TA-Lib formulas)
// cross, and nowhere else.
#include "btc_series.hpp"
#include "crafted_series.hpp"

#include <gtest/gtest.h>

namespace tickd::strategy {
namespace {

using Fired = std::map<std::size_t, Side>;

// Sign changes of a reference column a - b (zeros skipped), from the first
// row where both are defined: +1 -> up_side, -1 -> down_side.
Fired expected_crossings(const nlohmann::json& a, const nlohmann::json& b, Side up_side, Side down_side,
                         bool want_up = true, bool want_down = true) {
  Fired out;
  int side = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_null() || b[i].is_null()) continue;
    const double d = a[i].get<double>() - b[i].get<double>();
    const int s = (d > 0) - (d < 0);
    if (s == 0) continue;
    if (side != 0 && s != side) {
      if (s > 0 && want_up) out[i] = up_side;
      if (s < 0 && want_down) out[i] = down_side;
    }
    side = s;
  }
  return out;
}

class RulesOnRealSeriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reference_ = test::load_reference();
    candles_ = test::load_btc_1h(300);
  }
  nlohmann::json constant(double v) const { return nlohmann::json(std::vector<double>(300, v)); }
  nlohmann::json closes() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : candles_) out.push_back(c.close);
    return out;
  }
  nlohmann::json reference_;
  std::vector<Candle> candles_;
};

TEST_F(RulesOnRealSeriesTest, MacdCrossFiresWhereReferenceHistogramChangesSign) {
  auto expected = expected_crossings(reference_["macd_12_26_9"], reference_["macd_signal_12_26_9"], Side::buy,
                                     Side::sell);
  ASSERT_GE(expected.size(), 5u);
  auto spec = test::spec_of({{"name", "m"}, {"type", "macd_cross"}});
  EXPECT_EQ(test::firings(spec, candles_), expected);
}

TEST_F(RulesOnRealSeriesTest, RsiCrossFiresWhereReferenceRsiEntersZones) {
  Fired expected =
      expected_crossings(reference_["rsi_14"], constant(70), Side::sell, Side::sell, true, false);
  for (auto [i, side] :
       expected_crossings(reference_["rsi_14"], constant(30), Side::buy, Side::buy, false, true))
    expected[i] = side;
  ASSERT_GE(expected.size(), 3u);
  auto spec =
      test::spec_of({{"name", "r"}, {"type", "rsi_cross"}, {"period", 14}, {"above", 70}, {"below", 30}});
  EXPECT_EQ(test::firings(spec, candles_), expected);
}

TEST_F(RulesOnRealSeriesTest, BollingerBreakFiresWhereCloseLeavesReferenceBands) {
  auto c = closes();
  Fired expected = expected_crossings(c, reference_["bb_upper_20_2"], Side::buy, Side::buy, true, false);
  for (auto [i, side] :
       expected_crossings(c, reference_["bb_lower_20_2"], Side::sell, Side::sell, false, true))
    expected[i] = side;
  ASSERT_GE(expected.size(), 3u);
  auto spec = test::spec_of({{"name", "b"}, {"type", "bollinger_break"}, {"period", 20}, {"k", 2}});
  EXPECT_EQ(test::firings(spec, candles_), expected);
}

TEST_F(RulesOnRealSeriesTest, EmaCrossFiresWhereIndependentEmasCross) {
  // EMA(9) and EMA(21) in the plugin vs a plain two-loop computation here.
  auto ema = [&](int n) {
    nlohmann::json out = nlohmann::json::array();
    double v = 0, k = 2.0 / (n + 1);
    for (std::size_t i = 0; i < candles_.size(); ++i) {
      if (i + 1 < static_cast<std::size_t>(n)) {
        out.push_back(nullptr);
        continue;
      }
      if (i + 1 == static_cast<std::size_t>(n)) {
        v = 0;
        for (int j = 0; j < n; ++j) v += candles_[j].close;
        v /= n;
      } else {
        v = (candles_[i].close - v) * k + v;
      }
      out.push_back(v);
    }
    return out;
  };
  auto expected = expected_crossings(ema(9), ema(21), Side::buy, Side::sell);
  ASSERT_GE(expected.size(), 5u);
  auto spec = test::spec_of({{"name", "e"}, {"type", "ma_cross"}, {"fast", 9}, {"slow", 21}, {"ma", "ema"}});
  EXPECT_EQ(test::firings(spec, candles_), expected);
}

}  // namespace
}  // namespace tickd::strategy
