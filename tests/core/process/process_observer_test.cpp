// A process observer against a real child (fixtures/protocol_child.py): events
// in order with acks, and every fault (crash, abort, exit, hang, garbage,
// memory) counted, reported with its cause and stderr, followed by a restart
// that receives the closed candles the dead child had not acknowledged.
#include "process_test_support.hpp"

#include <gtest/gtest.h>

#include <set>

namespace tickd::core::test {
namespace {

using tickd::test_support::TempDir;

class ProcessObserverTest : public ::testing::Test {
 protected:
  nlohmann::json config(const std::string& mode, int after = 0, bool once = true) {
    nlohmann::json c = {{"mode", mode}, {"after", after}, {"record", dir_.file("record.txt")}};
    if (once) c["once_file"] = dir_.file("once");
    return c;
  }
  std::unique_ptr<ProcessObserver> start(const ProcessObserverOptions& o) {
    return std::make_unique<ProcessObserver>(o, services_);
  }
  // Feeds n closed candles with a tick between each; returns the handle() failures.
  int feed(ProcessObserver& p, int n) {
    int failures = 0;
    std::string error;
    for (int i = 0; i < n; ++i) {
      failures += !p.handle(closed_candle(i), error);
      failures += !p.handle(tick(i), error);
    }
    p.flush();
    return failures;
  }
  // Every closed candle 0..n-1 reached some child.
  void expect_all_closed_candles(int n) {
    std::set<long long> seen;
    for (const auto& r : read_record(dir_.file("record.txt")))
      if (r.event["type"] == "candle") seen.insert(r.event["open_time"].get<long long>());
    for (int i = 0; i < n; ++i)
      EXPECT_TRUE(seen.count(1700000000000LL + i * 60000LL)) << "closed candle " << i << " lost";
  }
  std::set<long> pids() {
    std::set<long> out;
    for (const auto& r : read_record(dir_.file("record.txt"))) out.insert(r.pid);
    return out;
  }
  // A fault of `kind`, a restart, no closed candle lost, a clean stop.
  void expect_recovery(const ProcessObserverOptions& o, const std::string& kind, const std::string& cause) {
    auto p = start(o);
    feed(*p, 20);
    std::string error;
    EXPECT_TRUE(p->stop(error)) << error;
    EXPECT_EQ(metric(*p, "process_faults", kind), 1) << log_.text();
    EXPECT_EQ(metric(*p, "process_restarts"), 1);
    EXPECT_EQ(metric(*p, "process_suspended"), 0);
    EXPECT_GE(metric(*p, "events_redelivered"), 1);
    EXPECT_EQ(metric(*p, "events_lost"), 0);
    expect_all_closed_candles(20);
    EXPECT_EQ(pids().size(), 2u);
    EXPECT_NE(log_.text().find("fault '" + kind + "'"), std::string::npos) << log_.text();
    EXPECT_NE(log_.text().find(cause), std::string::npos) << log_.text();
  }

  TempDir dir_{"tickd-process"};
  LogCapture log_;
  FakeServices services_;
};

TEST_F(ProcessObserverTest, DeliversEveryEventInOrderWithSeqAndStopsCleanly) {
  auto p = start(child_options(config("ok")));
  EXPECT_EQ(feed(*p, 50), 0);
  std::string error;
  ASSERT_TRUE(p->stop(error)) << error;
  auto got = read_record(dir_.file("record.txt"));
  ASSERT_EQ(got.size(), 100u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].event["seq"], i + 1);
    EXPECT_EQ(got[i].event["type"], i % 2 ? "tick" : "candle");
    EXPECT_EQ(got[i].event["symbol"], "BTCUSDT");
  }
  EXPECT_EQ(got[2].event["close"], 100.25);
  EXPECT_EQ(got[2].event["closed"], true);
  EXPECT_NE(read_text_of(dir_.file("record.txt")).find(" stop"), std::string::npos);
  EXPECT_EQ(metric(*p, "events_sent"), 100);
  EXPECT_EQ(metric(*p, "process_restarts"), 0);
  EXPECT_NE(log_.text().find("stderr: child "), std::string::npos) << log_.text();
}

TEST_F(ProcessObserverTest, CrashIsRestartedAndUnackedClosedCandlesRedelivered) {
  expect_recovery(child_options(config("crash", 5)), "crash", "killed by signal 11");
}

TEST_F(ProcessObserverTest, AbortIsACrash) {
  expect_recovery(child_options(config("abort", 3)), "crash", "killed by signal 6");
}

TEST_F(ProcessObserverTest, ExitIsAFaultWithItsStatus) {
  expect_recovery(child_options(config("exit", 4)), "exit", "exited with status 3");
}

