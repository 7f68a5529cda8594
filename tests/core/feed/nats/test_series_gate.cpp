// SeriesGate: repeats are dropped, an amendment (a newer revision of a closed
// bucket) passes once, and an update never closes a bucket ahead of the
// source's own closed candle.
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
  EXPECT_EQ(g.closed(at(0, true), 0, release), SeriesGate::Closed::pass);
  EXPECT_EQ(g.closed(at(kMin, true), 0, release), SeriesGate::Closed::pass);
  EXPECT_EQ(g.closed(at(kMin, true), 0, release), SeriesGate::Closed::repeat);
  EXPECT_EQ(g.closed(at(0, true), 0, release), SeriesGate::Closed::repeat);
  EXPECT_EQ(g.closed(at(5 * kMin, true), 0, release),
            SeriesGate::Closed::pass);  // a gap in the source is not ours to fill
}

TEST(SeriesGate, RestoredHistoryIsNotDeliveredAgain) {
  SeriesGate g(kMin);
  g.restored_until(3 * kMin);  // closed candles opening at 0, 1, 2 minutes are stored
  std::optional<CandleData> release;
  EXPECT_EQ(g.closed(at(2 * kMin, true), 0, release), SeriesGate::Closed::repeat);
  EXPECT_EQ(g.closed(at(3 * kMin, true), 0, release), SeriesGate::Closed::pass);
}

TEST(SeriesGate, AnUpdateThatOvertakesTheClosedCandleWaitsForIt) {
  SeriesGate g(kMin);
  std::optional<CandleData> release;
  EXPECT_EQ(g.update(at(0, false)), SeriesGate::Update::pass);
  EXPECT_EQ(g.update(at(0, false)), SeriesGate::Update::pass);
  EXPECT_EQ(g.update(at(kMin, false)), SeriesGate::Update::held);  // closed 0 still on its way
  EXPECT_EQ(g.update(at(kMin, false)), SeriesGate::Update::held);
  ASSERT_EQ(g.closed(at(0, true), 0, release), SeriesGate::Closed::pass);
  ASSERT_TRUE(release);
  EXPECT_EQ(release->open_time, kMin);
  EXPECT_EQ(g.update(at(kMin, false)), SeriesGate::Update::pass);
  EXPECT_EQ(g.update(at(0, false)), SeriesGate::Update::stale);
}

TEST(SeriesGate, AHeldUpdateOvertakenByItsOwnClosedCandleIsDropped) {
  SeriesGate g(kMin);
  std::optional<CandleData> release;
  ASSERT_EQ(g.closed(at(0, true), 0, release), SeriesGate::Closed::pass);
  EXPECT_EQ(g.update(at(2 * kMin, false)), SeriesGate::Update::held);  // closed 1 minute still coming
  ASSERT_EQ(g.closed(at(kMin, true), 0, release), SeriesGate::Closed::pass);
  ASSERT_TRUE(release);  // 2 minutes now follows directly
  EXPECT_EQ(release->open_time, 2 * kMin);
  EXPECT_EQ(g.update(at(3 * kMin, false)), SeriesGate::Update::held);
  ASSERT_EQ(g.closed(at(3 * kMin, true), 0, release),
            SeriesGate::Closed::pass);  // (2 closed with no update after 3's)
  EXPECT_FALSE(release);
}

TEST(SeriesGate, ANewerRevisionOfAClosedBucketIsAnAmendmentAndPassesOnce) {
  SeriesGate g(kMin);
  std::optional<CandleData> release;
  ASSERT_EQ(g.closed(at(0, true), 0, release), SeriesGate::Closed::pass);
  ASSERT_EQ(g.closed(at(kMin, true), 0, release), SeriesGate::Closed::pass);
  EXPECT_EQ(g.closed(at(0, true), 1, release), SeriesGate::Closed::amend);
  EXPECT_EQ(g.closed(at(0, true), 1, release), SeriesGate::Closed::repeat);  // redelivered
  EXPECT_EQ(g.closed(at(0, true), 0, release), SeriesGate::Closed::repeat);  // the first close again
  EXPECT_EQ(g.closed(at(0, true), 3, release), SeriesGate::Closed::amend);   // revisions may be skipped
  EXPECT_EQ(g.closed(at(0, true), 2, release), SeriesGate::Closed::repeat);  // older than what passed
  EXPECT_EQ(g.closed(at(kMin, true), 1, release), SeriesGate::Closed::amend);
  EXPECT_EQ(g.last_closed(), kMin) << "an amendment does not move the series on";
  EXPECT_EQ(g.closed(at(2 * kMin, true), 0, release), SeriesGate::Closed::pass);
}

TEST(SeriesGate, AnAmendmentNeitherReleasesNorDropsAHeldUpdate) {
  SeriesGate g(kMin);
  std::optional<CandleData> release;
  ASSERT_EQ(g.closed(at(0, true), 0, release), SeriesGate::Closed::pass);
  EXPECT_EQ(g.update(at(2 * kMin, false)), SeriesGate::Update::held);  // closed 1 minute still coming
  EXPECT_EQ(g.closed(at(0, true), 1, release), SeriesGate::Closed::amend);
  EXPECT_FALSE(release);
  ASSERT_EQ(g.closed(at(kMin, true), 0, release), SeriesGate::Closed::pass);
  ASSERT_TRUE(release);
  EXPECT_EQ(release->open_time, 2 * kMin);
}

TEST(SeriesGate, AnAmendmentOfARestoredBucketPassesItsFirstCloseDoesNot) {
  SeriesGate g(kMin);
  g.restored_until(3 * kMin);  // storage holds 0, 1, 2 minutes, perhaps amended already
  std::optional<CandleData> release;
  EXPECT_EQ(g.closed(at(kMin, true), 0, release), SeriesGate::Closed::repeat);
  EXPECT_EQ(g.closed(at(kMin, true), 1, release), SeriesGate::Closed::amend);  // the aggregator compares
  EXPECT_EQ(g.closed(at(kMin, true), 1, release), SeriesGate::Closed::repeat);
}

TEST(SeriesGate, ABucketFirstSeenAtALaterRevisionClosesAndRemembersIt) {
  SeriesGate g(kMin);
  std::optional<CandleData> release;
  EXPECT_EQ(g.closed(at(0, true), 2, release), SeriesGate::Closed::pass);
  EXPECT_EQ(g.closed(at(0, true), 2, release), SeriesGate::Closed::repeat);
  EXPECT_EQ(g.closed(at(0, true), 3, release), SeriesGate::Closed::amend);
}

TEST(SeriesGate, RevisionsOfOnlyTheNewestAmendedBucketsAreKept) {
  SeriesGate g(kMin);
  std::optional<CandleData> release;
  const TimeMs n = SeriesGate::kRevisionsKept + 1;
  ASSERT_EQ(g.closed(at(n * kMin, true), 0, release), SeriesGate::Closed::pass);
  for (TimeMs i = 0; i < n; ++i)
    ASSERT_EQ(g.closed(at(i * kMin, true), 1, release), SeriesGate::Closed::amend);
  // The oldest is forgotten: delivered again, it is applied again (which changes nothing downstream).
  EXPECT_EQ(g.closed(at(0, true), 1, release), SeriesGate::Closed::amend);
  EXPECT_EQ(g.closed(at((n - 1) * kMin, true), 1, release), SeriesGate::Closed::repeat);
}

}  // namespace
}  // namespace tickd::core
