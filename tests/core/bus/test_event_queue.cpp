#include "bus/event_queue.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace tickd::core;
using namespace std::chrono_literals;

namespace {

Event tick(std::int64_t id) {
  TickData t;
  t.trade_id = id;
  return Event::of_tick(t);
}
Event closed(std::int64_t open_time) {
  CandleData c;
  c.open_time = open_time;
  c.flags = TICKD_CANDLE_CLOSED;
  return Event::of_candle(c, true);
}

TEST(EventQueue, CapacityIsRoundedUpAndFullRefuses) {
  EventQueue q(10);
  EXPECT_EQ(q.capacity(), 16u);
  for (int i = 0; i < 16; ++i) EXPECT_TRUE(q.try_push(tick(i)));
  EXPECT_FALSE(q.try_push(tick(16)));
  EXPECT_EQ(q.size(), 16u);
}

TEST(EventQueue, MustDeliverEventsOverflowInOrderAndBlockDroppablesBehindThem) {
  EventQueue q(16);
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(q.try_push(tick(i)));
  q.push_must_deliver(closed(100));
  q.push_must_deliver(closed(200));
  // While the side list holds events, a droppable one may not overtake them.
  EXPECT_FALSE(q.try_push(tick(99)));
  Event e;
  for (int i = 0; i < 16; ++i) {
    ASSERT_TRUE(q.pop(e, 0ms));
    EXPECT_EQ(e.tick.trade_id, i);
  }
  ASSERT_TRUE(q.pop(e, 0ms));
  EXPECT_EQ(e.candle.open_time, 100);
  // Side list not empty yet: the ring must still refuse.
  EXPECT_FALSE(q.try_push(tick(98)));
  ASSERT_TRUE(q.pop(e, 0ms));
  EXPECT_EQ(e.candle.open_time, 200);
  EXPECT_TRUE(q.try_push(tick(97)));
  ASSERT_TRUE(q.pop(e, 0ms));
  EXPECT_EQ(e.tick.trade_id, 97);
  EXPECT_FALSE(q.pop(e, 1ms));
}

TEST(EventQueue, SignalsAreReleasedWhenPopped) {
  EventQueue q(16);
  auto rec = std::make_shared<SignalRecord>();
  q.push_must_deliver(Event::of_signal(rec));
  EXPECT_EQ(rec.use_count(), 2);
  Event e;
  ASSERT_TRUE(q.pop(e, 0ms));
  e = Event();
  EXPECT_EQ(rec.use_count(), 1);
}

TEST(EventQueue, BlockingPushWaitsForTheConsumerAndLosesNothing) {
  EventQueue q(16);
  constexpr int kCount = 100000;
  std::thread consumer([&] {
    Event e;
    for (int expected = 0; expected < kCount;) {
      if (!q.pop(e, 100ms)) continue;
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
  });
  Event e;
  auto begin = std::chrono::steady_clock::now();
  ASSERT_TRUE(q.pop(e, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  EXPECT_EQ(e.tick.trade_id, 5);
  producer.join();
}

}  // namespace
