// Zerodha Kite and Angel One SmartAPI against local servers: the real Kite
// packets framed as the ticker sends them, spec-built SmartAPI packets.
#include "broker_fixture.hpp"
#include "core/feed/kite/kite_test_data.hpp"
#include "core/feed/smartapi/smartapi_encoder.hpp"

#include <chrono>

namespace tickd::e2e {
namespace {

using test_servers::LocalWsServer;
using test_servers::Peer;

std::string bytes(const std::vector<std::uint8_t>& b) { return std::string(b.begin(), b.end()); }

TEST(IndianBrokers, KiteSubscribesDecodesRecordedPacketsAndSurvivesBadOnes) {
  using namespace tickd::core::testing;
  const auto full = kite_recorded_packet("ticker_full.packet");
  std::vector<std::uint8_t> grown = full;
  // Same packet with 100 more shares traded (volume_traded is bytes 16..19), so that a tick follows.
  std::uint32_t volume = (grown[16] << 24) | (grown[17] << 16) | (grown[18] << 8) | grown[19];
  volume += 100;
  for (int i = 0; i < 4; ++i) grown[16 + i] = static_cast<std::uint8_t>(volume >> (24 - 8 * i));
  LocalWsServer server([&](Peer& p) {
    std::string msg;
    if (!p.wait_message(msg, std::chrono::seconds(5)) || !p.wait_message(msg, std::chrono::seconds(5)))
      return;
    p.send_binary(bytes(kite_frame({full})));
    p.send_binary(std::string(1, '\0'));                           // heartbeat
    p.send_binary(bytes(kite_frame({full})).substr(0, 50));        // truncated
    p.send_text(R"({"type":"error","data":"some order error"})");  // a notice
    p.send_binary(bytes(kite_frame({grown})));
    p.pause(std::chrono::minutes(1));
  });
  TempDir dir("tickd-e2e-kite");
  const int admin = test_support::free_port();
  setenv("TICKD_TEST_KITE_TOKEN", "secret-token-value", 1);
  const std::string feed =
      "feed:\n"
      "  kind: kite\n"
      "  kite:\n"
      "    url: ws://127.0.0.1:" +
      std::to_string(server.port()) +
      "\n"
      "    api_key: kitekey\n"
      "    access_token: ${TICKD_TEST_KITE_TOKEN}\n"
      "    mode: full\n"
      "    bootstrap_candles: 0\n"
      "    instruments: {408065: NSE:INFY}\n";
  const std::string path = write_file(dir, "k.yaml", daemon_config(feed, dir.file("c.jsonl"), admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until([&] { return metric(metrics(admin), "tickd_feed_ticks_total") >= 2; },
                                       std::chrono::seconds(20)))
      << read_text(log) << metrics(admin);
  const std::string m = metrics(admin);
  EXPECT_EQ(metric(m, "tickd_feed_decode_errors_total"), 1) << m;
  EXPECT_EQ(metric(m, "tickd_feed_reconnects_total"), 0) << m;
  const auto received = server.received();
  ASSERT_GE(received.size(), 2u);
  EXPECT_EQ(received[0], R"({"a":"subscribe","v":[408065]})");
  EXPECT_EQ(received[1], R"({"a":"mode","v":["full",[408065]]})");
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0);
  const std::string text = read_text(log);
  EXPECT_EQ(text.find("secret-token-value"), std::string::npos) << "the access token was logged";
  EXPECT_NE(text.find("some order error"), std::string::npos) << text;
}

TEST(IndianBrokers, SmartApiSendsHeadersSubscribesAndHeartbeats) {
  using namespace tickd::core::testing;
  SmartApiPacketSpec spec = reliance_snap_quote();
  // Stamped now, as a live broker stamps its packets: the spec's 2023 stamp
  // made the aggregator (gap_fill: true, closing by the wall clock) emit every
  // flat 1m and 5m candle since then, millions, into the blocking logger, and
  // the feed thread that also sends the heartbeats stayed busy for minutes.
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  spec.exchange_timestamp = now_ms - 2000;
  spec.last_traded_timestamp = spec.exchange_timestamp / 1000;
  std::string auth;
  LocalWsServer server([&](Peer& p) {
    auth = p.header("Authorization") + "|" + p.header("x-api-key") + "|" + p.header("x-client-code") + "|" +
           p.header("x-feed-token");
    std::string msg;
    if (!p.wait_message(msg, std::chrono::seconds(5))) return;
    p.send_binary(bytes(encode_smartapi_packet(spec)));
    p.send_binary(bytes(encode_smartapi_packet(spec)).substr(0, 60));  // truncated
    spec.volume += 50;
    spec.exchange_timestamp += 1000;
    p.send_binary(bytes(encode_smartapi_packet(spec)));
    while (p.wait_message(msg, std::chrono::seconds(5)))
      if (msg == "ping") p.send_text("pong");
  });
  TempDir dir("tickd-e2e-smartapi");
  const int admin = test_support::free_port();
  const std::string feed =
      "feed:\n"
      "  kind: smartapi\n"
      "  smartapi:\n"
      "    url: ws://127.0.0.1:" +
      std::to_string(server.port()) +
      "/smart-stream\n"
      "    auth_token: jwt-abc\n"
      "    api_key: key1\n"
      "    client_code: C123\n"
      "    feed_token: feed-xyz\n"
      "    mode: snapquote\n"
      "    heartbeat: 200ms\n"
      "    bootstrap_candles: 0\n"
      "    tokens: [{exchange_type: 1, token: \"2885\", symbol: RELIANCE}]\n";
  const std::string path = write_file(dir, "s.yaml", daemon_config(feed, dir.file("c.jsonl"), admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until(
      [&] {
        int pings = 0;
        for (const auto& r : server.received()) pings += r == "ping";
        return metric(metrics(admin), "tickd_feed_ticks_total") >= 2 && pings >= 2;
      },
      std::chrono::seconds(20)))
      << read_text(log) << metrics(admin);
  const std::string m = metrics(admin);
  EXPECT_EQ(metric(m, "tickd_feed_decode_errors_total"), 1) << m;
  EXPECT_EQ(auth, "Bearer jwt-abc|key1|C123|feed-xyz");
  const auto received = server.received();
  ASSERT_FALSE(received.empty());
  const auto sub = nlohmann::json::parse(received[0]);
  EXPECT_EQ(sub["action"], 1);
  EXPECT_EQ(sub["params"]["mode"], 3);
  EXPECT_EQ(sub["params"]["tokenList"][0]["exchangeType"], 1);
  EXPECT_EQ(sub["params"]["tokenList"][0]["tokens"][0], "2885");
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0);
  EXPECT_EQ(read_text(log).find("jwt-abc"), std::string::npos) << "the auth token was logged";
}

}  // namespace
}  // namespace tickd::e2e
