// Amendments relayed from another tickd (feed.kind: nats): a closed candle of a
// bucket already closed, corrected by the source after a late tick, replaces
// the closed candle in history and reaches the sink as closed - as a late tick
// amends a candle on the ingest - while the ordinary exchange path ignores it.
#include "aggregate/aggregator.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using namespace testing;

constexpr TimeMs kBase = 1600000000000 / kHour * kHour;

CandleData candle(int interval_s, TimeMs open_time, double o, double h, double l, double c, double v,
                  std::uint64_t n = 1) {
  CandleData k;
  k.interval_s = interval_s;
  k.open_time = open_time;
  k.open = o;
  k.high = h;
  k.low = l;
  k.close = c;
  k.volume = v;
  k.quote_volume = v * c;
  k.trade_count = n;
  k.flags = TICKD_CANDLE_CLOSED;
  return k;
}

bool same(const CandleData& a, const CandleData& b) {
  return a.open_time == b.open_time && a.interval_s == b.interval_s && a.open == b.open && a.high == b.high &&
         a.low == b.low && a.close == b.close && a.volume == b.volume && a.quote_volume == b.quote_volume &&
         a.trade_count == b.trade_count && a.flags == b.flags;
}

struct RelayedAmendmentTest : ::testing::Test {
  SymbolTable symbols;
  RecordingSink sink;
  AggregatorConfig cfg = [] {
    AggregatorConfig c = config_of({"1m", "5m"});
    c.update_throttle_ms = 0;
    return c;
  }();

  std::vector<CandleData> history(Aggregator& agg, const char* interval) {
    std::vector<CandleData> out;
    agg.history(0, iv(interval), 100, out);
    return out;
  }
};

TEST_F(RelayedAmendmentTest, ReplacesTheClosedCandleInHistoryAndReachesTheSinkAsClosed) {
  Aggregator agg(cfg, symbols, sink);
  agg.own_series(0, iv("1m"));
  agg.own_series(0, iv("5m"));
  for (int i = 0; i < 3; ++i) agg.on_exchange_candle(candle(60, kBase + i * kMin, 10, 11, 9, 10, 2));
  sink.events.clear();

  CandleData amended = candle(60, kBase + kMin, 10, 12.5, 9, 10, 3, 2);
  agg.on_exchange_candle(amended);  // the exchange path keeps the first close
  EXPECT_TRUE(sink.events.empty());
  EXPECT_EQ(history(agg, "1m")[1].high, 11);

  agg.on_amended_candle(amended);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].kind, CandleEventKind::closed);
  EXPECT_TRUE(same(sink.events[0].candle, amended));
  const auto h = history(agg, "1m");
  ASSERT_EQ(h.size(), 3u);
  EXPECT_TRUE(same(h[1], amended));
  EXPECT_EQ(h[2].open_time, kBase + 2 * kMin) << "the series goes on where it was";
  EXPECT_EQ(agg.stats().candles_amended, 1u);
  EXPECT_TRUE(sink.closed(300).empty()) << "a relayed 5m gets its own amendment";

  // The same amendment again (redelivered, or onto what storage restored): nothing changes.
  agg.on_amended_candle(amended);
  EXPECT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(agg.stats().candles_amended, 1u);

  agg.on_exchange_candle(candle(60, kBase + 3 * kMin, 10, 11, 9, 10, 2));
  EXPECT_EQ(sink.closed(60).size(), 2u);
  EXPECT_EQ(history(agg, "1m").size(), 4u);
}

TEST_F(RelayedAmendmentTest, OneOlderThanHistoryStillReachesTheSink) {
  cfg.history = 2;
  Aggregator agg(cfg, symbols, sink);
  agg.own_series(0, iv("1m"));
  agg.own_series(0, iv("5m"));
  for (int i = 0; i < 4; ++i) agg.on_exchange_candle(candle(60, kBase + i * kMin, 10, 11, 9, 10, 2));
  sink.events.clear();
  const auto before = history(agg, "1m");

  const CandleData amended = candle(60, kBase, 10, 13, 9, 10, 4, 3);
  agg.on_amended_candle(amended);
  ASSERT_EQ(sink.events.size(), 1u);  // storage keeps more than history: it must have it
  EXPECT_TRUE(same(sink.events[0].candle, amended));
  const auto after = history(agg, "1m");
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_TRUE(same(after[i], before[i])) << i;
  EXPECT_EQ(agg.stats().candles_amended, 1u);
  EXPECT_EQ(agg.stats().amended_unmerged, 0u) << "5m is relayed, not merged";
}

