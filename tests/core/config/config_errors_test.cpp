// One test per class of config error, each pinning file:line:column.
#include "config_test_util.hpp"

#include <gmock/gmock.h>

#include <cstdlib>

namespace tickd::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kValidAggregator;
using testing::kValidFeed;
using testing::load_error;
using testing::load_errors;

TEST(ConfigErrors, MalformedYamlHasThePosition) {
  EXPECT_EQ(load_error("feed:\n  kind: simulator\n    symbols: [A]\n"),
            "t.yaml:3:12: malformed YAML: illegal map value");
  // An unclosed flow list is only noticed at the end of the input.
  EXPECT_EQ(load_error("feed:\n  symbols: [A, B\n"),
            "t.yaml:3:1: malformed YAML: end of sequence flow not found");
}

TEST(ConfigErrors, UnknownKeySuggestsTheClosest) {
  EXPECT_EQ(load_error(std::string(kValidFeed) +  // lines 1-3
                       "aggregator:\n"
                       "  intervals: [1s]\n"
                       "  histroy: 5\n"),
            "t.yaml:6:3: unknown key 'histroy' in 'aggregator' (did you mean 'history'?)");
  EXPECT_EQ(load_error(std::string(kValidAggregator) + "feeds: {}\nfeed: {kind: simulator, symbols: [A]}\n"),
            "t.yaml:3:1: unknown key 'feeds' at the top level (did you mean 'feed'?)");
  EXPECT_EQ(load_error(std::string(kValidFeed) + kValidAggregator + "daemon:\n  zzz: 1\n"),
            "t.yaml:7:3: unknown key 'zzz' in 'daemon'");
}

TEST(ConfigErrors, UnknownKeyInNestedBlocks) {
  EXPECT_EQ(load_error(std::string(kValidFeed) + kValidAggregator +  // lines 1-5
                       "observers:\n"
                       "  - name: a\n"
                       "    plugin: logger\n"
                       "    overflw: block\n"),
            "t.yaml:9:5: unknown key 'overflw' in 'observers[0]' (did you mean 'overflow'?)");
  EXPECT_EQ(load_error(std::string(kValidAggregator) +  // lines 1-2
                       "feed:\n"
                       "  kind: simulator\n"
                       "  symbols: [A]\n"
                       "  simulator:\n"
                       "    ticks_per_sec: 3\n"),
            "t.yaml:7:5: unknown key 'ticks_per_sec' in 'feed.simulator' (did you mean 'ticks_per_second'?)");
}

TEST(ConfigErrors, DuplicateKey) {
  EXPECT_EQ(
      load_error(std::string(kValidFeed) + "aggregator:\n  intervals: [1s]\n  history: 5\n  history: 6\n"),
      "t.yaml:7:3: duplicate key 'history' in 'aggregator' (first at line 6)");
}

TEST(ConfigErrors, WrongTypes) {
  const std::string base = std::string(kValidFeed) + "aggregator:\n  intervals: [1s]\n";  // lines 1-5
  EXPECT_EQ(load_error(base + "  history: abc\n"),
            "t.yaml:6:12: 'aggregator.history' must be a positive integer, got 'abc'");
  EXPECT_EQ(load_error(base + "  history: 0\n"),
            "t.yaml:6:12: 'aggregator.history' must be a positive integer, got '0'");
  EXPECT_EQ(load_error(base + "  gap_fill_max: 0\n"),
            "t.yaml:6:17: 'aggregator.gap_fill_max' must be a positive integer, got '0'");
  EXPECT_EQ(load_error(base + "  gap_fill: maybe\n"),
            "t.yaml:6:13: 'aggregator.gap_fill' must be true or false, got 'maybe'");
  EXPECT_EQ(load_error(base + "  history: [1]\n"),
            "t.yaml:6:12: 'aggregator.history' must be a positive integer, got a list");
  EXPECT_EQ(load_error(base + "  update_throttle: fast\n"),
            "t.yaml:6:20: 'aggregator.update_throttle' must be a duration such as 250ms, 30s, 5m, 1h, 1d or "
            "a number of "
            "seconds, got 'fast'");
  EXPECT_EQ(
      load_error(base + "  late_ticks: amnd\n"),
      "t.yaml:6:15: 'aggregator.late_ticks' must be one of drop, amend, got 'amnd' (did you mean 'amend'?)");
  EXPECT_EQ(load_error(base + "  session: UTC\n"),
            "t.yaml:6:12: 'aggregator.session' must be a mapping, got 'UTC'");
  EXPECT_EQ(load_error(std::string(kValidAggregator) + "feed:\n  symbols: BTCUSDT\n"),
            "t.yaml:4:12: 'feed.symbols' must be a list, got 'BTCUSDT'");
  EXPECT_EQ(
      load_error(std::string(kValidAggregator) + "feed:\n  symbols: [A]\n  simulator: {volatility: -1}\n"),
      "t.yaml:5:27: 'feed.simulator.volatility' must be a non-negative number, got '-1'");
  EXPECT_EQ(load_error("- a\n- b\n"), "t.yaml:1:1: the document must be a mapping, got a list");
}

