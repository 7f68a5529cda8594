// SIGHUP with changed observers, end to end: the real daemon, the simulator
// feed running, every bundled plugin of the default configuration changed,
// WebSocket clients connected and connecting throughout (logger, sqlite,
// ws_broadcast, strategy and json_snapshot). Checks which settings
// are in force afterwards, that no connection attempt is refused while the
// chart restarts, and that a replacement that cannot start gives way to the
// previous configuration (log, /health and the observer's effects agree).
#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"
#include "http_receiver.hpp"
#include "plugins/email_alert/smtp_sink.hpp"
#include "plugins/ws_broadcast/test_clients.hpp"
#include "support/local_servers.hpp"
#include "telegram_bot_api.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <sstream>
#include <thread>

namespace tickd::e2e {
namespace {

using namespace std::chrono_literals;
using ws::testing::StalledClient;

struct Settings {
  int chart_port = 0;
  std::string default_symbol = "BTCUSDT";
  std::string default_interval = "1s";
  std::string log_format = "text";
  std::string log_extra;  // more keys in the logger's block
  std::string db;
  std::string rule = "cross_a";
  std::string snapshot = "snap_a.json";
  std::string extra_observers;  // appended to the list
};

std::string config_text(int admin_port, const TempDir& dir, const Settings& s) {
  std::ostringstream y;
  y << "daemon:\n  plugin_dirs: [" TICKD_PLUGIN_DIR "]\n  admin_listen: 127.0.0.1:" << admin_port
    << "\n  shutdown_timeout: 5s\n"
       "feed:\n  kind: simulator\n  symbols: [BTCUSDT, ETHUSDT]\n"
       "  simulator: {ticks_per_second: 100, history_hours: 0}\n"
       "aggregator:\n  intervals: [1s, 1m]\n  update_throttle: 50ms\n"
       "observers:\n"
       "  - name: log\n    plugin: logger\n    events: [candle_closed, signal]\n"
       "    config: {format: "
    << s.log_format << ", output: " << dir.file("events.log") << s.log_extra
    << "}\n"
       "  - name: store\n    plugin: sqlite\n    events: [candle_closed, signal]\n    overflow: block\n"
       "    config: {path: "
    << s.db
    << "}\n"
       "  - name: chart\n    plugin: ws_broadcast\n    events: [candle_update, candle_closed, signal]\n"
       "    config: {listen: 127.0.0.1:"
    << s.chart_port << ", default_symbol: " << s.default_symbol
    << ", default_interval: " << s.default_interval
    << "}\n"
       "  - name: ema_cross\n    plugin: strategy\n    events: [candle_closed]\n    intervals: [1s]\n"
       "    config:\n      rules:\n        - {name: "
    << s.rule
    << ", type: ma_cross, fast: 2, slow: 3, ma: ema}\n"
       "  - name: snap\n    plugin: json_snapshot\n    events: [candle_update, candle_closed]\n"
       "    config: {path: "
    << dir.file(s.snapshot) << ", every: 100ms}\n"
    << s.extra_observers;
  return y.str();
}

// Closed candles in a SQLite file (0 when it does not exist yet).
long long candle_rows(const std::string& path) {
  sqlite3* db = nullptr;
  long long n = 0;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM candles", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

nlohmann::json health(int admin_port) {
  auto reply = http_get(admin_port, "/health");
  if (reply.status != 200) return nullptr;
  return nlohmann::json::parse(reply.body, nullptr, false);
}

// The configuration digest /health shows for an observer; empty when it is not listed.
std::string digest_of(int admin_port, const std::string& observer) {
  auto j = health(admin_port);
  if (!j.is_object()) return {};
  for (const auto& o : j["observers"])
    if (o["name"] == observer) return o["config"].get<std::string>();
  return {};
}

// Opens WebSocket connections to /realtime one after another, from start()
// until stop(), and counts those that did not complete the handshake.
class ConnectionProber {
 public:
  explicit ConnectionProber(int port) : port_(port) {}
  ~ConnectionProber() { stop(); }
  void start() {
    thread_ = std::thread([this] {
      while (!stop_) {
        try {
          StalledClient c(static_cast<std::uint16_t>(port_), "/realtime");
          ++succeeded_;
        } catch (const std::exception& e) {
          ++failed_;
          std::lock_guard<std::mutex> lock(mu_);
          if (first_failure_.empty()) first_failure_ = e.what();
        }
        std::this_thread::sleep_for(5ms);
      }
    });
  }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int succeeded() const { return succeeded_; }
  int failed() const { return failed_; }
  std::string first_failure() {
    std::lock_guard<std::mutex> lock(mu_);
    return first_failure_;
  }

 private:
  int port_;
  std::atomic<bool> stop_{false};
  std::atomic<int> succeeded_{0};
  std::atomic<int> failed_{0};
  std::mutex mu_;
  std::string first_failure_;
  std::thread thread_;
};

std::string default_symbol_of(int chart_port) {
  auto reply = http_get(chart_port, "/info");
  if (reply.status != 200) return "(HTTP " + std::to_string(reply.status) + ")";
  return nlohmann::json::parse(reply.body)["default_symbol"].get<std::string>();
}

// The open time (seconds) of the next candle on /realtime.
long long next_realtime_candle_time(StalledClient& client) {
  for (int i = 0; i < 50; ++i) {
    auto frame = client.read_frame(3s);
    if (!frame) return -1;
    if (frame->opcode != 0x1) continue;
    auto j = nlohmann::json::parse(frame->payload, nullptr, false);
    if (j.contains("candle")) return j["candle"]["time"].get<long long>();
  }
  return -1;
}

class Reload : public ::testing::Test {
 protected:
  void start(const Settings& s) {
    settings_ = s;
    path_ = write_file(dir_, "tickd.yaml", config_text(admin_port_, dir_, s));
    tickd_ = std::make_unique<ChildProcess>(std::vector<std::string>{kTickd, "--config", path_}, log_);
    ASSERT_TRUE(wait_for_text(*tickd_, log_, "feed 'simulator' started", 20s)) << read_text(log_);
    ASSERT_TRUE(test_support::wait_until([&] { return candle_rows(s.db) > 0; }, 10s)) << read_text(log_);
  }
  // Rewrites the file, sends SIGHUP and waits for the reload's summary line.
  void reload(const Settings& s) {
    write_file(dir_, "tickd.yaml", config_text(admin_port_, dir_, s));
    const std::size_t seen = read_text(log_).size();
    tickd_->signal(SIGHUP);
    ASSERT_TRUE(test_support::wait_until(
        [&] { return read_text(log_).find("reload done", seen) != std::string::npos || !tickd_->running(); },
        20s))
        << read_text(log_);
    summary_ = read_text(log_).substr(read_text(log_).find("reload done", seen));
    summary_ = summary_.substr(0, summary_.find('\n'));
  }
  void stop() {
    tickd_->signal(SIGTERM);
    EXPECT_EQ(tickd_->wait(), 0) << read_text(log_);
  }

  TempDir dir_{"tickd-reload"};
  int admin_port_ = test_support::free_port();
  std::string log_ = dir_.file("tickd.log");
  std::string path_;
  Settings settings_;
  std::unique_ptr<ChildProcess> tickd_;
  std::string summary_;
};

TEST_F(Reload, ChangedObserversRunTheirNewSettingsAndTheChartRefusesNoConnection) {
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  start(before);
  const std::string chart_digest = digest_of(admin_port_, "chart");
  ASSERT_FALSE(chart_digest.empty()) << health(admin_port_).dump();
  EXPECT_EQ(default_symbol_of(before.chart_port), "BTCUSDT");

  StalledClient connected(static_cast<std::uint16_t>(before.chart_port), "/realtime");
  ConnectionProber prober(before.chart_port);
  prober.start();
  std::this_thread::sleep_for(300ms);

  Settings after = before;
  after.default_symbol = "ETHUSDT";
  after.default_interval = "1m";
  after.log_format = "json";
  after.db = dir_.file("after.db");
  after.rule = "cross_b";
  after.snapshot = "snap_b.json";
  reload(after);
  std::this_thread::sleep_for(500ms);  // connections keep coming after the restart too
  prober.stop();

  EXPECT_NE(summary_.find("restarted log, store, chart, ema_cross, snap"), std::string::npos) << summary_;
  EXPECT_NE(summary_.find("stopped none; unchanged none"), std::string::npos) << summary_;
  EXPECT_EQ(read_text(log_).find("FAILED"), std::string::npos) << read_text(log_);

  // ws_broadcast: no attempt refused; the connected client was told the
  // server is going away (1001); a client now gets the new defaults.
  EXPECT_EQ(prober.failed(), 0) << prober.first_failure() << "\n" << read_text(log_);
  EXPECT_GT(prober.succeeded(), 20);
  EXPECT_EQ(connected.read_until_close(5s), 1001);
  EXPECT_EQ(default_symbol_of(before.chart_port), "ETHUSDT");
  StalledClient fresh(static_cast<std::uint16_t>(before.chart_port), "/realtime");
  const long long open_time = next_realtime_candle_time(fresh);
  ASSERT_GT(open_time, 0);
  EXPECT_EQ(open_time % 60, 0) << "the default series is 1m now";
  EXPECT_NE(digest_of(admin_port_, "chart"), chart_digest);

  // sqlite: the new file fills, the old one no longer grows.
  ASSERT_TRUE(test_support::wait_until([&] { return candle_rows(after.db) > 0; }, 10s)) << read_text(log_);
  const long long old_rows = candle_rows(before.db);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(candle_rows(before.db), old_rows);
  EXPECT_GT(candle_rows(after.db), 0);

  // logger: JSON lines now; strategy: signals name the new rule.
  ASSERT_TRUE(wait_for_text(*tickd_, dir_.file("events.log"), "\"event\":\"candle_closed\"", 10s))
      << read_text(dir_.file("events.log"));
  EXPECT_TRUE(wait_for_text(*tickd_, dir_.file("events.log"), "ema_cross/cross_b", 20s))
      << read_text(dir_.file("events.log"));

  // json_snapshot: the new file is written.
  EXPECT_TRUE(wait_for_text(*tickd_, dir_.file("snap_b.json"), "ETHUSDT", 10s)) << read_text(log_);
  stop();
}

TEST_F(Reload, AReplacementThatCannotStartGivesWayToThePreviousConfiguration) {
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  start(before);
  const std::string chart_digest = digest_of(admin_port_, "chart");
  const std::string store_digest = digest_of(admin_port_, "store");
  const std::string log_digest = digest_of(admin_port_, "log");

  // Another process holds the port the chart is told to move to.
  const int squatter = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(squatter, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(squatter, 4), 0);
  ASSERT_EQ(::getsockname(squatter, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int taken_port = ntohs(addr.sin_port);

  ConnectionProber prober(before.chart_port);
  prober.start();
  Settings after = before;
  after.chart_port = taken_port;
  after.default_symbol = "ETHUSDT";
  after.db = dir_.file("no-such-folder/after.db");  // start() fails: the folder does not exist
  after.log_extra = ", formt: json";                // the schema refuses it: not even restarted
  reload(after);
  std::this_thread::sleep_for(300ms);
  prober.stop();
  ::close(squatter);

  const std::string log = read_text(log_);
  EXPECT_NE(log.find("observer 'chart': reload failed: the new configuration did not start ("),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("start failed: ws_broadcast: cannot listen on 127.0.0.1:" + std::to_string(taken_port)),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("Address already in use); the previous configuration is back in force"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("observer 'store': reload failed: the new configuration did not start ("),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("does not exist); the previous configuration is back in force"), std::string::npos)
      << log;
  EXPECT_NE(log.find("observer 'log': reload failed: the new configuration is invalid ("), std::string::npos)
      << log;
  EXPECT_NE(log.find("unknown key 'formt'"), std::string::npos) << log;
  EXPECT_NE(summary_.find("restarted none; stopped none; unchanged ema_cross"), std::string::npos)
      << summary_;
  EXPECT_NE(summary_.find("new configuration invalid, previous kept: log"), std::string::npos) << summary_;
  EXPECT_NE(summary_.find("new configuration failed, previous back in force: store, chart"),
            std::string::npos)
      << summary_;

  // /health: the three observers run, each on its previous configuration.
  EXPECT_EQ(digest_of(admin_port_, "chart"), chart_digest);
  EXPECT_EQ(digest_of(admin_port_, "store"), store_digest);
  EXPECT_EQ(digest_of(admin_port_, "log"), log_digest);
  EXPECT_EQ(health(admin_port_)["status"], "ok");

  // Their effects agree: the chart answers on its old port with its old
  // defaults, having refused no one; the old database keeps growing.
  EXPECT_EQ(prober.failed(), 0) << prober.first_failure();
  EXPECT_EQ(default_symbol_of(before.chart_port), "BTCUSDT");
  const long long rows = candle_rows(before.db);
  EXPECT_TRUE(test_support::wait_until([&] { return candle_rows(before.db) > rows; }, 10s));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("no-such-folder")));

  // A later reload with a good file applies it: nothing was left half done.
  // It moves the chart to another port and closes the old one.
  Settings fixed = before;
  fixed.default_symbol = "ETHUSDT";
  fixed.chart_port = test_support::free_port();
  reload(fixed);
  EXPECT_NE(summary_.find("restarted chart; stopped none; unchanged log, store, ema_cross"),
            std::string::npos)
      << summary_;
  EXPECT_EQ(default_symbol_of(fixed.chart_port), "ETHUSDT");
  EXPECT_FALSE(test_support::port_accepts(before.chart_port));
  stop();
}

// What redis-cli answers to `args` against the server on `port`.
std::string redis_cli(const TempDir& dir, int port, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"redis-cli", "-p", std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string out = dir.file("redis-cli.txt");
  std::remove(out.c_str());
  ChildProcess cli(argv, out);
  cli.wait();
  return read_text(out);
}

TEST_F(Reload, ARedisStoreMovesToItsNewKeyPrefix) {
  test_support::RedisServer redis;
  auto redis_observer = [&](const std::string& prefix) {
    return "  - name: cache\n    plugin: redis\n    events: [candle_closed]\n    overflow: block\n"
           "    config: {port: " +
           std::to_string(redis.port()) + ", key_prefix: \"" + prefix + "\"}\n";
  };
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  before.extra_observers = redis_observer("a:");
  start(before);
  ASSERT_TRUE(test_support::wait_until(
      [&] {
        return redis_cli(dir_, redis.port(), {"EXISTS", "a:candles:BTCUSDT:1s"}) == "1\n";
      },
      10s))
      << read_text(log_);

  Settings after = before;
  after.extra_observers = redis_observer("b:");
  reload(after);
  EXPECT_NE(summary_.find("restarted cache;"), std::string::npos) << summary_;
  EXPECT_TRUE(test_support::wait_until(
      [&] {
        return redis_cli(dir_, redis.port(), {"EXISTS", "b:candles:ETHUSDT:1s"}) == "1\n";
      },
      10s))
      << read_text(log_);
  const std::string old_len = redis_cli(dir_, redis.port(), {"LLEN", "a:candles:BTCUSDT:1s"});
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(redis_cli(dir_, redis.port(), {"LLEN", "a:candles:BTCUSDT:1s"}), old_len)
      << "the old prefix still grows";
  stop();
}

// What psql answers to `sql` in database `dbname` of `pg` (trimmed).
std::string psql(const TempDir& dir, const test_support::PostgresServer& pg, const std::string& dbname,
                 const std::string& sql) {
  const std::string out = dir.file("psql.txt");
  std::remove(out.c_str());
  ChildProcess cli({std::string(test_support::PostgresServer::kBin) + "/psql",
                    "host=127.0.0.1 port=" + std::to_string(pg.port()) + " dbname=" + dbname +
                        " user=" + test_support::PostgresServer::kUser + " password=" + pg.password(),
                    "-tAc", sql},
                   out);
  cli.wait();
  std::string text = read_text(out);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

TEST_F(Reload, APostgresStoreMovesToItsNewDatabase) {
  test_support::PostgresServer pg;
  ASSERT_EQ(psql(dir_, pg, "postgres", "CREATE DATABASE second"), "CREATE DATABASE");
  auto pg_observer = [&](const std::string& dbname) {
    return "  - name: warehouse\n    plugin: postgres\n    events: [candle_closed]\n    overflow: block\n"
           "    config: {port: " +
           std::to_string(pg.port()) + ", dbname: " + dbname +
           ", user: " + test_support::PostgresServer::kUser + ", password: " + pg.password() +
           ", sslmode: disable}\n";
  };
  auto rows = [&](const std::string& dbname) {
    const std::string n = psql(dir_, pg, dbname, "SELECT count(*) FROM candles");
    return n.empty() || !std::isdigit(static_cast<unsigned char>(n[0])) ? -1L : std::stol(n);
  };
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  before.extra_observers = pg_observer("postgres");
  start(before);
  ASSERT_TRUE(test_support::wait_until([&] { return rows("postgres") > 0; }, 15s)) << read_text(log_);

  Settings after = before;
  after.extra_observers = pg_observer("second");
  reload(after);
  EXPECT_NE(summary_.find("restarted warehouse;"), std::string::npos) << summary_;
  EXPECT_TRUE(test_support::wait_until([&] { return rows("second") > 0; }, 15s)) << read_text(log_);
  const long old_rows = rows("postgres");
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(rows("postgres"), old_rows) << "the old database still grows";
  stop();
}

TEST_F(Reload, AWebhookSendsToItsNewUrl) {
  tickd::test::HttpReceiver receiver(
      [](const tickd::test::HttpRequestSeen&) { return tickd::test::HttpReply{}; });
  auto hook = [&](const std::string& path) {
    return "  - name: hooks\n    plugin: webhook\n    events: [signal]\n"
           "    config: {targets: [{url: \"" +
           receiver.url(path) + "\"}]}\n";
  };
  auto sent_to = [&](const std::string& path) {
    std::size_t n = 0;
    for (const auto& r : receiver.requests()) n += r.target == path;
    return n;
  };
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  before.extra_observers = hook("/a");
  start(before);
  ASSERT_TRUE(test_support::wait_until([&] { return sent_to("/a") > 0; }, 20s)) << read_text(log_);

  Settings after = before;
  after.extra_observers = hook("/b");
  reload(after);
  EXPECT_NE(summary_.find("restarted hooks;"), std::string::npos) << summary_;
  const std::size_t to_a = sent_to("/a");
  EXPECT_TRUE(test_support::wait_until([&] { return sent_to("/b") > 0; }, 20s)) << read_text(log_);
  EXPECT_EQ(sent_to("/a"), to_a) << "the old URL still receives";
  stop();
}

TEST_F(Reload, ATelegramBotAlertsItsNewChats) {
  const std::string token = "123456:ABC-reload_token";
  tickd::test::TelegramBotApi api(token);
  auto bot = [&](int chat) {
    return "  - name: bot\n    plugin: telegram\n    events: [signal]\n"
           "    config: {token: \"" +
           token + "\", api_url: \"" + api.api_url() + "\", chats: [" + std::to_string(chat) +
           "], commands: false, poll_timeout: 1s, state_file: " + dir_.file("telegram-state.json") +
           ", rate: {per_chat_interval: 10ms, global_per_second: 1000}}\n";
  };
  auto sent_to = [&](std::int64_t chat) {
    std::size_t n = 0;
    for (const auto& m : api.sent()) n += m.chat == chat;
    return n;
  };
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  before.extra_observers = bot(101);
  start(before);
  ASSERT_TRUE(test_support::wait_until([&] { return sent_to(101) > 0; }, 20s)) << read_text(log_);

  Settings after = before;
  after.extra_observers = bot(202);
  reload(after);
  EXPECT_NE(summary_.find("restarted bot;"), std::string::npos) << summary_;
  const std::size_t to_old = sent_to(101);
  EXPECT_TRUE(test_support::wait_until([&] { return sent_to(202) > 0; }, 20s)) << read_text(log_);
  EXPECT_EQ(sent_to(101), to_old) << "the old chat still gets alerts";
  stop();
}

TEST_F(Reload, AnEmailAlertMailsItsNewRecipients) {
  const int smtp_port = email_alert::test::free_loopback_port();
  email_alert::test::SmtpSink smtp(smtp_port);
  auto mail = [&](const std::string& to) {
    return "  - name: mail\n    plugin: email_alert\n    events: [signal]\n"
           "    config: {smtp: {url: \"smtp://127.0.0.1:" +
           std::to_string(smtp_port) + "\", use_ssl: none}, from: tickd@localhost, to: [" + to +
           "], rules: [{name: signals, type: signal, cooldown: 0s}]}\n";
  };
  auto mailed_to = [&](const std::string& who) {
    std::size_t n = 0;
    for (const auto& m : smtp.messages())
      for (const auto& r : m["rcpt_tos"]) n += r.get<std::string>() == who;
    return n;
  };
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  before.extra_observers = mail("alice@localhost");
  start(before);
  ASSERT_TRUE(test_support::wait_until([&] { return mailed_to("alice@localhost") > 0; }, 20s))
      << read_text(log_);

  Settings after = before;
  after.extra_observers = mail("bob@localhost");
  reload(after);
  EXPECT_NE(summary_.find("restarted mail;"), std::string::npos) << summary_;
  const std::size_t to_alice = mailed_to("alice@localhost");
  EXPECT_TRUE(test_support::wait_until([&] { return mailed_to("bob@localhost") > 0; }, 20s))
      << read_text(log_);
  EXPECT_EQ(mailed_to("alice@localhost"), to_alice) << "the old recipient still gets mail";
  stop();
}

}  // namespace
}  // namespace tickd::e2e