TEST_F(RelayedAmendmentTest, AnIntervalMergedFromTheAmendedOneTakesTheDifference) {
  Aggregator agg(cfg, symbols, sink);
  agg.own_series(0, iv("1m"));  // 5m is not relayed: merged here from the 1m candles
  for (int i = 0; i < 6; ++i) agg.on_exchange_candle(candle(60, kBase + i * kMin, 10, 11, 9, 10 + i, 2));
  ASSERT_EQ(sink.closed(300).size(), 1u);
  const CandleData five = sink.closed(300)[0];
  EXPECT_EQ(five.volume, 10);
  sink.events.clear();

  // In the closed 5m bucket: re-emitted closed with the late trade in it.
  agg.on_amended_candle(candle(60, kBase + 2 * kMin, 10, 14, 8, 12, 3, 2));
  ASSERT_EQ(sink.closed(300).size(), 1u);
  const CandleData five_amended = sink.closed(300)[0];
  EXPECT_EQ(five_amended.open_time, kBase);
  EXPECT_EQ(five_amended.high, 14);
  EXPECT_EQ(five_amended.low, 8);
  EXPECT_EQ(five_amended.close, five.close) << "a late trade is older than the close";
  EXPECT_EQ(five_amended.volume, 11);
  EXPECT_EQ(five_amended.trade_count, 6u);
  EXPECT_EQ(history(agg, "5m")[0].high, 14);

  // In the open 5m bucket: an update of it.
  sink.events.clear();
  agg.on_amended_candle(candle(60, kBase + 5 * kMin, 10, 16, 9, 15, 5, 3));
  ASSERT_EQ(sink.updates(300).size(), 1u);
  EXPECT_EQ(sink.updates(300)[0].high, 16);
  EXPECT_EQ(sink.updates(300)[0].volume, 5);
  EXPECT_EQ(agg.stats().candles_amended, 3u);  // two 1m, one closed 5m
  EXPECT_EQ(agg.stats().amended_unmerged, 0u);
}

TEST_F(RelayedAmendmentTest, AMergedIntervalItCannotCorrectIsCounted) {
  cfg.history = 2;
  Aggregator agg(cfg, symbols, sink);
  agg.own_series(0, iv("1m"));
  for (int i = 0; i < 4; ++i) agg.on_exchange_candle(candle(60, kBase + i * kMin, 10, 11, 9, 10, 2));
  agg.on_amended_candle(candle(60, kBase, 10, 13, 9, 10, 4, 3));  // older than the 1m history
  EXPECT_EQ(agg.stats().candles_amended, 1u);
  EXPECT_EQ(agg.stats().amended_unmerged, 1u);
}

TEST(LateTickAmendments, AreCountedPerCandleAsARelayCountsThem) {
  SymbolTable symbols;
  RecordingSink sink;
  AggregatorConfig cfg = config_of({"1m", "5m"});
  cfg.late_ticks = LatePolicy::amend;
  Aggregator agg(cfg, symbols, sink);
  agg.on_tick(tick(kBase + 10 * kSec, 10));
  agg.on_tick(tick(kBase + 5 * kMin + 10 * kSec, 11));  // closes 1m and 5m at kBase
  agg.on_tick(tick(kBase + 20 * kSec, 12));             // amends both
  agg.on_tick(tick(kBase + 5 * kMin + 5 * kSec, 9));    // 1m at 5m is open: not late
  EXPECT_EQ(agg.stats().late_amended, 1u);
  EXPECT_EQ(agg.stats().candles_amended, 2u);
}

}  // namespace
}  // namespace tickd::core
