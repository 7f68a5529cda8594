// Config validation, templates and the rendered RFC 5322 message.
#include "alert_common/duration.hpp"
#include "alert_common/message_template.hpp"
#include "alert_config.hpp"
#include "mail_message.hpp"

#include <gtest/gtest.h>

namespace tickd::email_alert {
namespace {

using alerts::Alert;
using alerts::MessageTemplate;
using alerts::parse_duration_ms;

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
  EXPECT_EQ(c.rules[0].cooldown_ms, 300000);
  EXPECT_EQ(c.max_per_hour, 20u);
}

TEST(AlertConfigTest, ErrorsNameTheKey) {
  auto c = valid_config();
  c["smtp"]["url"] = "http://x";
  expect_error(c, "smtp: 'url' must start with smtp:// or smtps://");
  c = valid_config();
  c["smtp"]["url"] = "smtp://user:secret@host";
  expect_error(c, "must not contain credentials");
  c = valid_config();
  c["smtp"]["use_ssl"] = "maybe";
  expect_error(c, "'use_ssl' must be none, try or all");
  c = valid_config();
  c["to"] = nlohmann::json::array();
  expect_error(c, "'to' must list at least one recipient");
  c = valid_config();
  c["from"] = "nobody";
  expect_error(c, "'from' is not an email address");
  c = valid_config();
  c["colour"] = 1;
  expect_error(c, "unknown key 'colour'");
  c = valid_config();
  c["rules"][0]["below"] = 2;
  expect_error(c, "rules[0] (\"r\"): give exactly one of 'above' or 'below'");
  c = valid_config();
  c["rules"][0] = {{"name", "m"}, {"type", "percent_move"}, {"percent", 2}, {"window", "5 minutes"}};
  expect_error(c, "'window' must be a duration");
  c = valid_config();
  c["rules"][0] = {{"name", "s"}, {"type", "signal"}, {"sides", {"long"}}};
  expect_error(c, "unknown side 'long'");
  c = valid_config();
  c["rules"][0]["type"] = "volume_spike";
  expect_error(c, "unknown type 'volume_spike'");
  c = valid_config();
  c["subject"] = "{symbol} {colour}";
  expect_error(c, "subject: unknown placeholder {colour}");
  c = valid_config();
  c["max_per_hour"] = 0;
  expect_error(c, "'max_per_hour' must be an integer from 1");
}

TEST(DurationTest, UsesTheOneDurationSyntax) {
  auto c = valid_config();
  c["rules"][0] = {{"name", "m"}, {"type", "percent_move"}, {"percent", 2}, {"window", "1..5m"}};
  expect_error(c, "'window' must be a duration");
  c["rules"][0]["window"] = "1.2.3s";
  expect_error(c, "'window' must be a duration");
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
