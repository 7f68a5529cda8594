// The Indian broker feeds spread their instruments over several WebSocket
// connections, against a local Kite ticker that refuses a subscribe beyond
// its per-connection limit: 8,000 instruments over 3 connections, every
// instrument ticks; a dropped connection reconnects and resubscribes alone,
// nothing missing or doubled, and backfills only its own instruments; SmartAPI
// spreads its tokens likewise.
#include "feed/indian_broker/shard_plan.hpp"
#include "feed/kite/kite_feed.hpp"
#include "feed/smartapi/smartapi_feed.hpp"
#include "indian_broker_data.hpp"
#include "kite_shard_server.hpp"
#include "shard_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <set>

namespace tickd::core {
namespace {

using namespace tickd::core::testing;
using test_servers::KiteShardServer;

// Each instrument received rounds 1..n exactly once, in order.
void expect_every_round_once(const RoundsSink& sink, const SymbolTable& symbols, std::size_t instruments,
                             int n) {
  std::vector<int> want;
  for (int r = 1; r <= n; ++r) want.push_back(r);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < instruments; ++i) {
    const auto id = symbols.find("NSE:S" + std::to_string(i));
    ASSERT_TRUE(id);
    const std::vector<int> got = *id < sink.rounds.size() ? sink.rounds[*id] : std::vector<int>{};
    if (got != want && ++wrong <= 5) ADD_FAILURE() << "NSE:S" << i << ": " << got.size() << " ticks";
  }
  EXPECT_EQ(wrong, 0u) << "instruments whose ticks are missing or doubled";
}

// A Kite feed of `instruments` on `server` until every round is played; its
// figures just before it stops.
FeedStats play_all_rounds(KiteShardServer& server, std::size_t instruments, int rounds, SymbolTable& symbols,
                          RoundsSink& sink) {
  boost::asio::io_context io;
  KiteFeed feed(kite_config(server.port(), instruments), io, symbols);
  feed.start(sink);
  EXPECT_TRUE(run_until(
      io, [&] { return server.all_played() && sink.ticks >= instruments * static_cast<std::size_t>(rounds); },
      std::chrono::seconds(30)))
      << sink.ticks << " ticks";
  const FeedStats stats = feed.stats();
  feed.stop();
  io.run_for(std::chrono::milliseconds(50));
  return stats;
}

TEST(ShardPlan, FewestConnectionsFilledEvenly) {
  EXPECT_EQ(shard_sizes(8000, 3000, 3), (std::vector<std::size_t>{2667, 2667, 2666}));
  EXPECT_EQ(shard_sizes(3000, 3000, 3), (std::vector<std::size_t>{3000}));
  EXPECT_EQ(shard_sizes(3001, 3000, 3), (std::vector<std::size_t>{1501, 1500}));
  EXPECT_EQ(shard_sizes(0, 1000, 3), (std::vector<std::size_t>{0}));
  EXPECT_TRUE(shard_sizes(9001, 3000, 3).empty());
  EXPECT_TRUE(shard_sizes(3001, 1000, 3).empty());
  EXPECT_EQ(connections_needed(9001, 3000), 4u);
}

TEST(BrokerShards, EightThousandInstrumentsOverThreeConnectionsEveryOneTicks) {
  constexpr std::size_t kInstruments = 8000;
  constexpr int kRounds = 4;
  KiteShardServer server({3000, kRounds, std::chrono::milliseconds(30), -1, 0});
  SymbolTable symbols;
  RoundsSink sink;
  const FeedStats stats = play_all_rounds(server, kInstruments, kRounds, symbols, sink);

  EXPECT_EQ(server.refusals(), 0u);
  EXPECT_EQ(server.connections(), 3);
  const auto subs = server.subscriptions();
  ASSERT_EQ(subs.size(), 3u);
  std::set<std::uint32_t> all;
  for (const auto& s : subs) {
    EXPECT_LE(s.size(), 3000u);
    all.insert(s.begin(), s.end());
  }
  EXPECT_EQ(all.size(), kInstruments) << "an instrument subscribed twice or not at all";
  expect_every_round_once(sink, symbols, kInstruments, kRounds);

  ASSERT_EQ(stats.connections.size(), 3u);
  std::uint64_t ticks = 0;
  for (const auto& c : stats.connections) {
    EXPECT_EQ(c.state, "live");
    EXPECT_EQ(c.reconnects, 0u);
    EXPECT_GE(c.messages, 3u * kRounds);
    ticks += c.ticks;
  }
  EXPECT_EQ(stats.connections[0].instruments, 2667u);
  EXPECT_EQ(stats.connections[2].instruments, 2666u);
  EXPECT_EQ(ticks, kInstruments * kRounds);
  EXPECT_EQ(stats.ticks, kInstruments * kRounds);
  EXPECT_EQ(stats.state, "live");
}

TEST(BrokerShards, ADroppedConnectionAloneReconnectsAndResubscribesNothingMissingOrDoubled) {
  constexpr std::size_t kInstruments = 8000;
  constexpr int kRounds = 5;
  KiteShardServer server({3000, kRounds, std::chrono::milliseconds(30), 1, 2});
  SymbolTable symbols;
  RoundsSink sink;
  const FeedStats stats = play_all_rounds(server, kInstruments, kRounds, symbols, sink);

  EXPECT_EQ(server.refusals(), 0u);
  EXPECT_EQ(server.connections(), 4) << "only the dropped connection comes back";
  const auto subs = server.subscriptions();
  ASSERT_EQ(subs.size(), 4u);
  EXPECT_EQ(subs[3], subs[1]) << "the new connection resubscribes exactly the dropped one's instruments";
  expect_every_round_once(sink, symbols, kInstruments, kRounds);

  ASSERT_EQ(stats.connections.size(), 3u);
  std::vector<std::uint64_t> reconnects;
  for (const auto& c : stats.connections) reconnects.push_back(c.reconnects);
  // Which shard the server saw second depends on connect order: the one that
  // reconnected carries the dropped connection's instruments.
  std::size_t dropped = 3;
  for (std::size_t k = 0; k < 3; ++k)
    if (stats.connections[k].reconnects > 0) dropped = k;
  ASSERT_LT(dropped, 3u);
  EXPECT_EQ(stats.connections[dropped].reconnects, 1u);
  EXPECT_EQ(stats.connections[dropped].instruments, subs[1].size());
  EXPECT_EQ(stats.reconnects, 1u);
  for (const auto& c : stats.connections) EXPECT_EQ(c.state, "live");
}

TEST(BrokerShards, TheServerRefusesAConnectionOverItsLimit) {
  // The same instruments over two connections of 4,000: the server says no
  // (so the tests above would fail had the feed packed a connection too full).
  KiteShardServer server({3000, 2, std::chrono::milliseconds(30), -1, 0});
  boost::asio::io_context io;
  SymbolTable symbols;
  KiteConfig config = kite_config(server.port(), 8000);
  config.sharding = {4000, 2};
  KiteFeed feed(config, io, symbols);
  RoundsSink sink;
  feed.start(sink);
  EXPECT_TRUE(run_until(
      io, [&] { return server.refusals() >= 2; }, std::chrono::seconds(10)));
  feed.stop();
  io.run_for(std::chrono::milliseconds(50));
  EXPECT_EQ(sink.ticks, 0u);
}

TEST(BrokerShards, MoreInstrumentsThanTheConnectionsAllowAreRefusedAtConstruction) {
  boost::asio::io_context io;
  SymbolTable symbols;
  KiteConfig config = kite_config(1, 9001);
  try {
    KiteFeed feed(config, io, symbols);
    FAIL() << "9,001 instruments over 3 x 3,000";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("9001 instruments need 4 connections"), std::string::npos)
        << e.what();
  }
}

