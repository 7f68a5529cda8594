// A connection dropped in the middle of the XRPETH stream: the daemon backs
// off, reconnects (the server resumes later in the data, as a real exchange
// would after an outage), backfills the missed minutes over REST, and every
// 1m kline ends up closed exactly once.
#include "binance_data.hpp"
#include "broker_fixture.hpp"

#include <cmath>
#include <regex>

namespace tickd::e2e {
namespace {

using test_servers::LocalWsServer;
using test_servers::Peer;

// A Binance feed on the local server at `port` (WebSocket and REST), quick to reconnect.
std::string feed_yaml(int port) {
  return "feed:\n"
         "  kind: binance\n"
         "  symbols: [XRPETH]\n"
         "  gate: {max_behind: 0}\n"  // recorded in 2019, served as live
         "  binance:\n"
         "    url: ws://127.0.0.1:" +
         std::to_string(port) +
         "/stream\n"
         "    streams: [aggTrade]\n"
         "    rest_url: http://127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "    bootstrap_klines: 0\n"
         "    reconnect: {initial: 300ms, max: 2s}\n";
}

TEST(BinanceReconnect, DropMidStreamIsBackfilledWithoutMissingOrDoubledCandles) {
  const std::string agg = kXrpDir + "XRPETH-aggTrades-2019-10-11_13.csv";
  const auto frames = test_servers::xrpeth_aggtrade_frames(agg);
  const auto times = test_servers::xrpeth_aggtrade_times(agg);
  const auto klines = test_servers::read_kline_csv(kXrpDir + "XRPETH-1m-2019-10-11_13.csv");
  // First connection: trades up to ~1/3 of the file, then dropped. Second:
  // resumes 2,000 trades later (hours of data lost on the wire).
  const std::size_t drop_at = 4000, resume_at = 6000;
  LocalWsServer server(
      [&](Peer& p) {
        const std::size_t from = p.index() == 0 ? 0 : resume_at;
        const std::size_t to = p.index() == 0 ? drop_at : frames.size();
        for (std::size_t i = from; i < to && p.alive(); ++i) p.send_text(frames[i]);
        if (p.index() == 0) {
          p.pause(std::chrono::milliseconds(100));  // let the last frames arrive first
          p.drop();
        }
        p.pause(std::chrono::minutes(1));
      },
      [&](const std::string& resource) { return test_servers::klines_answer(klines, resource); });
  TempDir dir("tickd-e2e-reconnect");
  const int admin = test_support::free_port();
  const std::string candles = dir.file("candles.jsonl");
  const std::string feed = feed_yaml(server.port());
  const std::string path = write_file(dir, "b.yaml", daemon_config(feed, candles, admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  const long long last_closed = klines[klines.size() - 2].open_time;
  ASSERT_TRUE(wait_for_candle(tickd, candles, "1m", last_closed, std::chrono::seconds(40))) << read_text(log);
  const std::string m = metrics(admin);
  tickd.signal(SIGTERM);
  ASSERT_EQ(tickd.wait(), 0) << read_text(log);
  const std::string text = read_text(log);

  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(metric(m, "tickd_feed_reconnects_total"), 1) << m;
  EXPECT_NE(text.find("binance: backoff"), std::string::npos) << text;
  EXPECT_NE(text.find("gap filled with"), std::string::npos) << text;
  bool asked_for_gap = false;
  for (const auto& r : server.http_requests())
    asked_for_gap |= r.find("interval=1m&startTime=") != std::string::npos;
  EXPECT_TRUE(asked_for_gap);

  // The minute of the first trade after the reconnect is built from the
  // trades received live: the ones of that minute sent before it are lost.
  const long long resume_minute = times[resume_at] / 60000 * 60000;
  auto got = read_closed(candles);
  for (std::size_t i = 0; i + 1 < klines.size(); ++i) {
    const auto& k = klines[i];
    const std::string what = "1m " + std::to_string(k.open_time);
    auto it = got["1m"].find(k.open_time);
    ASSERT_NE(it, got["1m"].end()) << what << " missing";
    ASSERT_EQ(it->second.size(), 1u) << what << " closed twice";
    const auto& c = it->second[0];
    if (k.open_time == resume_minute) {
      EXPECT_LE(c["volume"].get<double>(), std::stod(k.volume) + 1e-9) << what;
      continue;
    }
    EXPECT_EQ(c["open"].get<double>(), std::stod(k.open)) << what;
    EXPECT_EQ(c["high"].get<double>(), std::stod(k.high)) << what;
    EXPECT_EQ(c["low"].get<double>(), std::stod(k.low)) << what;
    EXPECT_EQ(c["close"].get<double>(), std::stod(k.close)) << what;
    EXPECT_LE(std::fabs(c["volume"].get<double>() - std::stod(k.volume)),
              1e-9 * std::max(1.0, std::stod(k.volume)))
        << what;
  }
  // 5m candles: every bucket once; exact except the one holding the resume minute.
  const auto k5 = test_servers::read_kline_csv(kXrpDir + "XRPETH-5m-2019-10-11_13.csv");
  for (std::size_t i = 0; i + 1 < k5.size(); ++i) {
    const auto& k = k5[i];
    const std::string what = "5m " + std::to_string(k.open_time);
    auto it = got["5m"].find(k.open_time);
    ASSERT_NE(it, got["5m"].end()) << what << " missing";
    ASSERT_EQ(it->second.size(), 1u) << what << " closed twice";
    if (k.open_time == resume_minute / 300000 * 300000) continue;
    const auto& c = it->second[0];
    EXPECT_EQ(c["high"].get<double>(), std::stod(k.high)) << what;
    EXPECT_EQ(c["low"].get<double>(), std::stod(k.low)) << what;
    EXPECT_EQ(c["close"].get<double>(), std::stod(k.close)) << what;
    EXPECT_LE(std::fabs(c["volume"].get<double>() - std::stod(k.volume)),
              1e-6 * std::max(1.0, std::stod(k.volume)))
        << what;
  }
}

// One far-future row just before the drop (rejected by the gate) must not
// become the feed's clock: the outage would then seem to begin in 2100 and
// nothing would be backfilled (the soak found this).
TEST(BinanceReconnect, AFarFutureRowBeforeTheDropDoesNotStopTheBackfill) {
  const std::string agg = kXrpDir + "XRPETH-aggTrades-2019-10-11_13.csv";
  const auto frames = test_servers::xrpeth_aggtrade_frames(agg);
  const auto klines = test_servers::read_kline_csv(kXrpDir + "XRPETH-1m-2019-10-11_13.csv");
  const std::size_t drop_at = 4000, resume_at = 6000;
  const std::string far_future =
      std::regex_replace(frames[drop_at - 1], std::regex(R"("T":\d+)"), R"("T":4102444800000)");
  ASSERT_NE(far_future, frames[drop_at - 1]);
  LocalWsServer server(
      [&](Peer& p) {
        const std::size_t from = p.index() == 0 ? 0 : resume_at;
        const std::size_t to = p.index() == 0 ? drop_at : resume_at + 500;
        for (std::size_t i = from; i < to && p.alive(); ++i) p.send_text(frames[i]);
        if (p.index() == 0) {
          p.send_text(far_future);
          p.pause(std::chrono::milliseconds(100));
          p.drop();
        }
        p.pause(std::chrono::minutes(1));
      },
      [&](const std::string& resource) { return test_servers::klines_answer(klines, resource); });
  TempDir dir("tickd-e2e-far-future-drop");
  const int admin = test_support::free_port();
  const std::string feed = feed_yaml(server.port());
  const std::string path = write_file(dir, "b.yaml", daemon_config(feed, dir.file("c.jsonl"), admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(wait_for_text(tickd, log, "gap filled with", std::chrono::seconds(20))) << read_text(log);
  const std::string m = metrics(admin);
  tickd.signal(SIGTERM);
  ASSERT_EQ(tickd.wait(), 0) << read_text(log);
  EXPECT_EQ(metric(m, "tickd_feed_rejected_total{reason=\"time_ahead\"}"), 1) << m;
  bool asked_for_gap = false;
  for (const auto& r : server.http_requests())
    asked_for_gap |= r.find("interval=1m&startTime=") != std::string::npos;
  EXPECT_TRUE(asked_for_gap);
}

}  // namespace
}  // namespace tickd::e2e
