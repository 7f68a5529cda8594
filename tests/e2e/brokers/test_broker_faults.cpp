// What a broker may send that it should not: each fault is counted, logged,
// and leaves the daemon (and, unless the protocol says otherwise, the
// connection) up.
#include "binance_data.hpp"
#include "broker_fixture.hpp"

namespace tickd::e2e {
namespace {

using test_servers::LocalWsServer;
using test_servers::Peer;

TEST(BrokerFaults, BinanceBadFramesOversizeAndStallAreSurvived) {
  const auto frames = test_servers::xrpeth_aggtrade_frames(kXrpDir + "XRPETH-aggTrades-2019-10-11_13.csv");
  LocalWsServer server([&](Peer& p) {
    if (p.index() == 0) {
      p.send_text(frames[0]);
      p.send_text("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",");  // malformed JSON
      p.send_text(
          R"({"stream":"dogeusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"DOGEUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":1,"m":true,"M":true}})");
      p.send_binary(std::string("\x01\x02\x03", 3));  // Binance never sends binary
      p.send_text(frames[1]);                         // the connection is still up: this one counts
      p.pause(std::chrono::milliseconds(200));
      p.send_text(std::string(2u << 20, 'x'));  // larger than max_message_bytes: the client closes
    } else if (p.index() == 1) {
      p.send_text(frames[2]);  // then silence: stale_after makes the client reconnect
    } else {
      for (std::size_t i = 3; i < 10; ++i) p.send_text(frames[i]);
    }
    p.pause(std::chrono::minutes(1));
  });
  TempDir dir("tickd-e2e-faults");
  const int admin = test_support::free_port();
  const std::string feed =
      "feed:\n"
      "  kind: binance\n"
      "  symbols: [XRPETH]\n"
      "  binance:\n"
      "    url: ws://127.0.0.1:" +
      std::to_string(server.port()) +
      "/stream\n"
      "    rest_url: http://127.0.0.1:" +
      std::to_string(server.port()) +
      "\n"
      "    bootstrap_klines: 0\n"
      "    backfill: false\n"
      "    stale_after: 1s\n"
      "    max_message_bytes: 1048576\n"
      "    reconnect: {initial: 100ms, max: 500ms}\n";
  const std::string path = write_file(dir, "b.yaml", daemon_config(feed, dir.file("c.jsonl"), admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until([&] { return metric(metrics(admin), "tickd_feed_ticks_total") == 10; },
                                       std::chrono::seconds(20)))
      << read_text(log) << metrics(admin);
  const std::string m = metrics(admin);
  EXPECT_TRUE(tickd.running());
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(metric(m, "tickd_feed_reconnects_total"), 2) << m;
  // malformed JSON, unknown symbol, binary frame, oversized frame, stale connection
  EXPECT_EQ(metric(m, "tickd_feed_decode_errors_total"), 5) << m;
  const std::string text = read_text(log);
  EXPECT_NE(text.find("skipped a bad message"), std::string::npos) << text;
  EXPECT_NE(text.find("stale: nothing received for 1000 ms"), std::string::npos) << text;
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << text;
}

}  // namespace
}  // namespace tickd::e2e
