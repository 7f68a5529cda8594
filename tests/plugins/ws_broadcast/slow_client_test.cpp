#include "plugin_fixture.hpp"
#include "test_clients.hpp"

#include <gtest/gtest.h>

namespace tickd::ws::testing {
namespace {

using json = nlohmann::json;

constexpr std::size_t kSoft = 16 * 1024;
constexpr std::size_t kHard = 128 * 1024;

class SlowClient : public ::testing::Test {
 protected:
  void SetUp() override {
    fx.start();
    ASSERT_TRUE(fast.connect(fx.port(), "/ws/candles"));
    fast.send(R"({"symbol":"BTCUSDT","interval":"1s"})");
    ASSERT_TRUE(fast.next());
    stalled = std::make_unique<StalledClient>(fx.port(), "/ws/candles");
    stalled->send_text(R"({"symbol":"BTCUSDT","interval":"1s"})");
    // The stalled client's ack is proof its subscription is in place.
    for (int i = 0; i < 200 && fx.plugin.stats().clients < 2; ++i) std::this_thread::sleep_for(5ms);
  }

  // Publishes `n` updates; the fast client must see the last one promptly.
  void publish_and_check_fast(int n, bool new_candle_each_time) {
    for (int i = 0; i < n; ++i) {
      ++seq;
      TimeMs t = PluginFixture::kBase + (new_candle_each_time ? seq : 0) * 1000;
      fx.plugin.on_candle(make_candle(fx.btc, "1s", t, static_cast<double>(seq), false));
    }
    double want = static_cast<double>(seq);
    auto start = std::chrono::steady_clock::now();
    auto got = fast.wait_for(
        [want](const std::string& m) {
          auto j = json::parse(m);
          return j.value("type", "") == "candle" && j["candle"]["close"].get<double>() == want;
        },
        10s);
    ASSERT_TRUE(got) << "the fast client never saw update " << seq;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  }

  PluginFixture fx{json{{"soft_limit_bytes", kSoft}, {"hard_limit_bytes", kHard}}};
  WsClient fast;
  std::unique_ptr<StalledClient> stalled;
  long seq = 0;
};

TEST_F(SlowClient, CoalescesUpdatesAndKeepsMemoryBounded) {
  for (int round = 0; round < 10; ++round) publish_and_check_fast(5000, false);
  auto stats = fx.plugin.stats();
  EXPECT_EQ(stats.clients, 2u) << "coalesced updates of one candle must not get a client closed";
  EXPECT_EQ(stats.slow_closed, 0u);
  EXPECT_GT(stats.coalesced, 0u);
  // Bounded: the soft limit plus at most one batch handed to the transport.
  EXPECT_LE(stats.max_backlog_bytes, kHard);
}

TEST_F(SlowClient, ClosedWith1013PastTheHardLimitWhileOthersKeepReceiving) {
  for (int round = 0; round < 400 && fx.plugin.stats().slow_closed == 0; ++round)
    publish_and_check_fast(500, true);
  auto stats = fx.plugin.stats();
  ASSERT_EQ(stats.slow_closed, 1u);
  EXPECT_LE(stats.max_backlog_bytes, kHard + 1024);
  EXPECT_EQ(stalled->read_until_close(10s), 1013);
  publish_and_check_fast(100, true);
  stalled.reset();  // it never answers the close handshake; its socket going away ends it
  for (int i = 0; i < 200 && fx.plugin.stats().clients != 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(fx.plugin.stats().clients, 1u);
}

// A write the socket takes only in part leaves the rest with websocketpp, and
// nothing may reach the socket around it: later updates and the pong for a ping
// queue behind it. Every frame must arrive whole and in order.
TEST(ShortWrite, KeepsTheStreamWholeAndInOrder) {
  PluginFixture fx{json{{"soft_limit_bytes", 1 << 20}, {"hard_limit_bytes", 8 << 20}}};
  fx.start();
  StalledClient client(fx.port(), "/ws/candles");
  client.send_text(R"({"symbol":"BTCUSDT","interval":"1s"})");
  auto ack = client.read_frame(5s);
  ASSERT_TRUE(ack);
  ASSERT_NE(ack->payload.find("subscribed"), std::string::npos) << ack->payload;
  long seq = 0;
  auto publish = [&](int n) {
    for (int i = 0; i < n; ++i, ++seq)
      fx.plugin.on_candle(make_candle(fx.btc, "1s", PluginFixture::kBase + (seq + 1) * 1000,
                                      static_cast<double>(seq + 1), false));
  };
  // The client reads nothing until the socket refuses part of a write.
  for (int round = 0; round < 2000 && fx.plugin.stats().short_writes == 0; ++round) {
    publish(100);
    std::this_thread::sleep_for(2ms);
  }
  ASSERT_GT(fx.plugin.stats().short_writes, 0u);
  client.send_frame(0x9, "ping-1");
  publish(500);
  double last = 0;
  bool pong = false;
  while (last < static_cast<double>(seq) || !pong) {
    auto f = client.read_frame(10s);
    ASSERT_TRUE(f) << "stream ended after update " << last << (pong ? "" : ", no pong");
    if (f->opcode == 0xA) {
      EXPECT_EQ(f->payload, "ping-1");
      pong = true;
      continue;
    }
    ASSERT_EQ(f->opcode, 0x1);
    auto j = json::parse(f->payload, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "torn frame: " << f->payload.substr(0, 120);
    const double close = j["candle"]["close"].get<double>();
    ASSERT_GT(close, last) << "out of order";
    last = close;
  }
  EXPECT_EQ(fx.plugin.stats().slow_closed, 0u);
}

}  // namespace
}  // namespace tickd::ws::testing
