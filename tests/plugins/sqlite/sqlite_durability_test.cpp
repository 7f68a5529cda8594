// The sqlite store under the real daemon: a fast replay of the XRPETH trades
// (1s candles with gap fill: ~212,000 closed candles), interrupted by SIGTERM or
// SIGKILL, compared with the database of an uninterrupted run.
#include "support/local_servers.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <map>
#include <tuple>
#include <vector>

namespace tickd::sqlite_durability {
namespace {

using test_support::ChildProcess;
using test_support::TempDir;
using test_support::wait_until;

// interval_s, open_time -> open, high, low, close, volume, trade_count, flags
using Key = std::pair<std::int64_t, std::int64_t>;
using Row = std::tuple<double, double, double, double, double, std::int64_t, std::int64_t>;
using Rows = std::map<Key, Row>;

const std::string kTrades = TICKD_DATA_DIR "/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv";

// speed 0 = as fast as possible; an interrupted run uses a finite speed so the
// replay (59 h / speed) surely outlasts the moment of the signal.
std::string write_config(const TempDir& dir, const std::string& db, bool exit_at_end, int speed = 0) {
  const std::string path = dir.file(exit_at_end ? "full.yaml" : "open.yaml");
  std::ofstream(path) << "daemon:\n  log_level: info\n  plugin_dirs: [" TICKD_PLUGIN_DIR "]\n"
                      << "  shutdown_timeout: 30s\n"
                      << "feed:\n  kind: replay\n  symbols: [XRPETH]\n  replay:\n    files:\n"
                      << "      - {path: " << kTrades << ", format: binance_aggtrades, symbol: XRPETH}\n"
                      << "    speed: " << speed << "\n    exit_at_end: " << (exit_at_end ? "true" : "false")
                      << "\n"
                      << "aggregator:\n  intervals: [1s, 1m, 5m]\n  history: 100\n  gap_fill: true\n"
                      << "observers:\n  - name: store\n    plugin: sqlite\n    events: [candle_closed]\n"
                      << "    overflow: block\n    config:\n      path: " << db << "\n";
  return path;
}

std::unique_ptr<ChildProcess> run_daemon(const std::string& config, const std::string& log) {
  return std::make_unique<ChildProcess>(
      std::vector<std::string>{TICKD_BINARY_DIR "/bin/tickd", "--config", config}, log);
}

// -1 while the file or the table does not exist yet.
std::int64_t candle_count(const std::string& db_path) {
  sqlite3* db = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM candles", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
      n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return n;
}

Rows read_rows(const std::string& db_path, std::string* integrity = nullptr) {
  sqlite3* db = nullptr;
  Rows rows;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << db_path;
  sqlite3_stmt* stmt = nullptr;
  if (integrity && sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    *integrity = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  stmt = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(db,
                         "SELECT interval_s, open_time, open, high, low, close, volume, trade_count, flags "
                         "FROM candles",
                         -1, &stmt, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(db);
  while (stmt && sqlite3_step(stmt) == SQLITE_ROW)
    rows[{sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1)}] =
        Row{sqlite3_column_double(stmt, 2), sqlite3_column_double(stmt, 3), sqlite3_column_double(stmt, 4),
            sqlite3_column_double(stmt, 5), sqlite3_column_double(stmt, 6), sqlite3_column_int64(stmt, 7),
            sqlite3_column_int64(stmt, 8)};
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

class SqliteDurabilityTest : public ::testing::Test {
 protected:
  // The uninterrupted run every interrupted one is compared with.
  static void SetUpTestSuite() {
    reference_dir_ = new TempDir("tickd-durability-ref");
    const std::string db = reference_dir_->file("reference.db");
    auto daemon = run_daemon(write_config(*reference_dir_, db, true), reference_dir_->file("daemon.log"));
    const int status = daemon->wait();
    ASSERT_EQ(status, 0) << test_support::read_text(reference_dir_->file("daemon.log"));
    reference_ = new Rows(read_rows(db));
  }
  static void TearDownTestSuite() {
    delete reference_;
    delete reference_dir_;
  }
  void SetUp() override {
    ASSERT_NE(reference_, nullptr);
    // 59 hours of 1s candles: an interrupted run is caught well inside it.
    ASSERT_GT(reference_->size(), 200000u);
  }

  // Starts a replay that does not exit at its end and waits until `rows` candles are stored.
  std::unique_ptr<ChildProcess> start_and_wait_for(std::int64_t rows) {
    // 20000x: the whole replay would take about 10 s; the signal comes within the first second.
    auto daemon = run_daemon(write_config(dir_, db_, false, 20000), log_);
    EXPECT_TRUE(wait_until([&] { return candle_count(db_) >= rows || !daemon->running(); },
                           std::chrono::seconds(60)));
    EXPECT_TRUE(daemon->running()) << test_support::read_text(log_);
    return daemon;
  }

  static TempDir* reference_dir_;
  static Rows* reference_;
  TempDir dir_{"tickd-durability"};
  std::string db_ = dir_.file("tickd.db");
  std::string log_ = dir_.file("daemon.log");
};

TempDir* SqliteDurabilityTest::reference_dir_ = nullptr;
Rows* SqliteDurabilityTest::reference_ = nullptr;

TEST_F(SqliteDurabilityTest, SigtermDuringAFastReplayKeepsEveryClosedCandle) {
  auto daemon = start_and_wait_for(5000);
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(), 0) << test_support::read_text(log_);
  const Rows stored = read_rows(db_);
  ASSERT_LT(stored.size(), reference_->size()) << "the replay ended before the signal: nothing was tested";
  // Per interval, the stored candles are exactly the reference's first ones: no
  // candle closed before the signal is missing. The newest of each interval may
  // differ if the daemon closed it early at shutdown.
  std::map<std::int64_t, std::int64_t> newest;
  for (const auto& [key, row] : stored) newest[key.first] = std::max(newest[key.first], key.second);
  for (const auto& [key, row] : *reference_) {
    auto it = newest.find(key.first);
    if (it == newest.end() || key.second > it->second) continue;
    auto found = stored.find(key);
    ASSERT_NE(found, stored.end()) << "missing interval " << key.first << " open_time " << key.second;
    if (key.second != it->second) {
      EXPECT_EQ(found->second, row) << "open_time " << key.second;
    }
  }
}

TEST_F(SqliteDurabilityTest, SigkillThenTheSameReplayLeavesNoDuplicateAndNoGap) {
  auto daemon = start_and_wait_for(20000);
  daemon->signal(SIGKILL);
  daemon->wait();
  std::string integrity;
  const Rows after_kill = read_rows(db_, &integrity);
  EXPECT_EQ(integrity, "ok");
  ASSERT_GE(after_kill.size(), 20000u);
  ASSERT_LT(after_kill.size(), reference_->size()) << "the replay ended before the kill: nothing was tested";

  auto again = run_daemon(write_config(dir_, db_, true), log_);
  ASSERT_EQ(again->wait(), 0) << test_support::read_text(log_);
  const Rows final_rows = read_rows(db_, &integrity);
  EXPECT_EQ(integrity, "ok");
  // The key is the primary key, so equal maps mean no duplicate and no gap.
  EXPECT_EQ(final_rows.size(), reference_->size());
  EXPECT_TRUE(final_rows == *reference_);
}

}  // namespace
}  // namespace tickd::sqlite_durability
