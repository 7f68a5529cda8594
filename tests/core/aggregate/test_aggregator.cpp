#include "aggregate/aggregator.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using namespace testing;

constexpr TimeMs kBase = 1600000000000 / kHour * kHour;  // an hour boundary in September 2020

struct AggregatorTest : ::testing::Test {
  SymbolTable symbols;
  RecordingSink sink;
};

TEST_F(AggregatorTest, FirstCandleIsPartialAndClosesWhenALaterBucketTicks) {
  AggregatorConfig cfg = config_of({"1m"});
  cfg.update_throttle_ms = 0;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase + 10 * kSec, 100, 2));
  agg.on_tick(tick(kBase + 20 * kSec, 105, 1));
  agg.on_tick(tick(kBase + 59999, 95, 1));  // last millisecond of the bucket
  agg.on_tick(tick(kBase + kMin, 101, 3));  // first millisecond of the next
  agg.on_tick(tick(kBase + 2 * kMin + 1, 102, 1));

  ASSERT_EQ(sink.events.size(), 7u);
  const auto closed = sink.closed(60);
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[0].open_time, kBase);
  EXPECT_EQ(closed[0].open, 100);
  EXPECT_EQ(closed[0].high, 105);
  EXPECT_EQ(closed[0].low, 95);
  EXPECT_EQ(closed[0].close, 95);
  EXPECT_EQ(closed[0].volume, 4);
  EXPECT_EQ(closed[0].quote_volume, 200 + 105 + 95);
  EXPECT_EQ(closed[0].trade_count, 3u);
  EXPECT_EQ(closed[0].flags, TICKD_CANDLE_CLOSED | TICKD_CANDLE_PARTIAL);
  EXPECT_EQ(closed[1].open_time, kBase + kMin);
  EXPECT_EQ(closed[1].flags, TICKD_CANDLE_CLOSED);
  EXPECT_EQ(closed[1].volume, 3);
  // The closed candle comes before the update of the bucket that closed it.
  EXPECT_EQ(sink.events[3].kind, CandleEventKind::closed);
  EXPECT_EQ(sink.events[4].kind, CandleEventKind::update);
  EXPECT_EQ(sink.events[4].candle.open_time, kBase + kMin);
  EXPECT_EQ(sink.events[4].candle.flags, 0u);
  EXPECT_EQ(agg.stats().closed_per_interval, std::vector<std::uint64_t>{2});
  EXPECT_EQ(agg.stats().ticks, 5u);
}

TEST_F(AggregatorTest, EveryIntervalBuildsItsOwnCandle) {
  AggregatorConfig cfg;
  for (const auto& k : Interval::known) cfg.intervals.push_back(*Interval::parse(k.name));
  Aggregator agg(cfg, symbols, sink);
  const TimeMs t = at(2021, 6, 15, 13, 47, 29);
  agg.on_tick(tick(t, 10));
  agg.on_tick(tick(at(2021, 6, 30), 11));  // a later bucket of every interval
  for (const auto& k : Interval::known) {
    SCOPED_TRACE(std::string(k.name));
    const auto closed = sink.closed(static_cast<std::int32_t>(k.seconds));
    ASSERT_EQ(closed.size(), 1u);
    EXPECT_LE(closed[0].open_time, t);
    EXPECT_EQ(closed[0].close, 10);
  }
  EXPECT_EQ(sink.closed(86400)[0].open_time, at(2021, 6, 15));
  EXPECT_EQ(sink.closed(604800)[0].open_time, at(2021, 6, 14));
}

TEST_F(AggregatorTest, TimerClosesAQuietCandleAfterTheGrace) {
  AggregatorConfig cfg = config_of({"1m"});
  cfg.close_grace_ms = 1500;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase + 5 * kSec, 100));
  agg.on_clock(kBase + kMin + 1499);
  EXPECT_TRUE(sink.closed(60).empty());
  agg.on_clock(kBase + kMin + 1500);
  ASSERT_EQ(sink.closed(60).size(), 1u);
  EXPECT_EQ(sink.closed(60)[0].open_time, kBase);
  agg.on_clock(kBase + 10 * kMin);  // gap fill is off: nothing more
  EXPECT_EQ(sink.closed(60).size(), 1u);
  // A tick of the bucket that was closed by the timer is late.
  agg.on_tick(tick(kBase + 50 * kSec, 100));
  EXPECT_EQ(agg.stats().late_dropped, 1u);
}