TEST(BrokerShards, ADroppedConnectionBackfillsOnlyItsOwnInstruments) {
  constexpr int kRounds = 9;
  constexpr std::int64_t kBase = 1'700'000'040;  // s, a minute boundary
  KiteShardServer::Options o;
  o.per_connection_limit = 2;
  o.rounds = kRounds;
  o.round_gap = std::chrono::milliseconds(30);
  o.drop_connection = 1;
  o.drop_after_round = 3;  // rounds 0..2 live, 3..5 lost, 6.. after the reconnect
  o.full = true;
  o.base_s = kBase;
  o.skip_after_drop = 3;
  KiteShardServer server(o);
  std::vector<test_servers::PaiseCandle> minute;
  for (int r = 0; r < kRounds; ++r) minute.push_back({(kBase + 60 * r) * 1000, 100, 100, 100, 100, 10});
  std::mutex mu;
  std::set<std::string> asked;  // tokens whose history was asked for
  server.server().on_http_call([&](const test_servers::HttpCall& call) {
    const std::string prefix = "/instruments/historical/";
    if (call.resource.rfind(prefix, 0) == 0) {
      std::lock_guard<std::mutex> lock(mu);
      asked.insert(
          call.resource.substr(prefix.size(), call.resource.find('/', prefix.size()) - prefix.size()));
    }
    return test_servers::kite_historical_answer(minute, call.resource);
  });
  boost::asio::io_context io;
  SymbolTable symbols;
  KiteConfig config = kite_config(server.port(), 4);
  config.mode = "full";
  config.history.backfill = true;
  config.sharding = {2, 2};
  KiteFeed feed(config, io, symbols, {*Interval::parse("1m")});
  RoundsSink sink;
  feed.start(sink);
  EXPECT_TRUE(run_until(
      io, [&] { return server.all_played() && server.connections() == 3 && sink.ticks >= 4 * 9 - 2 * 3; },
      std::chrono::seconds(20)))
      << sink.ticks << " ticks";
  feed.stop();
  io.run_for(std::chrono::milliseconds(50));

  const auto subs = server.subscriptions();
  ASSERT_EQ(subs.size(), 3u);
  EXPECT_EQ(subs[2], subs[1]);
  const std::set<std::uint32_t> dropped(subs[1].begin(), subs[1].end());
  std::set<std::string> want;
  for (std::uint32_t t : dropped) want.insert(std::to_string(t));
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(asked, want)
        << "history asked for other connections' instruments, or not for the dropped one's";
  }
  for (std::size_t i = 0; i < 4; ++i) {
    const SymbolId id = *symbols.find("NSE:S" + std::to_string(i));
    const bool was_dropped = dropped.count(token_of(i)) > 0;
    std::vector<int> live;
    for (int r = 1; r <= kRounds; ++r)
      if (!was_dropped || r <= 3 || r >= 7) live.push_back(r);
    EXPECT_EQ(id < sink.rounds.size() ? sink.rounds[id] : std::vector<int>{}, live) << "NSE:S" << i;
    // The minute open at the loss (round 2) up to the one of the first new
    // tick (round 6): from REST, each once.
    const std::vector<TimeMs> gap = {(kBase + 120) * 1000, (kBase + 180) * 1000, (kBase + 240) * 1000,
                                     (kBase + 300) * 1000};
    EXPECT_EQ(sink.backfilled[id], was_dropped ? gap : std::vector<TimeMs>{}) << "NSE:S" << i;
  }
}

