// The one reconnect state machine every feed uses (OutageBackfill) and the
// feed clock it pauses (EventClock), driven step by step.
#include "feed/connection/event_clock.hpp"
#include "feed/connection/outage_backfill.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace tickd::core {
namespace {

struct Fetch {
  TimeMs from, until;
  std::uint64_t generation;
};

struct Machine {
  std::vector<Fetch> fetches;
  std::vector<TimeMs> candles;  // open times, in the order given out
  std::vector<int> replayed;
  std::size_t parts = 2;
  OutageBackfill<int> backfill{
      "test",
      {[this](TimeMs from, TimeMs until, std::uint64_t g) {
         fetches.push_back({from, until, g});
         return parts;
       },
       [this](const CandleData& c) { candles.push_back(c.open_time); },
       [this](std::deque<int>& frames) { replayed.insert(replayed.end(), frames.begin(), frames.end()); }},
      5};
};

CandleData candle(TimeMs open) {
  CandleData c;
  c.open_time = open;
  return c;
}

TEST(OutageBackfill, HoldsUntilTheGapCameThenCandlesOldestFirstThenFramesInOrder) {
  Machine m;
  EXPECT_FALSE(m.backfill.opened(60000)) << "the first connection has no gap";
  EXPECT_FALSE(m.backfill.hold(1, 100000));
  m.backfill.lost(125000);  // newest event before the loss
  EXPECT_TRUE(m.backfill.opened(60000));
  EXPECT_TRUE(m.backfill.hold(2, 250000));
  EXPECT_TRUE(m.backfill.hold(3, 251000));
  ASSERT_EQ(m.fetches.size(), 1u) << "one fetch per gap";
  EXPECT_EQ(m.fetches[0].from, 120000);   // the minute open at the loss, whole
  EXPECT_EQ(m.fetches[0].until, 240000);  // up to the minute of the first new frame
  m.backfill.arrived(m.fetches[0].generation, {candle(180000)});
  EXPECT_TRUE(m.replayed.empty());
  m.backfill.arrived(m.fetches[0].generation, {candle(120000)});
  EXPECT_EQ(m.candles, (std::vector<TimeMs>{120000, 180000}));
  EXPECT_EQ(m.replayed, (std::vector<int>{2, 3}));
  EXPECT_FALSE(m.backfill.holding());
  EXPECT_FALSE(m.backfill.hold(4, 252000));
}

TEST(OutageBackfill, LostAgainWhileHoldingIgnoresTheOldAnswersAndTheOutageGrows) {
  Machine m;
  m.backfill.opened(60000);
  m.backfill.lost(125000);
  m.backfill.opened(60000);
  m.backfill.hold(1, 250000);
  const std::uint64_t old = m.fetches[0].generation;
  m.backfill.lost(0);  // nothing new was live
  EXPECT_FALSE(m.backfill.current(old));
  m.backfill.arrived(old, {candle(120000)});
  m.backfill.arrived(old, {candle(180000)});
  EXPECT_TRUE(m.candles.empty());
  EXPECT_TRUE(m.replayed.empty()) << "frames of the dropped connection are gone";
  EXPECT_TRUE(m.backfill.opened(60000));
  m.backfill.hold(7, 400000);
  ASSERT_EQ(m.fetches.size(), 2u);
  EXPECT_EQ(m.fetches[1].from, 120000) << "from the first loss";
  EXPECT_EQ(m.fetches[1].until, 360000);
  m.backfill.arrived(m.fetches[1].generation, {});
  m.backfill.arrived(m.fetches[1].generation, {});
  EXPECT_EQ(m.replayed, (std::vector<int>{7}));
}

TEST(OutageBackfill, NoGapReleasesAtOnceAndTooManyHeldFramesGiveUp) {
  Machine m;
  m.backfill.opened(60000);
  m.backfill.lost(125000);
  m.backfill.opened(60000);
  EXPECT_TRUE(m.backfill.hold(1, 130000));  // same minute: nothing to fetch
  EXPECT_TRUE(m.fetches.empty());
  EXPECT_EQ(m.replayed, (std::vector<int>{1}));

  m.backfill.lost(130000);
  m.backfill.opened(60000);
  for (int i = 0; i < 6; ++i) m.backfill.hold(10 + i, 500000 + i);
  EXPECT_FALSE(m.backfill.holding()) << "more than max_pending frames: given up";
  EXPECT_EQ(m.replayed.size(), 7u);
  m.backfill.arrived(m.fetches.back().generation, {candle(120000)});
  EXPECT_TRUE(m.candles.empty()) << "a late answer after giving up is ignored";
}

TEST(EventClock, FrozenWhileAnyConnectionIsDown) {
  EventClock clock;
  clock.saw(1000000);
  clock.pause();  // connection A lost
  clock.pause();  // connection B lost
  const TimeMs frozen = clock.now_ms();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  clock.saw(1000500);  // another connection still delivers
  EXPECT_EQ(clock.now_ms(), frozen);
  clock.resume();  // A back
  EXPECT_EQ(clock.now_ms(), frozen);
  clock.resume();  // B back: runs again from the newest event
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_GE(clock.now_ms(), 1000500 + 20);
  EXPECT_EQ(clock.newest(), 1000500);
}

}  // namespace
}  // namespace tickd::core
