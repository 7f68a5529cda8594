#include "aggregate/aggregator.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using namespace testing;

constexpr TimeMs kBase = 1600000000000 / kHour * kHour;

struct GapFillTest : ::testing::Test {
  SymbolTable symbols;
  RecordingSink sink;
};

void expect_flat(const CandleData& c, TimeMs open_time, double price) {
  EXPECT_EQ(c.open_time, open_time);
  EXPECT_EQ(c.open, price);
  EXPECT_EQ(c.high, price);
  EXPECT_EQ(c.low, price);
  EXPECT_EQ(c.close, price);
  EXPECT_EQ(c.volume, 0);
  EXPECT_EQ(c.trade_count, 0u);
  EXPECT_EQ(c.flags, TICKD_CANDLE_CLOSED | TICKD_CANDLE_FILLED);
}

TEST_F(GapFillTest, EmptyBucketsBetweenTicksBecomeFlatCandles) {
  AggregatorConfig cfg = config_of({"1m"});
  cfg.gap_fill = true;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase + 30 * kSec, 10));
  agg.on_tick(tick(kBase + 40 * kSec, 9));
  agg.on_tick(tick(kBase + 3 * kMin + 10 * kSec, 12));
  const auto closed = sink.closed(60);
  ASSERT_EQ(closed.size(), 3u);
  EXPECT_EQ(closed[0].close, 9);
  expect_flat(closed[1], kBase + kMin, 9);
  expect_flat(closed[2], kBase + 2 * kMin, 9);
  EXPECT_EQ(agg.stats().gap_filled, 2u);
  EXPECT_EQ(agg.stats().closed_per_interval[0], 3u);
}

TEST_F(GapFillTest, NoFillWhenOffAndNoneBeforeTheFirstCandle) {
  AggregatorConfig cfg = config_of({"1m"});
  Aggregator off(cfg, symbols, sink);
  off.on_tick(tick(kBase, 10));
  off.on_tick(tick(kBase + 5 * kMin, 11));
  EXPECT_EQ(sink.closed(60).size(), 1u);

  RecordingSink quiet;
  cfg.gap_fill = true;
  Aggregator on(cfg, symbols, quiet);
  on.on_clock(kBase + kHour);  // no candle yet: nothing to continue
  EXPECT_TRUE(quiet.events.empty());
}

TEST_F(GapFillTest, ClockFillsQuietSymbolsOnlyForBucketsPastTheGrace) {
  AggregatorConfig cfg = config_of({"1m"});
  cfg.gap_fill = true;
  cfg.close_grace_ms = 2000;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase + 5 * kSec, 10));
  agg.on_clock(kBase + kMin + 2000);  // closes the real candle only
  ASSERT_EQ(sink.closed(60).size(), 1u);
  agg.on_clock(kBase + 3 * kMin + 1999);  // [1m,2m) is due, [2m,3m) not yet
  auto closed = sink.closed(60);
  ASSERT_EQ(closed.size(), 2u);
  expect_flat(closed[1], kBase + kMin, 10);
  agg.on_clock(kBase + 3 * kMin + 2000);
  closed = sink.closed(60);
  ASSERT_EQ(closed.size(), 3u);
  expect_flat(closed[2], kBase + 2 * kMin, 10);
  // A tick continues right after the filled buckets without refilling them.
  agg.on_tick(tick(kBase + 4 * kMin + 1, 11));
  agg.on_tick(tick(kBase + 5 * kMin, 12));
  closed = sink.closed(60);
  ASSERT_EQ(closed.size(), 5u);
  expect_flat(closed[3], kBase + 3 * kMin, 10);
  EXPECT_EQ(closed[4].open_time, kBase + 4 * kMin);
  EXPECT_EQ(closed[4].flags, TICKD_CANDLE_CLOSED);
  for (std::size_t i = 1; i < closed.size(); ++i)
    EXPECT_EQ(closed[i].open_time - closed[i - 1].open_time, kMin);
}