TEST(BrokerShards, SmartApiSpreadsItsTokensWithinTheLimitAndEachTicks) {
  // A SmartAPI V2 server that refuses more than two tokens per connection
  // and answers each subscribed token with one SnapQuote packet.
  constexpr std::size_t kLimit = 2;
  std::mutex mu;
  std::vector<std::vector<std::string>> subscribed;
  std::size_t refused = 0;
  test_servers::LocalWsServer server([&](test_servers::Peer& p) {
    std::string msg;
    if (!p.wait_message(msg, std::chrono::seconds(10))) return;
    const auto j = nlohmann::json::parse(msg, nullptr, false);
    std::vector<std::string> tokens;
    if (!j.is_discarded() && j.value("action", -1) == 1)
      for (const auto& list : j["params"]["tokenList"])
        for (const auto& t : list["tokens"]) tokens.push_back(t.get<std::string>());
    {
      std::lock_guard<std::mutex> lock(mu);
      if (tokens.size() > kLimit) ++refused;
      subscribed.push_back(tokens);
    }
    if (tokens.size() > kLimit) {
      p.send_text(R"({"errorCode":"E1002","errorMessage":"token limit exceeded"})");
      p.drop();
      return;
    }
    for (const auto& t : tokens)
      for (const auto& f : test_servers::smartapi_trade_frames({{1'700'000'000'000, 10000, 5}}, t))
        p.send_binary(f);
    p.pause(std::chrono::seconds(30));
  });
  boost::asio::io_context io;
  SymbolTable symbols;
  SmartApiConfig config;
  config.connection.url = "ws://127.0.0.1:" + std::to_string(server.port()) + "/smart-stream";
  config.history.rest_url = "http://127.0.0.1:" + std::to_string(server.port());
  config.history.bootstrap_candles = 0;
  config.auth_token = "jwt";
  config.api_key = "key";
  config.client_code = "C1";
  config.feed_token = "feed";
  for (int i = 0; i < 5; ++i)
    config.tokens.push_back({1, std::to_string(1000 + i), "NSE:T" + std::to_string(i)});
  config.sharding = {kLimit, 3};
  SmartApiFeed feed(config, io, symbols);
  RoundsSink sink;
  feed.start(sink);
  EXPECT_TRUE(run_until(
      io, [&] { return sink.ticks >= 5; }, std::chrono::seconds(10)))
      << sink.ticks;
  const FeedStats stats = feed.stats();
  feed.stop();
  io.run_for(std::chrono::milliseconds(50));
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(refused, 0u);
  ASSERT_EQ(subscribed.size(), 3u);
  std::multiset<std::string> all;
  for (const auto& s : subscribed) all.insert(s.begin(), s.end());
  EXPECT_EQ(all, (std::multiset<std::string>{"1000", "1001", "1002", "1003", "1004"}));
  for (int i = 0; i < 5; ++i) {
    const SymbolId id = *symbols.find("NSE:T" + std::to_string(i));
    EXPECT_EQ(id < sink.rounds.size() ? sink.rounds[id].size() : 0u, 1u) << "NSE:T" << i;
  }
  ASSERT_EQ(stats.connections.size(), 3u);
  EXPECT_EQ(stats.connections[2].instruments, 1u);
}

}  // namespace
}  // namespace tickd::core
