// The command line: --version, --check-config (good and bad, plugin config blocks included),
// --list-plugins, --describe-plugin.
#include "e2e/daemon_fixture.hpp"

namespace tickd::e2e {
namespace {

RunResult run(const std::vector<std::string>& args) { return run_tickd(args); }

TEST(Cli, Version) {
  auto r = run({"--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("tickd 0."), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("plugin ABI 1.2"), std::string::npos) << r.output;
}

TEST(Cli, CheckConfigAcceptsTheDefaultAndSummarizesIt) {
  auto r = run({"--check-config", TICKD_SOURCE_DIR "/config/tickd.yaml"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("configuration OK"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("simulator"), std::string::npos) << r.output;
}

TEST(Cli, CheckConfigReportsFileLineColumnAndExits1) {
  TempDir dir("tickd-cli");
  struct Case {
    std::string yaml, expected;
  } cases[] = {
      {"feed:\n  kind: simulator\n  symbols: [A]\naggregator:\n  intervals: [1m, 2m]\n",
       "bad.yaml:5:19: invalid interval '2m' in 'aggregator.intervals' (valid: 1s, 5s"},
      {"feed:\n  kind: simulator\n  symbols: [A]\n  simulatr: {}\n", "bad.yaml:4:3: unknown key 'simulatr'"},
      {"feed: [unclosed\n", "bad.yaml:2:1: malformed YAML"},
      {"aggregator:\n  history: abc\n",
       "bad.yaml:2:12: 'aggregator.history' must be a positive integer, got 'abc'"},
  };
  for (const auto& c : cases) {
    std::string path = write_file(dir, "bad.yaml", c.yaml);
    auto r = run({"--check-config", path});
    EXPECT_EQ(r.status, 1) << c.yaml << r.output;
    EXPECT_NE(r.output.find(c.expected), std::string::npos) << c.yaml << "\n--- got:\n" << r.output;
  }
}

TEST(Cli, CheckConfigChecksEachPluginsBlockAtItsPosition) {
  TempDir dir("tickd-cli");
  const std::string yaml =
      "feed:\n  kind: simulator\n  symbols: [BTCUSDT]\n"
      "observers:\n"
      "  - name: log\n"
      "    plugin: logger\n"
      "    config:\n"
      "      format: jsno\n"
      "      ouput: x.log\n"
      "      flush_interval: 1..5s\n"
      "  - name: chart\n"
      "    plugin: ws_broadcast\n"
      "    config:\n"
      "      max_connections: ${HOME}\n"
      "  - name: strat\n"
      "    plugin: strategy\n"
      "    config:\n"
      "      rules:\n"
      "        - {name: a, type: ma_cross, fast: 9}\n"
      "aggregator:\n  intervals: [1m]\n";
  std::string path = write_file(dir, "bad.yaml", yaml);
  auto r = run({"--check-config", path});
  EXPECT_EQ(r.status, 1) << r.output;
  for (const std::string expected : {
           "bad.yaml:8:15: 'observers[0].config.format' must be one of text, json, got 'jsno' (did you mean "
           "'json'?)",
           "bad.yaml:9:7: unknown key 'ouput' in 'observers[0].config' (did you mean 'output'?)",
           "bad.yaml:10:23: 'observers[0].config.flush_interval' must be a duration from 0s to 1h, got "
           "'1..5s'",
           "bad.yaml:14:24: 'observers[1].config.max_connections' must be an integer from 1 to 1000000, got "
           "'",
           "bad.yaml:19:11: 'observers[2].config.rules[0].slow' is required for type ma_cross",
       })
    EXPECT_NE(r.output.find(expected), std::string::npos) << expected << "\n--- got:\n" << r.output;
  EXPECT_EQ(r.output.find("configuration OK"), std::string::npos) << r.output;
}

TEST(Cli, ListPluginsShowsNameVersionAndAbi) {
  auto r = run({"--list-plugins"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("logger"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ABI 1.2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("tickd_logger.so"), std::string::npos) << r.output;
}

TEST(Cli, ListPluginsExits1WhenAPluginCannotBeLoaded) {
  TempDir dir("tickd-cli");
  // The host test fixtures include a plugin built for another ABI and files that are no plugins.
  std::string path = write_file(dir, "fixtures.yaml",
                                "daemon:\n  plugin_dirs: [" TICKD_TEST_PLUGIN_DIR
                                "]\n"
                                "feed:\n  kind: simulator\n  symbols: [BTCUSDT]\n"
                                "aggregator:\n  intervals: [1m]\n");
  auto r = run({"--list-plugins", "--config", path});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("ABI mismatch"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("fixture_recorder"), std::string::npos) << r.output;  // the good ones still listed
}

TEST(Cli, DescribePluginPrintsKeysTypesDefaultsAndDescriptions) {
  auto r = run({"--describe-plugin", "logger"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("flush_interval"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("duration 0s..1h"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("one of text, json"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Rotated files kept"), std::string::npos) << r.output;
  auto md = run({"--describe-plugin", "sqlite", "--markdown"});
  EXPECT_EQ(md.status, 0) << md.output;
  EXPECT_NE(md.output.find("| `busy_timeout` | duration 0s..10m | `5s` |"), std::string::npos) << md.output;
  EXPECT_EQ(run({"--describe-plugin", "no_such_plugin"}).status, 1);
}

}  // namespace
}  // namespace tickd::e2e
