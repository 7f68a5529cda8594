// No single event makes the aggregator do unbounded work: a gap fills at most
// 100,000 buckets per series, a clock turn emits at most 100,000 flat candles
// (the rest on the next turns), and interrupt() stops filling at once.
#include "aggregate/aggregator.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using namespace testing;

constexpr TimeMs kBase = 1600000000000 / kHour * kHour;
constexpr std::size_t kCap = 100'000;

std::size_t count_filled(const RecordingSink& sink) {
  std::size_t n = 0;
  for (const auto& e : sink.events) n += (e.candle.flags & TICKD_CANDLE_FILLED) != 0;
  return n;
}

TEST(GapFillBounds, OneTickFillsAtMostTheCapOfOneGap) {
  SymbolTable symbols;
  RecordingSink sink;
  AggregatorConfig cfg = config_of({"1s", "1m"});
  cfg.gap_fill = true;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase, 10));
  agg.on_tick(tick(kBase + 300'000 * kSec, 11));  // 83 hours later
  const auto s1 = sink.closed(1);
  ASSERT_EQ(s1.size(), 1 + kCap);  // the first candle, then the latest 100,000 buckets of the gap
  EXPECT_EQ(s1.back().open_time, kBase + 299'999 * kSec);
  for (std::size_t i = 2; i < s1.size(); ++i) ASSERT_EQ(s1[i].open_time, s1[i - 1].open_time + kSec);
  EXPECT_EQ(sink.closed(60).size(), 1 + 5000u - 1);  // 1m: the whole gap, well under the cap
  EXPECT_EQ(agg.stats().gap_fill_truncated, 1u);
}

TEST(GapFillBounds, AClockTurnEmitsAtMostTheBudgetAndResumes) {
  SymbolTable symbols;
  RecordingSink sink;
  AggregatorConfig cfg = config_of({"1s"});
  cfg.gap_fill = true;
  Aggregator agg(cfg, symbols, sink);
  for (SymbolId id = 0; id < 3; ++id) agg.on_tick(tick(kBase, 10, 1, id));
  const TimeMs now = kBase + 80'000 * kSec;  // 3 quiet series, ~80,000 buckets each
  std::size_t before = 0;
  std::vector<std::size_t> per_turn;
  for (int turn = 0; turn < 5; ++turn) {
    agg.on_clock(now);
    per_turn.push_back(count_filled(sink) - before);
    before = count_filled(sink);
  }
  EXPECT_EQ(per_turn[0], kCap);
  EXPECT_EQ(per_turn[1], kCap);
  EXPECT_EQ(per_turn[3], 0u);
  EXPECT_EQ(before, 3 * (80'000u - 2));  // every bucket after the first that ended a second ago
  EXPECT_EQ(agg.stats().gap_fill_truncated, 0u);
  // In order per series: history and storage see ascending open times.
  for (SymbolId id = 0; id < 3; ++id) {
    TimeMs last = 0;
    for (const auto& e : sink.events)
      if (e.candle.symbol == id && e.kind == CandleEventKind::closed) {
        ASSERT_GT(e.candle.open_time, last);
        last = e.candle.open_time;
      }
  }
}

TEST(GapFillBounds, InterruptStopsFilling) {
  SymbolTable symbols;
  RecordingSink sink;
  AggregatorConfig cfg = config_of({"1s"});
  cfg.gap_fill = true;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase, 10));
  agg.interrupt();
  agg.on_clock(kBase + 50'000 * kSec);
  agg.on_tick(tick(kBase + 60'000 * kSec, 10));
  EXPECT_EQ(count_filled(sink), 0u);
}

}  // namespace
}  // namespace tickd::core
