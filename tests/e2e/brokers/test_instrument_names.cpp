// Instruments by name through the daemon: the Kite example with names passes
// `tickd --check-config` with the master served locally (from the cache:
// test_config_examples.cpp); a typo fails at its position with the closest names; a running daemon
// subscribes the resolved tokens, says in /health where the master came from,
// and starts from a stale cache when the broker does not answer.
#include "broker_fixture.hpp"
#include "e2e/http_get.hpp"
#include "instrument_masters.hpp"

#include <sys/time.h>

#include <atomic>
#include <cstdlib>

namespace tickd::e2e {
namespace {

using test_servers::HttpAnswer;
using test_servers::LocalWsServer;
using test_servers::Peer;

const std::vector<test_servers::SpecInstrument>& spec() {
  static const auto instruments = test_servers::spec_instruments(test_servers::ist_today());
  return instruments;
}

struct Checked {
  int status;
  std::string output;
};

Checked check_config(const std::string& path) {
  TempDir dir("tickd-names-check");
  const std::string out = dir.file("out.txt");
  ChildProcess p({kTickd, "--check-config", path}, out);
  const int status = p.wait();
  return {status, read_text(out)};
}

const char* const kVariables[] = {"KITE_API_KEY",      "KITE_ACCESS_TOKEN_FILE",
                                  "SMARTAPI_API_KEY",  "SMARTAPI_CLIENT_CODE",
                                  "SMARTAPI_JWT_FILE", "SMARTAPI_FEED_TOKEN_FILE"};

std::string example(const std::string& name) {
  return std::string(TICKD_SOURCE_DIR) + "/config/examples/" + name;
}

// The Kite example, copied with its REST URL (and so its /instruments) on `port`.
std::string served_kite_example(const TempDir& dir, int port, const std::string& symbols = "") {
  std::string text = read_text(example("kite.yaml"));
  text = replace_all(text, "https://api.kite.trade", "http://127.0.0.1:" + std::to_string(port));
  text = replace_all(text, "../calendars/nse.yaml",
                     std::string(TICKD_SOURCE_DIR) + "/config/calendars/nse.yaml");
  text = replace_all(text, "# cache_dir: /var/lib/tickd", "cache_dir: " + dir.path().string() + "  #");
  if (!symbols.empty()) text = replace_all(text, "[NSE:INFY, NSE:RELIANCE, \"NSE:NIFTY 50\"]", symbols);
  return write_file(dir, "kite.yaml", text);
}

HttpAnswer kite_master_answer(const std::string& resource) {
  if (resource.rfind("/instruments", 0) != 0 || resource.rfind("/instruments/historical", 0) == 0)
    return {404, "{}"};
  // A .gz body, as a download of the dump is.
  return {200, test_servers::gzip(test_servers::kite_instruments_csv(spec())), "application/gzip"};
}

TEST(InstrumentNames, KiteExampleServedLocallyPassesAndATypoNamesItsPosition) {
  for (const char* name : kVariables) setenv(name, (std::string("/placeholder/") + name).c_str(), 1);
  LocalWsServer server([](Peer&) {}, kite_master_answer);
  TempDir dir("tickd-names");
  const Checked ok = check_config(served_kite_example(dir, server.port()));
  EXPECT_EQ(ok.status, 0) << ok.output;
  EXPECT_NE(ok.output.find("405 instruments, from downloaded"), std::string::npos) << ok.output;
  EXPECT_EQ(server.http_requests().size(), 1u);

  TempDir typo_dir("tickd-names");
  const std::string path = served_kite_example(typo_dir, server.port(), "[NSE:INFY, NSE:RELAINCE]");
  const Checked typo = check_config(path);
  EXPECT_EQ(typo.status, 1) << typo.output;
  // Where the misspelt name is in the file.
  std::string line;
  int number = 0, column = 0;
  std::istringstream in(read_text(path));
  while (std::getline(in, line) && column == 0) {
    ++number;
    if (const auto at = line.find("NSE:RELAINCE"); at != std::string::npos) column = static_cast<int>(at) + 1;
  }
  EXPECT_NE(typo.output.find(path + ":" + std::to_string(number) + ":" + std::to_string(column) +
                             ": 'feed.symbols[1]': 'NSE:RELAINCE' is not in the kite instrument master"),
            std::string::npos)
      << typo.output;
  EXPECT_NE(typo.output.find("closest: 'NSE:RELIANCE'"), std::string::npos) << typo.output;
}

TEST(InstrumentNames, TheDaemonSubscribesResolvedTokensAndStartsFromAStaleCacheWhenTheBrokerIsDown) {
  std::atomic<bool> down{false};
  LocalWsServer server(
      [](Peer& p) {
        std::string msg;
        p.wait_message(msg, std::chrono::seconds(5));
        p.pause(std::chrono::minutes(1));
      },
      [&](const std::string& resource) {
        if (down) return HttpAnswer{503, "{\"status\":\"error\",\"message\":\"maintenance\"}"};
        return kite_master_answer(resource);
      });
  TempDir dir("tickd-e2e-names");
  const int admin = test_support::free_port();
  const std::string feed =
      "feed:\n"
      "  kind: kite\n"
      "  symbols: [NSE:INFY, NSE:RELIANCE]\n"
      "  kite:\n"
      "    url: ws://127.0.0.1:" +
      std::to_string(server.port()) + "\n    rest_url: http://127.0.0.1:" + std::to_string(server.port()) +
      "\n"
      "    api_key: kitekey\n"
      "    access_token: tok\n"
      "    bootstrap_candles: 0\n"
      "    instrument_master: {cache_dir: " +
      dir.path().string() + "}\n";
  const std::string path = write_file(dir, "k.yaml", daemon_config(feed, dir.file("c.jsonl"), admin));
  auto run = [&](const std::string& log, const std::string& source) {
    const std::size_t subscribed = server.received().size();
    ChildProcess tickd({kTickd, "--config", path}, log);
    nlohmann::json health;
    EXPECT_TRUE(test_support::wait_until(
        [&] {
          health = nlohmann::json::parse(http_get(admin, "/health").body, nullptr, false);
          return !health.is_discarded() && health.contains("feed") &&
                 health["feed"]["instrument_master"]["source"] == source;
        },
        std::chrono::seconds(20)))
        << read_text(log) << health.dump();
    EXPECT_EQ(health["feed"]["instrument_master"]["instruments"], 405) << health.dump();
    EXPECT_GE(metric(metrics(admin), "tickd_feed_instrument_master_instruments"), 405);
    EXPECT_TRUE(test_support::wait_until([&] { return server.received().size() > subscribed; },
                                         std::chrono::seconds(10)))
        << read_text(log);
    tickd.signal(SIGTERM);
    EXPECT_EQ(tickd.wait(), 0) << read_text(log);
    return health;
  };
  run(dir.file("first.log"), "downloaded");
  const auto received = server.received();
  ASSERT_GE(received.size(), 1u);
  EXPECT_EQ(received[0], R"({"a":"subscribe","v":[408065,738561]})");

  // The next morning the broker is down: yesterday's copy serves, and says so.
  const std::string cache = dir.file("kite-instruments.csv");
  timeval yesterday[2];
  for (auto& t : yesterday) t = {std::time(nullptr) - 30 * 3600, 0};
  ASSERT_EQ(::utimes(cache.c_str(), yesterday), 0);
  down = true;
  const auto health = run(dir.file("second.log"), "stale_cache");
  EXPECT_NE(health["feed"]["instrument_master"]["note"].get<std::string>().find("download failed (HTTP 503"),
            std::string::npos)
      << health.dump();
  const std::string log = read_text(dir.file("second.log"));
  EXPECT_NE(log.find("using the cached copy"), std::string::npos) << log;
  EXPECT_EQ(log.find("access_token=tok"), std::string::npos);
}

}  // namespace
}  // namespace tickd::e2e
