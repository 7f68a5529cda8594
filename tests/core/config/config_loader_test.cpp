#include "config_test_util.hpp"

#include <tickd/abi.h>

#include <gmock/gmock.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tickd::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> names(const std::vector<Interval>& intervals) {
  std::vector<std::string> out;
  for (auto i : intervals) out.emplace_back(i.name());
  return out;
}

constexpr std::uint32_t kAllEvents =
    TICKD_EVENT_TICK | TICKD_EVENT_CANDLE_UPDATE | TICKD_EVENT_CANDLE_CLOSED | TICKD_EVENT_SIGNAL;

TEST(ConfigLoader, EmbeddedDefaultLoads) {
  const Config config = load_config_text(embedded_default_config(), "<embedded>", "/opt/tickd");
  EXPECT_EQ(config.source, "<embedded>");
  EXPECT_EQ(config.feed.kind, "simulator");
  EXPECT_THAT(config.feed.symbols, ElementsAre("BTCUSDT", "ETHUSDT", "SOLUSDT"));
  EXPECT_THAT(names(config.aggregator.intervals), ElementsAre("1s", "5s", "1m", "5m", "15m", "1h", "1d"));
  EXPECT_EQ(config.aggregator.update_throttle_ms, 250);
  ASSERT_EQ(config.observers.size(), 5u);
  EXPECT_EQ(config.observers[0].name, "log");
  EXPECT_EQ(config.observers[0].plugin_mark.str(), "<embedded>:33:13");
  EXPECT_EQ(config.observers[2].events,
            std::uint32_t{TICKD_EVENT_CANDLE_UPDATE | TICKD_EVENT_CANDLE_CLOSED | TICKD_EVENT_SIGNAL});
  EXPECT_FALSE(config.observers[4].enabled);
  EXPECT_EQ(config.observers[3].config["rules"][0]["fast"], 9);
}

const char* const kFullConfig = R"(daemon:
  log_level: debug
  plugin_dirs: [plugins, /usr/lib/tickd/plugins]
  shutdown_timeout: 2500ms
  admin_listen: 127.0.0.1:9100
feed:
  kind: replay
  symbols: [XRPETH]
  simulator:
    ticks_per_second: 5
    volatility: 0.01
    start_price: 0.5
    seed: 18446744073709551615
    history_hours: 1.5
  replay:
    files:
      - {path: data/agg.csv, format: binance_aggtrades, symbol: XRPETH}
      - {path: /abs/generic.csv, format: generic}
    speed: 10
    exit_at_end: true
aggregator:
  intervals: [1h, 1m, 5s]
  history: 50
  session:
    timezone: Asia/Kolkata
    open: "09:15"
    close: "15:30"
    days: [fri, mon, tue, wed, thu]
  late_ticks: amend
  gap_fill: true
  gap_fill_max: 20
  update_throttle: 0
  close_grace: 2
  close_on_shutdown: false
observers:
  - name: log
    plugin: logger
    enabled: false
    optional: true
    events: [candle_closed, signal]
    symbols: [XRPETH]
    intervals: [1m, 1h]
    queue: 16
    overflow: block
    max_failures: 3
    config: {format: json}
  - name: custom
    plugin: my_observer.so
)";

