// Observers in child processes, through the whole daemon on the real XRPETH
// replay: isolated C++ plugins that segfault, abort, exit, hang, leak memory
// and flood signals, beside a Python observer and an in-process logger. The
// daemon exits cleanly, every observer gets every closed candle, the log
// names each fault, and no child outlives a daemon killed with SIGKILL.
#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"

#include <signal.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

namespace tickd::e2e {
namespace {

const std::string kData = TICKD_DATA_DIR "/binance-xrpeth-2019-10/";

std::set<long long> open_times_in_logger_json(const std::string& path) {
  std::set<long long> out;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);) {
    auto at = line.find("\"open_time\":");
    if (at != std::string::npos) out.insert(std::stoll(line.substr(at + 12)));
  }
  return out;
}

// The fixture's record: "pid open_time" per closed candle.
std::map<long, std::set<long long>> record_by_pid(const std::string& path) {
  std::map<long, std::set<long long>> out;
  std::istringstream in(read_text(path));
  long pid;
  long long t;
  while (in >> pid >> t) out[pid].insert(t);
  return out;
}

TEST(ProcessIsolation, MisbehavingIsolatedPluginsNeitherStopTheDaemonNorLoseClosedCandles) {
  TempDir dir("tickd-isolation");
  const std::vector<std::string> modes = {"segfault", "abort", "exit", "hang", "leak", "flood"};
  std::string config =
      "daemon:\n"
      "  plugin_dirs: [" TICKD_PLUGIN_DIR ", " TICKD_TEST_PLUGIN_DIR
      "]\n"
      "  shutdown_timeout: 20s\n"
      "feed:\n"
      "  kind: replay\n"
      "  replay:\n"
      "    files:\n"
      "      - {path: " +
      kData +
      "XRPETH-aggTrades-2019-10-11_13.csv, format: binance_aggtrades, symbol: XRPETH}\n"
      "    speed: 0\n"
      "    exit_at_end: true\n"
      "aggregator:\n"
      "  intervals: [1m]\n"
      "  close_on_shutdown: false\n"
      "observers:\n"
      "  - name: reference\n"
      "    plugin: logger\n"
      "    events: [candle_closed]\n"
      "    overflow: block\n"
      "    config: {format: json, output: " +
      dir.file("reference.jsonl") +
      "}\n"
      "  - name: python\n"
      "    process:\n"
      "      command: [python3, " TICKD_SOURCE_DIR
      "/tests/core/process/fixtures/protocol_child.py]\n"
      "    events: [candle_closed]\n"
      "    overflow: block\n"
      "    config: {record: " +
      dir.file("python.txt") + "}\n";
  for (const auto& mode : modes)
    config += "  - name: " + mode +
              "\n"
              "    plugin: fixture_misbehaving\n"
              "    isolation: process\n"
              // Only the hang waits for the ack timeout; the others are caught by what they do.
              "    process: {ack_timeout: " +
              std::string(mode == "hang" ? "1s" : "20s") +
              ", memory_limit_mb: 100, restart: {initial: 50ms, max: 200ms}}\n"
              "    events: [candle_closed]\n"
              "    overflow: block\n"
              "    config: {mode: " +
              mode + ", after: 5, record: " + dir.file(mode + ".txt") +
              ", once_file: " + dir.file(mode + ".once") + "}\n";
  const std::string path = write_file(dir, "isolation.yaml", config);
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_EQ(tickd.wait(), 0) << read_text(log);
  const std::string text = read_text(log);

  const auto reference = open_times_in_logger_json(dir.file("reference.jsonl"));
  ASSERT_GT(reference.size(), 100u) << text;
  for (const auto& mode : modes) {
    const auto by_pid = record_by_pid(dir.file(mode + ".txt"));
    std::set<long long> seen;
    for (const auto& [pid, times] : by_pid) seen.insert(times.begin(), times.end());
    EXPECT_EQ(seen, reference) << mode << ": a closed candle was lost\n" << text;
    if (mode != "flood") {
      EXPECT_EQ(by_pid.size(), 2u) << mode << ": expected one restart\n" << text;
    }
  }
  EXPECT_NE(text.find("[segfault] child process"), std::string::npos) << text;
  EXPECT_NE(text.find("fault 'crash': killed by signal 11"), std::string::npos) << text;
  EXPECT_NE(text.find("fault 'crash': killed by signal 6"), std::string::npos) << text;
  EXPECT_NE(text.find("fault 'exit': exited with status 4"), std::string::npos) << text;
  EXPECT_NE(text.find("fault 'hang': no ack within ack_timeout (1000 ms)"), std::string::npos) << text;
  EXPECT_NE(text.find("fault 'memory'"), std::string::npos) << text;
  EXPECT_NE(text.find("signals over max_signals_per_second (1000) are dropped"), std::string::npos) << text;
  EXPECT_NE(text.find("misbehaving plugin started in pid"), std::string::npos) << text;  // its stdout, logged
  // The Python observer beside them was never disturbed.
  const auto python = read_text(dir.file("python.txt"));
  EXPECT_EQ(std::count(python.begin(), python.end(), '\n'), static_cast<long>(reference.size() + 1)) << text;
}

