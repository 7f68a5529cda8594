// feed.gate: its keys, defaults and errors with file:line:column.
#include "config_test_util.hpp"

#include <gmock/gmock.h>

namespace tickd::core {
namespace {

using testing::kValidAggregator;
using testing::load_errors;

const char* const kFeedHead = "feed:\n  kind: simulator\n  symbols: [A]\n  gate:\n";  // lines 1-4

TEST(GateConfig, DefaultsAndValues) {
  Config defaults = load_config_text(
      std::string(kValidAggregator) + "feed: {kind: simulator, symbols: [A]}\n", "t.yaml", "/base");
  EXPECT_EQ(defaults.feed.gate.max_ahead_ms, 5 * 60 * 1000);
  EXPECT_EQ(defaults.feed.gate.max_behind_ms, 0);
  EXPECT_EQ(defaults.feed.gate.max_jump_ms, 60 * 60 * 1000);
  EXPECT_EQ(defaults.feed.gate.max_price, 1e15);
  EXPECT_EQ(defaults.feed.gate.price_band, 0);
  EXPECT_EQ(defaults.feed.gate.price_band_confirm, 3u);
  EXPECT_EQ(defaults.feed.gate.price_band_window_ms, 0);
  Config c = load_config_text(std::string(kFeedHead) +
                                  "    max_ahead: 30s\n    max_behind: 24h\n    max_jump: 0\n"
                                  "    max_price: 1e6\n    max_quantity: 500\n    price_band: 0.2\n"
                                  "    price_band_confirm: 5\n    price_band_window: 2s\n" +
                                  kValidAggregator,
                              "t.yaml", "/base");
  EXPECT_EQ(c.feed.gate.max_ahead_ms, 30000);
  EXPECT_EQ(c.feed.gate.max_behind_ms, 24 * 3600 * 1000);
  EXPECT_EQ(c.feed.gate.max_jump_ms, 0);
  EXPECT_EQ(c.feed.gate.max_price, 1e6);
  EXPECT_EQ(c.feed.gate.max_quantity, 500);
  EXPECT_EQ(c.feed.gate.price_band, 0.2);
  EXPECT_EQ(c.feed.gate.price_band_confirm, 5u);
  EXPECT_EQ(c.feed.gate.price_band_window_ms, 2000);
}

TEST(GateConfig, ErrorsHaveThePosition) {
  EXPECT_THAT(
      load_errors(std::string(kFeedHead) +
                  "    max_ahead: 10ms\n    max_behind: soon\n    max_price: 0\n    max_quantity: -1\n"
                  "    price_band: -0.1\n    max_jmp: 1h\n" +
                  kValidAggregator),
      ::testing::ElementsAre(
          "t.yaml:5:16: 'feed.gate.max_ahead' must be at least 1s (clocks differ by that much)",
          "t.yaml:6:17: 'feed.gate.max_behind' must be a duration such as 250ms, 30s, 5m, 1h, 1d or a number "
          "of "
          "seconds, got 'soon'",
          "t.yaml:7:16: 'feed.gate.max_price' must be a positive number, got '0'",
          "t.yaml:8:19: 'feed.gate.max_quantity' must be a positive number, got '-1'",
          "t.yaml:9:17: 'feed.gate.price_band' must be a non-negative number, got '-0.1'",
          "t.yaml:10:5: unknown key 'max_jmp' in 'feed.gate' (did you mean 'max_jump'?)"));
}

TEST(GateConfig, PriceBandConfirmationErrorsHaveThePosition) {
  const auto errors = load_errors(
      std::string(kFeedHead) +
      "    price_band: 0.1\n    price_band_confirm: 1\n    price_band_window: later\n" + kValidAggregator);
  ASSERT_EQ(errors.size(), 2u) << ::testing::PrintToString(errors);
  EXPECT_THAT(errors[0], ::testing::StartsWith("t.yaml:6:25: 'feed.gate.price_band_confirm' must be"));
  EXPECT_THAT(errors[0], ::testing::HasSubstr("2"));
  EXPECT_THAT(errors[1],
              ::testing::StartsWith("t.yaml:7:24: 'feed.gate.price_band_window' must be a duration"));
  EXPECT_THAT(
      load_errors(std::string(kFeedHead) + "    price_band_confirm: 1001\n" + kValidAggregator),
      ::testing::ElementsAre(::testing::StartsWith("t.yaml:5:25: 'feed.gate.price_band_confirm' must be")));
}

// Live broker feeds reject a tick a day old unless told otherwise; feeds
// whose data is old on purpose do not.
TEST(GateConfig, MaxBehindIsOnByDefaultForLiveFeedsOnly) {
  const std::string kite =
      "feed: {kind: kite, kite: {api_key: k, access_token: t, instruments: {408065: 'NSE:INFY'}}}\n";
  const std::string smartapi =
      "feed: {kind: smartapi, smartapi: {auth_token: a, api_key: b, client_code: c, feed_token: d,"
      " tokens: [{token: '2885', symbol: RELIANCE}]}}\n";
  for (const std::string& feed :
       {std::string("feed: {kind: binance, symbols: [BTCUSDT]}\n"), kite, smartapi}) {
    SCOPED_TRACE(feed);
    const Config c = load_config_text(feed + kValidAggregator, "t.yaml", "");
    EXPECT_EQ(c.feed.gate.max_behind_ms, 24LL * 3600 * 1000);
    EXPECT_EQ(c.feed.gate.max_behind_ms, GateConfig::kLiveMaxBehindMs);
  }
  const Config replay =
      load_config_text("feed: {kind: replay, replay: {files: [{path: t.csv, format: generic}]}}\n" +
                           std::string(kValidAggregator),
                       "t.yaml", "");
  EXPECT_EQ(replay.feed.gate.max_behind_ms, 0);
  const Config simulator = load_config_text(
      "feed: {kind: simulator, symbols: [A]}\n" + std::string(kValidAggregator), "t.yaml", "");
  EXPECT_EQ(simulator.feed.gate.max_behind_ms, 0);
  // Set, or turned off, by the file.
  const Config off = load_config_text(
      "feed: {kind: binance, symbols: [BTCUSDT], gate: {max_behind: 0}}\n" + std::string(kValidAggregator),
      "t.yaml", "");
  EXPECT_EQ(off.feed.gate.max_behind_ms, 0);
  const Config hour = load_config_text(
      "feed: {kind: binance, symbols: [BTCUSDT], gate: {max_behind: 1h}}\n" + std::string(kValidAggregator),
      "t.yaml", "");
  EXPECT_EQ(hour.feed.gate.max_behind_ms, 3600 * 1000);
}

}  // namespace
}  // namespace tickd::core