TEST_F(AggregatorTest, UpdatesAreThrottledByTickTimeAndFlushedByTheClock) {
  AggregatorConfig cfg = config_of({"1m"});
  cfg.update_throttle_ms = 250;
  Aggregator agg(cfg, symbols, sink);
  for (TimeMs dt : {0, 100, 200, 250, 300, 499, 500, 510}) agg.on_tick(tick(kBase + dt, 100.0 + dt));
  // Emitted at 0, 250 and 500; the tick at 510 is held back.
  auto updates = sink.updates(60);
  ASSERT_EQ(updates.size(), 3u);
  EXPECT_EQ(updates[0].close, 100);
  EXPECT_EQ(updates[1].close, 350);
  EXPECT_EQ(updates[2].close, 600);
  std::vector<CandleData> hist;
  ASSERT_TRUE(agg.history(0, iv("1m"), 10, hist));
  ASSERT_EQ(hist.size(), 1u);
  EXPECT_EQ(hist[0].close, 600);  // as of the last emitted update
  // The clock flushes the held-back tick, but no sooner than the throttle
  // allows after the last update (500): not at 600, at 750.
  agg.on_clock(kBase + 600);
  EXPECT_EQ(sink.updates(60).size(), 3u);
  agg.on_clock(kBase + 750);
  updates = sink.updates(60);
  ASSERT_EQ(updates.size(), 4u);
  EXPECT_EQ(updates[3].close, 610);
  EXPECT_EQ(updates[3].trade_count, 8u);
  ASSERT_TRUE(agg.history(0, iv("1m"), 10, hist));
  EXPECT_EQ(hist[0].close, 610);
  agg.on_clock(kBase + 1100);  // nothing dirty: nothing emitted
  EXPECT_EQ(sink.updates(60).size(), 4u);
  // A new bucket's first tick follows the same throttle: 60000 - 750 >= 250.
  agg.on_tick(tick(kBase + kMin, 1));
  agg.on_tick(tick(kBase + kMin + 1, 2));
  EXPECT_EQ(sink.updates(60).size(), 5u);
  EXPECT_EQ(sink.closed(60).size(), 1u);
}

TEST_F(AggregatorTest, ASymbolsIntervalsShareOneThrottleWindow) {
  // A tick updates every interval of its symbol; throttled together, their
  // updates leave together (one write to a client watching several).
  AggregatorConfig cfg = config_of({"1s", "1m"});
  cfg.update_throttle_ms = 250;
  Aggregator agg(cfg, symbols, sink);
  for (TimeMs dt : {0, 900, 1100, 1200}) agg.on_tick(tick(kBase + dt, 100.0 + dt));
  // Emitted at 0 and 900; at 1100 the new second's candle waits (200 < 250);
  // at 1200 both go again.
  auto fast = sink.updates(1), slow = sink.updates(60);
  ASSERT_EQ(fast.size(), 3u);
  ASSERT_EQ(slow.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(fast[i].close, slow[i].close);
  EXPECT_EQ(fast[2].close, 1300);
  EXPECT_EQ(sink.closed(1).size(), 1u);  // closing is never throttled
}

TEST_F(AggregatorTest, ZeroThrottleEmitsAnUpdatePerTick) {
  AggregatorConfig cfg = config_of({"1m", "5m"});
  cfg.update_throttle_ms = 0;
  Aggregator agg(cfg, symbols, sink);
  for (TimeMs dt : {0, 1, 1, 2, 0}) agg.on_tick(tick(kBase + dt, 1));
  EXPECT_EQ(sink.updates(60).size(), 5u);
  EXPECT_EQ(sink.updates(300).size(), 5u);
}

TEST_F(AggregatorTest, HistoryIsOldestFirstBoundedAndEndsWithTheOpenCandle) {
  AggregatorConfig cfg = config_of({"1m"});
  cfg.history = 3;
  cfg.update_throttle_ms = 0;
  Aggregator agg(cfg, symbols, sink);
  std::vector<CandleData> out;
  EXPECT_FALSE(agg.history(0, iv("1m"), 10, out));
  for (int i = 0; i < 6; ++i) agg.on_tick(tick(kBase + i * kMin, 100 + i));
  ASSERT_TRUE(agg.history(0, iv("1m"), 10, out));
  ASSERT_EQ(out.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(out[i].open_time, kBase + (2 + i) * kMin);
    EXPECT_TRUE(out[i].closed());
  }
  EXPECT_EQ(out[3].open_time, kBase + 5 * kMin);
  EXPECT_FALSE(out[3].closed());
  ASSERT_TRUE(agg.history(0, iv("1m"), 2, out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].open_time, kBase + 4 * kMin);
  EXPECT_EQ(out[1].open_time, kBase + 5 * kMin);
  ASSERT_TRUE(agg.history(0, iv("1m"), 0, out));
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(agg.history(0, iv("5m"), 10, out));
  EXPECT_FALSE(agg.history(1, iv("1m"), 10, out));
}

TEST_F(AggregatorTest, SymbolsAppearLazilyAnywhereInTheIdSpace) {
  Aggregator agg(config_of({"1s"}), symbols, sink);
  const SymbolId last = SymbolTable::kCapacity - 1;
  agg.on_tick(tick(kBase, 1, 1, last));
  agg.on_tick(tick(kBase, 2, 1, 7));
  std::vector<CandleData> out;
  ASSERT_TRUE(agg.history(last, iv("1s"), 5, out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].symbol, last);
  EXPECT_EQ(out[0].close, 1);
  ASSERT_TRUE(agg.history(7, iv("1s"), 5, out));
  EXPECT_EQ(out[0].close, 2);
  EXPECT_FALSE(agg.history(8, iv("1s"), 5, out));
}

TEST_F(AggregatorTest, WithoutEmitCandlesStillReachHistory) {
  AggregatorConfig cfg = config_of({"1m"});
  Aggregator agg(cfg, symbols, sink);
  agg.set_emit(false);
  agg.on_tick(tick(kBase, 1));
  agg.on_tick(tick(kBase + kMin, 2));
  agg.on_tick(tick(kBase + kMin + 300, 3));
  EXPECT_TRUE(sink.events.empty());
  std::vector<CandleData> out;
  ASSERT_TRUE(agg.history(0, iv("1m"), 10, out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].close, 1);
  EXPECT_EQ(out[1].close, 3);  // the snapshot follows the throttle even unemitted
  agg.set_emit(true);
  agg.on_tick(tick(kBase + 2 * kMin, 4));
  ASSERT_EQ(sink.closed(60).size(), 1u);
  EXPECT_EQ(sink.closed(60)[0].close, 3);
}

TEST_F(AggregatorTest, CloseAllEmitsOpenCandlesAsClosedAndPartial) {
  Aggregator agg(config_of({"1m", "1h"}), symbols, sink);
  agg.on_tick(tick(kBase, 1));
  agg.on_tick(tick(kBase + kMin, 2));
  agg.close_all();
  const auto minute = sink.closed(60);
  ASSERT_EQ(minute.size(), 2u);
  EXPECT_EQ(minute[1].flags, TICKD_CANDLE_CLOSED | TICKD_CANDLE_PARTIAL);
  ASSERT_EQ(sink.closed(3600).size(), 1u);
  EXPECT_EQ(sink.closed(3600)[0].close, 2);
  agg.close_all();
  EXPECT_EQ(sink.closed(60).size(), 2u);
}

TEST_F(AggregatorTest, CloseOnShutdownOffLeavesCandlesOpen) {
  AggregatorConfig cfg = config_of({"1m"});
  cfg.close_on_shutdown = false;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase, 1));
  agg.close_all();
  EXPECT_TRUE(sink.closed(60).empty());
}

