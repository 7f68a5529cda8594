// The notifier plugins' config blocks through the daemon's --check-config:
// every example in the docs passes, mistakes are reported at their
// file:line:column, and --describe-plugin prints their keys.
#include "e2e/daemon_fixture.hpp"

#include <cstdlib>
#include <regex>
#include <sstream>

namespace tickd::e2e {
namespace {

RunResult run(const std::vector<std::string>& args) { return run_tickd(args); }

const char* const kHead =
    "feed:\n  kind: simulator\n  symbols: [BTCUSDT]\n"
    "aggregator:\n  intervals: [1m, 5m, 15m, 1h]\n"
    "observers:\n";

// The ```yaml blocks of a doc that declare an observer of these plugins, each
// as a list of observers indented by two spaces.
std::vector<std::string> observer_examples(const std::string& doc) {
  static const std::regex block("```yaml\n([\\s\\S]*?)```");
  static const std::regex notifier("plugin: (email_alert|telegram|webhook|json_snapshot)\\b");
  std::vector<std::string> out;
  const std::string text = read_text(doc);
  for (std::sregex_iterator it(text.begin(), text.end(), block), end; it != end; ++it) {
    std::string yaml = (*it)[1];
    if (!std::regex_search(yaml, notifier)) continue;
    if (yaml.rfind("observers:\n", 0) == 0) yaml = yaml.substr(11);
    // An elided list in an example ("rules: [...]") stands for some rules.
    yaml = replace_all(yaml, "[...]", "[{name: r, type: signal}]");
    const std::size_t indent = yaml.find("- name:");
    std::string shifted;
    std::istringstream lines(yaml);
    for (std::string line; std::getline(lines, line);)
      shifted += "  " + (line.size() >= indent ? line.substr(indent) : line) + "\n";
    out.push_back(shifted);
  }
  return out;
}

TEST(NotifierConfig, EveryExampleInTheDocsPassesCheckConfig) {
  TempDir dir("tickd-notifier-cli");
  int checked = 0;
  for (const char* doc : {"/README.md", "/docs/NOTIFIERS.md", "/docs/STRATEGIES_AND_ALERTS.md"}) {
    for (const auto& observers : observer_examples(std::string(TICKD_SOURCE_DIR) + doc)) {
      // The secrets the examples take from the environment.
      static const std::regex env("\\$\\{([A-Z0-9_]+)\\}");
      for (std::sregex_iterator it(observers.begin(), observers.end(), env), end; it != end; ++it)
        setenv((*it)[1].str().c_str(), "12345:example", 0);
      const std::string path = write_file(dir, "example.yaml", kHead + observers);
      const auto r = run({"--check-config", path});
      EXPECT_EQ(r.status, 0) << doc << ":\n" << observers << "\n--- got:\n" << r.output;
      ++checked;
    }
  }
  EXPECT_GE(checked, 6) << "the docs' notifier examples were not found";
}

TEST(NotifierConfig, CheckConfigReportsMistakesAtFileLineColumn) {
  TempDir dir("tickd-notifier-cli");
  const std::string yaml = std::string(kHead) +
                           "  - name: mail\n"                                                 // 7
                           "    plugin: email_alert\n"                                        // 8
                           "    config:\n"                                                    // 9
                           "      smtp: {url: \"smtp://127.0.0.1:25\", timout: 5s}\n"         // 10
                           "      from: tickd@localhost\n"                                    // 11
                           "      to: [me@localhost]\n"                                       // 12
                           "      max_per_hour: lots\n"                                       // 13
                           "      rules:\n"                                                   // 14
                           "        - {name: a, type: price_cross, abve: 5}\n"                // 15
                           "  - name: tg\n"                                                   // 16
                           "    plugin: telegram\n"                                           // 17
                           "    config:\n"                                                    // 18
                           "      token: \"1:x\"\n"                                           // 19
                           "      chats: [me]\n"                                              // 20
                           "      poll_timout: 5s\n"                                          // 21
                           "  - name: hooks\n"                                                // 22
                           "    plugin: webhook\n"                                            // 23
                           "    config:\n"                                                    // 24
                           "      targets: [{url: \"http://127.0.0.1:1/\", preset: slak}]\n"  // 25
                           "      retry: {initial: 1.2.3s}\n"                                 // 26
                           "  - name: snap\n"                                                 // 27
                           "    plugin: json_snapshot\n"                                      // 28
                           "    config:\n"                                                    // 29
                           "      path: /tmp/latest.json\n"                                   // 30
                           "      evry: 1s\n"                                                 // 31
                           "      pretty: very\n";                                            // 32
  const std::string path = write_file(dir, "bad.yaml", yaml);
  const auto r = run({"--check-config", path});
  EXPECT_EQ(r.status, 1) << r.output;
  for (const std::string expected : {
           "bad.yaml:10:42: unknown key 'timout' in 'observers[0].config.smtp' (did you mean 'timeout'?)",
           "bad.yaml:13:21: 'observers[0].config.max_per_hour' must be an integer from 1 to 100000, got "
           "'lots'",
           "bad.yaml:15:40: unknown key 'abve' in 'observers[0].config.rules[0]' for type price_cross (did "
           "you "
           "mean 'above'?)",
           "bad.yaml:20:15: 'observers[1].config.chats[0]' must be an integer, got 'me'",
           "bad.yaml:21:7: unknown key 'poll_timout' in 'observers[1].config' (did you mean 'poll_timeout'?)",
           "bad.yaml:25:54: 'observers[2].config.targets[0].preset' must be one of json, slack, discord, got "
           "'slak' (did you mean 'slack'?)",
           "bad.yaml:26:24: 'observers[2].config.retry.initial' must be a duration from 1ms to 1h, got "
           "'1.2.3s'",
           "bad.yaml:31:7: unknown key 'evry' in 'observers[3].config' (did you mean 'every'?)",
           "bad.yaml:32:15: 'observers[3].config.pretty' must be true or false, got 'very'",
       })
    EXPECT_NE(r.output.find(expected), std::string::npos) << expected << "\n--- got:\n" << r.output;
  EXPECT_EQ(r.output.find("configuration OK"), std::string::npos) << r.output;
}

TEST(NotifierConfig, DescribePluginPrintsTheirKeys) {
  const std::pair<const char*, const char*> expected[] = {
      {"email_alert", "smtp.use_ssl"},
      {"telegram", "rate.per_chat_interval"},
      {"webhook", "targets[].preset"},
      {"json_snapshot", "symbols_dir"},
  };
  for (const auto& [plugin, key] : expected) {
    const auto r = run({"--describe-plugin", plugin});
    EXPECT_EQ(r.status, 0) << plugin << r.output;
    EXPECT_NE(r.output.find(key), std::string::npos) << plugin << r.output;
  }
  // The alert rules are one declaration shared by the three alerting plugins.
  const auto mail = run({"--describe-plugin", "email_alert", "--markdown"}).output;
  const auto tg = run({"--describe-plugin", "telegram", "--markdown"}).output;
  const std::string row = "| `rules[].window` | duration >= 1ms | required | percent_move: ";
  EXPECT_NE(mail.find(row), std::string::npos) << mail;
  EXPECT_NE(tg.find(row), std::string::npos) << tg;
  // A multi-line default (a template) stays on its table row, escaped.
  EXPECT_NE(tg.find("| `message` | string | `\"<b>{rule}</b>: {symbol} {side} at "
                    "{price}\\n{text}\\n<i>{time}</i>\"` |"),
            std::string::npos)
      << tg;
}

}  // namespace
}  // namespace tickd::e2e
