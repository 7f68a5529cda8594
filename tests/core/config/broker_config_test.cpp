// feed.kind binance | kite | smartapi: their blocks, defaults and errors.
#include "config/config_loader.hpp"

#include "config_test_util.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace tickd::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kValidAggregator;
using testing::load_error;

TEST(BrokerConfig, BinanceBlockWithEveryKey) {
  const Config c = load_config_text(
      "feed:\n"
      "  kind: binance\n"
      "  symbols: [BTCUSDT, ETHUSDT]\n"
      "  binance:\n"
      "    url: wss://example.test:9443/stream\n"
      "    streams: [aggTrade, kline_1m]\n"
      "    subscribe_mode: message\n"
      "    rest_url: https://api.example.test/\n"
      "    bootstrap_klines: 500\n"
      "    backfill: false\n"
      "    ca_file: certs/ca.pem\n"
      "    verify: false\n"
      "    stale_after: 45s\n"
      "    reconnect: {initial: 250ms, max: 1m}\n"
      "    max_message_bytes: 65536\n" +
          std::string(kValidAggregator),
      "b.yaml", "/etc/tickd");
  const BinanceConfig& b = c.feed.binance;
  EXPECT_EQ(c.feed.kind, "binance");
  EXPECT_EQ(b.connection.url, "wss://example.test:9443/stream");
  EXPECT_THAT(b.streams, ElementsAre("aggTrade", "kline_1m"));
  EXPECT_EQ(b.subscribe_mode, BinanceSubscribeMode::message);
  EXPECT_EQ(b.rest_url, "https://api.example.test");
  EXPECT_EQ(b.bootstrap_klines, 500u);
  EXPECT_FALSE(b.backfill);
  EXPECT_EQ(b.connection.ca_file, "/etc/tickd/certs/ca.pem");
  EXPECT_FALSE(b.connection.verify);
  EXPECT_EQ(b.connection.stale_after_ms, 45000);
  EXPECT_EQ(b.connection.reconnect_initial_ms, 250);
  EXPECT_EQ(b.connection.reconnect_max_ms, 60000);
  EXPECT_EQ(b.connection.max_message_bytes, 65536u);
}

TEST(BrokerConfig, BinanceDefaults) {
  const Config c = load_config_text(
      "feed: {kind: binance, symbols: [BTCUSDT]}\n" + std::string(kValidAggregator), "b.yaml", "");
  EXPECT_EQ(c.feed.binance.connection.url, "wss://stream.binance.com:9443/stream");
  EXPECT_THAT(c.feed.binance.streams, ElementsAre("aggTrade"));
  EXPECT_EQ(c.feed.binance.rest_url, "https://api.binance.com");
  EXPECT_EQ(c.feed.binance.bootstrap_klines, 1000u);
  EXPECT_TRUE(c.feed.binance.backfill);
  EXPECT_TRUE(c.feed.binance.connection.verify);
  EXPECT_EQ(c.feed.binance.connection.max_message_bytes, 1u << 20);
}

TEST(BrokerConfig, BinanceErrorsNameTheKey) {
  EXPECT_THAT(load_error("feed: {kind: binance, symbols: [X], binance: {streams: [depth]}}\n" +
                         std::string(kValidAggregator)),
              HasSubstr("unknown stream 'depth'"));
  EXPECT_THAT(load_error("feed: {kind: binance, symbols: [X], binance: {url: http://x}}\n" +
                         std::string(kValidAggregator)),
              HasSubstr("'feed.binance.url' must start with ws:// or wss://"));
  EXPECT_THAT(load_error("feed: {kind: binance, binance: {}}\n" + std::string(kValidAggregator)),
              HasSubstr("must list at least one symbol for binance"));
  EXPECT_THAT(
      load_error("feed: {kind: binance, symbols: [X], binance: {reconnect: {initial: 2s, max: 1s}}}\n" +
                 std::string(kValidAggregator)),
      HasSubstr("must not be less than 'initial'"));
}

TEST(BrokerConfig, KiteWithSecretsFromTheEnvironment) {
  setenv("TICKD_TEST_KITE_KEY", "k1", 1);
  setenv("TICKD_TEST_KITE_TOKEN", "t1", 1);
  const Config c = load_config_text(
      "feed:\n  kind: kite\n  kite:\n    api_key: ${TICKD_TEST_KITE_KEY}\n    access_token: "
      "${TICKD_TEST_KITE_TOKEN}\n"
      "    mode: quote\n    instruments: {408065: 'NSE:INFY', 884737: 'NSE:TATAMOTORS'}\n" +
          std::string(kValidAggregator),
      "k.yaml", "");
  EXPECT_EQ(c.feed.kite.api_key, "k1");
  EXPECT_EQ(c.feed.kite.access_token, "t1");
  EXPECT_EQ(c.feed.kite.mode, "quote");
  ASSERT_EQ(c.feed.kite.instruments.size(), 2u);
  EXPECT_EQ(c.feed.kite.instruments[0].first, 408065u);
  EXPECT_THAT(c.feed.symbols, ElementsAre("NSE:INFY", "NSE:TATAMOTORS"));
  EXPECT_EQ(c.feed.kite.connection.url, "wss://ws.kite.trade");
}

