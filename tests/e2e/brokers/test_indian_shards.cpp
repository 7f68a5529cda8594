// The daemon on a Kite feed whose instruments need several connections
// (against a local ticker that refuses more than its per-connection limit):
// each connection shows in /metrics, /health and `tickd stats`; too many
// instruments for the connections allowed is a config error at the key;
// SIGHUP re-reads the access-token file and renews only the broker
// connections (all of them), the observers untouched.
#include "broker_fixture.hpp"
#include "e2e/http_get.hpp"
#include "kite_shard_server.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <mutex>

namespace tickd::e2e {
namespace {

using test_servers::KiteShardServer;

// Kite tokens of NSE (segment byte 1).
std::string instruments(int n) {
  std::string out = "{";
  for (int i = 0; i < n; ++i)
    out += (i ? ", " : "") + std::to_string((i + 1) << 8 | 1) + ": NSE:S" + std::to_string(i);
  return out + "}";
}

std::string kite_feed(int port, const std::string& credentials, int n, int per_connection) {
  const std::string url = "127.0.0.1:" + std::to_string(port);
  return "feed:\n"
         "  kind: kite\n"
         "  kite:\n"
         "    url: ws://" +
         url + "\n    rest_url: http://" + url + "\n    api_key: kitekey\n    " + credentials +
         "\n    mode: ltp\n    bootstrap_candles: 0\n    backfill: false\n"
         "    reconnect: {initial: 100ms, max: 300ms}\n"
         "    instruments_per_connection: " +
         std::to_string(per_connection) + "\n    instruments: " + instruments(n) + "\n";
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(IndianBrokerShards, EachConnectionShowsInMetricsHealthAndStats) {
  KiteShardServer server({2, 1000000, std::chrono::milliseconds(100), -1, 0});
  TempDir dir("tickd-e2e-kite-shards");
  const int admin = test_support::free_port();
  const std::string path = write_file(
      dir, "k.yaml",
      daemon_config(kite_feed(server.port(), "access_token: tok", 5, 2), dir.file("c.jsonl"), admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until(
      [&] {
        const std::string m = metrics(admin);
        for (const char* c : {"1", "2", "3"})
          if (!has_line(
                  m, std::string("tickd_feed_connection_state{connection=\"") + c + "\",state=\"live\"} 1"))
            return false;
        return metric(m, "tickd_feed_ticks_total") >= 10;
      },
      std::chrono::seconds(20)))
      << read_text(log) << metrics(admin);
  const std::string m = metrics(admin);
  EXPECT_TRUE(has_line(m, "tickd_feed_connection_instruments{connection=\"1\"} 2")) << m;
  EXPECT_TRUE(has_line(m, "tickd_feed_connection_instruments{connection=\"2\"} 2")) << m;
  EXPECT_TRUE(has_line(m, "tickd_feed_connection_instruments{connection=\"3\"} 1")) << m;
  EXPECT_TRUE(has_line(m, "tickd_feed_connection_reconnects_total{connection=\"3\"} 0")) << m;
  EXPECT_TRUE(has_line(m, "tickd_feed_instruments_expired_total 0")) << m;
  EXPECT_TRUE(has_line(m, "tickd_feed_state{kind=\"kite\",state=\"live\"} 1")) << m;

  const auto health = nlohmann::json::parse(http_get(admin, "/health").body);
  ASSERT_EQ(health["feed"]["connections"].size(), 3u) << health.dump();
  EXPECT_EQ(health["feed"]["connections"][2]["instruments"], 1);
  EXPECT_EQ(health["feed"]["connections"][2]["state"], "live");
  EXPECT_GT(health["feed"]["connections"][0]["ticks"].get<int>(), 0);

  const std::string stats_out = dir.file("stats.txt");
  ChildProcess stats({kTickd, "stats", "--config", path}, stats_out);
  EXPECT_EQ(stats.wait(), 0) << read_text(stats_out);
  EXPECT_TRUE(has_line(read_text(stats_out), "connection 3: live, 1 instruments")) << read_text(stats_out);

  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
  EXPECT_EQ(server.refusals(), 0u);
  EXPECT_EQ(server.connections(), 3);
  EXPECT_TRUE(has_line(read_text(log), "kite: 5 instruments over 3 connections")) << read_text(log);
}

TEST(IndianBrokerShards, TooManyInstrumentsForTheConnectionsIsAConfigErrorAtTheKey) {
  TempDir dir("tickd-e2e-kite-shards-config");
  const std::string feed = kite_feed(9, "access_token: tok", 5, 2) + "    max_connections: 2\n";
  const std::string path = write_file(dir, "k.yaml", daemon_config(feed, dir.file("c.jsonl"), 9));
  const std::string out = dir.file("check.txt");
  ChildProcess check({kTickd, "--check-config", path}, out);
  EXPECT_EQ(check.wait(), 1);
  EXPECT_TRUE(has_line(read_text(out),
                       "k.yaml:16:22: 'feed.kite.max_connections': 5 instruments need 3 "
                       "connections of 2"))
      << read_text(out);
}

TEST(IndianBrokerShards, CheckConfigShowsHowTheInstrumentsAreSpread) {
  TempDir dir("tickd-e2e-kite-shards-summary");
  const std::string path = write_file(
      dir, "k.yaml", daemon_config(kite_feed(9, "access_token: tok", 5, 2), dir.file("c.jsonl"), 9));
  const std::string out = dir.file("check.txt");
  ChildProcess check({kTickd, "--check-config", path}, out);
  EXPECT_EQ(check.wait(), 0) << read_text(out);
  EXPECT_TRUE(has_line(read_text(out), "5 instruments over 3 connection(s) (at most 2 each, 3 connections)"))
      << read_text(out);
}

TEST(IndianBrokerShards, SighupRereadsTheTokenFileAndRenewsOnlyTheBrokerConnections) {
  KiteShardServer server({1, 1000000, std::chrono::milliseconds(100), -1, 0});
  std::mutex mu;
  std::vector<std::string> upgrades;
  server.server().on_upgrade([&](const test_servers::HttpCall& call) {
    std::lock_guard<std::mutex> lock(mu);
    upgrades.push_back(call.resource);
    return 0;
  });
  auto upgrades_with = [&](const std::string& token) {
    std::lock_guard<std::mutex> lock(mu);
    return std::count_if(upgrades.begin(), upgrades.end(), [&](const std::string& r) {
      return r.find("access_token=" + token) != std::string::npos;
    });
  };
  TempDir dir("tickd-e2e-kite-sighup");
  const std::string token_file = write_file(dir, "kite.token", "token-aaaa\n");
  struct stat before {};
  ASSERT_EQ(stat(token_file.c_str(), &before), 0);
  const int admin = test_support::free_port();
  const std::string candles = dir.file("c.jsonl");
  const std::string path = write_file(
      dir, "k.yaml",
      daemon_config(kite_feed(server.port(), "access_token_file: " + token_file, 3, 1), candles, admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until([&] { return metric(metrics(admin), "tickd_feed_ticks_total") >= 6; },
                                       std::chrono::seconds(20)))
      << read_text(log);
  EXPECT_EQ(upgrades_with("token-aaaa"), 3);

  // The token rewritten in place with its old size and time: the file watch
  // cannot see it, SIGHUP must.
  {
    std::fstream f(token_file, std::ios::in | std::ios::out);
    f << "token-bbbb\n";
  }
  const timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(utimensat(AT_FDCWD, token_file.c_str(), times, 0), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(upgrades_with("token-bbbb"), 0) << "the file watch saw a change it should not";
  const double delivered = metric(metrics(admin), "tickd_observer_delivered_total");
  tickd.signal(SIGHUP);
  ASSERT_TRUE(
      test_support::wait_until([&] { return upgrades_with("token-bbbb") == 3; }, std::chrono::seconds(10)))
      << read_text(log);
  ASSERT_TRUE(test_support::wait_until(
      [&] {
        const std::string m = metrics(admin);
        return metric(m, "tickd_feed_reconnects_total") >= 3 &&
               has_line(m, "tickd_feed_state{kind=\"kite\",state=\"live\"} 1");
      },
      std::chrono::seconds(10)))
      << metrics(admin);
  // The observer ran on: its count went on from where it was.
  EXPECT_GE(metric(metrics(admin), "tickd_observer_delivered_total"), delivered);
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
  const std::string text = read_text(log);
  EXPECT_TRUE(has_line(text, "kite: new credentials from the token file")) << text;
  EXPECT_FALSE(has_line(text, "token-bbbb")) << "the access token was logged";
  EXPECT_EQ(server.connections(), 6) << "each broker connection renewed once";
}

}  // namespace
}  // namespace tickd::e2e
