#include <tickd/config_schema.hpp>
#include <tickd/config_validation.hpp>
#include <tickd/config_view.hpp>

#include <gtest/gtest.h>

namespace tickd {
namespace {

namespace s = schema;
using nlohmann::json;

ConfigSchema storage_schema() {
  return {
      s::string("path", "Database file").default_value("tickd.db").non_empty(),
      s::integer("port", "TCP port").default_value(5432).range(1, 65535),
      s::number("rate", "Messages per second").default_value(20).above(0).max(1e6),
      s::boolean("store_ticks", "Store every tick").default_value(false),
      s::duration("max_delay", "Longest wait").default_value("200ms").range("0s", "1m"),
      s::choice("format", {"text", "json"}, "Line format").default_value("text"),
      s::list("symbols", s::string().non_empty(), "Symbols; empty: all"),
      s::string("token", "Optional secret"),
      s::object("tls", {s::boolean("verify", "Check the certificate").default_value(true)}, "TLS"),
  };
}

ConfigSchema rules_schema() {
  return {s::list("rules",
                  s::variants("type",
                              {{"ma_cross",
                                "Two moving averages cross",
                                {s::string("name", "Rule name").required(),
                                 s::integer("fast", "Fast period").required().range(1, 100000),
                                 s::integer("slow", "Slow period").required().range(1, 100000)}},
                               {"rsi_cross",
                                "RSI leaves a band",
                                {s::string("name", "Rule name").required(),
                                 s::integer("period", "RSI period").default_value(14).range(1, 100000)}}}),
                  "Rules")
              .required()
              .non_empty()};
}

std::vector<std::string> messages(const ValidatedConfig& v) {
  std::vector<std::string> out;
  for (const auto& p : v.problems) out.push_back(p.pointer + " " + p.message);
  return out;
}

TEST(ConfigSchema, FillsDefaultsAndNormalizes) {
  auto v = validate_config(storage_schema().to_json(), json{{"max_delay", 2}, {"port", "6543"}});
  ASSERT_TRUE(v.ok()) << v.summary();
  EXPECT_EQ(v.value["path"], "tickd.db");
  EXPECT_EQ(v.value["port"], 6543);  // text, as ${ENV} gives it
  EXPECT_EQ(v.value["max_delay"], "2000ms");
  EXPECT_EQ(v.value["format"], "text");
  EXPECT_EQ(v.value["symbols"], json::array());
  EXPECT_EQ(v.value["tls"], (json{{"verify", true}}));
  EXPECT_FALSE(v.value.contains("token"));
  // Normalizing twice changes nothing: the SDK checks again inside the plugin.
  auto again = validate_config(storage_schema().to_json(), v.value);
  ASSERT_TRUE(again.ok()) << again.summary();
  EXPECT_EQ(again.value, v.value);
}

TEST(ConfigSchema, ReportsEveryProblemWithItsPointer) {
  const json config = {{"paht", "x.db"},
                       {"port", 70000},
                       {"rate", 0},
                       {"store_ticks", "yes"},
                       {"max_delay", "1..5m"},
                       {"format", "jsno"},
                       {"symbols", {"BTCUSDT", ""}},
                       {"tls", {{"verfiy", false}}}};
  auto v = validate_config(storage_schema().to_json(), config, "observers[1].config");
  EXPECT_EQ(
      messages(v),
      (std::vector<std::string>{
          "/paht unknown key 'paht' in 'observers[1].config' (did you mean 'path'?)",
          "/port 'observers[1].config.port' must be an integer from 1 to 65535, got 70000",
          "/rate 'observers[1].config.rate' must be a number above 0 and at most 1000000, got 0",
          "/store_ticks 'observers[1].config.store_ticks' must be true or false, got 'yes'",
          "/max_delay 'observers[1].config.max_delay' must be a duration from 0s to 1m, got '1..5m'",
          "/format 'observers[1].config.format' must be one of text, json, got 'jsno' (did you mean 'json'?)",
          "/symbols/1 'observers[1].config.symbols[1]' must not be empty",
          "/tls/verfiy unknown key 'verfiy' in 'observers[1].config.tls' (did you mean 'verify'?)",
      }));
  EXPECT_TRUE(v.problems[0].at_key);
  EXPECT_FALSE(v.problems[1].at_key);
}

TEST(ConfigSchema, EnvTextThatIsNotANumberNamesTheKey) {
  auto v = validate_config(storage_schema().to_json(), json{{"port", "eighty"}});
  EXPECT_EQ(v.summary(), "'config.port' must be an integer from 1 to 65535, got 'eighty'");
}

TEST(ConfigSchema, DurationSyntaxIsTheCoreOne) {
  for (const char* bad : {"1.2.3s", "1..5m", "-1s", "5 m"}) {
    auto v = validate_config(storage_schema().to_json(), json{{"max_delay", bad}});
    EXPECT_FALSE(v.ok()) << bad;
  }
  auto v = validate_config(storage_schema().to_json(), json{{"max_delay", "1.5s"}});
  EXPECT_EQ(v.value["max_delay"], "1500ms");
}

TEST(ConfigSchema, DiscriminatedObjectsSelectTheirKeysByTag) {
  const json config = {{"rules",
                        {{{"name", "a"}, {"type", "ma_cross"}, {"fast", 9}, {"slow", 21}},
                         {{"name", "b"}, {"type", "rsi_cross"}},
                         {{"name", "c"}, {"type", "rsi_cross"}, {"fast", 3}},
                         {{"name", "d"}, {"type", "ma_crosss"}},
                         {{"name", "e"}, {"type", "ma_cross"}, {"fast", 9}}}}};
  auto v = validate_config(rules_schema().to_json(), config);
  EXPECT_EQ(messages(v), (std::vector<std::string>{
                             "/rules/2/fast unknown key 'fast' in 'config.rules[2]' for type rsi_cross",
                             "/rules/3/type 'config.rules[3].type' must be one of ma_cross, rsi_cross, got "
                             "'ma_crosss' (did you mean 'ma_cross'?)",
                             "/rules/4 'config.rules[4].slow' is required for type ma_cross",
                         }));
  auto ok =
      validate_config(rules_schema().to_json(), json{{"rules", {config["rules"][0], config["rules"][1]}}});
  ASSERT_TRUE(ok.ok()) << ok.summary();
  EXPECT_EQ(ok.value["rules"][1]["period"], 14);
  EXPECT_EQ(ok.value["rules"][1]["type"], "rsi_cross");
}

TEST(ConfigSchema, RequiredAndNonEmptyLists) {
  EXPECT_EQ(validate_config(rules_schema().to_json(), json::object()).summary(),
            "'config.rules' is required");
  EXPECT_EQ(validate_config(rules_schema().to_json(), json{{"rules", json::array()}}).summary(),
            "'config.rules' must list at least 1 item");
  EXPECT_EQ(validate_config(rules_schema().to_json(), json{{"rules", "x"}}).summary(),
            "'config.rules' must be a list, got 'x'");
}

TEST(ConfigSchema, ABadDefaultIsReportedAsAPluginBug) {
  ConfigSchema bad{s::integer("n", "").default_value(0).min(1)};
  EXPECT_EQ(validate_config(bad.to_json(), json::object()).summary(),
            "the default of 'config.n' must be an integer of at least 1, got 0 (a plugin bug)");
}

TEST(ConfigView, TypedGettersReadTheValidatedBlock) {
  auto v = validate_config(storage_schema().to_json(), json{{"symbols", {"BTCUSDT"}}, {"max_delay", "1m"}});
  ASSERT_TRUE(v.ok());
  ConfigView config(v.value);
  EXPECT_EQ(config.string("path"), "tickd.db");
  EXPECT_EQ(config.integer("port"), 5432);
  EXPECT_EQ(config.number("rate"), 20);
  EXPECT_FALSE(config.boolean("store_ticks"));
  EXPECT_EQ(config.duration("max_delay"), std::chrono::minutes(1));
  EXPECT_EQ(config.strings("symbols"), std::vector<std::string>{"BTCUSDT"});
  EXPECT_TRUE(config.object("tls").boolean("verify"));
  EXPECT_FALSE(config.has("token"));
  EXPECT_THROW(config.string("token"), std::logic_error);
  try {
    config.integer("path");
    FAIL();
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("'config.path' is not an integer"), std::string::npos) << e.what();
  }
}

TEST(ConfigView, ListsOfObjectsKeepTheirPath) {
  auto v = validate_config(rules_schema().to_json(),
                           json{{"rules", {{{"name", "a"}, {"type", "rsi_cross"}, {"period", 7}}}}});
  ASSERT_TRUE(v.ok());
  auto rules = ConfigView(v.value).list("rules");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].integer("period"), 7);
  EXPECT_EQ(rules[0].path(), "config.rules[0]");
}

// Found by fuzz_config_schema_decoder: the schema comes from a plugin, and one
// of the wrong shape must be a problem naming the plugin's bug, not a throw.
TEST(ConfigSchema, AMalformedSchemaIsAPluginBugNotAnException) {
  for (const char* schema : {R"({"type":"object","keys":[5]})", R"({"type":"object","keys":[{"name":5}]})",
                             R"({"type":"choice","values":7})"}) {
    ValidatedConfig v;
    ASSERT_NO_THROW(v = validate_config(json::parse(schema), json{{"a", 1}})) << schema;
    ASSERT_FALSE(v.ok()) << schema;
    EXPECT_NE(v.summary().find("(a plugin bug)"), std::string::npos) << v.summary();
    EXPECT_TRUE(v.value.is_null());
  }
}

}  // namespace
}  // namespace tickd
