#include "bus/event_queue.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace tickd::core;
using namespace std::chrono_literals;

namespace {

Event tick(std::int64_t id) {
  TickData t;
  t.trade_id = id;
  return Event::of_tick(t);
}
// Takes one event, as a worker would, waiting up to `timeout`.
bool pop(EventQueue& q, Event& out, std::chrono::milliseconds timeout) {
  return q.consume([&](const Event& e) { out = e; }, 1, timeout) == 1;
}

Event closed(std::int64_t open_time) {
  CandleData c;
  c.open_time = open_time;
  c.flags = TICKD_CANDLE_CLOSED;
  return Event::of_candle(c, true);
}

TEST(EventQueue, CapacityIsExactAndFullRefuses) {
  EventQueue q(10);
  EXPECT_EQ(q.capacity(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(q.try_push(tick(i)));
  EXPECT_FALSE(q.try_push(tick(10)));
  EXPECT_EQ(q.size(), 10u);
}

TEST(EventQueue, MustDeliverEventsTakeTheReserveThenWaitAndNeverExceedTheCapacity) {
  EventQueue q(1024);
  ASSERT_EQ(q.droppable_limit(), 960u);
  std::atomic<bool> abort{false};
  int ticks = 0;
  while (q.try_push(tick(ticks))) ++ticks;
  EXPECT_EQ(ticks, 960);
  for (int i = 0; i < 64; ++i) ASSERT_TRUE(q.push_must_deliver(closed(i), abort));
  EXPECT_EQ(q.size(), 1024u);
  // Full: the next closed candle waits for the consumer, in order.
  std::thread consumer([&] {
    std::this_thread::sleep_for(50ms);
    Event e;
    ASSERT_TRUE(pop(q, e, 0ms));
    EXPECT_EQ(e.tick.trade_id, 0);
  });
  const auto begin = std::chrono::steady_clock::now();
  ASSERT_TRUE(q.push_must_deliver(closed(64), abort));
  EXPECT_GE(std::chrono::steady_clock::now() - begin, 40ms);
  consumer.join();
  EXPECT_EQ(q.size(), 1024u);
  Event e;
  for (int i = 1; i < 960; ++i) ASSERT_TRUE(pop(q, e, 0ms));
  for (int i = 0; i <= 64; ++i) {
    ASSERT_TRUE(pop(q, e, 0ms));
    EXPECT_EQ(e.candle.open_time, i);
  }
  // Waiting gives up when told to (shutdown with a stuck observer).
  while (q.size() < 1024) ASSERT_TRUE(q.push_must_deliver(closed(0), abort));
  abort = true;
  EXPECT_FALSE(q.push_must_deliver(closed(1), abort));
}

TEST(EventQueue, SignalsAreReleasedWhenPopped) {
  EventQueue q(16);
  auto rec = std::make_shared<SignalRecord>();
  std::atomic<bool> abort{false};
  ASSERT_TRUE(q.push_must_deliver(Event::of_signal(rec), abort));
  EXPECT_EQ(rec.use_count(), 2);
  Event e;
  ASSERT_TRUE(pop(q, e, 0ms));
  e = Event();
  EXPECT_EQ(rec.use_count(), 1);
}

TEST(EventQueue, BlockingPushWaitsForTheConsumerAndLosesNothing) {
  EventQueue q(16);
  constexpr int kCount = 100000;
  std::thread consumer([&] {
    Event e;
    for (int expected = 0; expected < kCount;) {
      if (!pop(q, e, 100ms)) continue;
      EXPECT_EQ(e.tick.trade_id, expected);
      ++expected;
    }
  });
  std::atomic<bool> abort{false};
  for (int i = 0; i < kCount; ++i) ASSERT_TRUE(q.push_blocking(tick(i), abort));
  consumer.join();
  EXPECT_EQ(q.size(), 0u);
}

TEST(EventQueue, BlockingPushGivesUpOnAbort) {
  EventQueue q(16);
  std::atomic<bool> abort{false};
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(q.push_blocking(tick(i), abort));
  std::thread aborter([&] {
    std::this_thread::sleep_for(50ms);
    abort = true;
  });
  EXPECT_FALSE(q.push_blocking(tick(16), abort));
  aborter.join();
}

TEST(EventQueue, ConsumerSleepsAndIsWokenByAPush) {
  EventQueue q(16);
  std::thread producer([&] {
    std::this_thread::sleep_for(30ms);
    q.try_push(tick(5));
    q.publish();
  });
  Event e;
  auto begin = std::chrono::steady_clock::now();
  ASSERT_TRUE(pop(q, e, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  EXPECT_EQ(e.tick.trade_id, 5);
  producer.join();
}

TEST(EventQueue, AnEmptyPublishDoesNotDisarmTheNextWakeUp) {
  // A publish that finds the consumer asleep wakes it even when there is
  // nothing to take; the consumer must go back to sleep ready to be woken.
  EventQueue q(16);
  std::atomic<int> taken{0};
  std::thread consumer([&] {
    while (taken == 0) q.consume([&](const Event&) { ++taken; }, 16, 10s);
  });
  std::this_thread::sleep_for(50ms);
  q.publish();  // nothing pushed: a spurious wake-up
  std::this_thread::sleep_for(50ms);
  auto begin = std::chrono::steady_clock::now();
  ASSERT_TRUE(q.try_push(tick(1)));
  q.publish();
  consumer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
}

TEST(EventQueue, ConsumeHandlesABatchInOrderUpToItsLimit) {
  EventQueue q(64);
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(q.try_push(tick(i)));
  std::vector<std::int64_t> seen;
  auto record = [&](const Event& e) { seen.push_back(e.tick.trade_id); };
  EXPECT_EQ(q.consume(record, 32, 0ms), 32u);
  EXPECT_EQ(q.size(), 8u);
  EXPECT_EQ(q.consume(record, 32, 0ms), 8u);
  EXPECT_EQ(q.consume(record, 32, 0ms), 0u);
  ASSERT_EQ(seen.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(seen[i], i);
}

TEST(EventQueue, ABlockedProducerWakesASleepingConsumerWithoutAPublish) {
  // The producer publishes only per batch; a batch that fills the ring must
  // still reach a consumer that fell asleep before it began.
  EventQueue q(16);
  constexpr int kCount = 1000;
  std::atomic<int> taken{0};
  std::thread consumer([&] {
    while (taken < kCount) q.consume([&](const Event&) { ++taken; }, 64, 10s);
  });
  std::this_thread::sleep_for(50ms);  // let it fall asleep on the empty ring
  auto begin = std::chrono::steady_clock::now();
  std::atomic<bool> abort{false};
  for (int i = 0; i < kCount; ++i) ASSERT_TRUE(q.push_blocking(tick(i), abort));
  q.publish();  // the tail of the last batch
  consumer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_EQ(taken.load(), kCount);
}

}  // namespace
