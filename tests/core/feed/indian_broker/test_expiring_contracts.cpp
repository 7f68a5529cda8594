// Expiring contracts: after the daily instrument master refresh, a contract
// that expired is unsubscribed from its connection (the local Kite ticker
// sees the unsubscribe), logged once, counted in the feed's status, and not
// subscribed again when the connections are renewed.
#include "feed/indian_broker/master_refresher.hpp"
#include "feed/kite/kite_feed.hpp"
#include "feed/kite/kite_instruments.hpp"
#include "http_receiver.hpp"
#include "instrument_masters.hpp"
#include "kite_shard_server.hpp"
#include "shard_test_support.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <fstream>

namespace tickd::core {
namespace {

using namespace tickd::core::testing;
using test_servers::KiteShardServer;

// The refresh point (08:30 IST) of the day after yyyymmdd, UTC ms.
TimeMs refresh_after(int yyyymmdd) {
  std::tm tm{};
  tm.tm_year = yyyymmdd / 10000 - 1900;
  tm.tm_mon = yyyymmdd / 100 % 100 - 1;
  tm.tm_mday = yyyymmdd % 100;
  return static_cast<TimeMs>(timegm(&tm)) * 1000 + 86'400'000 + (8 * 60 + 30 - 5 * 60 - 30) * 60'000;
}

TEST(ExpiringContracts, AnExpiredContractIsUnsubscribedFromItsConnectionOnceAfterTheDailyRefresh) {
  const auto spec = test_servers::spec_instruments(test_servers::ist_today());
  const auto& future = test_servers::live_future(spec);
  const std::string future_name = "NFO:" + future.kite_symbol;
  const auto future_token = static_cast<std::uint32_t>(std::stoul(future.kite_token));
  test::HttpReceiver master([&](const test::HttpRequestSeen&) {
    test::HttpReply r;
    r.body = test_servers::kite_instruments_csv(spec);
    r.content_type = "text/csv";
    return r;
  });
  test_support::TempDir dir("tickd-shard-expiry");
  MasterSource source;
  source.broker = "kite";
  source.url = master.url("/instruments");
  source.cache_file = dir.file("kite-instruments.csv");
  source.parse = parse_kite_instruments;

  KiteShardServer server({2, 1000000, std::chrono::milliseconds(50), -1, 0});
  boost::asio::io_context io;
  SymbolTable symbols;
  KiteConfig config = kite_config(server.port(), 4);
  config.instruments.emplace_back(future_token, future_name);  // the fifth: third connection
  config.sharding = {2, 3};
  config.access_token.clear();
  config.access_token_file = dir.file("kite.token");
  std::ofstream(config.access_token_file) << "token-a\n";
  KiteFeed feed(config, io, symbols);
  // The refresher's clock stands just before the first refresh after the
  // future's expiry day.
  const TimeMs shift = refresh_after(future.expiry) - 300 - Feed::wall_clock_ms();
  auto refresher = std::make_unique<MasterRefresher>(
      [&] { return source; },
      std::vector<MasterRefresher::Named>{{future_name, future.kite_token, future.expiry}},
      InstrumentMasterInfo{"downloaded", spec.size(), Feed::wall_clock_ms(), ""},
      [shift] { return Feed::wall_clock_ms() + shift; });
  MasterRefresher* watch = refresher.get();
  feed.use_instrument_master({"downloaded", spec.size(), Feed::wall_clock_ms(), ""}, std::move(refresher));
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(4096);
  spdlog::default_logger()->sinks().push_back(ring);
  RoundsSink sink;
  feed.start(sink);
  const bool done = run_until(
      io, [&] { return feed.stats().instruments_expired > 0 && !server.unsubscriptions().empty(); },
      std::chrono::seconds(15));
  // A while longer: the next upkeep turns must not report it again.
  run_until(
      io, [] { return false; }, std::chrono::seconds(2));
  const FeedStats stats = feed.stats();
  // A renewed token reconnects every connection: the expired contract is not
  // subscribed again.
  std::ofstream(config.access_token_file) << "token-b\n";
  feed.reload_credentials();
  auto resubscribed = [&] {
    const auto subs = server.subscriptions();
    std::vector<std::uint32_t> out;
    for (std::size_t i = 3; i < subs.size(); ++i) out.insert(out.end(), subs[i].begin(), subs[i].end());
    return out;
  };
  const bool renewed = run_until(
      io, [&] { return server.connections() >= 6 && resubscribed().size() >= 4; }, std::chrono::seconds(10));
  feed.stop();
  io.run_for(std::chrono::milliseconds(50));
  spdlog::default_logger()->sinks().pop_back();
  ASSERT_TRUE(done) << "refreshes: " << watch->refreshes();
  ASSERT_TRUE(renewed) << server.connections() << " connections";
  std::vector<std::uint32_t> again = resubscribed();
  std::sort(again.begin(), again.end());
  EXPECT_EQ(again, (std::vector<std::uint32_t>{token_of(0), token_of(1), token_of(2), token_of(3)}));

  EXPECT_EQ(stats.instruments_expired, 1u);
  ASSERT_EQ(stats.connections.size(), 3u);
  EXPECT_EQ(stats.connections[2].instruments, 0u);
  EXPECT_EQ(stats.connections[0].instruments, 2u);
  EXPECT_EQ(stats.connections[1].instruments, 2u);
  std::size_t unsubscribed = 0;
  for (const auto& tokens : server.unsubscriptions()) {
    for (std::uint32_t t : tokens) EXPECT_EQ(t, future_token);
    unsubscribed += tokens.size();
  }
  EXPECT_EQ(unsubscribed, 1u);
  std::size_t said = 0;
  for (const auto& line : ring->last_formatted())
    if (line.find(future_name) != std::string::npos && line.find("expired") != std::string::npos) ++said;
  EXPECT_EQ(said, 2u) << "once by the refresh, once by the feed that unsubscribed it";
  EXPECT_EQ(watch->expired(), std::vector<std::string>{future_name});
}

}  // namespace
}  // namespace tickd::core
