// feed.kind binance against a local server sending Binance's own XRPETH
// aggTrades as aggTrade frames: the daemon's candles must be Binance's klines.
#include "binance_data.hpp"
#include "broker_fixture.hpp"

#include <cmath>

namespace tickd::e2e {
namespace {

using test_servers::LocalWsServer;
using test_servers::Peer;

std::string binance_feed(const std::string& url, int rest_port, const std::string& extra = "") {
  return "feed:\n"
         "  kind: binance\n"
         "  symbols: [XRPETH]\n"
         "  gate: {max_behind: 0}\n"  // recorded in 2019, served as live
         "  binance:\n"
         "    url: " +
         url +
         "\n"
         "    streams: [aggTrade]\n"
         "    rest_url: http://127.0.0.1:" +
         std::to_string(rest_port) +
         "\n"
         "    bootstrap_klines: 0\n" +
         extra;
}

void expect_same(const nlohmann::json& c, const test_servers::CsvKline& k, const std::string& what) {
  EXPECT_EQ(c["open"].get<double>(), std::stod(k.open)) << what;
  EXPECT_EQ(c["high"].get<double>(), std::stod(k.high)) << what;
  EXPECT_EQ(c["low"].get<double>(), std::stod(k.low)) << what;
  EXPECT_EQ(c["close"].get<double>(), std::stod(k.close)) << what;
  const double v = std::stod(k.volume);
  EXPECT_LE(std::fabs(c["volume"].get<double>() - v), 1e-9 * std::max(1.0, v)) << what;
}

TEST(BinanceFeed, XrpethAggTradesGiveBinance1mKlines) {
  const auto frames = test_servers::xrpeth_aggtrade_frames(kXrpDir + "XRPETH-aggTrades-2019-10-11_13.csv");
  const auto klines = test_servers::read_kline_csv(kXrpDir + "XRPETH-1m-2019-10-11_13.csv");
  ASSERT_EQ(frames.size(), 12477u);
  LocalWsServer server([&](Peer& p) {
    for (const auto& f : frames)
      if (p.alive()) p.send_text(f);
    p.pause(std::chrono::minutes(1));
  });
  TempDir dir("tickd-e2e-binance");
  const int admin = test_support::free_port();
  const std::string candles = dir.file("candles.jsonl");
  const std::string url = "ws://127.0.0.1:" + std::to_string(server.port()) + "/stream";
  const std::string path =
      write_file(dir, "b.yaml", daemon_config(binance_feed(url, server.port()), candles, admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  // The last kline was recorded while open; the one before it closes when the
  // last minute's first trade arrives.
  const long long last_closed = klines[klines.size() - 2].open_time;
  ASSERT_TRUE(wait_for_candle(tickd, candles, "1m", last_closed, std::chrono::seconds(30))) << read_text(log);
  const std::string m = metrics(admin);
  tickd.signal(SIGTERM);
  ASSERT_EQ(tickd.wait(), 0) << read_text(log);

  auto got = read_closed(candles)["1m"];
  std::size_t compared = 0;
  for (std::size_t i = 0; i + 1 < klines.size(); ++i) {
    const auto& k = klines[i];
    auto it = got.find(k.open_time);
    ASSERT_NE(it, got.end()) << "1m candle " << k.open_time << " missing";
    ASSERT_EQ(it->second.size(), 1u) << "1m candle " << k.open_time << " closed twice";
    expect_same(it->second[0], k, "1m " + std::to_string(k.open_time));
    ++compared;
  }
  EXPECT_EQ(compared, 3559u);
  EXPECT_EQ(metric(m, "tickd_feed_ticks_total"), 12477) << m;
  EXPECT_EQ(metric(m, "tickd_feed_decode_errors_total"), 0) << m;
  EXPECT_EQ(server.connections(), 1);
  EXPECT_NE(read_text(log).find("binance: open ws://127.0.0.1:" + std::to_string(server.port()) +
                                "/stream?<redacted>"),
            std::string::npos)
      << read_text(log);
}

TEST(BinanceFeed, WssWithSelfSignedCertificateAsCaFile) {
  TempDir dir("tickd-e2e-wss");
  const auto tls = test_servers::make_self_signed_cert(dir.path().string());
  const auto frames = test_servers::xrpeth_aggtrade_frames(kXrpDir + "XRPETH-aggTrades-2019-10-11_13.csv");
  LocalWsServer server(
      [&](Peer& p) {
        for (std::size_t i = 0; i < 2000 && p.alive(); ++i) p.send_text(frames[i]);
        p.pause(std::chrono::minutes(1));
      },
      {}, &tls);
  const int admin = test_support::free_port();
  const std::string candles = dir.file("candles.jsonl");
  const std::string url = "wss://127.0.0.1:" + std::to_string(server.port()) + "/stream";
  const std::string path = write_file(
      dir, "b.yaml",
      daemon_config(
          binance_feed(url, server.port(), "    ca_file: " + tls.cert_file + "\n    backfill: false\n"),
          candles, admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until(
      [&] { return metric(metrics(admin), "tickd_feed_ticks_total") == 2000; }, std::chrono::seconds(20)))
      << read_text(log) << metrics(admin);
  EXPECT_EQ(metric(metrics(admin), "tickd_feed_reconnects_total"), 0);
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
}

TEST(BinanceFeed, WssRefusesACertificateNotSignedByTheCaFile) {
  TempDir dir("tickd-e2e-wss-bad");
  const auto tls = test_servers::make_self_signed_cert(dir.path().string());
  TempDir other("tickd-e2e-other-ca");
  const auto other_tls = test_servers::make_self_signed_cert(other.path().string());
  LocalWsServer server([&](Peer& p) { p.send_text("{}"); }, {}, &tls);
  const int admin = test_support::free_port();
  const std::string url = "wss://127.0.0.1:" + std::to_string(server.port()) + "/stream";
  const std::string path =
      write_file(dir, "b.yaml",
                 daemon_config(binance_feed(url, server.port(),
                                            "    ca_file: " + other_tls.cert_file +
                                                "\n    reconnect: {initial: 100ms, max: 200ms}\n"),
                               dir.file("c.jsonl"), admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until(
      [&] { return metric(metrics(admin), "tickd_feed_reconnects_total") >= 2; }, std::chrono::seconds(20)))
      << read_text(log);
  EXPECT_EQ(server.connections(), 0);  // the TLS handshake never completed
  EXPECT_TRUE(tickd.running());
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
}

TEST(BinanceFeed, BootstrapLoadsKlinesOverRestBeforeGoingLive) {
  const auto klines = test_servers::read_kline_csv(kXrpDir + "XRPETH-1m-2019-10-11_13.csv");
  LocalWsServer server([](Peer& p) { p.pause(std::chrono::minutes(1)); },
                       [&](const std::string& r) { return test_servers::klines_answer(klines, r); });
  TempDir dir("tickd-e2e-bootstrap");
  const int admin = test_support::free_port();
  std::string feed =
      binance_feed("ws://127.0.0.1:" + std::to_string(server.port()) + "/stream", server.port());
  feed = replace_all(feed, "bootstrap_klines: 0", "bootstrap_klines: 50");
  const std::string path = write_file(dir, "b.yaml", daemon_config(feed, dir.file("c.jsonl"), admin, "[1m]"));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(wait_for_text(tickd, log, "binance: open", std::chrono::seconds(20))) << read_text(log);
  const auto requests = server.http_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0], "/api/v3/klines?symbol=XRPETH&interval=1m&limit=50");
  const std::string text = read_text(log);
  // Loaded before the WebSocket connected.
  EXPECT_LT(text.find("binance: 50 klines loaded into history"), text.find("binance: connecting")) << text;
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0);
}

}  // namespace
}  // namespace tickd::e2e
