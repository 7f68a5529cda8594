// One aggTrade dated 2100-01-01 in the middle of the real XRPETH file (1s and
// 1m candles, gap fill, sqlite with overflow: block): the daemon finishes, the
// stored candles equal those of the file without that row, the row is counted
// as rejected, and SIGTERM in the middle of the run stops the daemon promptly.
// With the gate opened wide the row gets through, and the aggregator's own
// bound keeps the work finite.
#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"

#include <sqlite3.h>

#include <map>
#include <tuple>

namespace tickd::e2e {
namespace {

using test_support::wait_until;
using Clock = std::chrono::steady_clock;

// (interval_s, open_time) -> open, high, low, close, volume, trade_count, flags
using Row = std::tuple<double, double, double, double, double, std::int64_t, std::int64_t>;
using Rows = std::map<std::pair<std::int64_t, std::int64_t>, Row>;

const std::string kTrades = TICKD_DATA_DIR "/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv";

Rows read_rows(const std::string& path) {
  Rows rows;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << path;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(
      db, "SELECT interval_s, open_time, open, high, low, close, volume, trade_count, flags FROM candles", -1,
      &stmt, nullptr);
  while (stmt && sqlite3_step(stmt) == SQLITE_ROW)
    rows[{sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1)}] =
        Row{sqlite3_column_double(stmt, 2), sqlite3_column_double(stmt, 3), sqlite3_column_double(stmt, 4),
            sqlite3_column_double(stmt, 5), sqlite3_column_double(stmt, 6), sqlite3_column_int64(stmt, 7),
            sqlite3_column_int64(stmt, 8)};
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

// The real file with one row dated 2100-01-01 after its 6,000th trade.
std::string hostile_copy(const TempDir& dir) {
  std::ifstream in(kTrades);
  std::ofstream out(dir.file("hostile.csv"));
  std::string line;
  for (int n = 0; std::getline(in, line); ++n) {
    out << line << '\n';
    if (n == 6000) out << "99999999,0.00141,10.0,99999999,99999999,4102444800000,True,True\n";
  }
  return dir.file("hostile.csv");
}

struct DaemonRun {
  std::string config, db, log;
  int admin_port = test_support::free_port();
};

DaemonRun make_run(const TempDir& dir, const std::string& name, const std::string& trades, bool exit_at_end,
                   int speed = 0, const std::string& gate = "") {
  DaemonRun r;
  r.db = dir.file(name + ".db");
  r.log = dir.file(name + ".log");
  r.config = write_file(
      dir, name + ".yaml",
      "daemon:\n  plugin_dirs: [" TICKD_PLUGIN_DIR "]\n  shutdown_timeout: 5s\n  admin_listen: 127.0.0.1:" +
          std::to_string(r.admin_port) +
          "\n"
          "feed:\n  kind: replay\n" +
          gate + "  replay:\n    files:\n      - {path: " + trades +
          ", format: binance_aggtrades, symbol: XRPETH}\n    speed: " + std::to_string(speed) +
          "\n    exit_at_end: " + (exit_at_end ? "true" : "false") +
          "\n"
          "aggregator:\n  intervals: [1s, 1m]\n  history: 100\n  gap_fill: true\n  close_on_shutdown: false\n"
          "observers:\n  - name: store\n    plugin: sqlite\n    events: [candle_closed]\n"
          "    overflow: block\n    config:\n      path: " +
          r.db + "\n");
  return r;
}

double metric(const std::string& text, const std::string& line_start) {
  const auto at = text.find("\n" + line_start);
  if (at == std::string::npos) return -1;
  const auto end = text.find('\n', at + 1);
  const std::string line = text.substr(at + 1, end - at - 1);
  return std::stod(line.substr(line.rfind(' ') + 1));
}

TEST(FarFutureRow, IsRejectedAndTheCandlesEqualTheUninterruptedRun) {
  TempDir dir("tickd-far-future");
  const DaemonRun reference = make_run(dir, "reference", kTrades, true);
  ChildProcess ref({kTickd, "--config", reference.config}, reference.log);
  ASSERT_EQ(ref.wait(), 0) << read_text(reference.log);
  const Rows expected = read_rows(reference.db);
  ASSERT_GT(expected.size(), 200000u);

  // Not exiting at the end, so that /metrics can be read once the replay is done.
  const DaemonRun hostile = make_run(dir, "hostile", hostile_copy(dir), false);
  ChildProcess tickd({kTickd, "--config", hostile.config}, hostile.log);
  ASSERT_TRUE(wait_for_text(tickd, hostile.log, "replay finished", std::chrono::seconds(90)))
      << read_text(hostile.log);
  std::string metrics;
  ASSERT_TRUE(wait_until(
      [&] {
        metrics = http_get(hostile.admin_port, "/metrics").body;
        return metric(metrics, "tickd_observer_queue_depth{observer=\"store\"}") == 0;
      },
      std::chrono::seconds(30)));
  EXPECT_EQ(metric(metrics, "tickd_feed_rejected_total{reason=\"time_ahead\"}"), 1) << metrics;
  EXPECT_EQ(metric(metrics, "tickd_gap_fill_truncated_total"), 0) << metrics;
  const auto started = Clock::now();
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
  const std::string log = read_text(hostile.log);
  EXPECT_NE(log.find("rejected tick (time_ahead): XRPETH time 4102444800000 (2100-01-01T00:00:00.000Z)"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("hostile.csv:6002"), std::string::npos) << log;  // header + 6,000 rows + this one
  const Rows got = read_rows(hostile.db);
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected);
}

TEST(FarFutureRow, SigtermInTheMiddleOfTheRunStopsTheDaemonPromptly) {
  TempDir dir("tickd-far-future-term");
  // 20000x: the replay (59 h) would take about 10 s; the signal comes after the bad row.
  const DaemonRun run = make_run(dir, "term", hostile_copy(dir), false, 20000);
  ChildProcess tickd({kTickd, "--config", run.config}, run.log);
  ASSERT_TRUE(wait_for_text(tickd, run.log, "rejected tick (time_ahead)", std::chrono::seconds(60)))
      << read_text(run.log);
  const auto started = Clock::now();
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(run.log);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5 + 2)) << read_text(run.log);
  EXPECT_EQ(read_text(run.log).find("replay finished"), std::string::npos) << "the signal came too late";
}