TEST(BrokerConfig, KiteNeedsCredentialsAndInstruments) {
  EXPECT_THAT(load_error("feed: {kind: kite, kite: {access_token: t, instruments: {1: A}}}\n" +
                         std::string(kValidAggregator)),
              HasSubstr("'feed.kite.api_key' is required"));
  EXPECT_THAT(
      load_error("feed: {kind: kite, kite: {api_key: k, access_token: t}}\n" + std::string(kValidAggregator)),
      HasSubstr("'feed.symbols' must list EXCHANGE:TRADINGSYMBOL names"));
  EXPECT_THAT(
      testing::load_errors("feed: {kind: kite, kite: {api_key: k, access_token: t, instruments: {x1: A}}}\n" +
                           std::string(kValidAggregator)),
      ::testing::Contains(HasSubstr("instrument token 'x1' must be a positive 32-bit integer")));
}

TEST(BrokerConfig, SmartApiTokensAndHeartbeat) {
  const Config c = load_config_text(
      "feed:\n  kind: smartapi\n  smartapi:\n    auth_token: a\n    api_key: b\n    client_code: c\n"
      "    feed_token: d\n    mode: snapquote\n    heartbeat: 10s\n"
      "    tokens: [{exchange_type: 2, token: '35003', symbol: NIFTYFUT}, {token: '2885', symbol: "
      "RELIANCE}]\n" +
          std::string(kValidAggregator),
      "s.yaml", "");
  const SmartApiConfig& s = c.feed.smartapi;
  EXPECT_EQ(s.mode, "snapquote");
  EXPECT_EQ(s.heartbeat_ms, 10000);
  ASSERT_EQ(s.tokens.size(), 2u);
  EXPECT_EQ(s.tokens[0].exchange_type, 2);
  EXPECT_EQ(s.tokens[1].exchange_type, 1);
  EXPECT_THAT(c.feed.symbols, ElementsAre("NIFTYFUT", "RELIANCE"));
  EXPECT_EQ(s.connection.url, "wss://smartapisocket.angelone.in/smart-stream");
}

TEST(BrokerConfig, SmartApiErrors) {
  EXPECT_THAT(
      load_error("feed: {kind: smartapi, smartapi: {auth_token: a, api_key: b, client_code: c, feed_token: d,"
                 " tokens: [{token: '1'}]}}\n" +
                 std::string(kValidAggregator)),
      HasSubstr("'feed.smartapi.tokens[0].symbol' is required"));
  EXPECT_THAT(load_error("feed: {kind: smartapi, smartapi: {auth_token: a, api_key: b, client_code: c,"
                         " tokens: [{token: '1', symbol: A}]}}\n" +
                         std::string(kValidAggregator)),
              HasSubstr("'feed.smartapi.feed_token' is required"));
}

}  // namespace
}  // namespace tickd::core

