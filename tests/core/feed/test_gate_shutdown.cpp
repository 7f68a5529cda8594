// No tick goes uncounted at a stop: what reaches the gate after stop(), what it
// still holds for look-ahead, and what a replay has read ahead or is pacing are
// counted as rejected at `shutdown`, so feed ticks = passed + rejected exactly.
#include "feed/replay/replay_feed.hpp"
#include "gate_test_support.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <cmath>

namespace tickd::core {
namespace {

using namespace testing;

constexpr TimeMs kT0 = 1570752011620;  // the XRPETH file's first trade, 2019-10-11

TEST(GateShutdown, TicksAfterStopAreCountedNotPassed) {
  SymbolTable symbols;
  symbols.intern("XRPETH");
  PassedSink sink;
  ClockOnlyFeed feed(false);
  TickGate gate(GateConfig{}, symbols, sink);
  gate.attach(feed);
  gate.on_tick(gate_tick(now_ms()));
  gate.stop();
  gate.on_tick(gate_tick(now_ms()));
  gate.on_tick(gate_tick(now_ms(), std::nan("")));  // stopped: not judged, counted once
  EXPECT_EQ(sink.ticks.size(), 1u);
  EXPECT_EQ(rejected(gate, GateReason::shutdown), 2u);
  EXPECT_EQ(rejected(gate, GateReason::price), 0u);
  EXPECT_STREQ(gate_reason_name(GateReason::shutdown), "shutdown");
}

TEST(GateShutdown, AHeldReplayTickIsCountedWhenTheFeedStops) {
  SymbolTable symbols;
  symbols.intern("XRPETH");
  PassedSink sink;
  ClockOnlyFeed feed(true);
  TickGate gate(GateConfig{}, symbols, sink);
  gate.attach(feed);
  gate.on_tick(gate_tick(kT0));                       // the first tick waits for its second
  gate.on_tick(gate_tick(kT0 + 1));                   // confirms it
  gate.on_tick(gate_tick(kT0 + 24LL * 3600 * 1000));  // a jump: held for look-ahead
  EXPECT_EQ(sink.ticks.size(), 2u);
  gate.stop();
  gate.discard_held();
  gate.discard_held();  // once only
  EXPECT_EQ(rejected(gate, GateReason::shutdown), 1u);
  EXPECT_EQ(gate.stats().total(), 1u);
  EXPECT_EQ(sink.ticks.size(), 2u);
}

// A replay as recorded (paced): stopped after a moment, while its next tick
// waits for its time, as the daemon stops it (gate first, then the feed).
TEST(GateShutdown, APacedReplayStoppedMidwayReconcilesExactly) {
  ReplayConfig config;
  config.files.push_back(ReplayFile{TICKD_DATA_DIR
                                    "/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv",
                                    "binance_aggtrades", "XRPETH"});
  config.speed = 50;
  boost::asio::io_context io;
  SymbolTable symbols;
  ReplayFeed replay(config, io, symbols);
  PassedSink sink;
  TickGate gate(GateConfig{}, symbols, sink);
  gate.attach(replay);
  replay.start(gate);
  io.run_for(std::chrono::milliseconds(300));
  ASSERT_EQ(replay.stats().state, "replaying");
  gate.stop();
  boost::asio::post(io, [&] {
    replay.stop();
    gate.discard_held();
  });
  io.restart();
  io.poll();
  const std::uint64_t ticks = replay.stats().ticks;
  EXPECT_GT(sink.ticks.size(), 0u);
  EXPECT_GE(rejected(gate, GateReason::shutdown), 1u);  // at least the paced tick
  EXPECT_EQ(ticks, sink.ticks.size() + gate.stats().total());
  EXPECT_EQ(replay.stats().state, "stopped");
}

}  // namespace
}  // namespace tickd::core
