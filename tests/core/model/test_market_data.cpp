// The daemon's values cross into plugins, process observers and NATS through
// one mapping (to_value/from_value) and the SDK's sized ABI conversion: every
// field survives the round trip, the flags included.
#include "model/market_data.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

TEST(MarketData, ACandleRoundTripsThroughTheAbi) {
  CandleData c;
  c.symbol = 7;
  c.interval_s = 900;
  c.open_time = 1700000100000;
  c.open = 10;
  c.high = 12.5;
  c.low = 9.75;
  c.close = 11;
  c.volume = 3;
  c.quote_volume = 33.3;
  c.trade_count = 99;
  c.flags = TICKD_CANDLE_CLOSED | TICKD_CANDLE_PARTIAL;
  const tickd_candle abi = to_abi(c, "RELIANCE");
  EXPECT_EQ(detail::view(abi.symbol), "RELIANCE");
  EXPECT_DOUBLE_EQ(abi.vwap, 33.3 / 3);
  const CandleData back = from_abi(abi, 7);
  EXPECT_EQ(back.symbol, 7u);
  EXPECT_EQ(back.interval_s, 900);
  EXPECT_EQ(back.open_time, c.open_time);
  EXPECT_EQ(back.open, c.open);
  EXPECT_EQ(back.high, c.high);
  EXPECT_EQ(back.low, c.low);
  EXPECT_EQ(back.close, c.close);
  EXPECT_EQ(back.volume, c.volume);
  EXPECT_EQ(back.quote_volume, c.quote_volume);
  EXPECT_EQ(back.trade_count, c.trade_count);
  EXPECT_EQ(back.flags, c.flags);
}

TEST(MarketData, ATickRoundTripsThroughTheSdkValue) {
  TickData t;
  t.symbol = 3;
  t.time = -1;
  t.price = 0.1;
  t.quantity = 1e-8;
  t.trade_id = 123456789012345;
  t.trade_count = 4;
  t.side = Side::buy;
  const Tick v = to_value(t, "ETHBTC");
  EXPECT_EQ(v.symbol, "ETHBTC");
  const TickData back = from_value(detail::from_c(detail::to_c(v)), 3);
  EXPECT_EQ(back.time, t.time);
  EXPECT_EQ(back.price, t.price);
  EXPECT_EQ(back.quantity, t.quantity);
  EXPECT_EQ(back.trade_id, t.trade_id);
  EXPECT_EQ(back.trade_count, t.trade_count);
  EXPECT_EQ(back.side, t.side);
}

TEST(MarketData, AnOpenCandleStaysOpenAndAFilledOneFilled) {
  CandleData c;
  c.interval_s = 60;
  c.flags = TICKD_CANDLE_FILLED;
  const Candle v = to_value(c, "X");
  EXPECT_FALSE(v.closed);
  EXPECT_TRUE(v.filled);
  EXPECT_EQ(from_value(v, 0).flags, TICKD_CANDLE_FILLED);
}

}  // namespace
}  // namespace tickd::core