TEST(FarFutureRow, WithTheGateOpenedWideTheAggregatorStillBoundsTheWork) {
  TempDir dir("tickd-far-future-wide");
  // Ahead by up to 100 years and no jump rule: the 2100 row reaches the aggregator.
  const DaemonRun run = make_run(dir, "wide", hostile_copy(dir), false, 0,
                                 "  gate:\n    max_ahead: 876000h\n    max_jump: 0\n");
  ChildProcess tickd({kTickd, "--config", run.config}, run.log);
  ASSERT_TRUE(wait_for_text(tickd, run.log, "replay finished", std::chrono::seconds(90)))
      << read_text(run.log);
  std::string metrics;
  EXPECT_TRUE(wait_until(
      [&] {
        metrics = http_get(run.admin_port, "/metrics").body;
        return metric(metrics, "tickd_observer_queue_depth{observer=\"store\"}") == 0 &&
               metric(metrics, "tickd_gap_fill_truncated_total") >= 2;
      },
      std::chrono::seconds(60)))
      << metrics;
  EXPECT_EQ(metric(metrics, "tickd_feed_rejected_total{reason=\"time_ahead\"}"), 0) << metrics;
  // Everything after the row is late for its series now, and counted so.
  EXPECT_GT(metric(metrics, "tickd_late_ticks_dropped_total"), 6000) << metrics;
  const auto started = Clock::now();
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(run.log);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5 + 2));
}

}  // namespace
}  // namespace tickd::e2e
