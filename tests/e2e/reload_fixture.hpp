// The SIGHUP reload fixture: the real daemon on the simulator feed with the
// default set of bundled observers (logger, sqlite, ws_broadcast, strategy,
// json_snapshot) whose settings a test changes, plus what it needs to see
// which settings are in force (the chart's /info, /health's config digests,
// rows in the SQLite store, WebSocket connection probes).
#pragma once

#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"
#include "plugins/ws_broadcast/test_clients.hpp"
#include "support/local_servers.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <mutex>
#include <sstream>
#include <thread>

namespace tickd::e2e::reload {

using namespace std::chrono_literals;
using ws::testing::StalledClient;

struct Settings {
  int chart_port = 0;
  std::string default_symbol = "BTCUSDT";
  std::string default_interval = "1s";
  std::string log_format = "text";
  std::string log_extra;  // more keys in the logger's block
  std::string db;
  std::string rule = "cross_a";
  std::string snapshot = "snap_a.json";
  std::string extra_observers;  // appended to the list
};

inline std::string config_text(int admin_port, const TempDir& dir, const Settings& s) {
  std::ostringstream y;
  y << "daemon:\n  plugin_dirs: [" TICKD_PLUGIN_DIR "]\n  admin_listen: 127.0.0.1:" << admin_port
    << "\n  shutdown_timeout: 5s\n"
       "feed:\n  kind: simulator\n  symbols: [BTCUSDT, ETHUSDT]\n"
       "  simulator: {ticks_per_second: 100, history_hours: 0}\n"
       "aggregator:\n  intervals: [1s, 1m]\n  update_throttle: 50ms\n"
       "observers:\n"
       "  - name: log\n    plugin: logger\n    events: [candle_closed, signal]\n"
       "    config: {format: "
    << s.log_format << ", output: " << dir.file("events.log") << s.log_extra
    << "}\n"
       "  - name: store\n    plugin: sqlite\n    events: [candle_closed, signal]\n    overflow: block\n"
       "    config: {path: "
    << s.db
    << "}\n"
       "  - name: chart\n    plugin: ws_broadcast\n    events: [candle_update, candle_closed, signal]\n"
       "    config: {listen: 127.0.0.1:"
    << s.chart_port << ", default_symbol: " << s.default_symbol
    << ", default_interval: " << s.default_interval
    << "}\n"
       "  - name: ema_cross\n    plugin: strategy\n    events: [candle_closed]\n    intervals: [1s]\n"
       "    config:\n      rules:\n        - {name: "
    << s.rule
    << ", type: ma_cross, fast: 2, slow: 3, ma: ema}\n"
       "  - name: snap\n    plugin: json_snapshot\n    events: [candle_update, candle_closed]\n"
       "    config: {path: "
    << dir.file(s.snapshot) << ", every: 100ms}\n"
    << s.extra_observers;
  return y.str();
}

// Closed candles in a SQLite file (0 when it does not exist yet).
inline long long candle_rows(const std::string& path) {
  sqlite3* db = nullptr;
  long long n = 0;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM candles", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

inline nlohmann::json health(int admin_port) {
  auto reply = http_get(admin_port, "/health");
  if (reply.status != 200) return nullptr;
  return nlohmann::json::parse(reply.body, nullptr, false);
}

// The configuration digest /health shows for an observer; empty when it is not listed.
inline std::string digest_of(int admin_port, const std::string& observer) {
  auto j = health(admin_port);
  if (!j.is_object()) return {};
  for (const auto& o : j["observers"])
    if (o["name"] == observer) return o["config"].get<std::string>();
  return {};
}

// Opens WebSocket connections to /realtime one after another, from start()
// until stop(), and counts those that did not complete the handshake.
class ConnectionProber {
 public:
  explicit ConnectionProber(int port) : port_(port) {}
  ~ConnectionProber() { stop(); }
  void start() {
    thread_ = std::thread([this] {
      while (!stop_) {
        try {
          StalledClient c(static_cast<std::uint16_t>(port_), "/realtime");
          ++succeeded_;
        } catch (const std::exception& e) {
          ++failed_;
          std::lock_guard<std::mutex> lock(mu_);
          if (first_failure_.empty()) first_failure_ = e.what();
        }
        std::this_thread::sleep_for(5ms);
      }
    });
  }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int succeeded() const { return succeeded_; }
  int failed() const { return failed_; }
  std::string first_failure() {
    std::lock_guard<std::mutex> lock(mu_);
    return first_failure_;
  }

 private:
  int port_;
  std::atomic<bool> stop_{false};
  std::atomic<int> succeeded_{0};
  std::atomic<int> failed_{0};
  std::mutex mu_;
  std::string first_failure_;
  std::thread thread_;
};

inline std::string default_symbol_of(int chart_port) {
  auto reply = http_get(chart_port, "/info");
  if (reply.status != 200) return "(HTTP " + std::to_string(reply.status) + ")";
  return nlohmann::json::parse(reply.body)["default_symbol"].get<std::string>();
}

// The open time (seconds) of the next candle on /realtime.
inline long long next_realtime_candle_time(StalledClient& client) {
  for (int i = 0; i < 50; ++i) {
    auto frame = client.read_frame(3s);
    if (!frame) return -1;
    if (frame->opcode != 0x1) continue;
    auto j = nlohmann::json::parse(frame->payload, nullptr, false);
    if (j.contains("candle")) return j["candle"]["time"].get<long long>();
  }
  return -1;
}

class Reload : public ::testing::Test {
 protected:
  void start(const Settings& s) {
    settings_ = s;
    path_ = write_file(dir_, "tickd.yaml", config_text(admin_port_, dir_, s));
    tickd_ = std::make_unique<ChildProcess>(std::vector<std::string>{kTickd, "--config", path_}, log_);
    ASSERT_TRUE(wait_for_text(*tickd_, log_, "feed 'simulator' started", 20s)) << read_text(log_);
    ASSERT_TRUE(test_support::wait_until([&] { return candle_rows(s.db) > 0; }, 10s)) << read_text(log_);
  }
  // Rewrites the file, sends SIGHUP and waits for the reload's summary line.
  void reload(const Settings& s) {
    write_file(dir_, "tickd.yaml", config_text(admin_port_, dir_, s));
    const std::size_t seen = read_text(log_).size();
    tickd_->signal(SIGHUP);
    ASSERT_TRUE(test_support::wait_until(
        [&] { return read_text(log_).find("reload done", seen) != std::string::npos || !tickd_->running(); },
        20s))
        << read_text(log_);
    summary_ = read_text(log_).substr(read_text(log_).find("reload done", seen));
    summary_ = summary_.substr(0, summary_.find('\n'));
  }
  void stop() {
    tickd_->signal(SIGTERM);
    EXPECT_EQ(tickd_->wait(), 0) << read_text(log_);
  }

  TempDir dir_{"tickd-reload"};
  int admin_port_ = test_support::free_port();
  std::string log_ = dir_.file("tickd.log");
  std::string path_;
  Settings settings_;
  std::unique_ptr<ChildProcess> tickd_;
  std::string summary_;
};

}  // namespace tickd::e2e::reload
