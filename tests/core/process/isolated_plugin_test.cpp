// A plugin isolated in tickd-plugin-host reports what it reports in process:
// the same ABI 1.1 metrics (names, HELP, kinds, loss flags, labels, values),
// and host.history() and host.status() work from a thread of its own.
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
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_TRUE(eventually([&] {
    return metric(isolated, "process_restarts") == 1 && metric(isolated, "process_running") == 1;
  })) << log.text();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(isolated.handle(tick(i), error)) << error;
  isolated.flush();
  // The new child counts from zero; the figure goes on from the dead one's 50.
  EXPECT_TRUE(eventually([&] { return metric(isolated, "ticks_seen") == 70; }, std::chrono::seconds(5)))
      << metric(isolated, "ticks_seen") << log.text();
  EXPECT_NE(metric(isolated, "pid"), pid);
  EXPECT_EQ(metric(isolated, "last_price"), 119);  // a gauge: the new child's only
  ASSERT_TRUE(isolated.stop(error)) << error;
}

}  // namespace
}  // namespace tickd::core::test