// The plugin's own figures of one observer in /health: name, help, kind,
// loss flag and label, without the values (the feed runs meanwhile).
std::vector<std::string> figure_shapes(const nlohmann::json& health, const std::string& observer,
                                       const std::set<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& o : health["observers"])
    if (o["name"] == observer)
      for (const auto& m : o["metrics"])
        if (names.count(m["name"].get<std::string>()))
          out.push_back(m["name"].get<std::string>() + "|" + m["help"].get<std::string>() + "|" +
                        m["type"].get<std::string>() + "|" + (m["loss"].get<bool>() ? "loss" : "") + "|" +
                        m["label_name"].get<std::string>() + "=" + m["label_value"].get<std::string>());
  return out;
}

TEST(ProcessIsolation, AnIsolatedPluginsFiguresAppearAsInProcessInMetricsHealthAndStats) {
  TempDir dir("tickd-isolated-figures");
  const int port = test_support::free_port();
  std::string observers;
  for (const char* isolation : {"in_process", "process"})
    observers += std::string("  - name: ") + (isolation[0] == 'i' ? "inproc" : "isolated") +
                 "\n    plugin: fixture_metrics\n    isolation: " + isolation +
                 // The isolated one claims 3 records unwritten and tells its pid (it is killed below).
                 (isolation[0] == 'i' ? "\n" : "\n    config: {report_pid: true, buffered: 3}\n");
  const std::string config = "daemon:\n  plugin_dirs: [" TICKD_TEST_PLUGIN_DIR
                             "]\n  admin_listen: 127.0.0.1:" +
                             std::to_string(port) +
                             "\nfeed: {kind: simulator, symbols: [BTCUSDT, ETHUSDT]}\n"
                             "aggregator: {intervals: [1m]}\nobservers:\n" +
                             observers;
  const std::string path = write_file(dir, "figures.yaml", config), log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  HttpReply metrics;
  // The isolated plugin's figures arrive with its first answer (within about a second).
  ASSERT_TRUE(test_support::wait_until(
      [&] {
        metrics = http_get(port, "/metrics");
        return metrics.body.find("tickd_plugin_ticks_seen{observer=\"isolated\"}") != std::string::npos;
      },
      std::chrono::seconds(20)))
      << metrics.body << read_text(log);
  const std::set<std::string> names = {"ticks_seen",       "ticks_by_symbol",     "last_price",
                                       "candles_closed",   "candles_dropped",     "candles_unwritten_at_stop",
                                       "records_buffered", "history_from_thread", "status_fields",
                                       "status_feed_live"};
  for (const auto& name : names) {
    const std::string metric = "tickd_plugin_" + name;
    EXPECT_NE(metrics.body.find("# TYPE " + metric + " "), std::string::npos) << metric;
    for (const char* observer : {"inproc", "isolated"})
      EXPECT_NE(metrics.body.find(metric + "{observer=\"" + observer + "\""), std::string::npos)
          << metric << " of " << observer << "\n"
          << metrics.body;
  }
  const auto health = nlohmann::json::parse(http_get(port, "/health").body);
  const auto in_process = figure_shapes(health, "inproc", names);
  EXPECT_EQ(in_process.size(), names.size());
  EXPECT_EQ(figure_shapes(health, "isolated", names), in_process);

  const std::string stats_out = dir.file("stats.txt");
  ChildProcess stats({kTickd, "stats", "--config", path}, stats_out);
  ASSERT_EQ(stats.wait(), 0) << read_text(stats_out);
  const std::string table = read_text(stats_out);
  const auto isolated_row = table.find("\nisolated ");
  ASSERT_NE(isolated_row, std::string::npos) << table;
  EXPECT_NE(table.find("ticks_by_symbol{symbol=ETHUSDT}", isolated_row), std::string::npos) << table;
  EXPECT_NE(table.find("candles_dropped", isolated_row), std::string::npos) << table;

  // The isolated child is killed: the 3 records its last report held at risk
  // are counted as lost once it is back, in /metrics and in /health's `lost`.
  double pid = 0;
  for (const auto& o : health["observers"])
    if (o["name"] == "isolated")
      for (const auto& m : o["metrics"])
        if (m["name"] == "pid") pid = m["value"].get<double>();
  ASSERT_GT(pid, 0) << health.dump();
  ASSERT_EQ(::kill(static_cast<pid_t>(pid), SIGKILL), 0);
  ASSERT_TRUE(test_support::wait_until(
      [&] {
        metrics = http_get(port, "/metrics");
        // Restarted and up again: the figures of the new child, not the dead one's last.
        for (const char* figure :
             {"records_lost_in_crash{observer=\"isolated\"} 3\n",
              "process_restarts{observer=\"isolated\"} 1\n", "process_running{observer=\"isolated\"} 1\n"})
          if (metrics.body.find(std::string("tickd_plugin_") + figure) == std::string::npos) return false;
        return true;
      },
      std::chrono::seconds(20)))
      << metrics.body << read_text(log);
  const auto after = nlohmann::json::parse(http_get(port, "/health").body);
  for (const auto& o : after["observers"]) {
    if (o["name"] == "isolated") {
      EXPECT_GE(o["lost"].get<double>(), 3) << o.dump();
    }
  }
  // The figures a plugin sets in its stop() count as in process: its losses
  // (candles_unwritten_at_stop is 2 after stop) make the exit status 3.
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 3) << read_text(log);
  const std::string text = read_text(log);
  for (const char* observer : {"inproc", "isolated"}) {
    const auto at = text.find(std::string("observer '") + observer + "' lost ");
    ASSERT_NE(at, std::string::npos) << observer << "\n" << text;
    EXPECT_NE(text.find("candles_unwritten_at_stop 2", at), std::string::npos) << observer << "\n" << text;
  }
  EXPECT_NE(text.find("records_lost_in_crash 3", text.find("observer 'isolated' lost ")), std::string::npos)
      << text;
}

