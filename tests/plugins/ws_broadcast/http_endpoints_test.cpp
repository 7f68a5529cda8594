#include "plugin_fixture.hpp"
#include "test_clients.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace tickd::ws::testing {
namespace {

nlohmann::json json_of(const HttpResult& r) { return nlohmann::json::parse(r.body); }

class HttpEndpoints : public ::testing::Test {
 protected:
  void SetUp() override { fx.start(); }
  PluginFixture fx{nlohmann::json::object(), 600};
};

TEST_F(HttpEndpoints, ServesTheChartPage) {
  auto page = http_get(fx.port(), "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("app.js"), std::string::npos);
  auto js = http_get(fx.port(), "/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(http_get(fx.port(), "/../CMakeLists.txt").status, 404);
  EXPECT_EQ(http_get(fx.port(), "/%2e%2e/CMakeLists.txt").status, 404);
}

TEST_F(HttpEndpoints, MalformedPathsGetA400AtOnce) {
  for (const char* target :
       {"/%ff", "/%", "/%zz", "/%C0%AF", "/%E0%80%AF", "/%ED%A0%80", "/a%00b", "/a%0D%0Ab", "/candles/%ff/1m",
        "/candles/BTCUSDT/%fe%ff?limit=3", "/health%ff"}) {
    SCOPED_TRACE(target);
    const auto started = std::chrono::steady_clock::now();
    auto r = http_get(fx.port(), target);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json_of(r)["error"], "malformed request target");
  }
  EXPECT_EQ(http_get(fx.port(), "/symbols").status, 200);  // and the server goes on
}

TEST_F(HttpEndpoints, HealthReportsFeedAndClients) {
  auto r = http_get(fx.port(), "/health");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  auto j = json_of(r);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["feed"]["state"], "connected");
  EXPECT_EQ(j["clients"], 0);
  WsClient ws;
  ASSERT_TRUE(ws.connect(fx.port(), "/ws/candles"));
  ASSERT_TRUE(wait_for_clients(fx.port(), 1));  // it may register on another io thread
  EXPECT_EQ(json_of(http_get(fx.port(), "/health"))["clients"], 1);
}

TEST_F(HttpEndpoints, Symbols) {
  auto r = http_get(fx.port(), "/symbols");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json_of(r), nlohmann::json({"BTCUSDT", "ETHUSDT"}));
}

TEST_F(HttpEndpoints, InfoDescribesPickers) {
  auto j = json_of(http_get(fx.port(), "/info"));
  EXPECT_EQ(j["intervals"], nlohmann::json({"1s", "1m", "5m"}));
  EXPECT_EQ(j["default_symbol"], "BTCUSDT");
  EXPECT_EQ(j["default_interval"], "1m");
}

TEST_F(HttpEndpoints, CandlesOldestFirstOpenLastInSeconds) {
  auto r = http_get(fx.port(), "/candles/BTCUSDT/1m?limit=3");
  ASSERT_EQ(r.status, 200);
  auto j = json_of(r);
  EXPECT_EQ(j["symbol"], "BTCUSDT");
  EXPECT_EQ(j["interval"], "1m");
  auto& c = j["candles"];
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[2]["time"], (PluginFixture::kBase + 599 * 60000) / 1000);
  EXPECT_EQ(c[1]["time"], (PluginFixture::kBase + 598 * 60000) / 1000);
  EXPECT_DOUBLE_EQ(c[2]["close"].get<double>(), 699);
  for (const char* k : {"time", "open", "high", "low", "close", "volume"}) EXPECT_TRUE(c[0].contains(k)) << k;
}

TEST_F(HttpEndpoints, CandlesDefaultLimitAndClamp) {
  EXPECT_EQ(json_of(http_get(fx.port(), "/candles/BTCUSDT/1m"))["candles"].size(), 500u);
  // Above the history capacity (1000 in FakeHost) the limit is clamped, not refused.
  EXPECT_EQ(json_of(http_get(fx.port(), "/candles/BTCUSDT/1m?limit=999999"))["candles"].size(), 600u);
  EXPECT_EQ(http_get(fx.port(), "/candles/BTCUSDT/1m?limit=0").status, 400);
  EXPECT_EQ(http_get(fx.port(), "/candles/BTCUSDT/1m?limit=ten").status, 400);
}

TEST_F(HttpEndpoints, UnknownSeriesIs404Json) {
  for (const char* target : {"/candles/DOGEUSDT/1m", "/candles/BTCUSDT/2m", "/candles/BTCUSDT/1h"}) {
    auto r = http_get(fx.port(), target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.headers["content-type"], "application/json");
    EXPECT_TRUE(json_of(r)["error"].is_string()) << target;
  }
  EXPECT_NE(json_of(http_get(fx.port(), "/candles/DOGEUSDT/1m"))["error"].get<std::string>().find("DOGEUSDT"),
            std::string::npos);
  EXPECT_EQ(http_get(fx.port(), "/nothing/here").status, 404);
  EXPECT_EQ(http_get(fx.port(), "/health", {}, "POST").status, 405);
}

TEST_F(HttpEndpoints, HistoricIsTheDefaultSeries) {
  auto r = http_get(fx.port(), "/historic?limit=2");
  ASSERT_EQ(r.status, 200);
  auto j = json_of(r);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["time"], (PluginFixture::kBase + 599 * 60000) / 1000);
}

}  // namespace
}  // namespace tickd::ws::testing
