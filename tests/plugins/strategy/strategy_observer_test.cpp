// The observer through tickd::testing::FakeHost: warm start, published signal
// fields, ignored updates, per-rule symbol/interval filters and config errors.
#include "strategy_observer.hpp"
#include "btc_series.hpp"
#include "crafted_series.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>

namespace tickd::strategy {
namespace {

using testing::FakeHost;

nlohmann::json ema_config() {
  return {
      {"rules", {{{"name", "ema_9_21"}, {"type", "ma_cross"}, {"fast", 9}, {"slow", 21}, {"ma", "ema"}}}}};
}

std::vector<Candle> btc(std::size_t n) {
  auto candles = test::load_btc_1h(n);
  for (auto& c : candles) c.interval = *Interval::parse("1m");
  return candles;
}

TEST(StrategyObserverTest, WarmStartMakesIndicatorsValidWithoutPublishing) {
  FakeHost fake("ema_cross", ema_config(), {"BTCUSDT"}, {*Interval::parse("1m")});
  auto candles = btc(120);
  for (auto& c : candles) fake.add_history(c);
  Candle open = candles.back();
  open.open_time += 60000;
  open.closed = false;
  fake.add_history(open);

  StrategyObserver obs;
  obs.start(fake.host());
  const RuleState* state = obs.engine()->state("ema_9_21", "BTCUSDT", *Interval::parse("1m"));
  ASSERT_NE(state, nullptr);
  EXPECT_TRUE(state->ready());
  EXPECT_TRUE(fake.published().empty()) << "history must not publish";
}

TEST(StrategyObserverTest, WarmStartGivesTheSameLiveSignalsAsAnUninterruptedRun) {
  auto candles = btc(300);
  FakeHost uninterrupted("ema_cross", ema_config(), {"BTCUSDT"}, {*Interval::parse("1m")});
  StrategyObserver a;
  a.start(uninterrupted.host());
  for (const auto& c : candles) a.on_candle(c);

  FakeHost restarted("ema_cross", ema_config(), {"BTCUSDT"}, {*Interval::parse("1m")});
  for (std::size_t i = 0; i < 150; ++i) restarted.add_history(candles[i]);
  StrategyObserver b;
  b.start(restarted.host());
  for (std::size_t i = 140; i < candles.size(); ++i) b.on_candle(candles[i]);  // overlap is ignored

  std::vector<Signal> live_a;
  for (const auto& s : uninterrupted.published())
    if (s.time >= candles[150].open_time) live_a.push_back(s);
  auto live_b = restarted.published();
  ASSERT_GE(live_a.size(), 3u);
  ASSERT_EQ(live_a.size(), live_b.size());
  for (std::size_t i = 0; i < live_a.size(); ++i) {
    EXPECT_EQ(live_a[i].time, live_b[i].time);
    EXPECT_EQ(live_a[i].side, live_b[i].side);
    EXPECT_EQ(live_a[i].text, live_b[i].text);
  }
}

TEST(StrategyObserverTest, SeriesWithoutHistoryAtStartIsWarmedOnItsFirstCandle) {
  FakeHost fake("ema_cross", ema_config(), {"BTCUSDT"}, {*Interval::parse("1m")});
  StrategyObserver obs;
  obs.start(fake.host());  // storage restores after start: nothing yet
  auto candles = btc(60);
  for (std::size_t i = 0; i < 59; ++i) fake.add_history(candles[i]);
  obs.on_candle(candles[59]);
  EXPECT_TRUE(obs.engine()->state("ema_9_21", "BTCUSDT", *Interval::parse("1m"))->ready());
}

TEST(StrategyObserverTest, PublishesSignalWithRuleValuesAndIgnoresUpdates) {
  nlohmann::json config = {
      {"rules", {{{"name", "sma_2_3"}, {"type", "ma_cross"}, {"fast", 2}, {"slow", 3}, {"ma", "sma"}}}}};
  FakeHost fake("strat", config);
  StrategyObserver obs;
  obs.start(fake.host());
  auto candles = test::candles_from({10, 9, 8, 7, 7, 7, 12});
  for (auto c : candles) {
    c.symbol = fake.intern(c.symbol);
    Candle update = c;
    update.closed = false;
    update.close = 1000;  // an open candle's wild value must not reach the indicators
    obs.on_candle(update);
    obs.on_candle(c);
  }
  auto published = fake.published();
  ASSERT_EQ(published.size(), 1u);
  const Signal& s = published[0];
  EXPECT_EQ(s.symbol, "BTCUSDT");
  EXPECT_EQ(s.side, Side::buy);
  EXPECT_EQ(s.source, "strat/sma_2_3");
  EXPECT_EQ(s.time, candles[6].open_time);
  EXPECT_EQ(s.interval, *Interval::parse("1m"));
  EXPECT_DOUBLE_EQ(s.price, 12);
  EXPECT_NEAR(s.strength, std::min(1.0, (9.5 - 26.0 / 3) / 12 * 100), 1e-12);
  auto text = nlohmann::json::parse(s.text);
  EXPECT_EQ(text["fast"], 2);
  EXPECT_EQ(text["slow"], 3);
  EXPECT_EQ(text["ma"], "sma");
  EXPECT_EQ(text["rule"], "sma_2_3");
  EXPECT_DOUBLE_EQ(text["fast_value"].get<double>(), 9.5);
}

TEST(StrategyObserverTest, RulesApplyOnlyToTheirSymbolsAndIntervals) {
  nlohmann::json config = {{"rules",
                            {{{"name", "eth_5m"},
                              {"type", "ma_cross"},
                              {"fast", 2},
                              {"slow", 3},
                              {"ma", "sma"},
                              {"symbols", {"ETHUSDT"}},
                              {"intervals", {"5m"}}}}}};
  FakeHost fake("strat", config, {"BTCUSDT", "ETHUSDT"}, {*Interval::parse("1m"), *Interval::parse("5m")});
  StrategyObserver obs;
  obs.start(fake.host());
  for (double close : {10, 9, 8, 7, 7, 7, 12}) {
    static std::size_t i = 0;
    Candle btc_1m = test::candle_at(i, close, fake.intern("BTCUSDT"));
    Candle eth_1m = test::candle_at(i, close, fake.intern("ETHUSDT"));
    Candle eth_5m = eth_1m;
    eth_5m.interval = *Interval::parse("5m");
    eth_5m.open_time = 1700000000000 + static_cast<TimeMs>(i) * 300000;
    ++i;
    obs.on_candle(btc_1m);
    obs.on_candle(eth_1m);
    obs.on_candle(eth_5m);
  }
  auto published = fake.published();
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].symbol, "ETHUSDT");
  EXPECT_EQ(published[0].interval, *Interval::parse("5m"));
}

