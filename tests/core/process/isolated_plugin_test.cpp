// A plugin isolated in tickd-plugin-host reports what it reports in process:
// the same ABI 1.1 metrics (names, HELP, kinds, loss flags, labels, values),
// and host.history() and host.status() work from a thread of its own. A child
// that dies takes its counters into the next child's figures, and what it held
// at risk (C++ or Python) into records_lost_in_crash.
#include "app/daemon_status.hpp"
#include "plugin/plugin_observer.hpp"
#include "process_test_support.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <set>
#include <tuple>

namespace tickd::core::test {
namespace {

const std::string kPlugin = TICKD_TEST_PLUGIN_DIR "/tickd_fixture_metrics.so";

using Figure = std::tuple<std::string, std::string, bool, bool, double, std::string, std::string>;
Figure figure(const ObserverMetric& m) {
  return {m.name, m.help, m.counter, m.loss, m.value, m.label_name, m.label_value};
}

// The plugin's own figures among an observer's: those named as in `reference`.
std::vector<Figure> plugin_figures(const EventHandler& h, const std::vector<ObserverMetric>& reference) {
  std::set<std::string> names;
  for (const auto& m : reference) names.insert(m.name);
  std::vector<ObserverMetric> all;
  h.metrics(all);
  std::vector<Figure> out;
  for (const auto& m : all)
    if (names.count(m.name)) out.push_back(figure(m));
  return out;
}

ProcessObserverOptions isolated_options() {
  ProcessObserverOptions o;
  o.name = "fixture";
  o.spawn.program = TICKD_PLUGIN_HOST;
  o.spawn.argv = {TICKD_PLUGIN_HOST, kPlugin};
  o.spawn.env = {"PATH=/usr/bin:/bin"};
  o.config_json = "{}";
  o.limits.start_timeout_ms = 5000;
  o.limits.stop_timeout_ms = 5000;
  return o;
}

// SIGKILLs the observer's child (the one its `pid` figure names) and waits
// until the next child runs.
::testing::AssertionResult killed_and_restarted(ProcessObserver& o, LogCapture& log) {
  const auto pid = static_cast<pid_t>(metric(o, "pid"));
  if (pid <= 0 || ::kill(pid, SIGKILL) != 0)
    return ::testing::AssertionFailure() << "no child to kill: pid " << pid;
  if (!eventually([&] { return metric(o, "process_restarts") == 1 && metric(o, "process_running") == 1; }))
    return ::testing::AssertionFailure() << "no next child\n" << log.text();
  return ::testing::AssertionSuccess();
}

std::vector<Event> events() {
  std::vector<Event> out;
  for (int i = 0; i < 300; ++i) {
    Event t = tick(i);
    t.tick.symbol = static_cast<SymbolId>(i % 3 == 0 ? 1 : 0);
    out.push_back(t);
    if (i % 10 == 0) out.push_back(closed_candle(i / 10));
  }
  return out;
}

TEST(IsolatedPlugin, ReportsTheSameMetricsAsInProcessAndAsksTheDaemonFromItsOwnThreads) {
  LogCapture log;
  FakeServices services;
  services.status = R"({"feed":{"state":"live"},"observers":[],"uptime_seconds":12})";
  PluginObserver in_process(PluginLibrary::load(kPlugin),
                            std::make_unique<PluginHostApi>("fixture", "{}", services));
  ProcessObserver isolated(isolated_options(), services);

  std::string error;
  for (const auto& e : events()) {
    ASSERT_TRUE(in_process.handle(e, error)) << error;
    ASSERT_TRUE(isolated.handle(e, error)) << error;
  }
  isolated.flush();
  // While it runs, the daemon asks the child for its figures every second.
  EXPECT_TRUE(eventually([&] { return metric(isolated, "ticks_seen") == 300; }, std::chrono::seconds(5)))
      << log.text();
  EXPECT_EQ(metric(isolated, "ticks_by_symbol", "ETHUSDT"), 100);

  ASSERT_TRUE(in_process.stop(error)) << error;
  ASSERT_TRUE(isolated.stop(error)) << error << log.text();
  std::vector<ObserverMetric> reference;
  in_process.metrics(reference);
  ASSERT_EQ(reference.size(), 10u);
  // What the plugin's thread got from the daemon, in process: the premise.
  EXPECT_EQ(metric(in_process, "history_from_thread"), 2);
  EXPECT_EQ(metric(in_process, "status_fields"), 3);
  EXPECT_EQ(metric(in_process, "status_feed_live"), 1);
  EXPECT_EQ(metric(in_process, "candles_unwritten_at_stop"), 2);  // set by stop()

  // Isolated: the same, down to the figures set by stop().
  std::vector<Figure> expected;
  for (const auto& m : reference) expected.push_back(figure(m));
  EXPECT_EQ(plugin_figures(isolated, reference), expected) << log.text();
  // A clean stop is the plugin's stop() returning: what it still reports at
  // risk (records_buffered is 1) is not counted as lost, as in process.
  EXPECT_EQ(metric(isolated, "records_lost_in_crash"), 0);
}

TEST(IsolatedPlugin, CountersOfADeadChildAreCarriedIntoTheNextOnesFigures) {
  LogCapture log;
  FakeServices services;
  auto options = isolated_options();
  options.config_json = R"({"report_pid":true})";
  options.limits.restart_initial_ms = 20;
  ProcessObserver isolated(options, services);
  std::string error;
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(isolated.handle(tick(i), error)) << error;
  isolated.flush();
  ASSERT_TRUE(eventually([&] { return metric(isolated, "ticks_seen") == 50; }, std::chrono::seconds(5)));
  const auto pid = static_cast<pid_t>(metric(isolated, "pid"));
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(killed_and_restarted(isolated, log));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(isolated.handle(tick(i), error)) << error;
  isolated.flush();
  // The new child counts from zero; the figure goes on from the dead one's 50.
  EXPECT_TRUE(eventually([&] { return metric(isolated, "ticks_seen") == 70; }, std::chrono::seconds(5)))
      << metric(isolated, "ticks_seen") << log.text();
  EXPECT_NE(metric(isolated, "pid"), pid);
  EXPECT_EQ(metric(isolated, "last_price"), 119);  // a gauge: the new child's only
  ASSERT_TRUE(isolated.stop(error)) << error;
}

TEST(IsolatedPlugin, RecordsAKilledChildHeldAtRiskAreCountedAsLostAfterTheRestart) {
  LogCapture log;
  FakeServices services;
  auto options = isolated_options();
  options.config_json = R"({"report_pid":true,"buffered":7})";
  options.limits.restart_initial_ms = 20;
  ProcessObserver isolated(options, services);
  std::string error;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(isolated.handle(tick(i), error)) << error;
  isolated.flush();
  // Its report says it holds 7 records it has acknowledged and not made safe.
  ASSERT_TRUE(
      eventually([&] { return metric(isolated, "records_buffered") == 7 && metric(isolated, "pid") > 0; },
                 std::chrono::seconds(5)));
  std::vector<ObserverMetric> before;
  isolated.metrics(before);
  EXPECT_EQ(plugin_losses(before), 0);
  ASSERT_TRUE(killed_and_restarted(isolated, log));

  // Gone with the child: a loss counter, so part of the observer's `lost` in
  // /health, /metrics and `tickd stats`, and of the exit status at shutdown.
  EXPECT_EQ(metric(isolated, "records_lost_in_crash"), 7) << log.text();
  std::vector<ObserverMetric> after;
  isolated.metrics(after);
  EXPECT_EQ(plugin_losses(after), 7);
  const std::string text = log.text();
  EXPECT_NE(
      text.find("its last report held 7 records not yet made safe (records_buffered 7), counted as lost"),
      std::string::npos)
      << text;

  // The new child holds 7 too, but stops cleanly: nothing more is counted.
  ASSERT_TRUE(eventually([&] { return metric(isolated, "records_buffered") == 7; }, std::chrono::seconds(5)));
  ASSERT_TRUE(isolated.stop(error)) << error;
  EXPECT_EQ(metric(isolated, "records_lost_in_crash"), 7);
}

TEST(IsolatedPlugin, APythonObserversRecordsAtRiskAreCountedAsLostWhenItIsKilled) {
  LogCapture log;
  FakeServices services;
  ProcessObserverOptions o;
  o.name = "python";
  o.spawn.program = "/usr/bin/python3";
  o.spawn.argv = {"python3", TICKD_SOURCE_DIR "/tests/core/process/fixtures/holding_observer.py"};
  o.spawn.env = {"PATH=/usr/bin:/bin", "PYTHONPATH=" TICKD_SOURCE_DIR "/sdk/python"};
  o.config_json = R"({"buffered":5})";
  o.limits.start_timeout_ms = 5000;
  o.limits.restart_initial_ms = 20;
  ProcessObserver python(o, services);
  ASSERT_TRUE(eventually([&] { return metric(python, "records_buffered") == 5 && metric(python, "pid") > 0; },
                         std::chrono::seconds(5)));
  ASSERT_TRUE(killed_and_restarted(python, log));
  EXPECT_EQ(metric(python, "records_lost_in_crash"), 5) << log.text();
  std::string error;
  ASSERT_TRUE(python.stop(error)) << error;
  EXPECT_EQ(metric(python, "records_lost_in_crash"), 5);  // a clean stop adds nothing
}

TEST(IsolatedPlugin, AChildThatHeldNothingAtRiskWhenItDiedCountsNoLoss) {
  LogCapture log;
  FakeServices services;
  auto options = isolated_options();
  options.config_json = R"({"report_pid":true,"buffered":0})";
  options.limits.restart_initial_ms = 20;
  ProcessObserver isolated(options, services);
  ASSERT_TRUE(eventually([&] { return metric(isolated, "pid") > 0; }, std::chrono::seconds(5)));
  ASSERT_TRUE(killed_and_restarted(isolated, log));
  EXPECT_EQ(metric(isolated, "records_lost_in_crash"), 0);
  std::vector<ObserverMetric> all;
  isolated.metrics(all);
  EXPECT_EQ(plugin_losses(all), 0);
  std::string error;
  ASSERT_TRUE(isolated.stop(error)) << error;
  EXPECT_EQ(metric(isolated, "records_lost_in_crash"), 0);
}

}  // namespace
}  // namespace tickd::core::test
