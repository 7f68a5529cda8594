// What a reload relies on: a pending worker queues events from the moment it
// is on the bus and hands them, in order, to the handler it gets later; a
// standby worker queues the same events without being one of the observers;
// a pending worker given up counts what it held of closed candles as lost.
#include "bus/dispatcher.hpp"

#include <gtest/gtest.h>

#include <mutex>

using namespace tickd::core;
using namespace std::chrono_literals;

namespace {

Event closed(std::int64_t open_time) {
  CandleData c;
  c.open_time = open_time;
  c.flags = TICKD_CANDLE_CLOSED;
  return Event::of_candle(c, true);
}

// What a handler saw; outlives the handler, which its worker destroys.
struct Seen {
  std::mutex mu;
  std::vector<std::int64_t> open_times;
  std::vector<std::int64_t> get() {
    std::lock_guard<std::mutex> lock(mu);
    return open_times;
  }
};

class Recorder : public EventHandler {
 public:
  explicit Recorder(Seen& seen) : seen_(seen) {}
  bool handle(const Event& e, std::string&) noexcept override {
    std::lock_guard<std::mutex> lock(seen_.mu);
    seen_.open_times.push_back(e.candle.open_time);
    return true;
  }
  bool stop(std::string&) noexcept override { return true; }

 private:
  Seen& seen_;
};

std::unique_ptr<ObserverWorker> pending(const std::string& name, Overflow policy = Overflow::block) {
  return std::make_unique<ObserverWorker>(name, nullptr, ObserverFilter(0, {}, {}), 64, policy, 2, nullptr);
}

TEST(PendingWorker, QueuesUntilItsHandlerArrivesThenHandlesEverythingInOrder) {
  Dispatcher d;
  auto w = pending("chart");
  ObserverWorker* p = w.get();
  p->set_config_digest("0000beef");
  d.add_pending(std::move(w), false);
  EXPECT_TRUE(p->pending());
  for (int i = 0; i < 10; ++i) d.dispatch(closed(i));
  EXPECT_EQ(p->counters().queue_depth, 10u);
  auto snap = d.snapshot();
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_EQ(snap[0].config_digest, "0000beef");
  EXPECT_TRUE(snap[0].metrics.empty());  // no handler yet to ask

  Seen seen;
  p->start(std::make_unique<Recorder>(seen));
  EXPECT_FALSE(p->pending());
  for (int i = 10; i < 15; ++i) d.dispatch(closed(i));
  auto final = d.stop_all(std::chrono::steady_clock::now() + 5s);
  ASSERT_EQ(final.size(), 1u);
  EXPECT_EQ(final[0].counters.undelivered, 0u);
  std::vector<std::int64_t> want;
  for (int i = 0; i < 15; ++i) want.push_back(i);
  EXPECT_EQ(seen.get(), want);
}

TEST(PendingWorker, AStandbyTakesTheSameEventsButIsNoObserverUntilPromoted) {
  Dispatcher d;
  auto next = pending("store");
  auto standby = pending("store");
  ObserverWorker* n = next.get();
  ObserverWorker* s = standby.get();
  d.add_pending(std::move(next), false);
  d.add_pending(std::move(standby), true);
  for (int i = 0; i < 4; ++i) d.dispatch(closed(i));
  EXPECT_EQ(d.names(), std::vector<std::string>{"store"});
  EXPECT_EQ(d.snapshot().size(), 1u);
  EXPECT_EQ(s->counters().queue_depth, 4u);

  // The replacement failed: the standby runs, the replacement leaves.
  Seen seen;
  s->start(std::make_unique<Recorder>(seen));
  n->request_stop();
  auto gone = d.detach(n);
  ASSERT_TRUE(gone);
  d.promote(s);
  d.dispatch(closed(4));
  EXPECT_EQ(d.names(), std::vector<std::string>{"store"});
  d.stop_all(std::chrono::steady_clock::now() + 5s);
  EXPECT_EQ(seen.get(), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
}

TEST(PendingWorker, GivenUpItCountsTheClosedCandlesItHeldAsUndelivered) {
  Dispatcher d;
  auto w = pending("store", Overflow::drop_ticks);
  ObserverWorker* p = w.get();
  d.add_pending(std::move(w), false);
  for (int i = 0; i < 3; ++i) d.dispatch(closed(i));
  d.dispatch(Event::of_tick(TickData{}));  // a tick is no loss
  p->request_stop();
  auto gone = d.detach(p);
  gone->give_up_pending();
  EXPECT_EQ(gone->snapshot().counters.undelivered, 3u);
  EXPECT_TRUE(d.names().empty());
}

}  // namespace
