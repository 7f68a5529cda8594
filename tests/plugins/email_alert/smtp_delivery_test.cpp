// End to end against a real SMTP server (aiosmtpd, started per test on a free
// loopback port): the observer, its sender thread and libcurl.
#include "email_alert_observer.hpp"
#include "smtp_sink.hpp"
#include "support/plugin_metrics.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace tickd::email_alert {
namespace {

using namespace std::chrono_literals;
using test::SmtpSink;
using tickd::testing::FakeHost;

nlohmann::json config_for(int port, nlohmann::json rules) {
  return {
      {"smtp", {{"url", "smtp://127.0.0.1:" + std::to_string(port)}, {"use_ssl", "try"}, {"timeout", "5s"}}},
      {"from", "tickd@example.com"},
      {"to", {"alice@example.com", "bob@example.com"}},
      {"retry", {{"initial", "100ms"}, {"max", "200ms"}, {"attempts", 200}}},
      {"rules", rules}};
}

Tick tick(std::string_view symbol, double price, TimeMs time) {
  Tick t;
  t.symbol = symbol;
  t.price = price;
  t.time = time;
  return t;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 15s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

bool logged(const FakeHost& fake, LogLevel level, const std::string& fragment) {
  for (const auto& [l, text] : fake.logs())
    if (l == level && text.find(fragment) != std::string::npos) return true;
  return false;
}

std::string all_logs(const FakeHost& fake) {
  std::string out;
  for (const auto& [level, text] : fake.logs()) out += "\n  " + text;
  return out;
}

TEST(SmtpDeliveryTest, AlertMailReachesEveryRecipientWithRenderedTemplates) {
  const int port = test::free_loopback_port();
  SmtpSink sink(port);
  auto config = config_for(port, {{{"name", "btc70k"}, {"type", "price_cross"}, {"above", 70000}},
                                  {{"name", "ema_buys"}, {"type", "signal"}, {"sides", {"buy"}}}});
  config["subject"] = "ALERT {rule} {symbol} {side} {price}";
  config["rules"][0]["body"] = "Crossed: {text}\nAt {time} from {source}\n.leading dot survives\n";
  FakeHost fake("mail", config);
  EmailAlertObserver obs;
  obs.start(fake.host());
  obs.on_tick(tick("BTCUSDT", 69990, 1700000000000));
  obs.on_tick(tick("BTCUSDT", 70010.5, 1700000000250));
  Signal s;
  s.symbol = "ETHUSDT";
  s.interval = *Interval::parse("1m");
  s.time = 1700000040000;
  s.side = Side::buy;
  s.price = 2000.25;
  s.source = "ema_cross/ema_9_21";
  s.text = R"({"fast":9,"slow":21})";
  obs.on_signal(s);

  auto mails = sink.wait_for(2);
  ASSERT_EQ(mails.size(), 2u);
  obs.stop();
  for (const auto& m : mails) {
    EXPECT_EQ(m["mail_from"], "tickd@example.com");
    EXPECT_EQ(m["rcpt_tos"], nlohmann::json({"alice@example.com", "bob@example.com"}));
    EXPECT_NE(m["data"].get<std::string>().find("To: alice@example.com, bob@example.com"), std::string::npos);
  }
  const std::string price_mail = mails[0]["data"];
  EXPECT_NE(price_mail.find("Subject: ALERT btc70k BTCUSDT up 70010.5\r\n"), std::string::npos) << price_mail;
  EXPECT_NE(price_mail.find("Crossed: BTCUSDT crossed above 70000 (from 69990 to 70010.5)\r\n"
                            "At 2023-11-14T22:13:20.250Z from mail/btc70k\r\n"
                            ".leading dot survives\r\n"),
            std::string::npos)
      << price_mail;
  const std::string signal_mail = mails[1]["data"];
  EXPECT_NE(signal_mail.find("Subject: ALERT ema_buys ETHUSDT buy 2000.25\r\n"), std::string::npos);
  EXPECT_NE(signal_mail.find("{\"fast\":9,\"slow\":21}\r\n"), std::string::npos) << signal_mail;
  EXPECT_NE(signal_mail.find("Source:   ema_cross/ema_9_21\r\n"), std::string::npos) << signal_mail;
  EXPECT_EQ(obs.sender_counters().sent, 2u);
}

TEST(SmtpDeliveryTest, OutageNeverBlocksTheWorkerAndTheAlertArrivesAfterRecovery) {
  const int port = test::free_loopback_port();  // nothing listens yet
  FakeHost fake("mail", config_for(port, {{{"name", "lvl"}, {"type", "price_cross"}, {"above", 100}}}));
  EmailAlertObserver obs;
  obs.start(fake.host());
  const auto before = std::chrono::steady_clock::now();
  obs.on_tick(tick("BTCUSDT", 99, 1));
  obs.on_tick(tick("BTCUSDT", 101, 2));
  EXPECT_LT(std::chrono::steady_clock::now() - before, 100ms) << "the worker must not wait for SMTP";
  ASSERT_TRUE(eventually([&] { return obs.sender_counters().errors >= 2; }));
  EXPECT_TRUE(logged(fake, LogLevel::warn, "email_alert: attempt 1 failed, retrying in 100 ms"));

  SmtpSink sink(port);
  auto mails = sink.wait_for(1);
  ASSERT_EQ(mails.size(), 1u) << all_logs(fake);
  EXPECT_NE(mails[0]["data"].get<std::string>().find("crossed above 100"), std::string::npos);
  ASSERT_TRUE(
      eventually([&] { return logged(fake, LogLevel::info, "email_alert: delivering again after"); }));
  obs.stop();
  EXPECT_EQ(obs.sender_counters().sent, 1u);
  EXPECT_EQ(obs.sender_counters().failed, 0u);
  auto m = test_support::metrics_of(obs);
  EXPECT_EQ(m["mails_sent"], 1);
  EXPECT_GE(m["mail_send_errors"], 2);
  EXPECT_EQ(m["mails_dropped"], 0);
}

TEST(SmtpDeliveryTest, WrongCredentialsGiveAClearErrorAndNoMail) {
  const int port = test::free_loopback_port();
  SmtpSink sink(port, "alice", "right-password");
  auto config = config_for(port, {{{"name", "lvl"}, {"type", "price_cross"}, {"above", 100}}});
  config["smtp"]["username"] = "alice";
  config["smtp"]["password"] = "wrong-password";
  FakeHost fake("mail", config);
  EmailAlertObserver obs;
  obs.start(fake.host());
  obs.on_tick(tick("BTCUSDT", 99, 1));
  obs.on_tick(tick("BTCUSDT", 101, 2));
  ASSERT_TRUE(eventually([&] { return obs.auth_failures() == 1; })) << all_logs(fake);
  obs.stop();
  EXPECT_TRUE(logged(fake, LogLevel::error, "SMTP authentication failed for user 'alice'"));
  for (const auto& [level, text] : fake.logs())
    EXPECT_EQ(text.find("wrong-password"), std::string::npos) << text;
  EXPECT_EQ(obs.sender_counters().sent, 0u);
  EXPECT_TRUE(sink.messages().empty());
  auto m = test_support::metrics_of(obs);
  EXPECT_EQ(m["mail_auth_failures"], 1);
  EXPECT_EQ(m["mails_failed"], 1);  // a loss: given up on at once, not retried
  EXPECT_EQ(m["mail_send_errors"], 1);
}

TEST(SmtpDeliveryTest, RightCredentialsAuthenticate) {
  const int port = test::free_loopback_port();
  SmtpSink sink(port, "alice", "right-password");
  auto config = config_for(port, {{{"name", "lvl"}, {"type", "price_cross"}, {"below", 100}}});
  config["smtp"]["username"] = "alice";
  config["smtp"]["password"] = "right-password";
  FakeHost fake("mail", config);
  EmailAlertObserver obs;
  obs.start(fake.host());
  obs.on_tick(tick("BTCUSDT", 101, 1));
  obs.on_tick(tick("BTCUSDT", 99, 2));
  ASSERT_EQ(sink.wait_for(1).size(), 1u);
  obs.stop();
  EXPECT_EQ(obs.auth_failures(), 0u);
}

TEST(SmtpDeliveryTest, MailThatCannotBeSentIsDroppedAndCountedAsLost) {
  const int port = test::free_loopback_port();  // nothing ever listens
  auto config = config_for(port, {{{"name", "lvl"}, {"type", "price_cross"}, {"above", 100}}});
  config["cooldown"] = 0;
  config["queue_size"] = 1;
  config["stop_timeout"] = "100ms";
  FakeHost fake("mail", config);
  EmailAlertObserver obs;
  obs.start(fake.host());
  TimeMs t = 0;
  for (int i = 0; i < 5; ++i) {
    obs.on_tick(tick("BTCUSDT", 99, ++t));
    obs.on_tick(tick("BTCUSDT", 101, ++t));
  }
  EXPECT_EQ(obs.alert_counters().raised, 5u);
  obs.stop();  // the mail being retried and the one waiting are dropped too
  auto m = test_support::metrics_of(obs);
  EXPECT_EQ(m["mails_dropped"], 5);
  EXPECT_EQ(m["mails_sent"], 0);
  EXPECT_EQ(m["mails_failed"], 0);
  EXPECT_TRUE(logged(fake, LogLevel::warn, "email_alert: queue full (1), message dropped"));
}

TEST(SmtpDeliveryTest, CooldownAndHourlyLimitHoldBackMail) {
  const int port = test::free_loopback_port();
  SmtpSink sink(port);
  auto config = config_for(port, {{{"name", "at100"}, {"type", "price_cross"}, {"above", 100}},
                                  {{"name", "at200"}, {"type", "price_cross"}, {"above", 200}},
                                  {{"name", "at300"}, {"type", "price_cross"}, {"above", 300}}});
  config["cooldown"] = "1h";
  config["max_per_hour"] = 2;
  FakeHost fake("mail", config);
  EmailAlertObserver obs;
  obs.start(fake.host());
  TimeMs t = 0;
  for (double p : {99, 101, 99, 101, 199, 201, 299, 301}) obs.on_tick(tick("BTCUSDT", p, ++t));
  obs.stop();  // drains the queue; the sink stores a mail before it replies 250
  auto mails = sink.messages();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_NE(mails[0]["data"].get<std::string>().find("at100"), std::string::npos);
  EXPECT_NE(mails[1]["data"].get<std::string>().find("at200"), std::string::npos);
  EXPECT_EQ(obs.alert_counters().cooldown, 1u);
  EXPECT_EQ(obs.alert_counters().rate_limited, 1u);
}

}  // namespace
}  // namespace tickd::email_alert
