// The default configuration, run for real: simulator feed, every default
// plugin loaded from YAML, candles in the logger's output, clean SIGTERM.
#include "e2e/daemon_fixture.hpp"

#include <csignal>

namespace tickd::e2e {
namespace {

TEST(DaemonRun, DefaultConfigBuildsAndLogsCandlesThenStopsCleanlyOnSigterm) {
  TempDir dir("tickd-e2e");
  std::string config = default_config_text();
  // The default config, with what must differ in a test: 1s candles in the log
  // so we need not wait a minute, a private database and a free port.
  config = replace_all(config, "intervals: [1m, 5m, 15m, 1h, 1d]", "intervals: [1s, 1m]");
  config = replace_all(config, "path: tickd.db", "path: " + dir.file("tickd.db"));
  config = replace_all(config, "127.0.0.1:8080", "127.0.0.1:" + std::to_string(test_support::free_port()));
  ASSERT_NE(config.find("[1s, 1m]"), std::string::npos) << "the default config changed: update this test";
  std::string path = write_file(dir, "tickd.yaml", config);
  std::string log = dir.file("tickd.log");

  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(wait_for_text(tickd, log, "candle_closed BTCUSDT 1s", std::chrono::seconds(30)))
      << read_text(log);
  EXPECT_TRUE(wait_for_text(tickd, log, "candle_closed ETHUSDT 1s", std::chrono::seconds(10)))
      << read_text(log);
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
  std::string out = read_text(log);
  EXPECT_NE(out.find("SIGTERM received: shutting down"), std::string::npos) << out;
  EXPECT_NE(out.find("stopped"), std::string::npos) << out;
  EXPECT_EQ(out.find(" error "), std::string::npos) << out;
}

TEST(DaemonRun, RefusesToStartWhenARequiredPluginIsMissing) {
  TempDir dir("tickd-e2e");
  std::string path =
      write_file(dir, "bad.yaml",
                 "feed:\n  kind: simulator\n  symbols: [BTCUSDT]\naggregator:\n  intervals: [1m]\n"
                 "observers:\n  - name: db\n    plugin: sqlight\n");
  std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  EXPECT_EQ(tickd.wait(), 1);
  EXPECT_NE(read_text(log).find("bad.yaml:8:13: unknown plugin 'sqlight' for observer 'db'"),
            std::string::npos)
      << read_text(log);
}

TEST(DaemonRun, OptionalObserverThatFailsToStartIsSkipped) {
  TempDir dir("tickd-e2e");
  std::string path = write_file(dir, "opt.yaml",
                                "feed:\n  kind: simulator\n  symbols: [BTCUSDT]\n"
                                "aggregator:\n  intervals: [1s]\n  update_throttle: 0\n"
                                "observers:\n"
                                "  - name: broken\n    plugin: logger\n    optional: true\n"
                                "    config: {output: /etc/hostname/not-a-dir/y.log}\n"
                                "  - name: log\n    plugin: logger\n    events: [candle_closed]\n");
  std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(wait_for_text(tickd, log, "candle_closed BTCUSDT 1s", std::chrono::seconds(20)))
      << read_text(log);
  EXPECT_NE(read_text(log).find("optional observer skipped"), std::string::npos);
  tickd.signal(SIGINT);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
}

}  // namespace
}  // namespace tickd::e2e
