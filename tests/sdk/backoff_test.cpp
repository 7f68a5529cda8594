#include <tickd/backoff.hpp>
#include <tickd/log_throttle.hpp>

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace tickd {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesUpToTheCeilingAndResets) {
  Backoff b(milliseconds(100), milliseconds(1000));
  for (std::int64_t expected : {100, 200, 400, 800, 1000, 1000}) EXPECT_EQ(b.next(), milliseconds(expected));
  EXPECT_EQ(b.attempts(), 6);
  b.reset();
  EXPECT_EQ(b.next(), milliseconds(100));
}

TEST(Backoff, EqualJitterKeepsHalfOfEachWait) {
  Backoff b(milliseconds(100), milliseconds(1000), Backoff::Jitter::equal, 7);
  for (std::int64_t base : {100, 200, 400, 800, 1000, 1000}) {
    const auto d = b.next().count();
    EXPECT_GE(d, base / 2);
    EXPECT_LE(d, base);
  }
  b.reset();
  EXPECT_LE(b.next(), milliseconds(100));
}

TEST(Backoff, JitterSpreadsClientsDroppedTogether) {
  std::set<std::int64_t> first_delays;
  for (std::uint64_t seed = 0; seed < 20; ++seed)
    first_delays.insert(
        Backoff(milliseconds(1000), milliseconds(30000), Backoff::Jitter::equal, seed).next().count());
  EXPECT_GT(first_delays.size(), 10u);
}

TEST(LogThrottle, LetsABurstThroughAndCountsTheRest) {
  LogThrottle throttle(2, std::chrono::hours(1));
  std::uint64_t suppressed = 99;
  EXPECT_TRUE(throttle.allow(suppressed));
  EXPECT_EQ(suppressed, 0u);
  EXPECT_TRUE(throttle.allow(suppressed));
  EXPECT_FALSE(throttle.allow(suppressed));
  EXPECT_FALSE(throttle.pass("x").has_value());
}

TEST(LogThrottle, SaysHowManyWereHeldBackOnceTheWindowEnds) {
  LogThrottle throttle(1, std::chrono::milliseconds(20));
  EXPECT_EQ(throttle.pass("down"), "down");
  EXPECT_FALSE(throttle.pass("down"));
  EXPECT_FALSE(throttle.pass("down"));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(throttle.pass("down"), "down (2 similar message(s) suppressed)");
}

}  // namespace
}  // namespace tickd
