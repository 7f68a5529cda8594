// Every loss is counted where operators look: live in /metrics, in the log at
// shutdown, and in the exit status (3).
#include "e2e/status_support.hpp"

#include <nlohmann/json.hpp>

#include <csignal>

namespace tickd::e2e {
namespace {

using namespace std::chrono_literals;

constexpr int kExitRecordsLost = 3;

// PostgreSQL refuses connections (nothing listens on the port): closed candles
// wait in the plugin's buffer until the shutdown.
std::string postgres_down_config(int admin, const std::string& shutdown_timeout, int stop_timeout_ms) {
  const int closed_port = test_support::free_port();
  return daemon_section(admin, "  shutdown_timeout: " + shutdown_timeout + "\n  warmup_timeout: 1s\n") +
         simulator_section("[1s]") +
         "observers:\n  - name: pg\n    plugin: postgres\n    overflow: block\n    events: [candle_closed]\n"
         "    config: {port: " +
         std::to_string(closed_port) +
         ", retry_initial: 50ms, retry_max: 200ms, stop_timeout: " + std::to_string(stop_timeout_ms) + "ms" +
         "}\n";
}

// The number in "observer 'NAME' lost N records", or -1.
long long logged_loss(const std::string& log, const std::string& observer) {
  const std::string needle = "observer '" + observer + "' lost ";
  auto at = log.find(needle);
  return at == std::string::npos ? -1 : std::stoll(log.substr(at + needle.size()));
}

TEST(Losses, ShutdownWithPostgresDownExitsNonZeroWithTheCount) {
  TempDir dir("tickd-losses");
  const int admin = test_support::free_port();
  const std::string path = write_file(dir, "t.yaml", postgres_down_config(admin, "5s", 300));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until(
      [&] { return scrape(admin, "tickd_plugin_records_buffered{observer=\"pg\"}") >= 4; }, 20s))
      << read_text(log);
  EXPECT_GT(scrape(admin, "tickd_plugin_write_failures{observer=\"pg\"}"), 0);
  EXPECT_EQ(scrape(admin, "tickd_plugin_records_dropped{observer=\"pg\"}"), 0)
      << "overflow: block drops nothing";
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), kExitRecordsLost) << read_text(log);
  const std::string text = read_text(log);
  EXPECT_GE(logged_loss(text, "pg"), 4) << text;
  EXPECT_NE(text.find("records_unwritten_at_stop"), std::string::npos) << text;
  EXPECT_NE(text.find("records lost (exit status 3)"), std::string::npos) << text;
}

TEST(Losses, AnObserverAbandonedAtTheDeadlineCountsWhatItHeld) {
  TempDir dir("tickd-losses");
  const int admin = test_support::free_port();
  // The plugin would retry for 20 s; the daemon gives up after 1 s.
  const std::string path = write_file(dir, "t.yaml", postgres_down_config(admin, "1s", 20000));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until(
      [&] { return scrape(admin, "tickd_plugin_records_buffered{observer=\"pg\"}") >= 3; }, 20s))
      << read_text(log);
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), kExitRecordsLost) << read_text(log);
  const std::string text = read_text(log);
  EXPECT_NE(text.find("observer 'pg' did not stop within the shutdown deadline"), std::string::npos) << text;
  EXPECT_GE(logged_loss(text, "pg"), 3) << text;
  EXPECT_NE(text.find("held when abandoned"), std::string::npos) << text;
}

TEST(Losses, EmailAlertWithoutAnSmtpServerShowsFailuresWhileRunning) {
  TempDir dir("tickd-losses");
  const int admin = test_support::free_port();
  const int no_smtp = test_support::free_port();
  // The recorder publishes a signal for every closed 1s candle; the alert
  // mails each (one per symbol within the cooldown) to a server that is not there.
  const std::string config = daemon_section(admin, "  shutdown_timeout: 5s\n") + simulator_section("[1s]") +
                             "observers:\n"
                             "  - name: signals\n    plugin: fixture_recorder\n    events: [candle_closed]\n"
                             "    config: {publish_on_close: true}\n"
                             "  - name: mail\n    plugin: email_alert\n    events: [signal]\n    config:\n"
                             "      smtp: {url: \"smtp://127.0.0.1:" +
                             std::to_string(no_smtp) +
                             "\", use_ssl: none, connect_timeout: 1s, timeout: 2s}\n"
                             "      from: tickd@example.com\n      to: [ops@example.com]\n"
                             "      retry: {initial: 50ms, max: 100ms, attempts: 2}\n      stop_timeout: 1s\n"
                             "      rules:\n        - {name: every_signal, type: signal}\n";
  const std::string path = write_file(dir, "t.yaml", config);
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(test_support::wait_until(
      [&] { return scrape(admin, "tickd_plugin_mails_failed{observer=\"mail\"}") >= 1; }, 20s))
      << http_get(admin, "/metrics").body << read_text(log);
  const std::string metrics = http_get(admin, "/metrics").body;
  EXPECT_NE(metrics.find("# TYPE tickd_plugin_mails_failed counter"), std::string::npos) << metrics;
  EXPECT_GE(*metric_value(metrics, "tickd_plugin_mail_send_errors{observer=\"mail\"}"), 2);
  EXPECT_GE(*metric_value(metrics, "tickd_observer_lost_total{observer=\"mail\"}"), 1);
  EXPECT_EQ(*metric_value(metrics, "tickd_plugin_mails_sent{observer=\"mail\"}"), 0);
  auto health = nlohmann::json::parse(http_get(admin, "/health").body);
  bool listed = false;
  for (const auto& o : health["observers"])
    if (o["name"] == "mail")
      for (const auto& m : o["metrics"]) listed |= m["name"] == "mails_failed" && m["loss"] == true;
  EXPECT_TRUE(listed) << health.dump(1);
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), kExitRecordsLost) << read_text(log);
  EXPECT_GE(logged_loss(read_text(log), "mail"), 1) << read_text(log);
}

}  // namespace
}  // namespace tickd::e2e