TEST_F(GapFillTest, ALongGapFillsOnlyItsLatestBuckets) {
  AggregatorConfig cfg = config_of({"1m"});
  cfg.gap_fill = true;
  cfg.gap_fill_max = 3;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase + 5 * kSec, 10));
  agg.on_tick(tick(kBase + 10 * kMin + 5 * kSec, 11));  // 9 empty minutes
  auto closed = sink.closed(60);
  ASSERT_EQ(closed.size(), 4u);
  EXPECT_EQ(closed[0].open_time, kBase);
  for (int i = 0; i < 3; ++i) expect_flat(closed[1 + i], kBase + (7 + i) * kMin, 10);
  EXPECT_EQ(agg.stats().gap_filled, 3u);
  EXPECT_EQ(agg.stats().gap_fill_truncated, 1u);

  // The clock's fill of a quiet symbol after a jump (a replay across a
  // weekend) is capped the same way, and continues one bucket at a time.
  const TimeMs jump = kBase + 2 * kHour;
  agg.on_clock(jump + cfg.close_grace_ms);  // closes [10m, 11m), fills the 3 minutes before 2h
  closed = sink.closed(60);
  ASSERT_EQ(closed.size(), 4u + 1 + 3);
  EXPECT_EQ(closed[4].open_time, kBase + 10 * kMin);
  for (int i = 0; i < 3; ++i) expect_flat(closed[5 + i], jump - (3 - i) * kMin, 11);
  EXPECT_EQ(agg.stats().gap_fill_truncated, 2u);
  agg.on_clock(jump + kMin + cfg.close_grace_ms);
  closed = sink.closed(60);
  ASSERT_EQ(closed.size(), 9u);
  expect_flat(closed[8], jump, 11);
  EXPECT_EQ(agg.stats().gap_fill_truncated, 2u);
}

TEST_F(GapFillTest, WithoutACapEveryBucketOfALongGapIsFilled) {
  AggregatorConfig cfg = config_of({"1s"});
  cfg.gap_fill = true;
  cfg.history = 5;  // the memory bound is not a fill bound: storage wants them all
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase, 10));
  agg.on_tick(tick(kBase + kHour, 11));
  EXPECT_EQ(agg.stats().gap_filled, 3599u);
  EXPECT_EQ(agg.stats().gap_fill_truncated, 0u);
}

AggregatorConfig nse_session(std::initializer_list<const char*> intervals) {
  AggregatorConfig cfg = config_of(intervals);
  cfg.gap_fill = true;
  cfg.session.timezone = "Asia/Kolkata";
  cfg.session.open_minute = 9 * 60 + 15;
  cfg.session.close_minute = 15 * 60 + 30;
  cfg.session.days = {1, 2, 3, 4, 5};
  return cfg;
}

TEST_F(GapFillTest, NeverFillsOutsideTheSessionOrOnNonTradingDays) {
  Aggregator agg(nse_session({"1h", "1d", "15m"}), symbols, sink);
  // Friday 2021-07-09 14:20 IST, then the weekend, then Monday 09:20.
  agg.on_tick(tick(at(2021, 7, 9, 14, 20, 0, "Asia/Kolkata"), 100));
  agg.on_clock(at(2021, 7, 11, 12, 0, 0, "Asia/Kolkata"));  // Sunday
  agg.on_tick(tick(at(2021, 7, 12, 9, 20, 0, "Asia/Kolkata"), 101));

  const auto hourly = sink.closed(3600);
  ASSERT_EQ(hourly.size(), 2u);
  EXPECT_EQ(hourly[0].open_time, at(2021, 7, 9, 14, 15, 0, "Asia/Kolkata"));
  expect_flat(hourly[1], at(2021, 7, 9, 15, 15, 0, "Asia/Kolkata"), 100);  // ends at the 15:30 close

  const auto daily = sink.closed(86400);
  ASSERT_EQ(daily.size(), 1u);
  EXPECT_EQ(daily[0].open_time, at(2021, 7, 9, 9, 15, 0, "Asia/Kolkata"));

  const auto quarter = sink.closed(900);
  ASSERT_EQ(quarter.size(), 5u);  // 14:15 real, then 14:30 .. 15:15 filled
  EXPECT_EQ(quarter.back().open_time, at(2021, 7, 9, 15, 15, 0, "Asia/Kolkata"));
  EXPECT_EQ(agg.stats().gap_filled, 1u + 4u);

  std::vector<CandleData> open;
  ASSERT_TRUE(agg.history(0, iv("1h"), 1, open));
  EXPECT_EQ(open[0].open_time, at(2021, 7, 12, 9, 15, 0, "Asia/Kolkata"));
}

