// `queue: 1024` with `overflow: drop_ticks` and an observer slower than the
// feed: the depth never exceeds 1024, ticks are dropped and counted, and every
// closed candle is delivered (the issue saw 1,165).
#include "bus/observer_worker.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace tickd::core {
namespace {

using namespace std::chrono_literals;

class SlowHandler : public EventHandler {
 public:
  bool handle(const Event& e, std::string&) noexcept override {
    if (e.kind == EventKind::candle_closed) closed.fetch_add(1);
    if (++handled % 64 == 0) std::this_thread::sleep_for(100us);
    return true;
  }
  bool stop(std::string&) noexcept override { return true; }
  std::atomic<std::uint64_t> closed{0};
  std::uint64_t handled = 0;
};

TEST(QueueBound, DepthNeverExceedsTheConfiguredCapacity) {
  auto handler = std::make_unique<SlowHandler>();
  SlowHandler& slow = *handler;
  ObserverWorker worker("slow", std::move(handler), ObserverFilter(0, {}, {}), 1024, Overflow::drop_ticks, 10,
                        nullptr);
  worker.start();
  std::atomic<bool> done{false};
  std::size_t max_depth = 0;
  std::thread sampler([&] {
    while (!done) max_depth = std::max(max_depth, worker.counters().queue_depth);
  });
  constexpr int kTicks = 400'000, kEvery = 20;
  int closed = 0;
  for (int i = 0; i < kTicks; ++i) {
    TickData t;
    t.trade_id = i;
    worker.offer(Event::of_tick(t));
    if (i % kEvery == 0) {
      CandleData c;
      c.open_time = i;
      c.flags = TICKD_CANDLE_CLOSED;
      worker.offer(Event::of_candle(c, true));
      ++closed;
    }
    if (i % 256 == 0) worker.publish();
  }
  worker.publish();
  ASSERT_TRUE(worker.stop(std::chrono::steady_clock::now() + 30s));
  done = true;
  sampler.join();
  const ObserverCounters c = worker.counters();
  EXPECT_LE(max_depth, 1024u);
  EXPECT_GT(c.dropped, 0u) << "the observer kept up: nothing was tested";
  EXPECT_EQ(slow.closed.load(), static_cast<std::uint64_t>(closed));
  EXPECT_EQ(c.delivered + c.dropped, static_cast<std::uint64_t>(kTicks + closed));
}

}  // namespace
}  // namespace tickd::core