void expect_config_error(const nlohmann::json& config, const std::string& fragment) {
  FakeHost fake("strat", config);
  StrategyObserver obs;
  try {
    obs.start(fake.host());
    ADD_FAILURE() << "no error for " << config.dump();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(StrategyObserverTest, ConfigErrorsAreDescriptive) {
  auto rule = [](nlohmann::json extra) {
    nlohmann::json r = {{"name", "r1"}, {"type", "ma_cross"}, {"fast", 9}, {"slow", 21}};
    for (auto& item : extra.items()) r[item.key()] = item.value();
    return nlohmann::json{{"rules", {r}}};
  };
  expect_config_error(nlohmann::json::object(), "'config.rules' is required");
  expect_config_error({{"rules", nlohmann::json::array()}}, "'config.rules' must list at least 1 item");
  expect_config_error({{"rules", nlohmann::json::array()}, {"rulez", 1}},
                      "unknown key 'rulez' in 'config' (did you mean 'rules'?)");
  expect_config_error(rule({{"fastt", 3}}),
                      "unknown key 'fastt' in 'config.rules[0]' for type ma_cross (did you mean 'fast'?)");
  expect_config_error(
      rule({{"type", "wave"}}),
      "'config.rules[0].type' must be one of ma_cross, rsi_cross, bollinger_break, macd_cross, "
      "got 'wave'");
  expect_config_error(rule({{"fast", 30}}),
                      "config.rules[0] (\"r1\"): 'fast' (30) must be lower than 'slow' (21)");
  expect_config_error(rule({{"fast", -1}}),
                      "'config.rules[0].fast' must be an integer from 1 to 100000, got -1");
  expect_config_error(rule({{"fast", 2.5}}), "'config.rules[0].fast' must be an integer");
  expect_config_error(rule({{"ma", "wma"}}), "'config.rules[0].ma' must be one of sma, ema, got 'wma'");
  expect_config_error(rule({{"intervals", {"7m"}}}), "'config.rules[0].intervals[0]' must be one of 1s, 5s");
  expect_config_error(rule({{"symbols", "BTCUSDT"}}), "'config.rules[0].symbols' must be a list");
  expect_config_error({{"rules", {{{"type", "ma_cross"}}}}},
                      "'config.rules[0].name' is required for type ma_cross");
  expect_config_error({{"rules", {{{"name", "r"}, {"type", "rsi_cross"}, {"above", 20}, {"below", 40}}}}},
                      "'below' must be lower than 'above'");
  expect_config_error({{"rules", {{{"name", "r"}, {"type", "rsi_cross"}, {"above", 120}}}}},
                      "'config.rules[0].above' must be a number above 0 and below 100");
  expect_config_error({{"rules", {{{"name", "b"}, {"type", "bollinger_break"}, {"k", 0}}}}},
                      "'config.rules[0].k' must be");
  auto twice = rule({});
  twice["rules"].push_back(twice["rules"][0]);
  expect_config_error(twice, "duplicate rule name 'r1'");
}

TEST(StrategyObserverTest, DefaultConfigOfTheDaemonIsAccepted) {
  FakeHost fake("ema_cross", ema_config(), {"BTCUSDT", "ETHUSDT", "SOLUSDT"},
                {*Interval::parse("1s"), *Interval::parse("1m"), *Interval::parse("1d")});
  StrategyObserver obs;
  EXPECT_NO_THROW(obs.start(fake.host()));
  EXPECT_NE(obs.engine()->state("ema_9_21", "SOLUSDT", *Interval::parse("1d")), nullptr);
}

}  // namespace
}  // namespace tickd::strategy
