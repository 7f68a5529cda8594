// Every indicator against reference values for the first 300 closes of the real
// Binance BTCUSDT 1h series. Reference: tests/plugins/strategy/reference/
// talib_reference.py, which applies TA-Lib's formulas (ta_SMA.c, ta_EMA.c,
// ta_RSI.c, ta_MACD.c, ta_BBANDS.c/ta_STDDEV.c, ta_ATR.c) in plain batch Python
// with a two-pass variance, independently of the incremental C++ code here.
#include "btc_series.hpp"
#include "indicators/atr.hpp"
#include "indicators/bollinger.hpp"
#include "indicators/ema.hpp"
#include "indicators/macd.hpp"
#include "indicators/rsi.hpp"
#include "indicators/session_vwap.hpp"
#include "indicators/sma.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace tickd::strategy {
namespace {

class IndicatorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reference_ = test::load_reference();
    candles_ = test::load_btc_1h(reference_["rows"].get<std::size_t>());
    ASSERT_EQ(candles_.size(), 300u);
    ASSERT_EQ(reference_["open_time"][0].get<TimeMs>(), candles_[0].open_time);
  }

  // `step` feeds candle i and returns {ready, value}; the reference has null
  // exactly where the indicator must not be ready yet.
  void expect_matches(const std::string& column,
                      const std::function<std::pair<bool, double>(const Candle&)>& step) {
    const auto& expected = reference_.at(column);
    int compared = 0;
    for (std::size_t i = 0; i < candles_.size(); ++i) {
      auto [ready, value] = step(candles_[i]);
      if (expected[i].is_null()) {
        EXPECT_FALSE(ready) << column << " ready too early at row " << i;
        continue;
      }
      ASSERT_TRUE(ready) << column << " not ready at row " << i;
      const double want = expected[i].get<double>();
      EXPECT_NEAR(value, want, 1e-9 * std::max(1.0, std::fabs(want))) << column << " row " << i;
      ++compared;
    }
    EXPECT_GT(compared, 200) << column;
  }

  nlohmann::json reference_;
  std::vector<Candle> candles_;
};

TEST_F(IndicatorsTest, SmaMatchesTaLibReference) {
  Sma sma(20);
  expect_matches("sma_20", [&](const Candle& c) {
    bool ready = sma.update(c.close);
    return std::make_pair(ready, sma.value());
  });
}

TEST_F(IndicatorsTest, EmaSeededWithSmaMatchesTaLibReference) {
  Ema ema(20);
  expect_matches("ema_20", [&](const Candle& c) {
    bool ready = ema.update(c.close);
    return std::make_pair(ready, ema.value());
  });
}

TEST_F(IndicatorsTest, RsiWilderMatchesTaLibReference) {
  Rsi rsi(14);
  expect_matches("rsi_14", [&](const Candle& c) {
    bool ready = rsi.update(c.close);
    return std::make_pair(ready, rsi.value());
  });
}

TEST_F(IndicatorsTest, MacdLinesMatchTaLibReference) {
  Macd a(12, 26, 9), b(12, 26, 9), c(12, 26, 9);
  expect_matches("macd_12_26_9", [&](const Candle& k) {
    bool ready = a.update(k.close);
    return std::make_pair(ready, a.macd());
  });
  expect_matches("macd_signal_12_26_9", [&](const Candle& k) {
    bool ready = b.update(k.close);
    return std::make_pair(ready, b.signal());
  });
  expect_matches("macd_hist_12_26_9", [&](const Candle& k) {
    bool ready = c.update(k.close);
    return std::make_pair(ready, c.histogram());
  });
}

TEST_F(IndicatorsTest, BollingerBandsMatchTaLibReference) {
  Bollinger u(20, 2.0), m(20, 2.0), l(20, 2.0);
  expect_matches("bb_upper_20_2", [&](const Candle& c) {
    bool ready = u.update(c.close);
    return std::make_pair(ready, u.upper());
  });
  expect_matches("bb_middle_20_2", [&](const Candle& c) {
    bool ready = m.update(c.close);
    return std::make_pair(ready, m.middle());
  });
  expect_matches("bb_lower_20_2", [&](const Candle& c) {
    bool ready = l.update(c.close);
    return std::make_pair(ready, l.lower());
  });
}

TEST_F(IndicatorsTest, AtrWilderMatchesTaLibReference) {
  Atr atr(14);
  expect_matches("atr_14", [&](const Candle& c) {
    bool ready = atr.update(c.high, c.low, c.close);
    return std::make_pair(ready, atr.value());
  });
}

TEST_F(IndicatorsTest, SessionVwapRestartsEachUtcDay) {
  SessionVwap vwap;
  expect_matches("vwap_utc_day", [&](const Candle& c) {
    bool ready = vwap.update(SessionVwap::utc_day(c.open_time), c.high, c.low, c.close, c.volume);
    return std::make_pair(ready, vwap.value());
  });
  // The first candle of a day is its own typical price.
  SessionVwap fresh;
  fresh.update(1, 10, 10, 10, 5);
  fresh.update(2, 30, 0, 0, 1);
  EXPECT_DOUBLE_EQ(fresh.value(), 10.0);
}

TEST(RollingWindowTest, StaysExactOverManyLaps) {
  Sma sma(3);
  for (int i = 0; i < 1000000; ++i) sma.update(1e6 + (i % 7) * 0.1);
  const double expected = 1e6 + ((999997 % 7) + (999998 % 7) + (999999 % 7)) * 0.1 / 3;
  EXPECT_NEAR(sma.value(), expected, 1e-9);
}

TEST(IndicatorArgumentsTest, RejectNonPositivePeriods) {
  EXPECT_THROW(Ema(0), std::invalid_argument);
  EXPECT_THROW(Rsi(0), std::invalid_argument);
  EXPECT_THROW(Atr(0), std::invalid_argument);
  EXPECT_THROW(Sma(0), std::invalid_argument);
  EXPECT_THROW(Macd(26, 12, 9), std::invalid_argument);
}

}  // namespace
}  // namespace tickd::strategy
