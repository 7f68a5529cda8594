// The host-side part of an observer's `lost` figure: closed candles and signals
// it never handled, because it was suspended or abandoned at a stop deadline.
#include "bus/observer_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace tickd::core;
using namespace std::chrono_literals;

namespace {

Event tick() { return Event::of_tick(TickData{}); }

Event closed(std::int64_t open_time) {
  CandleData c;
  c.open_time = open_time;
  c.flags = TICKD_CANDLE_CLOSED;
  return Event::of_candle(c, true);
}

// Fails every event, or waits on `release` inside the first one.
class Handler : public EventHandler {
 public:
  Handler(bool fail, std::atomic<bool>* release) : fail_(fail), release_(release) {}
  bool handle(const Event&, std::string& error) noexcept override {
    while (release_ && !release_->load()) std::this_thread::sleep_for(1ms);
    if (fail_) error = "failing on purpose";
    return !fail_;
  }
  bool stop(std::string&) noexcept override { return true; }
  void metrics(std::vector<ObserverMetric>& out) const noexcept override {
    out.push_back({"records_buffered", "held", false, true, 7, "", ""});
  }

 private:
  bool fail_;
  std::atomic<bool>* release_;
};

std::unique_ptr<ObserverWorker> worker(std::unique_ptr<EventHandler> h, Overflow policy) {
  return std::make_unique<ObserverWorker>("w", std::move(h), ObserverFilter(0, {}, {}), 64, policy, 2,
                                          nullptr);
}

TEST(ObserverLosses, ClosedCandlesSkippedWhileSuspendedAreUndelivered) {
  auto w = worker(std::make_unique<Handler>(true, nullptr), Overflow::drop_ticks);
  w->start();
  for (int i = 0; i < 5; ++i) w->offer(closed(i));  // two failures suspend it; three skipped
  w->offer(tick());                                 // skipped too, but a tick is not a loss
  w->publish();
  ASSERT_TRUE(w->stop(std::chrono::steady_clock::now() + 5s));
  const ObserverCounters c = w->counters();
  EXPECT_TRUE(c.suspended);
  EXPECT_EQ(c.failures, 2u);
  EXPECT_EQ(c.skipped, 4u);
  EXPECT_EQ(c.undelivered, 3u);
}

TEST(ObserverLosses, WhatIsStillQueuedWhenStopGivesUpIsUndelivered) {
  std::atomic<bool> release{false};
  auto w = worker(std::make_unique<Handler>(false, &release), Overflow::block);
  w->start();
  for (int i = 0; i < 10; ++i) w->offer(closed(i));
  w->offer(tick());
  w->publish();
  EXPECT_FALSE(w->stop(std::chrono::steady_clock::now() + 100ms));
  EXPECT_TRUE(w->abandoned());
  // The one inside the handler is not delivered either.
  EXPECT_EQ(w->counters().undelivered, 10u);
  std::vector<ObserverMetric> figures;
  w->metrics(figures);  // still answers: the handler is kept, never freed
  ASSERT_EQ(figures.size(), 1u);
  release = true;
  // The detached thread comes out of the handler and ends; then the worker
  // may go, and frees the handler.
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (!w->finished() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(w->finished());
}

TEST(ObserverLosses, ANormalStopLosesNothing) {
  auto w = worker(std::make_unique<Handler>(false, nullptr), Overflow::block);
  w->start();
  for (int i = 0; i < 10; ++i) w->offer(closed(i));
  w->publish();
  ASSERT_TRUE(w->stop(std::chrono::steady_clock::now() + 5s));
  EXPECT_EQ(w->counters().delivered, 10u);
  EXPECT_EQ(w->counters().undelivered, 0u);
}

}  // namespace
