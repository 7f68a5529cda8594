// Alert rules and throttling without SMTP: the shared AlertEngine with a fake
// wall clock, configured through email_alert's config.
#include "alert_common/alert_engine.hpp"
#include "alert_config.hpp"

#include "support/plugin_config.hpp"

#include <gtest/gtest.h>

namespace tickd::email_alert {
namespace {

using alerts::Alert;
using alerts::AlertEngine;

AlertConfig config_with(nlohmann::json rules, int max_per_hour = 100) {
  return read_alert_config(
      test_support::checked_config(alert_config_schema(), {{"smtp", {{"url", "smtp://127.0.0.1:1"}}},
                                                           {"from", "tickd@example.com"},
                                                           {"to", {"me@example.com"}},
                                                           {"max_per_hour", max_per_hour},
                                                           {"rules", rules}}));
}

nlohmann::json one(nlohmann::json rule) { return nlohmann::json::array({std::move(rule)}); }

struct EngineUnderTest {
  explicit EngineUnderTest(nlohmann::json rules, int max_per_hour = 100)
      : engine("alerts", config_with(std::move(rules), max_per_hour).rules.rules,
               static_cast<std::uint32_t>(max_per_hour), [this] { return now; }) {}
  std::vector<std::pair<std::size_t, Alert>> tick(double price, TimeMs time = 0,
                                                  std::string_view sym = "BTCUSDT") {
    Tick t;
    t.symbol = sym;
    t.time = time;
    t.price = price;
    return engine.on_tick(t);
  }
  TimeMs now = 1700000000000;
  AlertEngine engine;
};

TEST(PriceCrossRuleTest, FiresOnCrossingAboveOnlyOnce) {
  EngineUnderTest e(one({{"name", "btc70k"}, {"type", "price_cross"}, {"above", 70000}, {"cooldown", "0s"}}));
  EXPECT_TRUE(e.tick(69000).empty());  // first price: nothing to cross from
  EXPECT_TRUE(e.tick(69999.5).empty());
  auto fired = e.tick(70000);  // reaching the level counts
  ASSERT_EQ(fired.size(), 1u);
  const Alert& a = fired[0].second;
  EXPECT_EQ(a.rule, "btc70k");
  EXPECT_EQ(a.symbol, "BTCUSDT");
  EXPECT_EQ(a.side, "up");
  EXPECT_EQ(a.source, "alerts/btc70k");
  EXPECT_DOUBLE_EQ(a.price, 70000);
  EXPECT_EQ(a.text, "BTCUSDT crossed above 70000 (from 69999.5 to 70000)");
  EXPECT_TRUE(e.tick(70100).empty());  // staying above is not a new crossing
  EXPECT_TRUE(e.tick(69000).empty());  // crossing down is not what this rule watches
  EXPECT_EQ(e.tick(71000).size(), 1u);
}

TEST(PriceCrossRuleTest, BelowAndSymbolFilter) {
  EngineUnderTest e(one({{"name", "eth_low"},
                         {"type", "price_cross"},
                         {"below", 1000},
                         {"symbols", {"ETHUSDT"}},
                         {"cooldown", 0}}));
  e.tick(1100, 0, "BTCUSDT");
  EXPECT_TRUE(e.tick(900, 1, "BTCUSDT").empty());
  e.tick(1100, 2, "ETHUSDT");
  auto fired = e.tick(999, 3, "ETHUSDT");
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].second.side, "down");
}

TEST(PercentMoveRuleTest, FiresWhenMoveHappensWithinTheWindow) {
  EngineUnderTest e(
      one({{"name", "fast"}, {"type", "percent_move"}, {"percent", 2}, {"window", "5m"}, {"cooldown", 0}}));
  EXPECT_TRUE(e.tick(100, 0).empty());
  EXPECT_TRUE(e.tick(101, 60000).empty());
  EXPECT_TRUE(e.tick(101.9, 120000).empty());
  auto fired = e.tick(102, 299000);  // +2% from the low of 100, 4m59s later
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].second.side, "up");
  EXPECT_EQ(fired[0].second.text, "BTCUSDT rose 2.00% within 5m (from 100 to 102)");
  // After an alert the move restarts from 102: another +1% is not enough.
  EXPECT_TRUE(e.tick(103, 300000).empty());
}