TEST_F(ProcessObserverTest, NoAckWithinAckTimeoutIsAHang) {
  auto o = child_options(config("hang", 2));
  o.limits.ack_timeout_ms = 300;
  expect_recovery(o, "hang", "no ack within ack_timeout (300 ms)");
}

TEST_F(ProcessObserverTest, GarbageOnStdoutIsAFault) {
  expect_recovery(child_options(config("garbage", 2)), "garbage", "unreadable line");
}

TEST_F(ProcessObserverTest, MemoryOverTheLimitIsAFault) {
  auto o = child_options(config("leak", 1));
  o.limits.memory_limit_mb = 120;
  expect_recovery(o, "memory", "over memory_limit_mb 120");
}

TEST_F(ProcessObserverTest, FaultReportCarriesTheLastStderrLines) {
  expect_recovery(child_options(config("stderr", 1)), "crash", "| Traceback (most recent call last): boom");
}

TEST_F(ProcessObserverTest, SuspendedAfterMaxFailuresFaultsInARow) {
  // Crashes on the first event it gets, every time: the redelivered candle
  // keeps killing it, so no child ever acknowledges anything.
  auto p = start(child_options(config("crash", 0, false)));
  std::string error;
  p->handle(closed_candle(0), error);
  p->flush();
  ASSERT_TRUE(eventually([&] { return metric(*p, "process_suspended") == 1; })) << log_.text();
  EXPECT_EQ(metric(*p, "process_faults", "crash"), 3);
  EXPECT_EQ(metric(*p, "process_restarts"), 2);
  EXPECT_FALSE(p->handle(closed_candle(1), error));
  EXPECT_NE(error.find("suspended after 3 faults in a row"), std::string::npos) << error;
  EXPECT_EQ(metric(*p, "events_lost"), 1);
  p->stop(error);
}

TEST_F(ProcessObserverTest, NoReadyIsAStartErrorWithTheCause) {
  auto o = child_options(config("noready"));
  o.limits.start_timeout_ms = 300;
  try {
    start(o);
    FAIL() << "a child that never says ready must not load";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no 'ready' within start_timeout (300 ms)"), std::string::npos)
        << e.what();
  }
}

TEST_F(ProcessObserverTest, ProgramThatCannotStartIsAStartError) {
  auto o = child_options(config("ok"));
  o.spawn.program = dir_.file("missing");
  EXPECT_THROW(start(o), std::runtime_error);
  o = child_options(config("ok"));
  o.spawn.cwd = dir_.file("no-such-folder");
  try {
    start(o);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot enter"), std::string::npos) << e.what();
  }
}

TEST_F(ProcessObserverTest, EventErrorsReportedByTheChildAreFailures) {
  auto p = start(child_options(config("errors")));
  std::string error;
  int failures = 0;
  for (int i = 0; i < 20 && failures == 0; ++i) {
    failures += !p->handle(closed_candle(i), error);
    p->flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(failures, 1);
  EXPECT_NE(error.find("cannot handle event"), std::string::npos) << error;
  EXPECT_GE(metric(*p, "child_errors"), 1);
  p->stop(error);
}

TEST_F(ProcessObserverTest, HistoryRequestsAreAnswered) {
  auto p = start(child_options(config("history")));
  std::string error;
  ASSERT_TRUE(p->handle(closed_candle(0), error));
  p->flush();
  EXPECT_TRUE(eventually([&] {
    return log_.text().find("history 1: 3 candles, first close 100.5") != std::string::npos;
  })) << log_.text();
  EXPECT_TRUE(p->stop(error)) << error;
}

TEST_F(ProcessObserverTest, SignalFloodIsCutAtTheRateLimitAndCounted) {
  auto o = child_options(config("flood", 0));
  o.limits.max_signals_per_second = 50;
  auto p = start(o);
  std::string error;
  p->handle(closed_candle(0), error);
  p->flush();
  ASSERT_TRUE(eventually([&] { return metric(*p, "signals_dropped") > 1000; })) << log_.text();
  EXPECT_LE(services_.published(), 200u);  // 50 per second over the test's few seconds
  EXPECT_GE(services_.published(), 50u);
  p->stop(error);
}

TEST_F(ProcessObserverTest, TicksWhileTheChildIsDownAreDroppedNotWaitedFor) {
  auto o = child_options(config("crash", 0));
  o.limits.restart_initial_ms = o.limits.restart_max_ms = 1000;
  auto p = start(o);
  std::string error;
  p->handle(closed_candle(0), error);
  p->flush();
  ASSERT_TRUE(eventually([&] { return metric(*p, "process_faults", "crash") == 1; }));
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) p->handle(tick(i), error);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(500));
  EXPECT_GE(metric(*p, "events_dropped_while_down"), 1000);
  p->stop(error);
}

}  // namespace
}  // namespace tickd::core::test
