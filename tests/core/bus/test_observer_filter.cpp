#include "bus/observer_filter.hpp"

#include <gtest/gtest.h>

using namespace tickd::core;

namespace {

Event candle(SymbolId s, std::int32_t interval_s, bool closed) {
  CandleData c;
  c.symbol = s;
  c.interval_s = interval_s;
  return Event::of_candle(c, closed);
}

TEST(ObserverFilter, EmptyFilterAcceptsEverything) {
  ObserverFilter f(0, {}, {});
  EXPECT_TRUE(f.accepts(Event::of_tick(TickData{})));
  EXPECT_TRUE(f.accepts(candle(3, 60, false)));
  EXPECT_TRUE(f.accepts(candle(3, 604800, true)));
}

TEST(ObserverFilter, FiltersByKindSymbolAndInterval) {
  ObserverFilter f(TICKD_EVENT_CANDLE_CLOSED | TICKD_EVENT_TICK, {1, 4}, {*tickd::Interval::parse("1m")});
  EXPECT_TRUE(f.accepts(candle(1, 60, true)));
  EXPECT_FALSE(f.accepts(candle(1, 60, false)));  // kind
  EXPECT_FALSE(f.accepts(candle(2, 60, true)));   // symbol
  EXPECT_FALSE(f.accepts(candle(4, 300, true)));  // interval
  TickData t;
  t.symbol = 4;
  EXPECT_TRUE(f.accepts(Event::of_tick(t)));  // ticks have no interval
  t.symbol = 9;
  EXPECT_FALSE(f.accepts(Event::of_tick(t)));
}

}  // namespace
