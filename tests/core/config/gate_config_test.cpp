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
  Config c = load_config_text(std::string(kFeedHead) +
                                  "    max_ahead: 30s\n    max_behind: 24h\n    max_jump: 0\n"
                                  "    max_price: 1e6\n    max_quantity: 500\n    price_band: 0.2\n" +
                                  kValidAggregator,
                              "t.yaml", "/base");
  EXPECT_EQ(c.feed.gate.max_ahead_ms, 30000);
  EXPECT_EQ(c.feed.gate.max_behind_ms, 24 * 3600 * 1000);
  EXPECT_EQ(c.feed.gate.max_jump_ms, 0);
  EXPECT_EQ(c.feed.gate.max_price, 1e6);
  EXPECT_EQ(c.feed.gate.max_quantity, 500);
  EXPECT_EQ(c.feed.gate.price_band, 0.2);
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

}  // namespace
}  // namespace tickd::core
