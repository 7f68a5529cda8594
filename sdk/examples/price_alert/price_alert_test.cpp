// The plugin without the daemon: tickd::testing::FakeHost hands it a config
// and records what it publishes and logs.
#include "price_alert.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>

namespace {

tickd::Candle candle_at(tickd::testing::FakeHost& fake, double close) {
  static tickd::TimeMs minute = 0;
  tickd::Candle c;
  c.symbol = fake.intern("BTCUSDT");
  c.interval = *tickd::Interval::parse("1m");
  c.open_time = 1700000000000 + 60000 * minute++;
  c.open = c.high = c.low = c.close = close;
  c.closed = true;
  return c;
}

TEST(PriceAlert, SignalsWhenAClosedCandleCrossesTheLevel) {
  tickd::testing::FakeHost fake("btc_level", {{"symbol", "BTCUSDT"}, {"level", 100}});
  PriceAlert plugin;
  plugin.start(fake.host());
  plugin.on_candle(candle_at(fake, 99));
  plugin.on_candle(candle_at(fake, 101));
  ASSERT_EQ(fake.published().size(), 1u);
  EXPECT_EQ(fake.published()[0].side, tickd::Side::buy);
}

TEST(PriceAlert, AWrongConfigIsRefusedWithTheDaemonsMessage) {
  tickd::testing::FakeHost fake("btc_level", {{"symbol", "BTCUSDT"}, {"levl", 100}});
  PriceAlert plugin;
  try {
    plugin.start(fake.host());
    FAIL() << "started without 'level'";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "unknown key 'levl' in 'config' (did you mean 'level'?); 'config.level' is required");
  }
}

}  // namespace