namespace tickd::core {
namespace {

TEST(BrokerConfig, IndianBrokersHistoryKeysAndTokenFiles) {
  const Config k = load_config_text(
      "feed: {kind: kite, kite: {api_key: k, access_token_file: tok.txt, rest_url: 'http://127.0.0.1:9/',"
      " bootstrap_candles: 50, backfill: false, instruments: {1: A}}}\n" +
          std::string(kValidAggregator),
      "k.yaml", "/etc/tickd");
  EXPECT_EQ(k.feed.kite.access_token_file, "/etc/tickd/tok.txt");
  EXPECT_EQ(k.feed.kite.history.rest_url, "http://127.0.0.1:9");
  EXPECT_EQ(k.feed.kite.history.bootstrap_candles, 50u);
  EXPECT_FALSE(k.feed.kite.history.backfill);
  const Config d =
      load_config_text("feed: {kind: kite, kite: {api_key: k, access_token: t, instruments: {1: A}}}\n" +
                           std::string(kValidAggregator),
                       "k.yaml", "");
  EXPECT_EQ(d.feed.kite.history.rest_url, "https://api.kite.trade");
  EXPECT_EQ(d.feed.kite.history.bootstrap_candles, 1000u);
  EXPECT_TRUE(d.feed.kite.history.backfill);
  EXPECT_THAT(load_error("feed: {kind: kite, kite: {api_key: k, access_token: t, access_token_file: f,"
                         " instruments: {1: A}}}\n" +
                         std::string(kValidAggregator)),
              HasSubstr("exclude each other"));
  EXPECT_THAT(load_error("feed: {kind: kite, kite: {api_key: k, access_token: t, rest_url: 'ftp://x',"
                         " instruments: {1: A}}}\n" +
                         std::string(kValidAggregator)),
              HasSubstr("must start with http:// or https://"));
  const Config s = load_config_text(
      "feed: {kind: smartapi, smartapi: {auth_token_file: jwt.txt, feed_token_file: /run/feed.txt, api_key: "
      "b,"
      " client_code: c, tokens: [{token: '2885', symbol: RELIANCE}]}}\n" +
          std::string(kValidAggregator),
      "s.yaml", "/etc/tickd");
  EXPECT_EQ(s.feed.smartapi.auth_token_file, "/etc/tickd/jwt.txt");
  EXPECT_EQ(s.feed.smartapi.feed_token_file, "/run/feed.txt");
  EXPECT_EQ(s.feed.smartapi.history.rest_url, "https://apiconnect.angelone.in");
}

}  // namespace
}  // namespace tickd::core

namespace tickd::core {
namespace {

using testing::load_error;

// `n` instrument names in feed.symbols (a YAML flow list).
std::string names(std::size_t n) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) out += (i ? ", " : "") + std::string("NSE:S") + std::to_string(i);
  return out + "]";
}

TEST(BrokerConfig, ShardingDefaultsAreTheBrokersDocumentedLimits) {
  const Config k =
      load_config_text("feed: {kind: kite, symbols: [NSE:INFY], kite: {api_key: k, access_token: t}}\n" +
                           std::string(testing::kValidAggregator),
                       "t.yaml", "/base");
  EXPECT_EQ(k.feed.kite.sharding.instruments_per_connection, 3000u);
  EXPECT_EQ(k.feed.kite.sharding.max_connections, 3u);
  const Config s = load_config_text(
      "feed: {kind: smartapi, symbols: [NSE:INFY], smartapi: {auth_token: a, api_key: k, client_code: c, "
      "feed_token: f, instruments_per_connection: 500, max_connections: 2}}\n" +
          std::string(testing::kValidAggregator),
      "t.yaml", "/base");
  EXPECT_EQ(s.feed.smartapi.sharding.instruments_per_connection, 500u);
  EXPECT_EQ(s.feed.smartapi.sharding.max_connections, 2u);
}

TEST(BrokerConfig, MoreInstrumentsThanTheConnectionsAllowIsAnErrorAtTheKey) {
  // SmartAPI: 1,000 per connection, 3 connections by default.
  const std::string smartapi = "feed:\n  kind: smartapi\n  symbols: " + names(3001) +
                               "\n  smartapi:\n    auth_token: a\n    api_key: k\n    client_code: c\n"
                               "    feed_token: f\n";
  EXPECT_THAT(
      load_error(smartapi + testing::kValidAggregator),
      ::testing::AllOf(HasSubstr("t.yaml:5:5: 'feed.smartapi.max_connections': 3001 instruments need 4 "
                                 "connections of 1000"),
                       HasSubstr("more than the 3 allowed")));
  EXPECT_NO_THROW(
      load_config_text("feed:\n  kind: smartapi\n  symbols: " + names(3000) +
                           "\n  smartapi:\n    auth_token: a\n    api_key: k\n    client_code: c\n"
                           "    feed_token: f\n" +
                           testing::kValidAggregator,
                       "t.yaml", "/base"));
  // Kite with its limits lowered: the error sits at max_connections.
  const std::string kite =
      "feed:\n  kind: kite\n  symbols: " + names(5) +
      "\n  kite:\n    api_key: k\n    access_token: t\n    instruments_per_connection: 2\n"
      "    max_connections: 2\n";
  EXPECT_THAT(load_error(kite + testing::kValidAggregator),
              HasSubstr("t.yaml:8:22: 'feed.kite.max_connections': 5 instruments need 3 connections of 2"));
  EXPECT_THAT(load_error("feed: {kind: kite, symbols: [NSE:A], kite: {api_key: k, access_token: t, "
                         "max_connections: 0}}\n" +
                         std::string(testing::kValidAggregator)),
              HasSubstr("'feed.kite.max_connections'"));
}

}  // namespace
}  // namespace tickd::core
