// SIGHUP with a changed config for each bundled plugin outside the default
// configuration (redis, postgres, webhook, telegram, email_alert, nats), the
// real daemon and real servers running: afterwards the plugin works on its new
// settings and no longer on the old ones.
#include "e2e/reload_fixture.hpp"
#include "http_receiver.hpp"
#include "plugins/email_alert/smtp_sink.hpp"
#include "support/nats_servers.hpp"
#include "telegram_bot_api.hpp"

#include <nats/nats.h>

#include <cctype>
#include <cstdio>

namespace tickd::e2e {
namespace {

using namespace reload;

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

// Counts the messages on a subject pattern, from subscribe until destruction.
class SubjectCounter {
 public:
  SubjectCounter(const std::string& url, const std::string& pattern) {
    if (natsConnection_ConnectTo(&nc_, url.c_str()) != NATS_OK ||
        natsConnection_Subscribe(&sub_, nc_, pattern.c_str(), &SubjectCounter::on_message, this) != NATS_OK ||
        natsConnection_Flush(nc_) != NATS_OK)
      throw std::runtime_error("cannot subscribe to " + pattern + " on " + url);
  }
  ~SubjectCounter() {
    natsSubscription_Destroy(sub_);
    natsConnection_Destroy(nc_);
  }
  long count() const { return count_.load(); }

 private:
  static void on_message(natsConnection*, natsSubscription*, natsMsg* msg, void* self) {
    ++static_cast<SubjectCounter*>(self)->count_;
    natsMsg_Destroy(msg);
  }
  natsConnection* nc_ = nullptr;
  natsSubscription* sub_ = nullptr;
  std::atomic<long> count_{0};
};

TEST_F(Reload, ANatsPublisherMovesToItsNewPrefixAndStream) {
  test_support::NatsServer nats;
  auto bus = [&](const std::string& prefix, const std::string& stream) {
    return "  - name: bus\n    plugin: nats\n    events: [candle_update, candle_closed, signal]\n"
           "    config: {servers: [\"" +
           nats.url() + "\"], prefix: " + prefix + ", stream: {name: " + stream + ", storage: memory}}\n";
  };
  SubjectCounter old_closed(nats.url(), "a.closed.>");
  SubjectCounter old_updates(nats.url(), "a.candle.>");
  SubjectCounter new_closed(nats.url(), "b.closed.>");
  SubjectCounter new_updates(nats.url(), "b.candle.>");
  Settings before;
  before.chart_port = test_support::free_port();
  before.db = dir_.file("before.db");
  before.extra_observers = bus("a", "CANDLES_A");
  start(before);
  ASSERT_TRUE(
      test_support::wait_until([&] { return old_closed.count() > 0 && old_updates.count() > 0; }, 15s))
      << read_text(log_) << nats.log();

  Settings after = before;
  after.extra_observers = bus("b", "CANDLES_B");
  reload(after);
  EXPECT_NE(summary_.find("restarted bus;"), std::string::npos) << summary_;
  EXPECT_TRUE(
      test_support::wait_until([&] { return new_closed.count() > 0 && new_updates.count() > 0; }, 15s))
      << read_text(log_);
  const long closed_a = old_closed.count();
  const long updates_a = old_updates.count();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(old_closed.count(), closed_a) << "the old prefix still gets closed candles";
  EXPECT_EQ(old_updates.count(), updates_a) << "the old prefix still gets updates";
  const auto bus_status = [&] {
    const nlohmann::json status = health(admin_port_);
    for (const auto& o : status["observers"])
      if (o["name"] == "bus") return o;
    return nlohmann::json();
  }();
  EXPECT_EQ(bus_status.value("suspended", true), false) << bus_status.dump();
  EXPECT_EQ(bus_status.value("failures", -1), 0) << bus_status.dump();
  EXPECT_EQ(bus_status.value("lost", -1), 0) << bus_status.dump();
  stop();
}

}  // namespace
}  // namespace tickd::e2e
