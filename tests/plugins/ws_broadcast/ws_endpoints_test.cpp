#include "plugin_fixture.hpp"
#include "test_clients.hpp"

#include <gtest/gtest.h>

namespace tickd::ws::testing {
namespace {

using json = nlohmann::json;

auto of_type(const std::string& type) {
  return [type](const std::string& m) { return json::parse(m).value("type", "") == type; };
}

class WsEndpoints : public ::testing::Test {
 protected:
  void SetUp() override { fx.start(); }

  // Subscribes and waits for the acknowledgement, so later events reach the client.
  void subscribe(WsClient& ws, const json& request) {
    ws.send(request.dump());
    ASSERT_TRUE(ws.wait_for(of_type("subscribed"))) << "no ack for " << request;
  }

  PluginFixture fx;
};

TEST_F(WsEndpoints, CandlesStreamDeliversSubscribedSeriesOnly) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/ws/candles"));
  subscribe(ws, {{"symbol", "BTCUSDT"}, {"interval", "1m"}});
  fx.plugin.on_candle(make_candle(fx.eth, "1m", PluginFixture::kBase, 51, false));
  fx.plugin.on_candle(make_candle(fx.btc, "1s", PluginFixture::kBase, 99, false));
  fx.plugin.on_candle(make_candle(fx.btc, "1m", PluginFixture::kBase + 60000, 123.5, false));
  auto m = ws.next();
  ASSERT_TRUE(m);
  auto j = json::parse(*m);
  EXPECT_EQ(j["type"], "candle");
  EXPECT_EQ(j["symbol"], "BTCUSDT");
  EXPECT_EQ(j["interval"], "1m");
  EXPECT_EQ(j["candle"]["time"], (PluginFixture::kBase + 60000) / 1000);
  EXPECT_DOUBLE_EQ(j["candle"]["close"].get<double>(), 123.5);
  EXPECT_EQ(j["candle"]["closed"], false);
  EXPECT_GT(j["ts"].get<double>(), 1.6e12);
}

TEST_F(WsEndpoints, SubscriptionsReplaceAndUnsubscribe) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/ws/candles"));
  subscribe(ws, {{"symbol", "BTCUSDT"}, {"interval", "1m"}});
  subscribe(ws,
            {{"subscriptions",
              {{{"symbol", "ETHUSDT"}, {"interval", "1s"}}, {{"symbol", "ETHUSDT"}, {"interval", "5m"}}}}});
  fx.plugin.on_candle(make_candle(fx.btc, "1m", PluginFixture::kBase, 1));
  fx.plugin.on_candle(make_candle(fx.eth, "5m", PluginFixture::kBase, 2));
  auto m = ws.next();
  ASSERT_TRUE(m);
  EXPECT_EQ(json::parse(*m)["interval"], "5m");

  ws.send(json{{"action", "unsubscribe"}, {"symbol", "ETHUSDT"}, {"interval", "5m"}}.dump());
  auto ack = ws.wait_for(of_type("subscribed"));
  ASSERT_TRUE(ack);
  EXPECT_EQ(json::parse(*ack)["subscriptions"], json::parse(R"([{"symbol":"ETHUSDT","interval":"1s"}])"));
  fx.plugin.on_candle(make_candle(fx.eth, "5m", PluginFixture::kBase, 3));
  fx.plugin.on_candle(make_candle(fx.eth, "1s", PluginFixture::kBase, 4));
  m = ws.next();
  ASSERT_TRUE(m);
  EXPECT_EQ(json::parse(*m)["interval"], "1s");
}

TEST_F(WsEndpoints, SignalsGoToSubscribersOfTheSeries) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/ws/candles"));
  subscribe(ws,
            {{"subscriptions",
              {{{"symbol", "BTCUSDT"}, {"interval", "1m"}}, {{"symbol", "BTCUSDT"}, {"interval", "5m"}}}}});
  Signal other;
  other.symbol = "ETHUSDT";
  other.interval = iv("1m");
  fx.plugin.on_signal(other);
  Signal s;
  s.symbol = "BTCUSDT";  // no interval: every series of the symbol, but once per client
  s.time = PluginFixture::kBase + 1500;
  s.side = Side::buy;
  s.strength = 0.7;
  s.price = 101;
  s.source = "ema_cross/ema_9_21";
  fx.plugin.on_signal(s);
  fx.plugin.on_candle(make_candle(fx.btc, "1m", PluginFixture::kBase, 1));
  auto m = ws.next();
  ASSERT_TRUE(m);
  auto j = json::parse(*m);
  EXPECT_EQ(j["type"], "signal");
  EXPECT_EQ(j["symbol"], "BTCUSDT");
  EXPECT_EQ(j["side"], "buy");
  EXPECT_EQ(j["time"], (PluginFixture::kBase + 1500) / 1000);
  EXPECT_EQ(j["source"], "ema_cross/ema_9_21");
  m = ws.next();
  ASSERT_TRUE(m);
  EXPECT_EQ(json::parse(*m)["type"], "candle") << "the symbol-wide signal arrived twice";
}