TEST(PercentMoveRuleTest, IgnoresMovesSlowerThanTheWindow) {
  EngineUnderTest e(
      one({{"name", "fast"}, {"type", "percent_move"}, {"percent", 2}, {"window", "5m"}, {"cooldown", 0}}));
  e.tick(100, 0);
  e.tick(101, 200000);
  EXPECT_TRUE(e.tick(102, 301000).empty());  // 100 left the window; the low is 101
  auto fired = e.tick(97, 320000);           // -4.9% from the high of 102
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].second.side, "down");
}

TEST(SignalRuleTest, FiltersBySourceRuleAndSide) {
  EngineUnderTest e(one({{"name", "ema_buys"},
                         {"type", "signal"},
                         {"sources", {"ema_9_21"}},
                         {"sides", {"buy"}},
                         {"cooldown", 0}}));
  Signal s;
  s.symbol = "BTCUSDT";
  s.source = "ema_cross/ema_9_21";
  s.side = Side::buy;
  s.price = 42000;
  s.interval = *Interval::parse("1m");
  s.text = R"({"fast":9})";
  auto fired = e.engine.on_signal(s);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].second.side, "buy");
  EXPECT_EQ(fired[0].second.source, "ema_cross/ema_9_21");
  EXPECT_EQ(fired[0].second.interval, "1m");
  EXPECT_EQ(fired[0].second.text, R"({"fast":9})");
  s.side = Side::sell;
  EXPECT_TRUE(e.engine.on_signal(s).empty());
  s.side = Side::buy;
  s.source = "other/ema_9_21x";
  EXPECT_TRUE(e.engine.on_signal(s).empty());
  s.source = "ema_cross/ema_9_21";
  EXPECT_TRUE(e.engine.on_tick(Tick{"BTCUSDT", 0, 1, 1, -1, 1, Side::buy}).empty());
  EXPECT_EQ(e.engine.on_signal(s).size(), 1u);
}

TEST(AlertThrottleTest, CooldownPerRuleAndSymbolOnTheWallClock) {
  EngineUnderTest e(one({{"name", "lvl"}, {"type", "price_cross"}, {"above", 100}, {"cooldown", "10m"}}));
  e.tick(99, 0, "A");
  e.tick(99, 0, "B");
  EXPECT_EQ(e.tick(101, 1, "A").size(), 1u);
  EXPECT_EQ(e.tick(101, 1, "B").size(), 1u);  // another symbol has its own cooldown
  e.tick(99, 2, "A");
  EXPECT_TRUE(e.tick(101, 3, "A").empty());
  EXPECT_EQ(e.engine.counters().cooldown, 1u);
  e.now += 10 * 60000;
  e.tick(99, 4, "A");
  EXPECT_EQ(e.tick(101, 5, "A").size(), 1u);
}

TEST(AlertThrottleTest, GlobalLimitPerRollingHour) {
  EngineUnderTest e(one({{"name", "lvl"}, {"type", "price_cross"}, {"above", 100}, {"cooldown", 0}}), 2);
  int sent = 0;
  for (int i = 0; i < 5; ++i) {
    e.tick(99, 2 * i);
    sent += static_cast<int>(e.tick(101, 2 * i + 1).size());
    e.now += 60000;
  }
  EXPECT_EQ(sent, 2);
  EXPECT_EQ(e.engine.counters().rate_limited, 3u);
  e.now += 3600000;
  e.tick(99, 100);
  EXPECT_EQ(e.tick(101, 101).size(), 1u);
}

}  // namespace
}  // namespace tickd::email_alert
