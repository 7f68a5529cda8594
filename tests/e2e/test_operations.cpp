// Operations end to end: the admin endpoint and `tickd stats`, live reload on
// SIGHUP, and the systemd notify/watchdog protocol with systemd's side played
// by the test.
#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"

#include <nlohmann/json.hpp>

#include <sys/un.h>

#include <csignal>
#include <cstdlib>
#include <map>
#include <sstream>

namespace tickd::e2e {
namespace {

using namespace std::chrono_literals;

std::string simulator_config(int admin_port, const std::string& observers, int rate = 200) {
  return "daemon:\n  plugin_dirs: [" TICKD_PLUGIN_DIR ", " TICKD_TEST_PLUGIN_DIR
         "]\n"
         "  admin_listen: 127.0.0.1:" +
         std::to_string(admin_port) +
         "\n  shutdown_timeout: 5s\n"
         "feed:\n  kind: simulator\n  symbols: [BTCUSDT, ETHUSDT]\n"
         "  simulator: {ticks_per_second: " +
         std::to_string(rate) +
         "}\n"
         "aggregator:\n  intervals: [1s, 1m]\n"
         "observers:\n" +
         observers;
}

std::vector<std::string> lines(const std::string& path) {
  std::istringstream in(read_text(path));
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(Operations, MetricsHealthAndStats) {
  TempDir dir("tickd-ops");
  int port = test_support::free_port();
  std::string path =
      write_file(dir, "t.yaml",
                 simulator_config(port,
                                  "  - name: log\n    plugin: logger\n    events: [candle_closed]\n"
                                  "    config: {output: " +
                                      dir.file("candles.log") + "}\n"));
  std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(wait_for_text(tickd, dir.file("candles.log"), "candle_closed", 20s)) << read_text(log);

  auto metrics = http_get(port, "/metrics");
  ASSERT_EQ(metrics.status, 200) << read_text(log);
  for (const char* needle :
       {"# TYPE tickd_feed_ticks_total counter", "tickd_feed_state{kind=\"simulator\",state=\"live\"} 1",
        "tickd_observer_delivered_total{observer=\"log\"}", "tickd_candles_closed_total{interval=\"1s\"}",
        "tickd_observer_queue_depth{observer=\"log\"}", "tickd_observer_suspended{observer=\"log\"} 0"})
    EXPECT_NE(metrics.body.find(needle), std::string::npos) << needle << "\n" << metrics.body;

  auto health = http_get(port, "/health");
  ASSERT_EQ(health.status, 200);
  auto j = nlohmann::json::parse(health.body);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_GT(j["feed"]["ticks"].get<double>(), 0);
  EXPECT_EQ(http_get(port, "/nope").status, 404);

  std::string stats_out = dir.file("stats.txt");
  ChildProcess stats({kTickd, "stats", "--config", path}, stats_out);
  EXPECT_EQ(stats.wait(), 0) << read_text(stats_out);
  EXPECT_NE(read_text(stats_out).find("feed simulator: live"), std::string::npos) << read_text(stats_out);
  EXPECT_NE(read_text(stats_out).find("log"), std::string::npos);

  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
}

// Trade ids of the simulator are consecutive per symbol: a gap is a lost tick.
void expect_no_lost_ticks(const std::string& path) {
  std::map<std::string, long long> last;
  std::size_t ticks = 0;
  for (const auto& l : lines(path)) {
    std::istringstream in(l);
    std::string kind, symbol;
    long long time = 0, id = 0;
    double price = 0;
    if (!(in >> kind >> symbol >> time >> price >> id) || kind != "tick") continue;
    auto it = last.find(symbol);
    if (it != last.end()) {
      EXPECT_EQ(id, it->second + 1) << symbol << " lost ticks before id " << id;
    }
    last[symbol] = id;
    ++ticks;
  }
  EXPECT_GT(ticks, 100u);
}

TEST(Operations, SighupTogglesAnObserverWithoutDisturbingTheOthers) {
  TempDir dir("tickd-ops");
  int port = test_support::free_port();
  std::string keeper =
      "  - name: keeper\n    plugin: fixture_recorder\n    events: [tick]\n    overflow: block\n"
      "    config: {path: " +
      dir.file("keeper.txt") + "}\n";
  auto toggled = [&](const std::string& enabled) {
    return "  - name: toggled\n    plugin: fixture_recorder\n    enabled: " + enabled +
           "\n    events: [tick]\n    config: {path: " + dir.file("toggled.txt") + "}\n";
  };
  std::string path = write_file(dir, "t.yaml", simulator_config(port, keeper + toggled("false")));
  std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(wait_for_text(tickd, dir.file("keeper.txt"), "tick", 20s)) << read_text(log);
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(read_text(dir.file("toggled.txt")).empty());

  write_file(dir, "t.yaml", simulator_config(port, keeper + toggled("true")));
  tickd.signal(SIGHUP);
  ASSERT_TRUE(wait_for_text(tickd, dir.file("toggled.txt"), "tick", 10s)) << read_text(log);
  EXPECT_TRUE(wait_for_text(
      tickd, log, "reload done: started toggled; restarted none; stopped none; unchanged keeper", 5s))
      << read_text(log);

  write_file(dir, "t.yaml", "observers: [this is not valid\n");
  tickd.signal(SIGHUP);
  EXPECT_TRUE(wait_for_text(tickd, log, "reload rejected: the running configuration stays in force", 5s))
      << read_text(log);

  write_file(dir, "t.yaml", simulator_config(port, keeper));
  tickd.signal(SIGHUP);
  EXPECT_TRUE(wait_for_text(tickd, dir.file("toggled.txt"), "stop", 10s)) << read_text(log);
  std::size_t toggled_lines = lines(dir.file("toggled.txt")).size();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(lines(dir.file("toggled.txt")).size(), toggled_lines)
      << "a stopped observer still received events";

  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
  expect_no_lost_ticks(dir.file("keeper.txt"));
  EXPECT_EQ(lines(dir.file("keeper.txt")).back(), "stop");
}

// Plays systemd: a datagram socket in NOTIFY_SOCKET, a 1 s watchdog.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("bind " + path);
    timeval tv{0, 100'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~NotifySocket() { ::close(fd_); }
  // Messages received until `until`, each with its arrival time.
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> collect(
      std::chrono::steady_clock::time_point until) {
    std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> out;
    char buf[4096];
    while (std::chrono::steady_clock::now() < until) {
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0)
        out.emplace_back(std::chrono::steady_clock::now(), std::string(buf, static_cast<std::size_t>(n)));
    }
    return out;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

struct ScopedEnv {
  ScopedEnv(const char* name, const std::string& value) : name(name) { ::setenv(name, value.c_str(), 1); }
  ~ScopedEnv() { ::unsetenv(name); }
  const char* name;
};

int count(const std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>>& msgs,
          const std::string& needle) {
  int n = 0;
  for (auto& m : msgs) n += m.second.find(needle) != std::string::npos;
  return n;
}

TEST(Operations, NotifiesReadyAndFeedsTheWatchdogOnlyWhileTheFeedThreadLives) {
  TempDir dir("tickd-ops");
  NotifySocket notify(dir.file("notify.sock"));
  ScopedEnv socket_env("NOTIFY_SOCKET", dir.file("notify.sock"));
  ScopedEnv watchdog_env("WATCHDOG_USEC", "1000000");
  // A lossless observer that hangs: once its queue is full the feed thread is stuck.
  std::string observers =
      "  - name: hang\n    plugin: fixture_recorder\n    events: [tick]\n    overflow: block\n    queue: 16\n"
      "    config: {sleep_ms: 600000}\n";
  std::string path = write_file(dir, "t.yaml", simulator_config(test_support::free_port(), observers, 20));
  std::string log = dir.file("tickd.log");
  auto start = std::chrono::steady_clock::now();
  ChildProcess tickd({kTickd, "--config", path}, log);
  auto early = notify.collect(start + 900ms);
  ASSERT_FALSE(early.empty()) << read_text(log);
  EXPECT_NE(early.front().second.find("READY=1"), std::string::npos) << early.front().second;
  EXPECT_NE(early.front().second.find("MAINPID="), std::string::npos);
  // About 1 s after start the queue (16 ticks at 40/s) is full and the feed thread blocks;
  // the heartbeat then goes stale 1 s later. Pings stop, and STATUS says why.
  auto later = notify.collect(start + 8s);
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> late_pings;
  for (auto& m : later)
    if (m.first > start + 4s && m.second.find("WATCHDOG=1") != std::string::npos) late_pings.push_back(m);
  EXPECT_GE(count(early, "WATCHDOG=1") + count(later, "WATCHDOG=1"), 1) << "no watchdog ping while healthy";
  EXPECT_TRUE(late_pings.empty()) << "watchdog still fed while the feed thread is stuck";
  EXPECT_GE(count(later, "feed thread STALLED"), 1) << read_text(log);
  tickd.signal(SIGKILL);
}

TEST(Operations, SystemdUnitVerifies) {
  TempDir dir("tickd-ops");
  std::string unit =
      replace_all(read_text(TICKD_SOURCE_DIR "/systemd/tickd.service"), "/usr/bin/tickd", kTickd);
  std::string path = write_file(dir, "tickd.service", unit);
  std::string out = dir.file("verify.txt");
  ChildProcess verify({"systemd-analyze", "verify", path}, out);
  EXPECT_EQ(verify.wait(), 0) << read_text(out);
  EXPECT_EQ(read_text(out), "");
}

}  // namespace
}  // namespace tickd::e2e