TEST_F(WsEndpoints, BadRequestsGetAnErrorAndTheConnectionStaysOpen) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/ws/candles"));
  for (const char* bad : {"{not json", R"({"symbol":"DOGE","interval":"1m"})",
                          R"({"symbol":"BTCUSDT","interval":"7m"})", R"({"hello":1})"}) {
    ws.send(bad);
    auto m = ws.next();
    ASSERT_TRUE(m) << bad;
    auto j = json::parse(*m);
    EXPECT_EQ(j["type"], "error") << bad;
    EXPECT_TRUE(j["message"].is_string());
  }
  subscribe(ws, {{"symbol", "BTCUSDT"}, {"interval", "1m"}});
  fx.plugin.on_candle(make_candle(fx.btc, "1m", PluginFixture::kBase, 7));
  EXPECT_TRUE(ws.wait_for(of_type("candle")));
}

TEST_F(WsEndpoints, PerSymbolStreamCarriesEveryInterval) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/ws/candles/ETHUSDT"));
  ASSERT_TRUE(wait_for_clients(fx.port(), 1));
  fx.plugin.on_candle(make_candle(fx.btc, "1m", PluginFixture::kBase, 1));
  fx.plugin.on_candle(make_candle(fx.eth, "1s", PluginFixture::kBase + 1000, 2, true));
  fx.plugin.on_candle(make_candle(fx.eth, "5m", PluginFixture::kBase, 3, false));
  auto a = ws.next();
  auto b = ws.next();
  ASSERT_TRUE(a && b);
  auto j = json::parse(*a);
  EXPECT_EQ(j["symbol"], "ETHUSDT");
  EXPECT_EQ(j["interval"], "1s");
  EXPECT_EQ(j["timestamp"], PluginFixture::kBase + 1000);
  EXPECT_EQ(j["is_closed"], true);
  for (const char* k : {"open", "high", "low", "close", "volume"}) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(json::parse(*b)["interval"], "5m");
  EXPECT_EQ(json::parse(*b)["is_closed"], false);

  WsClient unknown;
  EXPECT_FALSE(unknown.connect(fx.port(), "/ws/candles/DOGEUSDT"));
  EXPECT_EQ(unknown.refused_status(), 404);
}

TEST_F(WsEndpoints, RealtimeIsTheDefaultSeries) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/realtime"));
  ASSERT_TRUE(wait_for_clients(fx.port(), 1));
  fx.plugin.on_candle(make_candle(fx.btc, "1s", PluginFixture::kBase, 1));
  fx.plugin.on_candle(make_candle(fx.btc, "1m", PluginFixture::kBase + 60000, 42, false));
  auto m = ws.next();
  ASSERT_TRUE(m);
  auto j = json::parse(*m);
  ASSERT_TRUE(j.contains("candle")) << *m;
  EXPECT_EQ(j["candle"]["time"], (PluginFixture::kBase + 60000) / 1000);
  EXPECT_DOUBLE_EQ(j["candle"]["close"].get<double>(), 42);
  EXPECT_EQ(j.size(), 1u);
}

TEST_F(WsEndpoints, LegacyWsSubscriptionMessages) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/ws"));
  ws.send(
      R"({"type":"subscription","data":{"action":"subscribe","symbols":["BTCUSDT","ETHUSDT"],"timeframes":["5m"]}})");
  ASSERT_TRUE(ws.wait_for(of_type("subscribed")));
  fx.plugin.on_candle(make_candle(fx.btc, "1m", PluginFixture::kBase, 1));
  fx.plugin.on_candle(make_candle(fx.eth, "5m", PluginFixture::kBase, 5));
  auto m = ws.next();
  ASSERT_TRUE(m);
  auto j = json::parse(*m);
  EXPECT_EQ(j["type"], "candle");
  EXPECT_EQ(j["data"]["symbol"], "ETHUSDT");
  EXPECT_EQ(j["data"]["timeframe"], "5m");
  EXPECT_EQ(j["data"]["time"], PluginFixture::kBase / 1000);

  ws.send(
      R"({"type":"subscription","data":{"action":"unsubscribe","symbols":["ETHUSDT"],"timeframes":["5m"]}})");
  ASSERT_TRUE(ws.wait_for(of_type("subscribed")));
  fx.plugin.on_candle(make_candle(fx.eth, "5m", PluginFixture::kBase, 6));
  fx.plugin.on_candle(make_candle(fx.btc, "5m", PluginFixture::kBase, 7));
  m = ws.next();
  ASSERT_TRUE(m);
  EXPECT_EQ(json::parse(*m)["data"]["symbol"], "BTCUSDT");

  ws.send("{\"type\":\"subscription\"}");
  auto err = ws.wait_for(of_type("error"));
  ASSERT_TRUE(err);
  EXPECT_TRUE(json::parse(*err)["data"]["message"].is_string());
}

TEST_F(WsEndpoints, UnknownPathIsRefused) {
  WsClient ws;
  EXPECT_FALSE(ws.connect(fx.port(), "/ws/nothing"));
  EXPECT_EQ(ws.refused_status(), 404);
}

}  // namespace
}  // namespace tickd::ws::testing