TEST(ConfigErrors, InvalidIntervalListsTheValidOnes) {
  const std::string error = load_error(std::string(kValidFeed) + "aggregator:\n  intervals: [1s, 2m]\n");
  EXPECT_EQ(error, "t.yaml:5:19: invalid interval '2m' in 'aggregator.intervals' (valid: " +
                       Interval::valid_names() + ")");
  EXPECT_THAT(error, HasSubstr("1s, 5s, 15s, 30s, 1m, 3m, 5m"));
}

TEST(ConfigErrors, IntervalsRequiredNonEmptyAndUnique) {
  EXPECT_THAT(load_error(std::string(kValidFeed) + "aggregator:\n  history: 5\n"),
              ::testing::StartsWith("t.yaml:5:3: 'aggregator.intervals' is required (valid: 1s,"));
  EXPECT_THAT(load_error(std::string(kValidFeed) + "aggregator:\n  intervals: []\n"),
              ::testing::StartsWith("t.yaml:5:14: 'aggregator.intervals' must list at least one interval"));
  EXPECT_EQ(load_error(std::string(kValidFeed) + "aggregator:\n  intervals: [1m, 1s, 1m]\n"),
            "t.yaml:5:23: duplicate interval '1m' in 'aggregator.intervals'");
}

TEST(ConfigErrors, UnknownFeedKindListsTheValidOnes) {
  EXPECT_EQ(
      load_error(std::string(kValidAggregator) + "feed:\n  kind: ibkr\n  symbols: [A]\n  ibkr: {x: 1}\n"),
      "t.yaml:4:9: unknown feed kind 'ibkr' in 'feed.kind' (valid: simulator, replay, binance, kite, "
      "smartapi, nats)");
}

TEST(ConfigErrors, SimulatorNeedsSymbols) {
  EXPECT_EQ(load_error(std::string(kValidAggregator) + "feed:\n  kind: simulator\n"),
            "t.yaml:4:3: 'feed.symbols' must list at least one symbol for the simulator");
  // No feed section at all: the default kind is the simulator, reported at the top.
  EXPECT_EQ(load_error(kValidAggregator),
            "t.yaml:1:1: 'feed.symbols' must list at least one symbol for the simulator");
}

TEST(ConfigErrors, ReplayFilesAreChecked) {
  const std::string base = std::string(kValidAggregator) + "feed:\n  kind: replay\n  replay:\n";  // lines 1-5
  EXPECT_EQ(load_error(base + "    speed: 1\n"),
            "t.yaml:6:5: 'feed.replay.files' must list at least one file for the replay feed");
  EXPECT_EQ(load_error(base + "    files:\n      - {path: a.csv, format: binance_aggtrades}\n"),
            "t.yaml:7:9: 'feed.replay.files[0].symbol' is required for format binance_aggtrades");
  EXPECT_EQ(
      load_error(base + "    files:\n      - {path: a.csv, format: csv}\n"),
      "t.yaml:7:31: 'feed.replay.files[0].format' must be one of binance_aggtrades, binance_trades, generic, "
      "got 'csv'");
  EXPECT_EQ(load_error(base + "    files:\n      - {format: generic}\n"),
            "t.yaml:7:9: 'feed.replay.files[0].path' is required");
}

