// A plugin's declared schema as the SDK exposes it: the JSON in its ABI table,
// and host.config_view() checking and normalizing the block under FakeHost.
#include <tickd/plugin.hpp>
#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>

namespace {

class Throttled : public tickd::Observer {
 public:
  static tickd::ConfigSchema config_schema() {
    namespace s = tickd::schema;
    return {s::duration("every", "How often").default_value("5m").min("1s"),
            s::integer("burst", "Events per period").default_value(3).range(1, 100)};
  }
  void start(tickd::Host& host) override {
    auto config = host.config_view(config_schema());
    every = config.duration("every");
    burst = config.integer("burst");
  }
  std::chrono::milliseconds every{0};
  std::int64_t burst = 0;
};

class TakesAnything : public tickd::Observer {};

}  // namespace

TICKD_PLUGIN(Throttled, "throttled", "1.0.0", "test")

TEST(PluginConfig, TheAbiTableCarriesTheSchemaJson) {
  const tickd_plugin_api* api = tickd_plugin_get_api();
  ASSERT_NE(api->config_schema, nullptr);
  auto schema = nlohmann::json::parse(api->config_schema);
  EXPECT_EQ(schema["tickd_config_schema"], 1);
  EXPECT_EQ(schema["keys"][0]["name"], "every");
  EXPECT_EQ(schema["keys"][0]["min"], 1000);
  EXPECT_EQ(schema["keys"][1]["default"], 3);
  EXPECT_EQ(tickd::detail::make_api<TakesAnything>("x", "1", "d")->config_schema, nullptr);
}

TEST(PluginConfig, FakeHostGetsDefaultsAndNormalizedDurations) {
  tickd::testing::FakeHost fake("t", {{"every", 90}});
  Throttled plugin;
  plugin.start(fake.host());
  EXPECT_EQ(plugin.every, std::chrono::seconds(90));
  EXPECT_EQ(plugin.burst, 3);
}

TEST(PluginConfig, ProblemsRefuseStartThroughTheAbi) {
  tickd::testing::FakeHost fake("t", {{"every", "10ms"}, {"burts", 2}});
  const tickd_plugin_api* api = tickd_plugin_get_api();
  tickd_plugin_instance* instance = nullptr;
  char error[512] = {};
  ASSERT_EQ(api->create(fake.host().raw(), &instance, tickd_error_buf{error, sizeof error}), TICKD_OK);
  EXPECT_EQ(api->start(instance, tickd_error_buf{error, sizeof error}), TICKD_ERROR);
  EXPECT_STREQ(error,
               "unknown key 'burts' in 'config' (did you mean 'burst'?); "
               "'config.every' must be a duration of at least 1s, got '10ms'");
  api->destroy(instance);
}