bool gone(pid_t pid) {
  return ::kill(pid, 0) != 0 ||
         read_text("/proc/" + std::to_string(pid) + "/stat").find(") Z") != std::string::npos;
}

TEST(ProcessIsolation, NoChildNorItsOwnChildOutlivesADaemonKilledWithSigkill) {
  TempDir dir("tickd-orphan");
  const std::string pid_file = dir.file("child.pid"), spawn_pid_file = dir.file("sleep.pid");
  const std::string config =
      "feed: {kind: simulator, symbols: [AAA]}\n"
      "aggregator: {intervals: [1s]}\n"
      "observers:\n"
      "  - name: child\n"
      "    process: {command: [python3, " TICKD_SOURCE_DIR
      "/tests/core/process/fixtures/protocol_child.py]}\n"
      "    config: {pid_file: " +
      pid_file + ", spawn: [sleep, '600'], spawn_pid_file: " + spawn_pid_file + "}\n";
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", write_file(dir, "orphan.yaml", config)}, log);
  ASSERT_TRUE(
      test_support::wait_until([&] { return !read_text(pid_file).empty(); }, std::chrono::seconds(20)))
      << read_text(log);
  const pid_t child = static_cast<pid_t>(std::stol(read_text(pid_file)));
  const pid_t sleep = static_cast<pid_t>(std::stol(read_text(spawn_pid_file)));
  ASSERT_EQ(::kill(child, 0), 0);
  ASSERT_EQ(::kill(sleep, 0), 0);
  tickd.signal(SIGKILL);
  tickd.wait();
  EXPECT_TRUE(test_support::wait_until([&] { return gone(child); }, std::chrono::seconds(5)))
      << "child " << child << " survived the daemon";
  EXPECT_TRUE(test_support::wait_until([&] { return gone(sleep); }, std::chrono::seconds(5)))
      << "the child's own child, sleep " << sleep << ", survived the daemon";
  if (!gone(sleep)) ::kill(sleep, SIGKILL);
}

}  // namespace
}  // namespace tickd::e2e
