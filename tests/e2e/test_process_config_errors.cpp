// A process observer's `config:` checked before it starts, through the whole
// daemon: a Python observer that declares its keys and gets a wrong one is
// suspended with the key's YAML file:line:column (log, /health, `tickd
// stats`) while the daemon runs on; an isolated C++ plugin's block is checked
// against its .so's schema before the child starts, as in process.
#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"

#include <signal.h>
#include <nlohmann/json.hpp>

namespace tickd::e2e {
namespace {

// "file:line:column" of the first `needle` in `text` (1-based, as the daemon writes).
std::string position_of(const std::string& file, const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  const auto line_start = text.rfind('\n', at);
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
  const auto column = at - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

TEST(ProcessConfigErrors, APythonObserversWrongKeyTypeIsShownAtItsYamlPositionAndSuspendsIt) {
  TempDir dir("tickd-process-config");
  const int port = test_support::free_port();
  const std::string config =
      "daemon: {plugin_dirs: [" TICKD_PLUGIN_DIR "], admin_listen: '127.0.0.1:" + std::to_string(port) +
      "'}\n"
      "feed: {kind: simulator, symbols: [BTCUSDT]}\n"
      "aggregator: {intervals: [1m]}\n"
      "observers:\n"
      "  - name: reference\n"
      "    plugin: logger\n"
      "    config: {output: " +
      dir.file("reference.log") +
      "}\n"
      "  - name: checked\n"
      "    process:\n"
      "      command: [python3, " TICKD_SOURCE_DIR
      "/tests/core/process/fixtures/checked_config_observer.py]\n"
      "      env: {PYTHONPATH: " TICKD_SOURCE_DIR
      "/sdk/python}\n"
      "    max_failures: 3\n"
      "    config:\n"
      "      above: high\n"
      "      side: buy\n";
  const std::string path = write_file(dir, "checked.yaml", config), log = dir.file("tickd.log");
  const std::string expected =
      position_of(path, config, "high") + ": observer 'checked': 'config.above' must be a number, got 'high'";
  ChildProcess tickd({kTickd, "--config", path}, log);

  nlohmann::json checked;
  ASSERT_TRUE(test_support::wait_until(
      [&] {
        auto reply = http_get(port, "/health");
        if (reply.status != 200) return false;
        const auto health = nlohmann::json::parse(reply.body);
        for (const auto& o : health["observers"])
          if (o["name"] == "checked") checked = o;
        return checked.is_object() && checked.value("suspended", false);
      },
      std::chrono::seconds(20)))
      << checked.dump() << read_text(log);
  EXPECT_NE(checked["suspended_reason"].get<std::string>().find(expected), std::string::npos)
      << checked.dump(1);
  for (const auto& m : checked["metrics"]) {
    if (m["name"] == "process_restarts") {
      EXPECT_EQ(m["value"], 0) << "a config error is not restarted";
    }
  }
  EXPECT_NE(read_text(log).find(expected), std::string::npos) << read_text(log);

  const std::string stats_out = dir.file("stats.txt");
  ChildProcess stats({kTickd, "stats", "--config", path}, stats_out);
  ASSERT_EQ(stats.wait(), 0) << read_text(stats_out);
  EXPECT_NE(read_text(stats_out).find("suspended: the child refused its config: " + expected),
            std::string::npos)
      << read_text(stats_out);

  // The daemon and the other observer ran on.
  EXPECT_EQ(http_get(port, "/health").status, 200);
  tickd.signal(SIGTERM);
  tickd.wait();
  EXPECT_NE(read_text(log).find("observer 'reference' started"), std::string::npos);
}

TEST(ProcessConfigErrors, AnIsolatedPluginsBlockIsCheckedAgainstItsSchemaBeforeTheChildStarts) {
  TempDir dir("tickd-isolated-config");
  const std::string config = "daemon: {plugin_dirs: [" TICKD_PLUGIN_DIR
                             "]}\n"
                             "feed: {kind: simulator, symbols: [BTCUSDT]}\n"
                             "aggregator: {intervals: [1m]}\n"
                             "observers:\n"
                             "  - name: isolated\n"
                             "    plugin: logger\n"
                             "    isolation: process\n"
                             "    config: {format: jsn}\n";
  const std::string path = write_file(dir, "isolated.yaml", config), log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  EXPECT_NE(tickd.wait(), 0);
  const std::string text = read_text(log);
  EXPECT_NE(
      text.find(position_of(path, config, "jsn") +
                ": 'observers[0].config.format' must be one of text, json, got 'jsn' (did you mean 'json'?)"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("child process"), std::string::npos) << "no child was started\n" << text;
}

}  // namespace
}  // namespace tickd::e2e
