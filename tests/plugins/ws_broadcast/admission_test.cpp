#include "plugin_fixture.hpp"
#include "test_clients.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace tickd::ws::testing {
namespace {

using json = nlohmann::json;

TEST(WsAdmission, BearerTokenForDataAndWebSockets) {
  PluginFixture fx(json{{"token", "s3cret"}});
  fx.start();
  EXPECT_EQ(http_get(fx.port(), "/symbols").status, 401);
  EXPECT_EQ(http_get(fx.port(), "/symbols", {{"Authorization", "Bearer nope"}}).status, 401);
  EXPECT_EQ(http_get(fx.port(), "/symbols", {{"Authorization", "Bearer s3cret"}}).status, 200);
  EXPECT_EQ(http_get(fx.port(), "/candles/BTCUSDT/1m?token=s3cret").status, 200);
  EXPECT_EQ(http_get(fx.port(), "/health?token=wrong").status, 401);
  EXPECT_EQ(http_get(fx.port(), "/").status, 200) << "the page itself holds no data";

  WsClient missing;
  EXPECT_FALSE(missing.connect(fx.port(), "/ws/candles"));
  EXPECT_EQ(missing.refused_status(), 401);
  WsClient wrong;
  EXPECT_FALSE(wrong.connect(fx.port(), "/ws/candles?token=s3cre"));
  EXPECT_EQ(wrong.refused_status(), 401);
  WsClient by_query;
  EXPECT_TRUE(by_query.connect(fx.port(), "/ws/candles?token=s3cret"));
  WsClient by_header;
  EXPECT_TRUE(by_header.connect(fx.port(), "/realtime", {{"Authorization", "Bearer s3cret"}}));

  for (const auto& [level, text] : fx.fake().logs())
    EXPECT_EQ(text.find("s3cret"), std::string::npos) << "secret logged: " << text;
  bool logged_refusal = false;
  for (const auto& [level, text] : fx.fake().logs())
    logged_refusal |= text.find("refused") != std::string::npos;
  EXPECT_TRUE(logged_refusal);
}

TEST(WsAdmission, OriginAllowlist) {
  PluginFixture fx(json{{"allowed_origins", {"http://good.example"}}});
  fx.start();
  WsClient evil;
  EXPECT_FALSE(evil.connect(fx.port(), "/ws/candles", {{"Origin", "http://evil.example"}}));
  EXPECT_EQ(evil.refused_status(), 403);
  WsClient good;
  EXPECT_TRUE(good.connect(fx.port(), "/ws/candles", {{"Origin", "http://good.example"}}));
  WsClient no_origin;  // not a browser
  EXPECT_TRUE(no_origin.connect(fx.port(), "/ws/candles"));
  EXPECT_EQ(http_get(fx.port(), "/symbols", {{"Origin", "http://evil.example"}}).status, 403);
}

TEST(WsAdmission, MaxConnections) {
  PluginFixture fx(json{{"max_connections", 2}});
  fx.start();
  auto a = std::make_unique<WsClient>();
  WsClient b;
  ASSERT_TRUE(a->connect(fx.port(), "/ws/candles"));
  ASSERT_TRUE(b.connect(fx.port(), "/ws"));
  WsClient c;
  EXPECT_FALSE(c.connect(fx.port(), "/realtime"));
  EXPECT_EQ(c.refused_status(), 503);
  a.reset();  // a slot frees up once the server has seen the close
  bool admitted = false;
  for (int i = 0; i < 100 && !admitted; ++i) {
    WsClient d;
    admitted = d.connect(fx.port(), "/realtime");
    if (!admitted) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(admitted);
}

TEST(WsAdmission, OversizedMessageClosesWith1009) {
  PluginFixture fx(json{{"max_message_bytes", 256}});
  fx.start();
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/ws/candles"));
  ws.send(std::string(300, ' ') + R"({"symbol":"BTCUSDT","interval":"1m"})");
  EXPECT_EQ(ws.wait_closed(), 1009);
}

TEST(WsAdmission, InboundRateLimitClosesWith1008) {
  PluginFixture fx(json{{"max_messages_per_second", 5}});
  fx.start();
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/ws/candles"));
  for (int i = 0; i < 50; ++i) ws.send(R"({"symbol":"BTCUSDT","interval":"1m"})");
  EXPECT_EQ(ws.wait_closed(), 1008);
  EXPECT_GE(fx.plugin.stats().rate_closed, 1u);
}

TEST(WsAdmission, StartRefusesBadConfigAndBusyPort) {
  PluginFixture bad(json{{"flush_every", 3}});
  try {
    bad.start();
    FAIL() << "unknown key accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("flush_every"), std::string::npos);
  }
  PluginFixture first;
  first.start();
  PluginFixture second(json{{"listen", "127.0.0.1:" + std::to_string(first.port())}});
  try {
    second.start();
    FAIL() << "bound a busy port";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen"), std::string::npos);
  }
  PluginFixture missing_root(json{{"web_root", "/nonexistent/tickd-web"}});
  EXPECT_THROW(missing_root.start(), std::runtime_error);
}

}  // namespace
}  // namespace tickd::ws::testing
