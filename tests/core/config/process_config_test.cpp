// The `process:` and `isolation:` keys of an observer: what they read to, and
// every mistake reported at its file:line:column.
#include "config_test_util.hpp"

#include <gmock/gmock.h>

namespace tickd::core {
namespace {

using ::testing::HasSubstr;
using testing::kValidAggregator;
using testing::kValidFeed;
using testing::load_error;

std::string with_observer(const std::string& entry) {  // the entry starts on line 7
  return std::string(kValidFeed) + kValidAggregator + "observers:\n" + entry;
}

Config load(const std::string& yaml) { return load_config_text(yaml, "t.yaml", "/base"); }

TEST(ProcessConfig, ProgramObserverReadsEveryKey) {
  Config c =
      load(with_observer("  - name: py\n"
                         "    process:\n"
                         "      command: [python3, -u, strategy.py]\n"
                         "      cwd: strategies\n"
                         "      env: {PYTHONPATH: /opt/lib, MODE: live}\n"
                         "      window: 64\n"
                         "      ack_timeout: 2s\n"
                         "      start_timeout: 500ms\n"
                         "      stop_timeout: 3s\n"
                         "      memory_limit_mb: 256\n"
                         "      max_line_bytes: 4096\n"
                         "      restart: {initial: 100ms, max: 5s}\n"
                         "      max_signals_per_second: 10\n"
                         "    config: {fast: 9}\n"));
  const ObserverConfig& o = c.observers.at(0);
  ASSERT_TRUE(o.runs_as_process());
  EXPECT_TRUE(o.plugin.empty());
  const ProcessConfig& p = *o.process;
  EXPECT_EQ(p.command, (std::vector<std::string>{"python3", "-u", "strategy.py"}));
  EXPECT_EQ(p.cwd, "/base/strategies");
  EXPECT_EQ(p.env,
            (std::vector<std::pair<std::string, std::string>>{{"PYTHONPATH", "/opt/lib"}, {"MODE", "live"}}));
  EXPECT_EQ(p.window, 64u);
  EXPECT_EQ(p.ack_timeout_ms, 2000);
  EXPECT_EQ(p.start_timeout_ms, 500);
  EXPECT_EQ(p.stop_timeout_ms, 3000);
  EXPECT_EQ(p.memory_limit_mb, 256u);
  EXPECT_EQ(p.max_line_bytes, 4096u);
  EXPECT_EQ(p.restart_initial_ms, 100);
  EXPECT_EQ(p.restart_max_ms, 5000);
  EXPECT_EQ(p.max_signals_per_second, 10u);
  EXPECT_EQ(o.config["fast"], 9);
  EXPECT_EQ(o.process_mark.line, 9);
}

TEST(ProcessConfig, DefaultsAndTheConfigFolderAsCwd) {
  Config c = load(with_observer("  - name: py\n    process: {command: [./run.sh]}\n"));
  const ProcessConfig& p = *c.observers.at(0).process;
  EXPECT_EQ(p.cwd, "/base");
  EXPECT_EQ(p.window, 4096u);
  EXPECT_EQ(p.ack_timeout_ms, 10000);
  EXPECT_EQ(p.memory_limit_mb, 0u);
}

TEST(ProcessConfig, IsolatedPluginGetsDefaultLimitsOrItsOwn) {
  Config c =
      load(with_observer("  - name: s\n    plugin: strategy\n    isolation: process\n"
                         "  - name: t\n    plugin: strategy\n    isolation: process\n"
                         "    process: {memory_limit_mb: 64}\n"
                         "  - name: u\n    plugin: strategy\n"));
  ASSERT_TRUE(c.observers[0].runs_as_process());
  EXPECT_TRUE(c.observers[0].process->command.empty());
  EXPECT_EQ(c.observers[0].isolation, Isolation::process);
  EXPECT_EQ(c.observers[1].process->memory_limit_mb, 64u);
  EXPECT_FALSE(c.observers[2].runs_as_process());
  EXPECT_EQ(c.observers[2].isolation, Isolation::in_process);
}

TEST(ProcessConfig, PluginAndCommandAreMutuallyExclusive) {
  EXPECT_EQ(load_error(with_observer("  - name: x\n    plugin: logger\n    isolation: process\n"
                                     "    process: {command: [python3]}\n")),
            "t.yaml:10:14: 'observers[0].process.command' and 'plugin' are mutually exclusive: an observer "
            "runs a plugin or a program");
}

TEST(ProcessConfig, MistakesHaveTheirPosition) {
  EXPECT_EQ(load_error(with_observer("  - name: x\n")),
            "t.yaml:7:5: 'observers[0].plugin' or 'observers[0].process' is required");
  EXPECT_EQ(load_error(with_observer("  - name: x\n    process: {cwd: /tmp}\n")),
            "t.yaml:8:14: 'observers[0].process.command' is required: the program to run, e.g. [python3, -u, "
            "my_observer.py]");
  EXPECT_EQ(
      load_error(with_observer("  - name: x\n    process: {command: []}\n")),
      "t.yaml:8:24: 'observers[0].process.command' must name a program, e.g. [python3, -u, my_observer.py]");
  EXPECT_THAT(
      load_error(with_observer("  - name: x\n    process: {command: [a], windw: 3}\n")),
      HasSubstr("t.yaml:8:29: unknown key 'windw' in 'observers[0].process' (did you mean 'window'?)"));
  EXPECT_THAT(load_error(with_observer("  - name: x\n    process: {command: [a], ack_timeout: 0s}\n")),
              HasSubstr("t.yaml:8:42: 'observers[0].process.ack_timeout' must be more than 0"));
  EXPECT_THAT(load_error(with_observer("  - name: x\n    process: {command: [a], env: {1X: y}}\n")),
              HasSubstr("is not an environment variable name"));
  EXPECT_THAT(load_error(with_observer(
                  "  - name: x\n    process: {command: [a], restart: {initial: 5s, max: 1s}}\n")),
              HasSubstr("'observers[0].process.restart.max' must not be less than 'initial'"));
  EXPECT_EQ(
      load_error(with_observer("  - name: x\n    process: {command: [a]}\n    isolation: process\n")),
      "t.yaml:9:16: 'observers[0].isolation' applies to plugins; a 'process' observer always runs apart");
  EXPECT_EQ(
      load_error(with_observer("  - name: x\n    plugin: logger\n    process: {window: 3}\n")),
      "t.yaml:9:14: 'observers[0].process' with a plugin holds the limits of 'isolation: process'; add it");
  EXPECT_THAT(load_error(with_observer("  - name: x\n    plugin: logger\n    isolation: sandbox\n")),
              HasSubstr("t.yaml:9:16:"));
}

}  // namespace
}  // namespace tickd::core
