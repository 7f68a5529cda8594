// The command line: --version, --check-config (good and bad), --list-plugins.
#include "e2e/daemon_fixture.hpp"

namespace tickd::e2e {
namespace {

struct Result {
  int status;
  std::string output;
};

Result run(const std::vector<std::string>& args) {
  TempDir dir("tickd-cli");
  std::string log = dir.file("out.txt");
  std::vector<std::string> argv{kTickd};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess p(argv, log);
  int status = p.wait();
  return {status, read_text(log)};
}

TEST(Cli, Version) {
  auto r = run({"--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("tickd 0."), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("plugin ABI 1.1"), std::string::npos) << r.output;
}

TEST(Cli, CheckConfigAcceptsTheDefaultAndSummarizesIt) {
  auto r = run({"--check-config", TICKD_SOURCE_DIR "/config/tickd.yaml"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("configuration OK"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("simulator"), std::string::npos) << r.output;
}

TEST(Cli, CheckConfigReportsFileLineColumnAndExits1) {
  TempDir dir("tickd-cli");
  struct Case {
    std::string yaml, expected;
  } cases[] = {
      {"feed:\n  kind: simulator\n  symbols: [A]\naggregator:\n  intervals: [1m, 2m]\n",
       "bad.yaml:5:19: invalid interval '2m' in 'aggregator.intervals' (valid: 1s, 5s"},
      {"feed:\n  kind: simulator\n  symbols: [A]\n  simulatr: {}\n", "bad.yaml:4:3: unknown key 'simulatr'"},
      {"feed: [unclosed\n", "bad.yaml:2:1: malformed YAML"},
      {"aggregator:\n  history: abc\n",
       "bad.yaml:2:12: 'aggregator.history' must be a positive integer, got 'abc'"},
  };
  for (const auto& c : cases) {
    std::string path = write_file(dir, "bad.yaml", c.yaml);
    auto r = run({"--check-config", path});
    EXPECT_EQ(r.status, 1) << c.yaml << r.output;
    EXPECT_NE(r.output.find(c.expected), std::string::npos) << c.yaml << "\n--- got:\n" << r.output;
  }
}

TEST(Cli, ListPluginsShowsNameVersionAndAbi) {
  auto r = run({"--list-plugins"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("logger"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ABI 1.1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("tickd_logger.so"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace tickd::e2e
