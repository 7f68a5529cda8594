#include "webhook_config.hpp"

#include "webhook_body.hpp"

#include <filesystem>

namespace tickd::webhook {
namespace {

using alerts::ConfigReader;

const char* const kDefaultMessage = "{rule}: {symbol} {side} at {price}. {text}";

TargetConfig parse_target(const nlohmann::json& node, std::size_t index, const std::string& message) {
  ConfigReader r(node, "targets[" + std::to_string(index) + "]: ");
  r.only_keys({"url", "preset", "message", "body", "secret", "headers"});
  TargetConfig t;
  t.url = r.string("url");
  if (t.url.rfind("http://", 0) != 0 && t.url.rfind("https://", 0) != 0)
    r.fail("'url' must start with http:// or https://, got " + http::redact_url(t.url));
  const std::string preset = r.string("preset", std::string("json"));
  if (preset == "json")
    t.preset = Preset::json;
  else if (preset == "slack")
    t.preset = Preset::slack;
  else if (preset == "discord")
    t.preset = Preset::discord;
  else
    r.fail("'preset' must be json, slack or discord, got '" + preset + "'");
  t.message = r.string("message", message);
  if (r.has("body")) {
    if (t.preset != Preset::json) r.fail("'body' is for preset json only (slack and discord send 'message')");
    if (!r.at("body").is_object()) r.fail("'body' must be a mapping (its strings are templates)");
    t.body = r.at("body");
  }
  t.secret = r.string("secret", std::string());
  if (r.has("headers")) {
    ConfigReader h(r.at("headers"), r.where() + "headers: ");
    for (const auto& item : r.at("headers").items()) {
      const std::string& name = item.key();
      if (name.empty() || name.find_first_of(": \t\r\n") != std::string::npos)
        h.fail("'" + name + "' is not a header name");
      if (!item.value().is_string()) h.fail("'" + name + "' must be a string");
      const std::string value = item.value().get<std::string>();
      if (value.find_first_of("\r\n") != std::string::npos) h.fail("'" + name + "' must be one line");
      t.headers.push_back(name + ": " + value);
    }
  }
  BodyRenderer(t, "targets[" + std::to_string(index) + "]");  // validates the templates
  return t;
}

}  // namespace

WebhookConfig parse_webhook_config(const nlohmann::json& config) {
  ConfigReader r(config, "");
  std::vector<std::string> keys{"targets", "message", "ca_file", "connect_timeout", "timeout"};
  keys.insert(keys.end(), alerts::alert_rule_keys().begin(), alerts::alert_rule_keys().end());
  keys.insert(keys.end(), alerts::delivery_keys().begin(), alerts::delivery_keys().end());
  r.only_keys(keys);
  WebhookConfig c;
  const std::string message = r.string("message", std::string(kDefaultMessage));
  if (!r.has("targets") || !r.at("targets").is_array() || r.at("targets").empty())
    r.fail("'targets' must be a non-empty list of {url, preset, ...}");
  for (std::size_t i = 0; i < r.at("targets").size(); ++i)
    c.targets.push_back(parse_target(r.at("targets")[i], i, message));
  c.http.ca_file = r.string("ca_file", std::string());
  if (!c.http.ca_file.empty() && !std::filesystem::is_regular_file(c.http.ca_file))
    r.fail("'ca_file': no file '" + c.http.ca_file + "'");
  c.http.connect_timeout_ms = r.duration("connect_timeout", c.http.connect_timeout_ms);
  c.http.timeout_ms = r.duration("timeout", c.http.timeout_ms);
  if (c.http.connect_timeout_ms <= 0 || c.http.timeout_ms <= 0) r.fail("timeouts must be positive");
  c.delivery = alerts::read_delivery_config(r);
  c.rules = alerts::read_alert_rules(r, {"message"}, alerts::every_signal_rule(), 600);
  return c;
}

}  // namespace tickd::webhook
