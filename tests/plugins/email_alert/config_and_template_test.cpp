// Config validation (the declared schema, then what it cannot say),
// templates and the rendered RFC 5322 message.
#include "alert_common/message_template.hpp"
#include "alert_config.hpp"
#include "email_alert_observer.hpp"
#include "mail_message.hpp"
#include "support/plugin_config.hpp"

#include <gtest/gtest.h>

namespace tickd::email_alert {
namespace {

using alerts::Alert;
using alerts::MessageTemplate;

using test_support::start_error;

// As the observer reads it at start: checked against the schema, then read.
AlertConfig parse_alert_config(const nlohmann::json& config) {
  return read_alert_config(test_support::checked_config(alert_config_schema(), config));
}

nlohmann::json valid_config() {
  return {{"smtp", {{"url", "smtp://mail.example.com:587"}, {"username", "u"}, {"password", "p"}}},
          {"from", "tickd@example.com"},
          {"to", {"a@example.com", "b@example.com"}},
          {"rules", {{{"name", "r"}, {"type", "price_cross"}, {"above", 1}}}}};
}

void expect_error(nlohmann::json config, const std::string& fragment) {
  try {
    parse_alert_config(config);
    ADD_FAILURE() << "no error for " << config.dump();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(AlertConfigTest, DefaultsAndValues) {
  auto c = parse_alert_config(valid_config());
  EXPECT_EQ(c.smtp.use_ssl, UseSsl::all);  // TLS required unless said otherwise
  EXPECT_EQ(c.to.size(), 2u);
  EXPECT_EQ(c.rules.rules[0].cooldown_ms, 300000);
  EXPECT_EQ(c.rules.max_per_hour, 20u);
  EXPECT_EQ(c.delivery.settings.queue_size, 100u);
  EXPECT_EQ(c.delivery.settings.retry_max_ms, 300000);
}

TEST(AlertConfigTest, ErrorsNameTheKey) {
  auto c = valid_config();
  c["smtp"]["url"] = "http://x";
  expect_error(c, "'config.smtp.url' must start with smtp:// or smtps://");
  c = valid_config();
  c["smtp"]["url"] = "smtp://user:secret@host";
  expect_error(c, "must not contain credentials");
  c = valid_config();
  c["smtp"]["use_ssl"] = "maybe";
  expect_error(c, "'config.smtp.use_ssl' must be one of none, try, all, got 'maybe'");
  c = valid_config();
  c["to"] = nlohmann::json::array();
  expect_error(c, "'config.to' must list at least 1 item");
  c = valid_config();
  c["from"] = "nobody";
  expect_error(c, "'config.from' is not an email address");
  c = valid_config();
  c["colour"] = 1;
  expect_error(c, "unknown key 'colour' in 'config'");
  c = valid_config();
  c["rules"][0]["below"] = 2;
  expect_error(c, "rules[0] (\"r\"): give exactly one of 'above' or 'below'");
  c = valid_config();
  c["rules"][0] = {{"name", "m"}, {"type", "percent_move"}, {"percent", 2}, {"window", "5 minutes"}};
  expect_error(c, "'config.rules[0].window' must be a duration");
  c = valid_config();
  c["rules"][0] = {{"name", "s"}, {"type", "signal"}, {"sides", {"long"}}};
  expect_error(c, "'config.rules[0].sides[0]' must be one of buy, sell, neutral, unknown, got 'long'");
  c = valid_config();
  c["rules"][0]["type"] = "volume_spike";
  expect_error(c,
               "'config.rules[0].type' must be one of price_cross, percent_move, signal, got 'volume_spike'");
  c = valid_config();
  c["subject"] = "{symbol} {colour}";
  expect_error(c, "subject: unknown placeholder {colour}");
  c = valid_config();
  c["max_per_hour"] = 0;
  expect_error(c, "'config.max_per_hour' must be an integer from 1 to 100000, got 0");
  c = valid_config();
  c["rules"][0]["name"] = "r";
  c["rules"][1] = c["rules"][0];
  expect_error(c, "config.rules[1]: duplicate rule name 'r'");
  c = valid_config();
  c["retry"] = {{"initial", "2s"}, {"max", "1s"}};
  expect_error(c, "config.retry: 'initial' (2s) must not be above 'max' (1s)");
}

TEST(DurationTest, UsesTheOneDurationSyntax) {
  auto c = valid_config();
  c["rules"][0] = {{"name", "m"}, {"type", "percent_move"}, {"percent", 2}, {"window", "1..5m"}};
  expect_error(c, "'config.rules[0].window' must be a duration");
  c["rules"][0]["window"] = "1.2.3s";
  expect_error(c, "'config.rules[0].window' must be a duration");
}

// What `tickd --check-config` reports for the block, as start() does.
TEST(AlertConfigTest, TyposAndWrongTypesAreFoundByTheSchema) {
  auto with = [](const nlohmann::json& patch) {
    auto c = valid_config();
    c.merge_patch(patch);
    return c;
  };
  const std::pair<nlohmann::json, std::string> cases[] = {
      {{{"from", nullptr}, {"form", "tickd@example.com"}},
       "unknown key 'form' in 'config' (did you mean 'from'?)"},
      {{{"smtp", {{"timout", "5s"}}}}, "unknown key 'timout' in 'config.smtp' (did you mean 'timeout'?)"},
      {{{"max_per_hour", "lots"}}, "'config.max_per_hour' must be an integer from 1 to 100000, got 'lots'"},
      {{{"to", "a@example.com"}}, "'config.to' must be a list, got 'a@example.com'"},
      {{{"rules", {{{"name", "r"}, {"type", "price_cross"}, {"abvoe", 2}}}}},
       "unknown key 'abvoe' in 'config.rules[0]' for type price_cross (did you mean 'above'?)"},
  };
  for (const auto& [patch, expected] : cases) {
    const std::string error = start_error<EmailAlertObserver>(with(patch));
    EXPECT_NE(error.find(expected), std::string::npos) << error;
  }
}

TEST(MessageTemplateTest, RendersEveryPlaceholder) {
  Alert a{"r1", "BTCUSDT", 70012.5, 1700000000123, "buy", "s/r1", "{\"k\":1}", "1m", 0.25};
  MessageTemplate t("{rule}|{symbol}|{price}|{time}|{side}|{source}|{text}|{interval}|{strength}|{{x}}", "t");
  EXPECT_EQ(t.render(a), "r1|BTCUSDT|70012.5|2023-11-14T22:13:20.123Z|buy|s/r1|{\"k\":1}|1m|0.25|{x}");
  EXPECT_THROW(MessageTemplate("{price", "t"), std::invalid_argument);
  EXPECT_THROW(MessageTemplate("price}", "t"), std::invalid_argument);
}

TEST(MailMessageTest, HeadersAreSafeAndBodyUsesCrlf) {
  MailMessage m{
      "tickd@example.com", {"a@example.com", "b@example.com"}, "evil\r\nBcc: x@y", "line1\nline2", 0};
  const std::string text = render_message(m, "1@host");
  EXPECT_NE(text.find("Subject: evil  Bcc: x@y\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("To: a@example.com, b@example.com\r\n"), std::string::npos);
  EXPECT_NE(text.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(text.find("\r\n\r\nline1\r\nline2\r\n"), std::string::npos);
  MailMessage utf8{"a@b.c", {"d@e.f"}, "Preis \xe2\x82\xac", "", 0};
  EXPECT_NE(render_message(utf8, "x").find("Subject: =?UTF-8?B?UHJlaXMg4oKs?="), std::string::npos);
}

}  // namespace
}  // namespace tickd::email_alert
