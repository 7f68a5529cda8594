// feed.nats: defaults, every key read, and mistakes reported at their place.
#include "config_test_util.hpp"

#include <gmock/gmock.h>

namespace tickd::core::testing {
namespace {

const std::string kAggregator = "aggregator:\n  intervals: [1m, 5m]\n";

TEST(NatsFeedConfig, DefaultsAndEveryKey) {
  const Config c = load_config_text(kAggregator +
                                        "feed:\n  kind: nats\n  symbols: [\"*\"]\n  nats:\n"
                                        "    servers: [nats://a:4222, tls://b:4222]\n"
                                        "    prefix: md\n    stream: CANDLES\n    intervals: [5m]\n"
                                        "    updates: false\n    ticks: true\n    signals: true\n"
                                        "    creds_file: edge.creds\n    tls: {ca_file: ca.pem}\n"
                                        "    reconnect_wait: 2s\n",
                                    "t.yaml", "/base");
  const NatsFeedConfig& n = c.feed.nats;
  EXPECT_EQ(c.feed.kind, "nats");
  EXPECT_EQ(n.servers, (std::vector<std::string>{"nats://a:4222", "tls://b:4222"}));
  EXPECT_EQ(n.prefix, "md");
  EXPECT_EQ(n.stream, "CANDLES");
  ASSERT_EQ(n.intervals.size(), 1u);
  EXPECT_EQ(n.intervals[0], *Interval::parse("5m"));
  EXPECT_FALSE(n.updates);
  EXPECT_TRUE(n.ticks);
  EXPECT_TRUE(n.signals);
  EXPECT_EQ(n.creds_file, "/base/edge.creds");
  EXPECT_EQ(n.ca_file, "/base/ca.pem");
  EXPECT_EQ(n.reconnect_wait_ms, 2000);

  const Config d = load_config_text(kAggregator + "feed:\n  kind: nats\n  symbols: [A]\n", "t.yaml", "/base");
  EXPECT_EQ(d.feed.nats.servers, (std::vector<std::string>{"nats://127.0.0.1:4222"}));
  EXPECT_EQ(d.feed.nats.prefix, "tickd");
  EXPECT_EQ(d.feed.nats.stream, "TICKD");
  EXPECT_TRUE(d.feed.nats.updates);
  EXPECT_FALSE(d.feed.nats.ticks);
  EXPECT_FALSE(d.feed.nats.signals);
}

TEST(NatsFeedConfig, MistakesAreReportedWhereTheyAre) {
  const std::string feed = "feed:\n  kind: nats\n  symbols: [A]\n  nats:\n";
  EXPECT_EQ(load_error(kAggregator + feed + "    servers: [http://x]\n"),
            "t.yaml:7:14: 'feed.nats.servers': 'http://x' must start with nats:// or tls://");
  EXPECT_EQ(load_error(kAggregator + feed + "    prefix: a.b\n"),
            "t.yaml:7:13: 'feed.nats.prefix' must be one subject token (no '.', '*', '>' or spaces)");
  EXPECT_THAT(load_error(kAggregator + feed + "    intervals: [2m]\n"),
              ::testing::StartsWith("t.yaml:7:17: 'feed.nats.intervals[0]': unknown interval '2m'"));
  EXPECT_THAT(
      load_error(kAggregator + feed + "    strem: X\n"),
      ::testing::StartsWith("t.yaml:7:5: unknown key 'strem' in 'feed.nats' (did you mean 'stream'?)"));
  EXPECT_THAT(load_error(kAggregator + feed + "    token: t\n    user: u\n"),
              ::testing::HasSubstr("give one of user/password, token, nkey or creds_file"));
  EXPECT_THAT(load_error(kAggregator + "feed:\n  kind: nats\n"),
              ::testing::HasSubstr("'feed.symbols' must list at least one symbol for nats"));
}

}  // namespace
}  // namespace tickd::core::testing
