// The price band's confirmation rule, configured: how many ticks in a row
// outside the band make a real move (price_band_confirm), and within what time
// of the first they must come (price_band_window).
#include "gate_test_support.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using namespace testing;

GateConfig band(std::uint32_t confirm, TimeMs window_ms = 0) {
  GateConfig config;
  config.price_band = 0.1;
  config.price_band_confirm = confirm;
  config.price_band_window_ms = window_ms;
  return config;
}

struct BandFixture {
  explicit BandFixture(const GateConfig& config) : gate(config, symbols, sink) {
    symbols.intern("BTCUSDT");
    gate.attach(feed);
  }
  SymbolTable symbols;
  PassedSink sink;
  ClockOnlyFeed feed{false};
  TickGate gate;
};

TEST(PriceBand, TheDefaultTakesTheThirdTickOutsideAsAMove) {
  EXPECT_EQ(GateConfig{}.price_band_confirm, 3u);
  EXPECT_EQ(GateConfig{}.price_band_window_ms, 0);
  GateConfig config;
  config.price_band = 0.1;
  BandFixture f(config);
  const TimeMs now = now_ms();
  f.gate.on_tick(gate_tick(now, 100));
  f.gate.on_tick(gate_tick(now, 150));
  f.gate.on_tick(gate_tick(now, 150));
  EXPECT_EQ(f.sink.ticks.size(), 1u);
  f.gate.on_tick(gate_tick(now, 150));
  EXPECT_EQ(f.sink.ticks.size(), 2u);
  EXPECT_EQ(rejected(f.gate, GateReason::price_band), 2u);
}

TEST(PriceBand, ConfirmSetsHowManyTicksInARowMakeAMove) {
  BandFixture f(band(5));
  const TimeMs now = now_ms();
  f.gate.on_tick(gate_tick(now, 100));
  for (int i = 0; i < 4; ++i) f.gate.on_tick(gate_tick(now, 70));
  EXPECT_EQ(f.sink.ticks.size(), 1u);
  EXPECT_EQ(rejected(f.gate, GateReason::price_band), 4u);
  f.gate.on_tick(gate_tick(now, 70));  // the fifth
  ASSERT_EQ(f.sink.ticks.size(), 2u);
  EXPECT_EQ(f.sink.ticks.back().price, 70);
  // The reference is now 70: 100 is outside the band again.
  f.gate.on_tick(gate_tick(now, 100));
  EXPECT_EQ(f.sink.ticks.size(), 2u);
}

TEST(PriceBand, ATickInsideTheBandStartsTheCountAgain) {
  BandFixture f(band(2));
  const TimeMs now = now_ms();
  f.gate.on_tick(gate_tick(now, 100));
  f.gate.on_tick(gate_tick(now, 200));  // 1 of 2
  f.gate.on_tick(gate_tick(now, 101));  // inside: accepted, the count restarts
  f.gate.on_tick(gate_tick(now, 200));  // 1 of 2 again
  EXPECT_EQ(f.sink.ticks.size(), 2u);
  f.gate.on_tick(gate_tick(now, 200));  // 2 of 2: a move
  EXPECT_EQ(f.sink.ticks.size(), 3u);
  EXPECT_EQ(rejected(f.gate, GateReason::price_band), 2u);
}

TEST(PriceBand, OutliersFarApartInTimeAreSeparateBadPrints) {
  BandFixture f(band(3, 1000));
  const TimeMs t = now_ms() - 60'000;
  f.gate.on_tick(gate_tick(t, 100));
  // Three bad prints 10 s apart: each starts its own count, none is taken.
  f.gate.on_tick(gate_tick(t + 10'000, 500));
  f.gate.on_tick(gate_tick(t + 20'000, 500));
  f.gate.on_tick(gate_tick(t + 30'000, 500));
  EXPECT_EQ(f.sink.ticks.size(), 1u);
  EXPECT_EQ(rejected(f.gate, GateReason::price_band), 3u);
  // Three within a second of the first: a move.
  f.gate.on_tick(gate_tick(t + 40'000, 500));
  f.gate.on_tick(gate_tick(t + 40'400, 500));
  f.gate.on_tick(gate_tick(t + 40'900, 500));
  ASSERT_EQ(f.sink.ticks.size(), 2u);
  EXPECT_EQ(f.sink.ticks.back().time, t + 40'900);
}

TEST(PriceBand, WithoutAWindowOutliersAnyTimeApartAddUp) {
  BandFixture f(band(3));
  const TimeMs t = now_ms() - 60'000;
  f.gate.on_tick(gate_tick(t, 100));
  f.gate.on_tick(gate_tick(t + 10'000, 500));
  f.gate.on_tick(gate_tick(t + 20'000, 500));
  f.gate.on_tick(gate_tick(t + 30'000, 500));
  EXPECT_EQ(f.sink.ticks.size(), 2u);
}

}  // namespace
}  // namespace tickd::core
