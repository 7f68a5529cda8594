#include "ws_protocol.hpp"

#include <gtest/gtest.h>

namespace tickd::ws {
namespace {

class WsProtocol : public ::testing::Test {
 protected:
  SeriesTable table{{"BTCUSDT", "ETHUSDT"}, {*Interval::parse("1s"), *Interval::parse("1m")}};
  SeriesId btc_1m = *table.find("BTCUSDT", *Interval::parse("1m"));
  SeriesId eth_1s = *table.find("ETHUSDT", *Interval::parse("1s"));
};

TEST_F(WsProtocol, CandlesRequests) {
  auto add = parse_request(Stream::candles, R"({"symbol":"BTCUSDT","interval":"1m"})", table);
  EXPECT_TRUE(add.error.empty());
  EXPECT_EQ(add.op, SubscriptionRequest::Op::add);
  EXPECT_EQ(add.series, std::vector<SeriesId>{btc_1m});

  auto set = parse_request(
      Stream::candles,
      R"({"subscriptions":[{"symbol":"BTCUSDT","interval":"1m"},{"symbol":"ETHUSDT","interval":"1s"}]})",
      table);
  EXPECT_EQ(set.op, SubscriptionRequest::Op::replace);
  EXPECT_EQ(set.series, (std::vector<SeriesId>{btc_1m, eth_1s}));

  auto rm =
      parse_request(Stream::candles, R"({"action":"unsubscribe","symbol":"ETHUSDT","interval":"1s"})", table);
  EXPECT_EQ(rm.op, SubscriptionRequest::Op::remove);
  EXPECT_EQ(rm.series, std::vector<SeriesId>{eth_1s});
}

TEST_F(WsProtocol, RefusalsSayWhy) {
  EXPECT_EQ(parse_request(Stream::candles, "{nope", table).error, "invalid JSON");
  EXPECT_EQ(parse_request(Stream::candles, "[1]", table).error, "expected a JSON object");
  EXPECT_NE(parse_request(Stream::candles, R"({"symbol":"DOGE","interval":"1m"})", table)
                .error.find("unknown symbol"),
            std::string::npos);
  EXPECT_NE(
      parse_request(Stream::candles, R"({"symbol":"BTCUSDT","interval":"1h"})", table).error.find("interval"),
      std::string::npos);
  auto partial = parse_request(
      Stream::candles,
      R"({"subscriptions":[{"symbol":"BTCUSDT","interval":"1m"},{"symbol":"X","interval":"1m"}]})", table);
  EXPECT_FALSE(partial.error.empty());
  EXPECT_FALSE(
      parse_request(Stream::candles, R"({"action":"drop","symbol":"BTCUSDT","interval":"1m"})", table)
          .error.empty());
  EXPECT_FALSE(
      parse_request(Stream::realtime, R"({"symbol":"BTCUSDT","interval":"1m"})", table).error.empty());
}

TEST_F(WsProtocol, LegacyCrossProduct) {
  auto r = parse_request(
      Stream::legacy,
      R"({"type":"subscription","data":{"action":"subscribe","symbols":["BTCUSDT","ETHUSDT"],"timeframes":["1s","1m"]}})",
      table);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.series.size(), 4u);
  EXPECT_FALSE(parse_request(Stream::legacy, R"({"type":"sub"})", table).error.empty());
  auto ack = nlohmann::json::parse(subscribed_message(Stream::legacy, {btc_1m}, table));
  EXPECT_EQ(ack["data"]["subscriptions"][0]["timeframe"], "1m");
}

}  // namespace
}  // namespace tickd::ws
