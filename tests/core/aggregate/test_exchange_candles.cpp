// Exchange candles (Binance klines) in the aggregator: published for their own
// interval, merged into larger ones, and reconciled with ticks by one rule -
// a live kline stream of X owns X and larger; ticks build only smaller ones.
#include "aggregate/aggregator.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using namespace testing;

constexpr TimeMs kBase = 1600000000000 / kHour * kHour;

CandleData kline(TimeMs open_time, double o, double h, double l, double c, double v, bool closed,
                 std::uint64_t n = 1) {
  CandleData k;
  k.interval_s = 60;
  k.open_time = open_time;
  k.open = o;
  k.high = h;
  k.low = l;
  k.close = c;
  k.volume = v;
  k.quote_volume = v * c;
  k.trade_count = n;
  k.flags = closed ? TICKD_CANDLE_CLOSED : 0;
  return k;
}

struct ExchangeCandleTest : ::testing::Test {
  SymbolTable symbols;
  RecordingSink sink;
  AggregatorConfig cfg = [] {
    AggregatorConfig c = config_of({"1s", "1m", "5m"});
    c.update_throttle_ms = 0;
    return c;
  }();
};

TEST_F(ExchangeCandleTest, SnapshotsAreUpdatesAndTheFinalOneCloses) {
  Aggregator agg(cfg, symbols, sink);
  agg.on_exchange_candle(kline(kBase, 10, 11, 9, 10.5, 3, false));
  agg.on_exchange_candle(kline(kBase, 10, 12, 9, 11, 5, false));
  agg.on_exchange_candle(kline(kBase, 10, 12, 8, 9, 6, true));
  const auto closed = sink.closed(60);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].open_time, kBase);
  EXPECT_EQ(closed[0].low, 8);
  EXPECT_EQ(closed[0].close, 9);
  EXPECT_EQ(closed[0].volume, 6);
  EXPECT_EQ(closed[0].flags, TICKD_CANDLE_CLOSED);  // complete: the exchange saw the whole minute
  EXPECT_EQ(sink.updates(60).size(), 2u);
  // A repeat of a closed kline is not a second closed candle.
  agg.on_exchange_candle(kline(kBase, 10, 12, 8, 9, 6, true));
  EXPECT_EQ(sink.closed(60).size(), 1u);
}

TEST_F(ExchangeCandleTest, LargerIntervalIsMergedFromSnapshotsWithoutDoubleCounting) {
  Aggregator agg(cfg, symbols, sink);
  for (int m = 0; m < 5; ++m) {
    const TimeMs t = kBase + m * kMin;
    agg.on_exchange_candle(kline(t, 100 + m, 101 + m, 99 + m, 100.5 + m, 1, false));
    agg.on_exchange_candle(kline(t, 100 + m, 102 + m, 98 + m, 101 + m, 2, false));
    agg.on_exchange_candle(kline(t, 100 + m, 102 + m, 98 + m, 100 + m, 3, true, 4));
  }
  const auto five = sink.closed(300);
  ASSERT_EQ(five.size(), 1u);
  EXPECT_EQ(five[0].open_time, kBase);
  EXPECT_EQ(five[0].open, 100);
  EXPECT_EQ(five[0].high, 106);
  EXPECT_EQ(five[0].low, 98);
  EXPECT_EQ(five[0].close, 104);
  EXPECT_DOUBLE_EQ(five[0].volume, 15);
  EXPECT_EQ(five[0].trade_count, 20u);
  EXPECT_EQ(five[0].flags, TICKD_CANDLE_CLOSED);
  EXPECT_EQ(sink.closed(60).size(), 5u);
}