TEST(ConfigErrors, SessionIsChecked) {
  const std::string base = std::string(kValidFeed) + kValidAggregator + "  session:\n";  // lines 1-6
  EXPECT_EQ(
      load_error(base + "    timezone: Mars/Olympus\n"),
      "t.yaml:7:15: 'aggregator.session.timezone' must be an IANA time zone such as UTC or Asia/Kolkata, got "
      "'Mars/Olympus'");
  EXPECT_EQ(
      load_error(base + "    open: \"9:15\"\n"),
      "t.yaml:7:11: 'aggregator.session.open' must be a time of day \"HH:MM\" (00:00 to 23:59), got '9:15'");
  EXPECT_EQ(load_error(base + "    close: \"24:00\"\n"),
            "t.yaml:7:12: 'aggregator.session.close' must be a time of day \"HH:MM\" (00:00 to 23:59), got "
            "'24:00'");
  EXPECT_THAT(
      load_error(base + "    days: [mon, tues]\n"),
      ::testing::StartsWith("t.yaml:7:17: 'aggregator.session.days[1]' must be one of sun, mon, tue, wed, "
                            "thu, fri, sat, got 'tues' (did you mean 'tue'?)"));
}

TEST(ConfigErrors, DuplicateObserverNamePointsAtTheSecond) {
  EXPECT_EQ(load_error(std::string(kValidFeed) + kValidAggregator +  // lines 1-5
                       "observers:\n"
                       "  - name: log\n"
                       "    plugin: logger\n"
                       "  - name: other\n"
                       "    plugin: logger\n"
                       "  - name: log\n"
                       "    plugin: sqlite\n"),
            "t.yaml:11:11: duplicate observer name 'log' (first defined at t.yaml:7:11)");
}

TEST(ConfigErrors, ObserverEntryIsChecked) {
  const std::string base = std::string(kValidFeed) + kValidAggregator + "observers:\n";  // lines 1-6
  EXPECT_EQ(load_error(base + "  - name: a\n"),
            "t.yaml:7:5: 'observers[0].plugin' or 'observers[0].process' is required");
  EXPECT_EQ(load_error(base + "  - plugin: logger\n"), "t.yaml:7:5: 'observers[0].name' is required");
  EXPECT_THAT(
      load_error(base + "  - name: a\n    plugin: ../evil.so\n"),
      ::testing::StartsWith("t.yaml:8:13: 'observers[0].plugin' must be a plugin name such as 'logger' or a "
                            "file name ending in .so"));
  EXPECT_EQ(load_error(base + "  - {name: a, plugin: logger, queue: 8}\n"),
            "t.yaml:7:38: 'observers[0].queue' must be an integer from 16 to 16777216, got '8'");
  EXPECT_EQ(load_error(base + "  - {name: a, plugin: logger, overflow: drop}\n"),
            "t.yaml:7:41: 'observers[0].overflow' must be one of block, drop_ticks, got 'drop'");
  EXPECT_EQ(
      load_error(base + "  - {name: a, plugin: logger, events: [tick, candle]}\n"),
      "t.yaml:7:46: 'observers[0].events[1]' must be one of tick, candle_update, candle_closed, signal, got "
      "'candle'");
  EXPECT_EQ(
      load_error(base + "  - {name: a, plugin: logger, events: []}\n"),
      "t.yaml:7:39: 'observers[0].events' must list at least one event (tick, candle_update, candle_closed, "
      "signal)");
  EXPECT_EQ(load_error(base + "  - {name: a, plugin: logger, config: [1]}\n"),
            "t.yaml:7:39: 'observers[0].config' must be a mapping");
  EXPECT_EQ(load_error(base + "  - {name: 'a b', plugin: logger}\n"),
            "t.yaml:7:12: 'observers[0].name' must be a non-empty name of letters, digits, '_', '-' or '.', "
            "got 'a b'");
}

