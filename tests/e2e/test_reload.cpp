// SIGHUP with changed observers, end to end: the real daemon, the simulator
// feed running, every bundled plugin of the default configuration changed,
// WebSocket clients connected and connecting throughout (logger, sqlite,
// ws_broadcast, strategy and json_snapshot). Checks which settings
// are in force afterwards, that no connection attempt is refused while the
// chart restarts, and that a replacement that cannot start gives way to the
// previous configuration (log, /health and the observer's effects agree).
// The other bundled plugins: test_reload_plugins.cpp.
#include "e2e/reload_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

namespace tickd::e2e {
namespace {

using namespace reload;

TEST_F(Reload, ChangedObserversRunTheirNewSettingsAndTheChartRefusesNoConnection) {
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  start(before);
  const std::string chart_digest = digest_of(admin_port_, "chart");
  ASSERT_FALSE(chart_digest.empty()) << health(admin_port_).dump();
  EXPECT_EQ(default_symbol_of(before.chart_port), "BTCUSDT");

  StalledClient connected(static_cast<std::uint16_t>(before.chart_port), "/realtime");
  ConnectionProber prober(before.chart_port);
  prober.start();
  std::this_thread::sleep_for(300ms);

  Settings after = before;
  after.default_symbol = "ETHUSDT";
  after.default_interval = "1m";
  after.log_format = "json";
  after.db = dir_.file("after.db");
  after.rule = "cross_b";
  after.snapshot = "snap_b.json";
  reload(after);
  std::this_thread::sleep_for(500ms);  // connections keep coming after the restart too
  prober.stop();

  EXPECT_NE(summary_.find("restarted log, store, chart, ema_cross, snap"), std::string::npos) << summary_;
  EXPECT_NE(summary_.find("stopped none; unchanged none"), std::string::npos) << summary_;
  EXPECT_EQ(read_text(log_).find("FAILED"), std::string::npos) << read_text(log_);

  // ws_broadcast: no attempt refused; the connected client was told the
  // server is going away (1001); a client now gets the new defaults.
  EXPECT_EQ(prober.failed(), 0) << prober.first_failure() << "\n" << read_text(log_);
  EXPECT_GT(prober.succeeded(), 20);
  EXPECT_EQ(connected.read_until_close(5s), 1001);
  EXPECT_EQ(default_symbol_of(before.chart_port), "ETHUSDT");
  StalledClient fresh(static_cast<std::uint16_t>(before.chart_port), "/realtime");
  const long long open_time = next_realtime_candle_time(fresh);
  ASSERT_GT(open_time, 0);
  EXPECT_EQ(open_time % 60, 0) << "the default series is 1m now";
  EXPECT_NE(digest_of(admin_port_, "chart"), chart_digest);

  // sqlite: the new file fills, the old one no longer grows.
  ASSERT_TRUE(test_support::wait_until([&] { return candle_rows(after.db) > 0; }, 10s)) << read_text(log_);
  const long long old_rows = candle_rows(before.db);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(candle_rows(before.db), old_rows);
  EXPECT_GT(candle_rows(after.db), 0);

  // logger: JSON lines now; strategy: signals name the new rule.
  ASSERT_TRUE(wait_for_text(*tickd_, dir_.file("events.log"), "\"event\":\"candle_closed\"", 10s))
      << read_text(dir_.file("events.log"));
  EXPECT_TRUE(wait_for_text(*tickd_, dir_.file("events.log"), "ema_cross/cross_b", 20s))
      << read_text(dir_.file("events.log"));

  // json_snapshot: the new file is written.
  EXPECT_TRUE(wait_for_text(*tickd_, dir_.file("snap_b.json"), "ETHUSDT", 10s)) << read_text(log_);
  stop();
}

TEST_F(Reload, AReplacementThatCannotStartGivesWayToThePreviousConfiguration) {
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  start(before);
  const std::string chart_digest = digest_of(admin_port_, "chart");
  const std::string store_digest = digest_of(admin_port_, "store");
  const std::string log_digest = digest_of(admin_port_, "log");

  // Another process holds the port the chart is told to move to.
  const int squatter = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(squatter, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(squatter, 4), 0);
  ASSERT_EQ(::getsockname(squatter, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int taken_port = ntohs(addr.sin_port);

  ConnectionProber prober(before.chart_port);
  prober.start();
  Settings after = before;
  after.chart_port = taken_port;
  after.default_symbol = "ETHUSDT";
  after.db = dir_.file("no-such-folder/after.db");  // start() fails: the folder does not exist
  after.log_extra = ", formt: json";                // the schema refuses it: not even restarted
  reload(after);
  std::this_thread::sleep_for(300ms);
  prober.stop();
  ::close(squatter);

  const std::string log = read_text(log_);
  EXPECT_NE(log.find("observer 'chart': reload failed: the new configuration did not start ("),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("start failed: ws_broadcast: cannot listen on 127.0.0.1:" + std::to_string(taken_port)),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("Address already in use); the previous configuration is back in force"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("observer 'store': reload failed: the new configuration did not start ("),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("does not exist); the previous configuration is back in force"), std::string::npos)
      << log;
  EXPECT_NE(log.find("observer 'log': reload failed: the new configuration is invalid ("), std::string::npos)
      << log;
  EXPECT_NE(log.find("unknown key 'formt'"), std::string::npos) << log;
  EXPECT_NE(summary_.find("restarted none; stopped none; unchanged ema_cross"), std::string::npos)
      << summary_;
  EXPECT_NE(summary_.find("new configuration invalid, previous kept: log"), std::string::npos) << summary_;
  EXPECT_NE(summary_.find("new configuration failed, previous back in force: store, chart"),
            std::string::npos)
      << summary_;

  // /health: the three observers run, each on its previous configuration.
  EXPECT_EQ(digest_of(admin_port_, "chart"), chart_digest);
  EXPECT_EQ(digest_of(admin_port_, "store"), store_digest);
  EXPECT_EQ(digest_of(admin_port_, "log"), log_digest);
  EXPECT_EQ(health(admin_port_)["status"], "ok");

  // Their effects agree: the chart answers on its old port with its old
  // defaults, having refused no one; the old database keeps growing.
  EXPECT_EQ(prober.failed(), 0) << prober.first_failure();
  EXPECT_EQ(default_symbol_of(before.chart_port), "BTCUSDT");
  const long long rows = candle_rows(before.db);
  EXPECT_TRUE(test_support::wait_until([&] { return candle_rows(before.db) > rows; }, 10s));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("no-such-folder")));

  // A later reload with a good file applies it: nothing was left half done.
  // It moves the chart to another port and closes the old one.
  Settings fixed = before;
  fixed.default_symbol = "ETHUSDT";
  fixed.chart_port = test_support::free_port();
  reload(fixed);
  EXPECT_NE(summary_.find("restarted chart; stopped none; unchanged log, store, ema_cross"),
            std::string::npos)
      << summary_;
  EXPECT_EQ(default_symbol_of(fixed.chart_port), "ETHUSDT");
  EXPECT_FALSE(test_support::port_accepts(before.chart_port));
  stop();
}

}  // namespace
}  // namespace tickd::e2e