TEST_F(AggregatorTest, RestoredHistoryIsContinuedByLiveCandles) {
  Aggregator agg(config_of({"1m"}), symbols, sink);
  std::vector<CandleData> stored;
  for (int i = 0; i < 3; ++i) {
    CandleData c;
    c.open_time = kBase + i * kMin;
    c.open = c.high = c.low = c.close = 50 + i;
    stored.push_back(c);
  }
  agg.restore(4, iv("1m"), stored);
  agg.restore(4, iv("4h"), stored);  // not a configured interval: ignored
  std::vector<CandleData> out;
  ASSERT_TRUE(agg.history(4, iv("1m"), 10, out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].symbol, 4u);
  EXPECT_EQ(out[0].interval_s, 60);
  EXPECT_TRUE(out[2].closed());
  // The stored last candle was closed early at shutdown; the live one replaces it.
  agg.on_tick(tick(kBase + 2 * kMin + 1, 70, 1, 4));
  agg.on_tick(tick(kBase + 3 * kMin, 71, 1, 4));
  ASSERT_TRUE(agg.history(4, iv("1m"), 10, out));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[1].close, 51);
  EXPECT_EQ(out[2].close, 70);
  EXPECT_EQ(out[2].flags, TICKD_CANDLE_CLOSED | TICKD_CANDLE_PARTIAL);
  EXPECT_EQ(out[3].close, 71);
}

TEST_F(AggregatorTest, SessionAnchoredCandlesInKolkata) {
  AggregatorConfig cfg = config_of({"1h", "1d"});
  cfg.session.timezone = "Asia/Kolkata";
  cfg.session.open_minute = 9 * 60 + 15;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(at(2021, 7, 5, 9, 15, 0, "Asia/Kolkata"), 1));
  agg.on_tick(tick(at(2021, 7, 5, 10, 20, 0, "Asia/Kolkata"), 2));
  agg.on_tick(tick(at(2021, 7, 6, 9, 15, 0, "Asia/Kolkata"), 3));
  const auto hourly = sink.closed(3600);
  ASSERT_EQ(hourly.size(), 2u);
  EXPECT_EQ(hourly[0].open_time, at(2021, 7, 5, 3, 45));
  EXPECT_EQ(hourly[1].open_time, at(2021, 7, 5, 4, 45));
  const auto daily = sink.closed(86400);
  ASSERT_EQ(daily.size(), 1u);
  EXPECT_EQ(daily[0].open_time, at(2021, 7, 5, 3, 45));
  EXPECT_EQ(daily[0].close, 2);
}

}  // namespace
}  // namespace tickd::core
