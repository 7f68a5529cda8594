// The feed gate's rules, one by one, on a live and on a recorded feed.
#include "gate_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace tickd::core {
namespace {

using namespace testing;

constexpr TimeMs kMinute = 60'000;
constexpr TimeMs kT0 = 1570752011620;  // the XRPETH file's first trade, 2019-10-11

struct GateFixture {
  explicit GateFixture(bool recorded, GateConfig config = {}) : feed(recorded), gate(config, symbols, sink) {
    symbols.intern("XRPETH");
    symbols.intern("BTCUSDT");
    gate.attach(feed);
  }
  SymbolTable symbols;
  PassedSink sink;
  ClockOnlyFeed feed;
  TickGate gate;
};

TEST(TickGate, RejectsNonFiniteNonPositiveAndAbsurdPrices) {
  GateFixture f(false);
  const TimeMs now = now_ms();
  for (double price : {std::nan(""), std::numeric_limits<double>::infinity(),
                       -std::numeric_limits<double>::infinity(), 0.0, -1.0, 1e308, 2e15})
    f.gate.on_tick(gate_tick(now, price));
  EXPECT_TRUE(f.sink.ticks.empty());
  EXPECT_EQ(rejected(f.gate, GateReason::price), 7u);
  f.gate.on_tick(gate_tick(now, 1e15));
  f.gate.on_tick(gate_tick(now, 1e-12));
  EXPECT_EQ(f.sink.ticks.size(), 2u);
}

TEST(TickGate, RejectsBadQuantitiesButLetsZeroThrough) {
  GateFixture f(false);
  const TimeMs now = now_ms();
  for (double q : {std::nan(""), std::numeric_limits<double>::infinity(), -1.0, 1e300})
    f.gate.on_tick(gate_tick(now, 100, q));
  EXPECT_EQ(rejected(f.gate, GateReason::quantity), 4u);
  f.gate.on_tick(gate_tick(now, 100, 0));  // last-price-only modes carry no quantity
  EXPECT_EQ(f.sink.ticks.size(), 1u);
  EXPECT_EQ(f.gate.stats().total(), 4u);
}

TEST(TickGate, BoundsComeFromTheConfig) {
  GateConfig config;
  config.max_price = 1000;
  config.max_quantity = 10;
  GateFixture f(false, config);
  const TimeMs now = now_ms();
  f.gate.on_tick(gate_tick(now, 1001, 1));
  f.gate.on_tick(gate_tick(now, 100, 11));
  f.gate.on_tick(gate_tick(now, 1000, 10));
  EXPECT_EQ(rejected(f.gate, GateReason::price), 1u);
  EXPECT_EQ(rejected(f.gate, GateReason::quantity), 1u);
  EXPECT_EQ(f.sink.ticks.size(), 1u);
}

TEST(TickGate, LiveFeedRejectsTheFutureAndOptionallyThePast) {
  GateConfig config;
  config.max_behind_ms = 60 * kMinute;
  GateFixture f(false, config);
  const TimeMs now = now_ms();
  f.gate.on_tick(gate_tick(now + 10 * kMinute));  // beyond the default 5m
  f.gate.on_tick(gate_tick(now - 2 * 60 * kMinute));
  f.gate.on_tick(gate_tick(1570752011));  // seconds read as milliseconds: 1970
  EXPECT_EQ(rejected(f.gate, GateReason::time_ahead), 1u);
  EXPECT_EQ(rejected(f.gate, GateReason::time_behind), 2u);
  f.gate.on_tick(gate_tick(now + 4 * kMinute));
  f.gate.on_tick(gate_tick(now - 59 * kMinute));
  EXPECT_EQ(f.sink.ticks.size(), 2u);
  // Generated history is old on purpose.
  f.gate.on_history_begin();
  f.gate.on_tick(gate_tick(now - 6 * 60 * kMinute));
  f.gate.on_history_end();
  EXPECT_EQ(f.sink.ticks.size(), 3u);
}

TEST(TickGate, LiveFeedTakesOldTicksByDefault) {
  GateFixture f(false);
  f.gate.on_tick(gate_tick(kT0));  // recorded data served as live, as the broker tests do
  EXPECT_EQ(f.sink.ticks.size(), 1u);
  EXPECT_EQ(f.gate.clock_ms(12345), 12345);  // a live feed keeps its own clock
}

TEST(TickGate, ReplayRejectsAFarFutureRowBetweenTwoOrdinaryOnes) {
  GateFixture f(true);
  f.gate.on_tick(gate_tick(kT0));
  f.gate.on_tick(gate_tick(kT0 + 1000));
  EXPECT_EQ(f.sink.ticks.size(), 2u);        // the first waited for the second
  f.gate.on_tick(gate_tick(4102444800000));  // 2100-01-01
  f.gate.on_tick(gate_tick(kT0 + 2000));
  EXPECT_EQ(rejected(f.gate, GateReason::time_ahead), 1u);
  ASSERT_EQ(f.sink.ticks.size(), 3u);
  EXPECT_EQ(f.sink.ticks.back().time, kT0 + 2000);
  EXPECT_EQ(f.gate.clock_ms(4102444800000), kT0 + 2000);  // the replay's clock did not jump
}

TEST(TickGate, ReplayRejectsAJumpTheNextTickDoesNotConfirm) {
  GateFixture f(true);
  f.gate.on_tick(gate_tick(kT0));
  f.gate.on_tick(gate_tick(kT0 + 1000));
  f.gate.on_tick(gate_tick(kT0 + 30 * 24 * 60 * kMinute));  // a month ahead, still in the past
  EXPECT_EQ(f.sink.ticks.size(), 2u);                       // held
  EXPECT_EQ(f.gate.clock_ms(0), kT0 + 1000);
  f.gate.on_tick(gate_tick(kT0 + 2000));
  EXPECT_EQ(rejected(f.gate, GateReason::time_jump), 1u);
  ASSERT_EQ(f.sink.ticks.size(), 3u);
  EXPECT_EQ(f.sink.ticks.back().time, kT0 + 2000);
  // Far behind is the same.
  f.gate.on_tick(gate_tick(kT0 - 10 * 24 * 60 * kMinute));
  f.gate.on_tick(gate_tick(kT0 + 3000));
  EXPECT_EQ(rejected(f.gate, GateReason::time_jump), 2u);
  EXPECT_EQ(f.sink.ticks.size(), 4u);
}

TEST(TickGate, ReplayTakesAJumpTheNextTickConfirms) {
  GateFixture f(true);
  f.gate.on_tick(gate_tick(kT0));
  f.gate.on_tick(gate_tick(kT0 + 1000));
  const TimeMs monday = kT0 + 65 * 60 * kMinute;  // a weekend between two files
  f.gate.on_tick(gate_tick(monday));
  f.gate.on_tick(gate_tick(monday + 5));
  ASSERT_EQ(f.sink.ticks.size(), 4u);
  EXPECT_EQ(f.sink.ticks[2].time, monday);
  EXPECT_EQ(f.gate.stats().total(), 0u);
}

TEST(TickGate, ReplayEndDecidesAHeldTick) {
  {
    GateFixture f(true);  // a one-row replay: nothing contradicts it
    f.gate.on_tick(gate_tick(kT0));
    EXPECT_TRUE(f.sink.ticks.empty());
    f.gate.on_feed_end();
    EXPECT_EQ(f.sink.ticks.size(), 1u);
    EXPECT_TRUE(f.sink.ended);
  }
  {
    GateFixture f(true);  // a last row that jumps: rejected
    f.gate.on_tick(gate_tick(kT0));
    f.gate.on_tick(gate_tick(kT0 + 1));
    f.gate.on_tick(gate_tick(kT0 + 365LL * 24 * 60 * kMinute));
    f.gate.on_feed_end();
    EXPECT_EQ(f.sink.ticks.size(), 2u);
    EXPECT_EQ(rejected(f.gate, GateReason::time_jump), 1u);
  }
}

TEST(TickGate, PriceBandRejectsOnePrintAndFollowsARealMove) {
  GateConfig config;
  config.price_band = 0.1;
  GateFixture f(false, config);
  const TimeMs now = now_ms();
  f.gate.on_tick(gate_tick(now, 100));
  f.gate.on_tick(gate_tick(now, 1000));  // a fat finger
  f.gate.on_tick(gate_tick(now, 105));
  f.gate.on_tick(gate_tick(now, 50, 1, 1));  // another symbol has its own reference
  EXPECT_EQ(rejected(f.gate, GateReason::price_band), 1u);
  EXPECT_EQ(f.sink.ticks.size(), 3u);
  for (int i = 0; i < 3; ++i) f.gate.on_tick(gate_tick(now, 60));  // the market fell
  EXPECT_EQ(rejected(f.gate, GateReason::price_band), 3u);
  EXPECT_EQ(f.sink.ticks.size(), 4u);
  EXPECT_EQ(f.sink.ticks.back().price, 60);
}

CandleData candle(TimeMs open_time, double o, double h, double l, double c, double v = 1) {
  CandleData k;
  k.interval_s = 60;
  k.open_time = open_time;
  k.open = o;
  k.high = h;
  k.low = l;
  k.close = c;
  k.volume = v;
  k.quote_volume = v * c;
  return k;
}

TEST(TickGate, ChecksExchangeCandles) {
  GateFixture f(false);
  const TimeMs t = kT0 / kMinute * kMinute;
  f.gate.on_exchange_candle(candle(t, 1, 2, 0.5, 1.5));
  f.gate.on_exchange_candle(candle(t, 1, 1, 1, 1, 0));   // flat, no trade
  f.gate.on_exchange_candle(candle(t, 1, 0.5, 2, 1.5));  // high < low
  f.gate.on_exchange_candle(candle(t, 3, 2, 0.5, 1.5));  // open above high
  f.gate.on_exchange_candle(candle(t, 1, 1e308, 0.5, 1.5));
  f.gate.on_backfill_candle(candle(t, 1, 2, 0.5, std::nan("")));
  f.gate.on_backfill_candle(candle(t, 1, 2, 0.5, 1.5, -1));
  f.gate.on_backfill_candle(candle(4102444800000, 1, 2, 0.5, 1.5));
  f.gate.on_history_candles(
      0, *Interval::parse("1m"),
      {candle(t, 1, 2, 0.5, 1.5), candle(t, 0, 0, 0, 0, 0), candle(t + kMinute, 1, 1, 1, 1)});
  EXPECT_EQ(f.sink.candles.size(), 4u);
  EXPECT_EQ(rejected(f.gate, GateReason::candle), 7u);
}

}  // namespace
}  // namespace tickd::core