TEST(ConfigLoader, FullConfigRoundTrips) {
  const Config c = load_config_text(kFullConfig, "full.yaml", "/etc/tickd");
  EXPECT_EQ(c.source, "full.yaml");
  EXPECT_EQ(c.base_dir, "/etc/tickd");
  EXPECT_EQ(c.daemon.log_level, "debug");
  EXPECT_THAT(c.daemon.plugin_dirs, ElementsAre("/etc/tickd/plugins", "/usr/lib/tickd/plugins"));
  EXPECT_DOUBLE_EQ(c.daemon.shutdown_timeout_s, 2.5);
  EXPECT_EQ(c.daemon.admin_listen, "127.0.0.1:9100");

  EXPECT_EQ(c.feed.kind, "replay");
  EXPECT_EQ(c.feed.mark.str(), "full.yaml:7:3");
  EXPECT_THAT(c.feed.symbols, ElementsAre("XRPETH"));
  EXPECT_DOUBLE_EQ(c.feed.simulator.ticks_per_second, 5);
  EXPECT_DOUBLE_EQ(c.feed.simulator.volatility, 0.01);
  EXPECT_DOUBLE_EQ(c.feed.simulator.start_price, 0.5);
  EXPECT_EQ(c.feed.simulator.seed, 18446744073709551615ull);
  EXPECT_DOUBLE_EQ(c.feed.simulator.history_hours, 1.5);
  ASSERT_EQ(c.feed.replay.files.size(), 2u);
  EXPECT_EQ(c.feed.replay.files[0].path, "/etc/tickd/data/agg.csv");
  EXPECT_EQ(c.feed.replay.files[0].format, "binance_aggtrades");
  EXPECT_EQ(c.feed.replay.files[0].symbol, "XRPETH");
  EXPECT_EQ(c.feed.replay.files[1].path, "/abs/generic.csv");
  EXPECT_EQ(c.feed.replay.files[1].format, "generic");
  EXPECT_DOUBLE_EQ(c.feed.replay.speed, 10);
  EXPECT_TRUE(c.feed.replay.exit_at_end);

  const AggregatorConfig& a = c.aggregator;
  EXPECT_THAT(names(a.intervals), ElementsAre("5s", "1m", "1h"));  // sorted
  EXPECT_EQ(a.history, 50u);
  EXPECT_EQ(a.session.timezone, "Asia/Kolkata");
  EXPECT_EQ(a.session.open_minute, 9 * 60 + 15);
  EXPECT_EQ(a.session.close_minute, 15 * 60 + 30);
  EXPECT_THAT(a.session.days, ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(a.late_ticks, LatePolicy::amend);
  EXPECT_TRUE(a.gap_fill);
  EXPECT_EQ(a.gap_fill_max, 20u);
  EXPECT_EQ(a.update_throttle_ms, 0);
  EXPECT_EQ(a.close_grace_ms, 2000);
  EXPECT_FALSE(a.close_on_shutdown);

  ASSERT_EQ(c.observers.size(), 2u);
  const ObserverConfig& log = c.observers[0];
  EXPECT_EQ(log.name, "log");
  EXPECT_EQ(log.plugin, "logger");
  EXPECT_FALSE(log.enabled);
  EXPECT_TRUE(log.optional);
  EXPECT_EQ(log.events, static_cast<std::uint32_t>(TICKD_EVENT_CANDLE_CLOSED | TICKD_EVENT_SIGNAL));
  EXPECT_THAT(log.symbols, ElementsAre("XRPETH"));
  EXPECT_THAT(names(log.intervals), ElementsAre("1m", "1h"));
  EXPECT_EQ(log.queue, 16u);
  EXPECT_EQ(log.overflow, Overflow::block);
  EXPECT_EQ(log.max_failures, 3u);
  EXPECT_EQ(log.config, nlohmann::json({{"format", "json"}}));
  EXPECT_EQ(log.mark.str(), "full.yaml:36:5");
  EXPECT_EQ(log.plugin_mark.str(), "full.yaml:37:13");

  const ObserverConfig& custom = c.observers[1];
  EXPECT_EQ(custom.plugin, "my_observer.so");
  EXPECT_TRUE(custom.enabled);
  EXPECT_FALSE(custom.optional);
  EXPECT_EQ(custom.events, kAllEvents);
  EXPECT_TRUE(custom.symbols.empty());
  EXPECT_TRUE(custom.intervals.empty());
  EXPECT_EQ(custom.queue, 65536u);
  EXPECT_EQ(custom.overflow, Overflow::drop_ticks);
  EXPECT_EQ(custom.max_failures, 10u);
  EXPECT_EQ(custom.config, nlohmann::json::object());
}

TEST(ConfigLoader, DefaultsWhenOptionalSectionsAreAbsent) {
  const Config c = load_config_text("feed: {symbols: [A]}\naggregator: {intervals: [1m]}\n", "min.yaml", "");
  EXPECT_EQ(c.daemon.log_level, "info");
  EXPECT_TRUE(c.daemon.plugin_dirs.empty());
  EXPECT_DOUBLE_EQ(c.daemon.shutdown_timeout_s, 10);
  EXPECT_EQ(c.feed.kind, "simulator");
  EXPECT_EQ(c.aggregator.history, 1000u);
  EXPECT_EQ(c.aggregator.session.timezone, "UTC");
  EXPECT_FALSE(c.aggregator.session.open_minute.has_value());
  EXPECT_EQ(c.aggregator.late_ticks, LatePolicy::drop);
  EXPECT_TRUE(c.observers.empty());
}

TEST(ConfigLoader, EnvironmentIsSubstitutedInEveryString) {
  ::setenv("TICKD_TEST_SYMBOL", "ETHUSDT", 1);
  ::setenv("TICKD_TEST_HISTORY", "77", 1);
  ::setenv("TICKD_TEST_PLUGIN", "logger", 1);
  ::setenv("TICKD_TEST_SECRET", "12345", 1);
  const Config c = load_config_text(
      "feed: {symbols: [BTCUSDT, '${TICKD_TEST_SYMBOL}']}\n"
      "aggregator: {intervals: [1m], history: '${TICKD_TEST_HISTORY}'}\n"
      "observers:\n"
      "  - name: n-${TICKD_TEST_PLUGIN}\n"
      "    plugin: ${TICKD_TEST_PLUGIN}\n"
      "    config:\n"
      "      password: ${TICKD_TEST_SECRET}\n"
      "      nested: [{url: 'https://${TICKD_TEST_SYMBOL}.example/${TICKD_TEST_HISTORY}'}]\n",
      "env.yaml", "");
  EXPECT_THAT(c.feed.symbols, ElementsAre("BTCUSDT", "ETHUSDT"));
  EXPECT_EQ(c.aggregator.history, 77u);
  ASSERT_EQ(c.observers.size(), 1u);
  EXPECT_EQ(c.observers[0].name, "n-logger");
  EXPECT_EQ(c.observers[0].plugin, "logger");
  // A substituted value stays a string, even when it looks like a number.
  EXPECT_EQ(c.observers[0].config["password"], "12345");
  EXPECT_EQ(c.observers[0].config["nested"][0]["url"], "https://ETHUSDT.example/77");
}

TEST(ConfigLoader, LoadsAFileAndResolvesPathsAgainstItsFolder) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("tickd-config-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "etc");
  const fs::path file = dir / "etc" / "tickd.yaml";
  {
    std::ofstream out(file);
    out << "daemon:\n  plugin_dirs: [../plugins, ./more]\n"
           "feed:\n  kind: replay\n  replay:\n    files: [{path: ../data/x.csv, format: generic}]\n"
           "aggregator:\n  intervals: [1m]\n  histroy: 3\n";
  }
  try {
    load_config_file(file.string());
    ADD_FAILURE() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.errors(),
                ElementsAre(file.string() + ":9:3: unknown key 'histroy' in 'aggregator' (did you "
                                            "mean 'history'?)"));
  }
  {
    std::ofstream out(file, std::ios::app);
    out << "observers: []\n";
  }
  std::string text;
  {
    std::ifstream in(file);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  text.replace(text.find("histroy"), 7, "history");
  {
    std::ofstream out(file, std::ios::trunc);
    out << text;
  }
  const Config c = load_config_file(file.string());
  EXPECT_EQ(c.source, file.string());
  EXPECT_EQ(c.base_dir, (dir / "etc").string());
  EXPECT_THAT(c.daemon.plugin_dirs, ElementsAre((dir / "plugins").string(), (dir / "etc" / "more").string()));
  ASSERT_EQ(c.feed.replay.files.size(), 1u);
  EXPECT_EQ(c.feed.replay.files[0].path, (dir / "data" / "x.csv").string());
  EXPECT_EQ(c.aggregator.history, 3u);
  fs::remove_all(dir);
}

TEST(ConfigLoader, SummaryNamesFeedIntervalsAndObservers) {
  const std::string summary = summarize(load_config_text(kFullConfig, "full.yaml", "/etc/tickd"));
  EXPECT_THAT(summary, HasSubstr("config: full.yaml\n"));
  EXPECT_THAT(summary, HasSubstr("feed: replay, symbols: XRPETH\n"));
  EXPECT_THAT(summary, HasSubstr("/etc/tickd/data/agg.csv (binance_aggtrades, XRPETH)"));
  EXPECT_THAT(summary,
              HasSubstr("intervals 5s, 1m, 1h; history 50; timezone Asia/Kolkata open 09:15 close 15:30"));
  EXPECT_THAT(summary, HasSubstr("observers: 2\n"));
  EXPECT_THAT(summary,
              HasSubstr("  log: plugin logger, disabled (optional), events candle_closed, signal, overflow "
                        "block, intervals 1m, 1h, symbols XRPETH\n"));
  EXPECT_THAT(summary, HasSubstr("  custom: plugin my_observer.so, enabled, events tick, candle_update, "
                                 "candle_closed, signal, overflow drop_ticks\n"));
}

}  // namespace
}  // namespace tickd::core
