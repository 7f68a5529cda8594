// SeriesGate: repeats are dropped, and an update never closes a bucket ahead
// of the source's own closed candle.
#include "feed/nats/series_gate.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

constexpr TimeMs kMin = 60000;

CandleData at(TimeMs open, bool closed) {
  CandleData c;
  c.interval_s = 60;
  c.open_time = open;
  c.flags = closed ? TICKD_CANDLE_CLOSED : 0;
  return c;
}

TEST(SeriesGate, EachClosedCandlePassesOnce) {
  SeriesGate g(kMin);
  std::optional<CandleData> release;
  EXPECT_TRUE(g.closed(at(0, true), release));
  EXPECT_TRUE(g.closed(at(kMin, true), release));
  EXPECT_FALSE(g.closed(at(kMin, true), release));
  EXPECT_FALSE(g.closed(at(0, true), release));
  EXPECT_TRUE(g.closed(at(5 * kMin, true), release));  // a gap in the source is not ours to fill
}

TEST(SeriesGate, RestoredHistoryIsNotDeliveredAgain) {
  SeriesGate g(kMin);
  g.restored_until(3 * kMin);  // closed candles opening at 0, 1, 2 minutes are stored
  std::optional<CandleData> release;
  EXPECT_FALSE(g.closed(at(2 * kMin, true), release));
  EXPECT_TRUE(g.closed(at(3 * kMin, true), release));
}

TEST(SeriesGate, AnUpdateThatOvertakesTheClosedCandleWaitsForIt) {
  SeriesGate g(kMin);
  std::optional<CandleData> release;
  EXPECT_EQ(g.update(at(0, false)), SeriesGate::Update::pass);
  EXPECT_EQ(g.update(at(0, false)), SeriesGate::Update::pass);
  EXPECT_EQ(g.update(at(kMin, false)), SeriesGate::Update::held);  // closed 0 still on its way
  EXPECT_EQ(g.update(at(kMin, false)), SeriesGate::Update::held);
  ASSERT_TRUE(g.closed(at(0, true), release));
  ASSERT_TRUE(release);
  EXPECT_EQ(release->open_time, kMin);
  EXPECT_EQ(g.update(at(kMin, false)), SeriesGate::Update::pass);
  EXPECT_EQ(g.update(at(0, false)), SeriesGate::Update::stale);
}

TEST(SeriesGate, AHeldUpdateOvertakenByItsOwnClosedCandleIsDropped) {
  SeriesGate g(kMin);
  std::optional<CandleData> release;
  ASSERT_TRUE(g.closed(at(0, true), release));
  EXPECT_EQ(g.update(at(2 * kMin, false)), SeriesGate::Update::held);  // closed 1 minute still coming
  ASSERT_TRUE(g.closed(at(kMin, true), release));
  ASSERT_TRUE(release);  // 2 minutes now follows directly
  EXPECT_EQ(release->open_time, 2 * kMin);
  EXPECT_EQ(g.update(at(3 * kMin, false)), SeriesGate::Update::held);
  ASSERT_TRUE(g.closed(at(3 * kMin, true), release));  // (2 closed with no update after 3's)
  EXPECT_FALSE(release);
}

}  // namespace
}  // namespace tickd::core
