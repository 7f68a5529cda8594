// The simulator's ticks are all counted in, its generated past included, so the
// daemon's shutdown line (in = aggregated + rejected) adds up with history_hours.
#include "feed/simulator/simulator_feed.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

class CountingSink : public FeedSink {
 public:
  void on_tick(const TickData&) override { ++ticks; }
  std::uint64_t ticks = 0;
};

TEST(SimulatorFeed, ItsGeneratedPastIsCountedInWithTheLiveTicks) {
  SimulatorConfig config;
  config.history_hours = 0.01;  // 36 s of past, at 2 ticks/s per symbol
  config.ticks_per_second = 1000;
  boost::asio::io_context io;
  SimulatorFeed feed(config, {0, 1}, io);
  CountingSink sink;
  feed.start(sink);
  EXPECT_GE(sink.ticks, 140u);  // the past, generated at start
  io.run_for(std::chrono::milliseconds(200));
  feed.stop();
  io.run_for(std::chrono::milliseconds(50));
  EXPECT_GT(sink.ticks, 150u);  // and live ticks
  EXPECT_EQ(feed.stats().ticks, sink.ticks);
}

}  // namespace
}  // namespace tickd::core
