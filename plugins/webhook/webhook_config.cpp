#include "webhook_config.hpp"

#include "http_client/http_config.hpp"
#include "webhook_body.hpp"

#include <stdexcept>

namespace tickd::webhook {
namespace {

namespace s = tickd::schema;

const char* const kDefaultMessage = "{rule}: {symbol} {side} at {price}. {text}";

alerts::AlertRuleOptions rule_options() { return {{"message"}, 600, true}; }

TargetConfig read_target(const ConfigView& r, const std::string& message) {
  auto fail = [&](const std::string& key, const std::string& what) {
    throw std::invalid_argument("'" + r.path() + "." + key + "' " + what);
  };
  TargetConfig t;
  t.url = r.string("url");
  if (!http::is_http_url(t.url))
    fail("url", "must start with http:// or https://, got " + http::redact_url(t.url));
  const std::string preset = r.string("preset");
  t.preset = preset == "slack" ? Preset::slack : preset == "discord" ? Preset::discord : Preset::json;
  t.message = r.has("message") ? r.string("message") : message;
  if (!r.json("body").empty()) {
    if (t.preset != Preset::json) fail("body", "is for preset json only (slack and discord send 'message')");
    t.body = r.json("body");
  }
  t.secret = r.string("secret");
  for (const auto& item : r.json("headers").items()) {
    const std::string& name = item.key();
    if (name.empty() || name.find_first_of(": \t\r\n") != std::string::npos)
      fail("headers", "has '" + name + "', which is not a header name");
    const std::string value = item.value().get<std::string>();
    if (value.find_first_of("\r\n") != std::string::npos) fail("headers." + name, "must be one line");
    t.headers.push_back(name + ": " + value);
  }
  BodyRenderer(t, r.path());  // validates the templates
  return t;
}

}  // namespace

ConfigSchema webhook_config_schema() {
  ConfigSchema schema{
      s::list("targets",
              s::object({
                  s::string("url", "Where to POST; the path is a secret (logged as https://host/…)")
                      .required()
                      .non_empty(),
                  s::choice("preset", {"json", "slack", "discord"},
                            "Body: the default JSON, Slack's or Discord's")
                      .default_value("json"),
                  s::string("message", "Message template of this target; default: message"),
                  s::map("body", ConfigKey("any", "", ""),
                         "preset json: the body to send, its strings rendered as templates; empty: the "
                         "default body"),
                  s::string("secret", "Signs each body (X-Tickd-Signature, HMAC-SHA256); use ${ENV_NAME}")
                      .default_value(""),
                  s::map("headers", s::string(), "Extra request headers, e.g. Authorization"),
              }),
              "The URLs, each with its own queue and sender thread")
          .required()
          .non_empty(),
      s::string("message", "Message template (placeholders: docs/NOTIFIERS.md)")
          .default_value(kDefaultMessage),
  };
  for (auto& key : http::http_keys()) schema.add(std::move(key));
  for (auto& key : alerts::delivery_keys(alerts::DeliveryConfig{})) schema.add(std::move(key));
  for (auto& key : alerts::alert_rule_keys(rule_options())) schema.add(std::move(key));
  return schema;
}

WebhookConfig read_webhook_config(const ConfigView& config) {
  WebhookConfig c;
  const std::string message = config.string("message");
  for (const auto& target : config.list("targets")) c.targets.push_back(read_target(target, message));
  c.http = http::read_http_options(config);
  c.delivery = alerts::read_delivery_config(config);
  c.rules = alerts::read_alert_rules(config, rule_options());
  return c;
}

}  // namespace tickd::webhook