TEST(ConfigErrors, ObserverIntervalsMustBeAggregated) {
  const std::string base = std::string(kValidFeed) + kValidAggregator + "observers:\n";  // lines 1-6
  EXPECT_EQ(load_error(base + "  - {name: a, plugin: logger, intervals: [1m, 5m]}\n"),
            "t.yaml:7:47: interval '5m' in 'observers[0].intervals' is not aggregated (aggregator.intervals: "
            "1s, 1m)");
  EXPECT_THAT(
      load_error(base + "  - {name: a, plugin: logger, intervals: [7m]}\n"),
      ::testing::StartsWith("t.yaml:7:43: invalid interval '7m' in 'observers[0].intervals' (valid: 1s, 5s"));
}

TEST(ConfigErrors, UnsetEnvironmentVariableNamesVariableAndKey) {
  ::unsetenv("TICKD_TEST_NO_SUCH_VAR");
  EXPECT_EQ(load_error(std::string(kValidFeed) + kValidAggregator +  // lines 1-5
                       "observers:\n"
                       "  - {name: a, plugin: logger}\n"
                       "  - name: b\n"
                       "    plugin: email\n"
                       "    config:\n"
                       "      smtp: {password: \"${TICKD_TEST_NO_SUCH_VAR}\"}\n"),
            "t.yaml:11:24: environment variable 'TICKD_TEST_NO_SUCH_VAR' is not set (in "
            "'observers[1].config.smtp.password')");
  EXPECT_EQ(load_error(std::string(kValidFeed) + kValidAggregator +
                       "daemon: {log_level: '${TICKD_TEST_NO_SUCH_VAR}'}\n"),
            "t.yaml:6:21: environment variable 'TICKD_TEST_NO_SUCH_VAR' is not set (in 'daemon.log_level')");
}

TEST(ConfigErrors, AllErrorsAreCollectedInFileOrder) {
  try {
    load_config_text(
        "observers:\n"
        "  - {name: a, plugin: logger, queue: 1}\n"
        "aggregator:\n"
        "  intervals: [1s, 9s]\n"
        "  history: -5\n"
        "feed: {kind: simulator, symbols: [A], simulator: {seed: x}}\n",
        "multi.yaml", "");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.errors().size(), 4u) << e.what();
    EXPECT_THAT(e.errors()[0], ::testing::StartsWith("multi.yaml:2:38: 'observers[0].queue'"));
    EXPECT_THAT(e.errors()[1], ::testing::StartsWith("multi.yaml:4:19: invalid interval '9s'"));
    EXPECT_THAT(e.errors()[2], ::testing::StartsWith("multi.yaml:5:12: 'aggregator.history'"));
    EXPECT_THAT(e.errors()[3], ::testing::StartsWith("multi.yaml:6:57: 'feed.simulator.seed'"));
    EXPECT_EQ(std::string(e.what()),
              e.errors()[0] + "\n" + e.errors()[1] + "\n" + e.errors()[2] + "\n" + e.errors()[3]);
  }
}

TEST(ConfigErrors, MissingFileNamesIt) {
  try {
    load_config_file("/nonexistent/tickd-test/tickd.yaml");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.errors(),
                ElementsAre(HasSubstr("/nonexistent/tickd-test/tickd.yaml: cannot open config file")));
  }
}

TEST(ConfigErrors, DaemonSectionIsChecked) {
  const std::string base = std::string(kValidFeed) + kValidAggregator;  // lines 1-5
  EXPECT_EQ(load_error(base + "daemon: {log_level: verbose}\n"),
            "t.yaml:6:21: 'daemon.log_level' must be one of trace, debug, info, warn, error, got 'verbose'");
  EXPECT_EQ(load_error(base + "daemon: {admin_listen: localhost}\n"),
            "t.yaml:6:24: 'daemon.admin_listen' must be host:port (port 1-65535), got 'localhost'");
  EXPECT_EQ(load_error(base + "daemon: {shutdown_timeout: 5 s}\n"),
            "t.yaml:6:28: 'daemon.shutdown_timeout' must be a duration such as 250ms, 30s, 5m, 1h, 1d or a "
            "number of "
            "seconds, got '5 s'");
}

}  // namespace
}  // namespace tickd::core