TEST_F(ExchangeCandleTest, TicksBuildOnlyIntervalsBelowTheKlineInterval) {
  Aggregator agg(cfg, symbols, sink);
  agg.on_exchange_candle(kline(kBase, 10, 10, 10, 10, 1, false));
  // Trades after the snapshot: they build 1s, but 1m and 5m stay the exchange's.
  agg.on_tick(tick(kBase + 500, 50, 7));
  agg.on_tick(tick(kBase + 1500, 51, 7));
  EXPECT_EQ(sink.closed(1).size(), 1u);
  std::vector<CandleData> h;
  ASSERT_TRUE(agg.history(0, iv("1m"), 10, h));
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].high, 10);
  EXPECT_EQ(h[0].volume, 1);
  // Nor does the clock close an exchange candle: the exchange says when.
  agg.on_clock(kBase + 10 * kMin);
  EXPECT_TRUE(sink.closed(60).empty());
  agg.on_exchange_candle(kline(kBase, 10, 10, 10, 10, 1, true));
  EXPECT_EQ(sink.closed(60).size(), 1u);
}

TEST_F(ExchangeCandleTest, BackfillReplacesTheTickBuiltMinuteAndKeepsTicksInCharge) {
  Aggregator agg(cfg, symbols, sink);
  // Ticks until an outage in the middle of minute 1 of the 5m bucket.
  agg.on_tick(tick(kBase + 10 * kSec, 100, 1));
  agg.on_tick(tick(kBase + kMin + 5 * kSec, 103, 2));
  // Backfill: the whole of minute 1 (a superset of the ticks seen) and minute 2.
  agg.on_backfill_candle(kline(kBase + kMin, 103, 104, 95, 96, 5, true, 3));
  agg.on_backfill_candle(kline(kBase + 2 * kMin, 96, 97, 96, 97, 1, true));
  auto one = sink.closed(60);
  ASSERT_EQ(one.size(), 3u);
  EXPECT_EQ(one[1].open_time, kBase + kMin);
  EXPECT_EQ(one[1].low, 95);
  EXPECT_EQ(one[1].volume, 5);
  EXPECT_EQ(one[2].open_time, kBase + 2 * kMin);
  // Live ticks continue to build 1m after the backfill.
  agg.on_tick(tick(kBase + 3 * kMin + kSec, 98, 1));
  agg.on_tick(tick(kBase + 5 * kMin, 99, 1));
  one = sink.closed(60);
  ASSERT_EQ(one.size(), 4u);
  EXPECT_EQ(one[3].open_time, kBase + 3 * kMin);
  const auto five = sink.closed(300);
  ASSERT_EQ(five.size(), 1u);
  EXPECT_EQ(five[0].open, 100);
  EXPECT_EQ(five[0].high, 104);
  EXPECT_EQ(five[0].low, 95);
  EXPECT_EQ(five[0].close, 98);
  EXPECT_DOUBLE_EQ(five[0].volume, 1 + 5 + 1 + 1);  // minute 1's two ticked units are not counted twice
}

TEST_F(ExchangeCandleTest, QuietKlinesAddNoPriceToTheLargerCandle) {
  Aggregator agg(cfg, symbols, sink);
  agg.on_exchange_candle(kline(kBase, 50, 50, 50, 50, 0, true, 0));  // flat at the previous close
  agg.on_exchange_candle(kline(kBase + kMin, 60, 61, 59, 60, 2, true));
  for (int m = 2; m < 5; ++m) agg.on_exchange_candle(kline(kBase + m * kMin, 60, 60, 60, 60, 0, true, 0));
  const auto five = sink.closed(300);
  ASSERT_EQ(five.size(), 1u);
  EXPECT_EQ(five[0].open, 60);
  EXPECT_EQ(five[0].low, 59);
  EXPECT_EQ(five[0].volume, 2);
}

TEST_F(ExchangeCandleTest, CandleOfAnIntervalNotConfiguredIsIgnored) {
  Aggregator agg(cfg, symbols, sink);
  CandleData k = kline(kBase, 1, 1, 1, 1, 1, true);
  k.interval_s = 180;
  agg.on_exchange_candle(k);
  EXPECT_TRUE(sink.events.empty());
}

}  // namespace
}  // namespace tickd::core
