// A child that declares its config (the Python SDK's tickd.schema) and is
// given a wrong one says so in the protocol (version 3): the daemon names the
// key's YAML file:line:column, suspends the observer with that reason, and
// does not restart it. A right one runs, with its defaults filled in.
#include "process_test_support.hpp"

#include <gtest/gtest.h>

namespace tickd::core::test {
namespace {

ProcessObserverOptions checked_options(const nlohmann::json& config) {
  ProcessObserverOptions o;
  o.name = "checked";
  o.spawn.program = "/usr/bin/python3";
  o.spawn.argv = {"python3", TICKD_SOURCE_DIR "/tests/core/process/fixtures/checked_config_observer.py"};
  o.spawn.env = {"PATH=/usr/bin:/bin", "PYTHONPATH=" TICKD_SOURCE_DIR "/sdk/python"};
  o.config_json = config.dump();
  o.limits.start_timeout_ms = 5000;
  o.limits.stop_timeout_ms = 3000;
  o.limits.restart_initial_ms = 20;
  o.limits.restart_max_ms = 50;
  o.max_failures = 3;
  // As the config reader records them for `config: {above: high, sid: buy}`.
  o.config_positions.block = {"strategies.yaml", 12, 13};
  o.config_positions.values["/above"] = {"strategies.yaml", 12, 21};
  o.config_positions.values["/sid"] = {"strategies.yaml", 12, 32};
  o.config_positions.keys["/sid"] = {"strategies.yaml", 12, 27};
  return o;
}

TEST(ProcessConfigError, AWrongTypeSuspendsTheObserverNamingTheKeysPositionWithoutRestarts) {
  LogCapture log;
  FakeServices services;
  ProcessObserver p(checked_options({{"above", "high"}, {"sid", "buy"}}), services);  // loads, suspended

  const std::string reason = p.suspended_reason();
  EXPECT_NE(
      reason.find("strategies.yaml:12:21: observer 'checked': 'config.above' must be a number, got 'high'"),
      std::string::npos)
      << reason;
  EXPECT_NE(reason.find("strategies.yaml:12:27: observer 'checked': unknown key 'sid' in 'config' (did you "
                        "mean 'side'?)"),
            std::string::npos)
      << reason;
  EXPECT_EQ(metric(p, "process_faults", "config"), 1);
  EXPECT_EQ(metric(p, "process_suspended"), 1);
  // Permanent: no restart loop, whatever max_failures says.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(metric(p, "process_restarts"), 0);
  EXPECT_EQ(metric(p, "process_faults", "start"), 0);
  std::string error;
  EXPECT_FALSE(p.handle(closed_candle(0), error));
  EXPECT_NE(error.find("'config.above' must be a number"), std::string::npos) << error;
  EXPECT_EQ(metric(p, "events_lost"), 1);  // a closed candle it can never take: counted
  const std::string text = log.text();
  EXPECT_NE(
      text.find("strategies.yaml:12:21: observer 'checked': 'config.above' must be a number, got 'high'"),
      std::string::npos)
      << text;
  EXPECT_TRUE(p.stop(error)) << error;  // nothing outstanding: the candle was counted when refused
}

TEST(ProcessConfigError, ARightConfigRunsWithItsDefaultsAndNoReason) {
  LogCapture log;
  FakeServices services;
  ProcessObserver p(checked_options({{"above", "40000"}}), services);
  EXPECT_EQ(p.suspended_reason(), "");
  EXPECT_EQ(metric(p, "process_running"), 1);
  std::string error;
  ASSERT_TRUE(p.stop(error)) << error;
  const std::string text = log.text();
  EXPECT_NE(text.find("started: above=40000.0 cooldown=300s side=buy"), std::string::npos) << text;
  EXPECT_EQ(metric(p, "process_faults", "config"), 0);
}

}  // namespace
}  // namespace tickd::core::test
