// Start-up: the admin endpoint answers from the first moment, a silent
// database delays the feed by daemon.warmup_timeout at most, and history is
// restored before the observers that are not stores start.
#include "e2e/status_support.hpp"

#include <nlohmann/json.hpp>

#include <csignal>

namespace tickd::e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(Startup, ABlackHolePostgresDelaysNeitherTheAdminEndpointNorTheFeed) {
  BlackHoleServer postgres;
  TempDir dir("tickd-startup");
  const int admin = test_support::free_port();
  const std::string config =
      daemon_section(admin, "  warmup_timeout: 1s\n  shutdown_timeout: 3s\n") +
      simulator_section("[1s, 1m, 1h]") +
      "observers:\n  - name: pg\n    plugin: postgres\n    overflow: block\n    events: [candle_closed]\n"
      "    config: {port: " +
      std::to_string(postgres.port()) + ", connect_timeout: 2s, stop_timeout: 200ms}\n";
  const std::string path = write_file(dir, "t.yaml", config);
  const std::string log = dir.file("tickd.log");
  const auto launched = Clock::now();
  ChildProcess tickd({kTickd, "--config", path}, log);

  ASSERT_TRUE(test_support::wait_until([&] { return http_get(admin, "/health").status == 200; }, 1s))
      << "the admin endpoint did not answer within 1 s\n"
      << read_text(log);
  auto live = [&] {
    auto reply = http_get(admin, "/health");
    if (reply.status != 200) return false;
    auto j = nlohmann::json::parse(reply.body);
    return j["status"] == "ok" && j["feed"]["ticks"].get<double>() > 0;
  };
  // The start probe waits 1 s, the warm-up 1 s (daemon.warmup_timeout).
  ASSERT_TRUE(test_support::wait_until(live, 3500ms)) << read_text(log);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - launched);
  EXPECT_LT(took.count(), 3500);
  EXPECT_NE(read_text(log).find("did not answer within 1000 ms"), std::string::npos) << read_text(log);
  EXPECT_NE(read_text(log).find("within daemon.warmup_timeout (1000 ms)"), std::string::npos)
      << read_text(log);

  tickd.signal(SIGTERM);
  tickd.wait();  // closed candles never reached the silent server: status 3, checked in test_losses
}

TEST(Startup, HistoryIsRestoredBeforeTheOtherObserversStart) {
  TempDir dir("tickd-startup");
  const int admin = test_support::free_port();
  const std::string store =
      "  - name: store\n    plugin: sqlite\n    overflow: block\n    events: [candle_closed]\n"
      "    config: {path: " +
      dir.file("tickd.db") + ", max_delay: 20ms}\n";
  const std::string feed = simulator_section("[1s]");
  const std::string first =
      write_file(dir, "first.yaml", daemon_section(admin) + feed + "observers:\n" + store);
  {
    ChildProcess tickd({kTickd, "--config", first}, dir.file("first.log"));
    ASSERT_TRUE(test_support::wait_until(
        [&] { return scrape(admin, "tickd_plugin_records_written{observer=\"store\"}") >= 8; }, 20s))
        << read_text(dir.file("first.log"));
    tickd.signal(SIGTERM);
    ASSERT_EQ(tickd.wait(), 0) << read_text(dir.file("first.log"));
  }
  const std::string reader =
      "  - name: reader\n    plugin: fixture_history_reader\n    events: [candle_closed]\n"
      "    config: {path: " +
      dir.file("seen.txt") + "}\n";
  const std::string second =
      write_file(dir, "second.yaml", daemon_section(admin) + feed + "observers:\n" + reader + store);
  ChildProcess tickd({kTickd, "--config", second}, dir.file("second.log"));
  ASSERT_TRUE(wait_for_text(tickd, dir.file("second.log"), "history warm-up:", 20s))
      << read_text(dir.file("second.log"));
  ASSERT_TRUE(test_support::wait_until([&] { return !read_text(dir.file("seen.txt")).empty(); }, 10s));
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(dir.file("second.log"));
  // The reader is listed first but started after the store's history was restored.
  std::istringstream seen(read_text(dir.file("seen.txt")));
  int series = 0;
  for (std::string symbol, interval; seen >> symbol >> interval;) {
    std::size_t count = 0;
    seen >> count;
    EXPECT_GE(count, 4u) << symbol << " " << interval << "\n" << read_text(dir.file("second.log"));
    ++series;
  }
  EXPECT_EQ(series, 2);
}

}  // namespace
}  // namespace tickd::e2e
