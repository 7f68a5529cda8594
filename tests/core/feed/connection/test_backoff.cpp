#include "feed/connection/backoff.hpp"
#include "feed/connection/redact_url.hpp"

#include <gtest/gtest.h>

#include <set>

namespace tickd::core {
namespace {

TEST(Backoff, DoublesWithJitterUpToTheCeilingAndResets) {
  Backoff b(100, 1000, 7);
  const std::int64_t bases[] = {100, 200, 400, 800, 1000, 1000};
  for (std::int64_t base : bases) {
    const std::int64_t d = b.next_ms();
    EXPECT_GE(d, base / 2);
    EXPECT_LE(d, base);
  }
  b.reset();
  EXPECT_LE(b.next_ms(), 100);
}

TEST(Backoff, JitterSpreadsClientsDroppedTogether) {
  std::set<std::int64_t> first_delays;
  for (std::uint64_t seed = 0; seed < 20; ++seed) first_delays.insert(Backoff(1000, 30000, seed).next_ms());
  EXPECT_GT(first_delays.size(), 10u);
}

TEST(RedactUrl, CutsQueryAndUserInfo) {
  EXPECT_EQ(redact_url("wss://ws.kite.trade?api_key=k&access_token=secret"),
            "wss://ws.kite.trade?<redacted>");
  EXPECT_EQ(redact_url("wss://user:pw@host:9443/stream?streams=a"),
            "wss://<redacted>@host:9443/stream?<redacted>");
  EXPECT_EQ(redact_url("ws://127.0.0.1:1/x"), "ws://127.0.0.1:1/x");
}

}  // namespace
}  // namespace tickd::core
