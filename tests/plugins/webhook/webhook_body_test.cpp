// Bodies per preset, templates, escaping, signatures and config errors.
#include "webhook_body.hpp"
#include "hmac_signature.hpp"
#include "webhook_config.hpp"
#include "webhook_observer.hpp"

#include "support/plugin_config.hpp"

#include <gtest/gtest.h>

namespace tickd::webhook {
namespace {

using nlohmann::json;

alerts::Alert hostile_alert() {
  alerts::Alert a;
  a.rule = "r<1>";
  a.symbol = "<!channel>&BTC";
  a.price = 70010.5;
  a.time = 1709557361250;
  a.side = "buy";
  a.source = "ema_cross/ema_9_21";
  a.text = "@everyone <b>now</b> & \"quoted\"";
  a.interval = "1m";
  a.strength = 0.5;
  return a;
}

// As the observer reads it at start: checked against the schema, then read.
WebhookConfig parse_webhook_config(const json& config) {
  return read_webhook_config(test_support::checked_config(webhook_config_schema(), config));
}

TargetConfig target(const json& node) { return parse_webhook_config({{"targets", {node}}}).targets.at(0); }

TEST(WebhookBodyTest, DefaultJsonBodyCarriesEveryFieldTyped) {
  auto t = target({{"url", "http://127.0.0.1:1/x"}});
  auto body = json::parse(BodyRenderer(t, "t").render(hostile_alert(), nullptr, "hooks"));
  EXPECT_EQ(body["version"], 1);
  EXPECT_EQ(body["observer"], "hooks");
  EXPECT_EQ(body["rule"], "r<1>");
  EXPECT_EQ(body["symbol"], "<!channel>&BTC");
  EXPECT_EQ(body["price"], 70010.5);
  EXPECT_EQ(body["time"], 1709557361250);
  EXPECT_EQ(body["time_iso"], "2024-03-04T13:02:41.250Z");
  EXPECT_EQ(body["interval"], "1m");
  EXPECT_EQ(body["text"], "@everyone <b>now</b> & \"quoted\"");
  EXPECT_EQ(body["message"], "r<1>: <!channel>&BTC buy at 70010.5. @everyone <b>now</b> & \"quoted\"");
}

TEST(WebhookBodyTest, SlackEscapesControlCharactersOfValuesOnly) {
  auto t = target({{"url", "http://x/"}, {"preset", "slack"}, {"message", "*{symbol}* <{text}>"}});
  auto body = json::parse(BodyRenderer(t, "t").render(hostile_alert(), nullptr, "hooks"));
  EXPECT_EQ(body["text"], "*&lt;!channel&gt;&amp;BTC* <@everyone &lt;b&gt;now&lt;/b&gt; &amp; \"quoted\">");
  EXPECT_EQ(body.size(), 1u);
}

TEST(WebhookBodyTest, DiscordSuppressesMentionsAndKeepsTo2000Characters) {
  auto t = target({{"url", "http://x/"}, {"preset", "discord"}, {"message", "{text}"}});
  auto alert = hostile_alert();
  auto body = json::parse(BodyRenderer(t, "t").render(alert, nullptr, "hooks"));
  EXPECT_EQ(body["content"], "@everyone <b>now</b> & \"quoted\"");
  EXPECT_EQ(body["allowed_mentions"]["parse"], json::array());
  alert.text.clear();
  for (int i = 0; i < 1500; ++i) alert.text += "\xe2\x82\xac";  // euro signs: 3 bytes, 1 character
  alert.text += std::string(1000, 'x');
  body = json::parse(BodyRenderer(t, "t").render(alert, nullptr, "hooks"));
  const std::string content = body["content"];
  EXPECT_EQ(content.size(), 1500u * 3 + 500);
}

TEST(WebhookBodyTest, BodyTemplateRendersStringsAndKeepsOtherValues) {
  auto t = target({{"url", "http://x/"},
                   {"body", {{"alert", "{rule} on {symbol}"}, {"n", 5}, {"tags", {"{side}", true}}}}});
  auto body = json::parse(BodyRenderer(t, "t").render(hostile_alert(), nullptr, "hooks"));
  EXPECT_EQ(body, json::parse(R"({"alert":"r<1> on <!channel>&BTC","n":5,"tags":["buy",true]})"));
}

TEST(WebhookBodyTest, RuleMessageOverridesTheTargetsAndInvalidUtf8IsReplaced) {
  auto t = target({{"url", "http://x/"}});
  alerts::MessageTemplate rule_message("rule says {price}", "r");
  auto alert = hostile_alert();
  alert.symbol = "BAD\xff";
  auto body = json::parse(BodyRenderer(t, "t").render(alert, &rule_message, "hooks"));
  EXPECT_EQ(body["message"], "rule says 70010.5");
  EXPECT_EQ(body["symbol"], "BAD\xef\xbf\xbd");
}

TEST(HmacSignatureTest, MatchesRfc4231TestCase2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(signature_header("Jefe", 12, "{}"),
            "X-Tickd-Signature: sha256=" + hmac_sha256_hex("Jefe", "12.{}"));
}

TEST(WebhookConfigTest, DefaultsAndErrorsNameTheKey) {
  auto c = parse_webhook_config({{"targets", {{{"url", "https://hooks.slack.com/services/T/B/secret"}}}}});
  ASSERT_EQ(c.rules.rules.size(), 1u);  // every signal, by default
  EXPECT_EQ(c.rules.rules[0].type, alerts::AlertRuleType::signal);
  EXPECT_EQ(c.rules.rules[0].cooldown_ms, 0);
  EXPECT_EQ(c.rules.max_per_hour, 600u);
  EXPECT_EQ(c.delivery.settings.queue_size, 1000u);
  auto expect_error = [](json config, const std::string& fragment) {
    try {
      parse_webhook_config(config);
      ADD_FAILURE() << "no error for " << config.dump();
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos)
          << "a URL path was logged: " << e.what();
    }
  };
  expect_error(json::object(), "'config.targets' is required");
  expect_error({{"targets", json::array()}}, "'config.targets' must list at least 1 item");
  expect_error({{"targets", {{{"url", "ftp://h/secret"}}}}},
               "'config.targets[0].url' must start with http://");
  expect_error({{"targets", {{{"url", "http://h/"}, {"preset", "teams"}}}}},
               "'config.targets[0].preset' must be one of json, slack, discord, got 'teams'");
  expect_error({{"targets", {{{"url", "http://h/"}, {"preset", "slack"}, {"body", {{"a", "b"}}}}}}},
               "'config.targets[0].body' is for preset json only");
  expect_error({{"targets", {{{"url", "http://h/"}, {"message", "{colour}"}}}}},
               "unknown placeholder {colour}");
  expect_error({{"targets", {{{"url", "http://h/"}, {"body", {{"a", "{nope}"}}}}}}}, "targets[0].body.a");
  expect_error({{"targets", {{{"url", "http://h/"}, {"headers", {{"X-A", "1\r\nX-B: 2"}}}}}}},
               "must be one line");
  expect_error({{"targets", {{{"url", "http://h/"}}}}, {"ca_file", "/nonexistent.pem"}},
               "'config.ca_file' names no file: '/nonexistent.pem'");
  expect_error({{"targets", {{{"url", "http://h/"}}}}, {"retry", {{"initial", "2s"}, {"max", "1s"}}}},
               "config.retry: 'initial' (2s) must not be above 'max' (1s)");
  expect_error({{"targets", {{{"url", "http://h/"}}}},
                {"rules", {{{"name", "x"}, {"type", "signal"}, {"subject", "s"}}}}},
               "unknown key 'subject' in 'config.rules[0]' for type signal");
}

// What `tickd --check-config` reports for the block, as start() does.
TEST(WebhookConfigTest, TyposAndWrongTypesAreFoundByTheSchema) {
  const json target = {{"url", "https://hooks.slack.com/services/T/B/secret"}};
  const std::pair<json, std::string> cases[] = {
      {{{"tagets", {target}}}, "unknown key 'tagets' in 'config' (did you mean 'targets'?)"},
      {{{"targets", {{{"url", "http://h/"}, {"prest", "slack"}}}}},
       "unknown key 'prest' in 'config.targets[0]' (did you mean 'preset'?)"},
      {{{"targets", {target}}, {"timeout", "soon"}},
       "'config.timeout' must be a duration from 1ms to 10m, got 'soon'"},
      {{{"targets", {target}}, {"queue_size", "many"}},
       "'config.queue_size' must be an integer from 1 to 1000000, got 'many'"},
      {{{"targets", {target}}, {"retry", {{"atempts", 3}}}},
       "unknown key 'atempts' in 'config.retry' (did you mean 'attempts'?)"},
  };
  for (const auto& [config, expected] : cases) {
    const std::string error = test_support::start_error<WebhookObserver>(config);
    EXPECT_NE(error.find(expected), std::string::npos) << error;
    EXPECT_EQ(error.find("secret"), std::string::npos) << "a URL path was shown: " << error;
  }
}

}  // namespace
}  // namespace tickd::webhook
