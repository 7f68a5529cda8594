// An observer's `config:` block reaches its plugin as JSON with YAML's types.
#include "config_test_util.hpp"

namespace tickd::core {
namespace {

nlohmann::json observer_config(const std::string& block) {
  const Config c = load_config_text(std::string(testing::kValidFeed) + testing::kValidAggregator +
                                        "observers:\n  - name: x\n    plugin: x\n    config:\n" + block,
                                    "t.yaml", "");
  return c.observers.at(0).config;
}

TEST(ObserverConfigJson, ScalarsKeepTheirTypes) {
  const nlohmann::json j = observer_config(
      "      int: 42\n"
      "      negative: -7\n"
      "      hex: 0x1F\n"
      "      big: 18446744073709551615\n"
      "      float: 2.5\n"
      "      exp: 1e3\n"
      "      yes_bool: true\n"
      "      no_bool: False\n"
      "      nothing: ~\n"
      "      empty:\n"
      "      text: hello world\n"
      "      quoted_number: \"42\"\n"
      "      quoted_bool: 'true'\n"
      "      word_yes: yes\n"
      "      version: 1.2.3\n"
      "      block: |\n"
      "        line\n");
  EXPECT_TRUE(j["int"].is_number_integer());
  EXPECT_EQ(j["int"].get<int>(), 42);
  EXPECT_EQ(j["negative"].get<int>(), -7);
  EXPECT_EQ(j["hex"].get<int>(), 31);
  EXPECT_TRUE(j["big"].is_number_unsigned());
  EXPECT_EQ(j["big"].get<std::uint64_t>(), 18446744073709551615ull);
  EXPECT_TRUE(j["float"].is_number_float());
  EXPECT_DOUBLE_EQ(j["float"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(j["exp"].get<double>(), 1000);
  EXPECT_EQ(j["yes_bool"], true);
  EXPECT_EQ(j["no_bool"], false);
  EXPECT_TRUE(j["nothing"].is_null());
  EXPECT_TRUE(j["empty"].is_null());
  EXPECT_EQ(j["text"], "hello world");
  EXPECT_EQ(j["quoted_number"], "42");
  EXPECT_EQ(j["quoted_bool"], "true");
  EXPECT_EQ(j["word_yes"], "yes");  // YAML 1.2: only true/false are booleans
  EXPECT_EQ(j["version"], "1.2.3");
  EXPECT_EQ(j["block"], "line\n");
}

TEST(ObserverConfigJson, NestedListsAndMaps) {
  const nlohmann::json j = observer_config(
      "      rules:\n"
      "        - {name: ema, fast: 9, slow: 21.5, on: [1m, 5m]}\n"
      "        - name: rsi\n"
      "          levels: {low: 30, high: 70}\n"
      "      matrix: [[1, 2], [3, [4, five]]]\n"
      "      empty_list: []\n"
      "      empty_map: {}\n");
  const nlohmann::json expected = nlohmann::json::parse(R"({
    "rules": [{"name": "ema", "fast": 9, "slow": 21.5, "on": ["1m", "5m"]},
              {"name": "rsi", "levels": {"low": 30, "high": 70}}],
    "matrix": [[1, 2], [3, [4, "five"]]],
    "empty_list": [],
    "empty_map": {}
  })");
  EXPECT_EQ(j, expected);
}

TEST(ObserverConfigJson, DuplicateKeyInsideConfigIsAnError) {
  EXPECT_EQ(
      testing::load_error(std::string(testing::kValidFeed) + testing::kValidAggregator +
                          "observers:\n  - name: x\n    plugin: x\n    config:\n      a: 1\n      a: 2\n"),
      "t.yaml:11:7: duplicate key 'a' in 'observers[0].config' (first at line 10)");
}

}  // namespace
}  // namespace tickd::core