TEST_F(GapFillTest, DailyBarsFillTradingDaysOnlyInADstZone) {
  AggregatorConfig cfg = config_of({"1d"});
  cfg.gap_fill = true;
  cfg.session.timezone = "America/New_York";
  cfg.session.days = {1, 2, 3, 4, 5};
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(at(2021, 3, 11, 15, 0), 10));  // Thursday
  agg.on_tick(tick(at(2021, 3, 17, 15, 0), 11));  // next Wednesday
  const auto daily = sink.closed(86400);
  ASSERT_EQ(daily.size(), 4u);  // Thu, then Fri, Mon, Tue filled
  expect_flat(daily[1], at(2021, 3, 12, 5, 0), 10);
  expect_flat(daily[2], at(2021, 3, 15, 4, 0), 10);  // after the switch to EDT
  expect_flat(daily[3], at(2021, 3, 16, 4, 0), 10);
}

struct LateTickTest : ::testing::Test {
  SymbolTable symbols;
  RecordingSink sink;
};

TEST_F(LateTickTest, DroppedAndCountedByDefault) {
  Aggregator agg(config_of({"1m", "1h"}), symbols, sink);
  agg.on_tick(tick(kBase + 10 * kSec, 10));
  agg.on_tick(tick(kBase + 2 * kMin, 11));
  agg.on_tick(tick(kBase + 90 * kSec, 99));  // before the open 1m bucket, inside the open 1h one
  const auto stats = agg.stats();
  EXPECT_EQ(stats.late_dropped, 1u);
  EXPECT_EQ(stats.late_amended, 0u);
  std::vector<CandleData> out;
  ASSERT_TRUE(agg.history(0, iv("1m"), 10, out));
  EXPECT_EQ(out.back().close, 11);
  agg.on_tick(tick(kBase + 3 * kMin, 12));
  EXPECT_EQ(sink.closed(60).back().high, 11);
  EXPECT_EQ(sink.closed(60).size(), 2u);
}

TEST_F(LateTickTest, AmendReemitsTheCorrectedClosedCandle) {
  AggregatorConfig cfg = config_of({"1m"});
  cfg.late_ticks = LatePolicy::amend;
  cfg.gap_fill = true;
  cfg.history = 3;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase + 10 * kSec, 10, 1));
  agg.on_tick(tick(kBase + 2 * kMin + 10 * kSec, 11, 1));  // [1m,2m) filled
  sink.events.clear();

  TickData late = tick(kBase + 50 * kSec, 13, 2);
  late.trade_count = 3;
  agg.on_tick(late);
  ASSERT_EQ(sink.events.size(), 1u);
  const CandleData amended = sink.events[0].candle;
  EXPECT_EQ(sink.events[0].kind, CandleEventKind::closed);
  EXPECT_EQ(amended.open_time, kBase);
  EXPECT_EQ(amended.high, 13);
  EXPECT_EQ(amended.close, 10);
  EXPECT_EQ(amended.volume, 3);
  EXPECT_EQ(amended.trade_count, 4u);
  EXPECT_EQ(amended.flags, TICKD_CANDLE_CLOSED | TICKD_CANDLE_PARTIAL);

  agg.on_tick(tick(kBase + kMin + 5 * kSec, 12, 1));  // into the filled bucket: becomes a real one
  ASSERT_EQ(sink.events.size(), 2u);
  const CandleData unfilled = sink.events[1].candle;
  EXPECT_EQ(unfilled.open_time, kBase + kMin);
  EXPECT_EQ(unfilled.open, 12);
  EXPECT_EQ(unfilled.volume, 1);
  EXPECT_EQ(unfilled.flags, TICKD_CANDLE_CLOSED);
  EXPECT_EQ(agg.stats().late_amended, 2u);

  std::vector<CandleData> out;
  ASSERT_TRUE(agg.history(0, iv("1m"), 10, out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].high, 13);
  EXPECT_EQ(out[1].open, 12);

  // Push the first candle out of the ring: a tick for it is then dropped.
  agg.on_tick(tick(kBase + 3 * kMin, 14));
  agg.on_tick(tick(kBase + 4 * kMin, 15));
  agg.on_tick(tick(kBase + 20 * kSec, 1));
  EXPECT_EQ(agg.stats().late_dropped, 1u);
  EXPECT_EQ(agg.stats().late_amended, 2u);
}

}  // namespace
}  // namespace tickd::core
