// SIGTERM in the middle of a paced replay: the ticks read ahead from each file
// (the earliest of them waiting for its time) are counted as rejected at
// `shutdown`, and the daemon's last line reconciles exactly:
// ticks in = aggregated + rejected.
#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"

#include <regex>

namespace tickd::e2e {
namespace {

using test_support::wait_until;

const std::string kTrades = TICKD_DATA_DIR "/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv";

double metric(const std::string& text, const std::string& line_start) {
  const auto at = text.find("\n" + line_start);
  if (at == std::string::npos) return -1;
  const auto end = text.find('\n', at + 1);
  const std::string line = text.substr(at + 1, end - at - 1);
  return std::stod(line.substr(line.rfind(' ') + 1));
}

TEST(ShutdownAccounting, SigtermMidReplayReconcilesExactly) {
  TempDir dir("tickd-shutdown-accounting");
  const int admin_port = test_support::free_port();
  // The same real file as two symbols: two files read ahead at every moment.
  // 2000x: the 59 hours would take about 106 s; the signal comes after 2 s.
  const std::string config = write_file(
      dir, "replay.yaml",
      "daemon:\n  plugin_dirs: [" TICKD_PLUGIN_DIR "]\n  shutdown_timeout: 5s\n  admin_listen: 127.0.0.1:" +
          std::to_string(admin_port) +
          "\nfeed:\n  kind: replay\n  replay:\n    files:\n"
          "      - {path: " +
          kTrades + ", format: binance_aggtrades, symbol: XRPETH}\n      - {path: " + kTrades +
          ", format: binance_aggtrades, symbol: XRPETH2}\n    speed: 2000\n"
          "aggregator:\n  intervals: [1s, 1m]\n  history: 100\n"
          "observers:\n  - name: store\n    plugin: sqlite\n    events: [candle_closed]\n"
          "    overflow: block\n    config:\n      path: " +
          dir.file("replay.db") + "\n");
  const std::string log = dir.file("replay.log");
  ChildProcess tickd({kTickd, "--config", config}, log);
  std::string metrics;
  ASSERT_TRUE(wait_until(
      [&] {
        metrics = http_get(admin_port, "/metrics").body;
        return metric(metrics, "tickd_aggregator_ticks_total") > 100;
      },
      std::chrono::seconds(30)))
      << read_text(log);
  // The reason is there for operators before it counts anything.
  EXPECT_EQ(metric(metrics, "tickd_feed_rejected_total{reason=\"shutdown\"}"), 0) << metrics;
  EXPECT_NE(http_get(admin_port, "/health").body.find("\"shutdown\":0"), std::string::npos);

  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
  const std::string text = read_text(log);
  ASSERT_EQ(text.find("replay finished"), std::string::npos) << "the signal came too late";
  std::smatch m;
  const std::regex stop_line(
      R"(stopped; ticks: (\d+) in = (\d+) aggregated \+ (\d+) rejected \((\d+) at shutdown\)\n)");
  ASSERT_TRUE(std::regex_search(text, m, stop_line)) << text;
  const auto in = std::stoull(m[1]), aggregated = std::stoull(m[2]), rejected = std::stoull(m[3]),
             at_shutdown = std::stoull(m[4]);
  EXPECT_EQ(in, aggregated + rejected) << m[0];
  EXPECT_GE(at_shutdown, 2u) << m[0];        // one read ahead from each file, at least
  EXPECT_EQ(rejected, at_shutdown) << m[0];  // the real file has nothing else to reject
  EXPECT_GT(aggregated, 100u);
  EXPECT_LT(in, 2u * 12477);
}

}  // namespace
}  // namespace tickd::e2e
