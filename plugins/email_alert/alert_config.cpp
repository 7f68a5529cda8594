#include "alert_config.hpp"

#include "alert_common/config_reader.hpp"
#include "alert_common/message_template.hpp"

#include <stdexcept>

namespace tickd::email_alert {
namespace {

using alerts::ConfigReader;
using alerts::MessageTemplate;
using nlohmann::json;

const char* const kDefaultSubject = "[tickd] {rule}: {symbol} {side} at {price}";
const char* const kDefaultBody =
    "{text}\n"
    "\n"
    "Rule:     {rule}\n"
    "Symbol:   {symbol}\n"
    "Price:    {price}\n"
    "Side:     {side}\n"
    "Time:     {time}\n"
    "Source:   {source}\n"
    "\n"
    "-- \n"
    "Sent by tickd\n";

bool plausible_address(const std::string& a) {
  const auto at = a.find('@');
  return at != std::string::npos && at > 0 && at + 1 < a.size() &&
         a.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
}

SmtpSettings parse_smtp(const json& node) {
  ConfigReader r(node, "smtp: ");
  r.only_keys({"url", "use_ssl", "username", "password", "connect_timeout", "timeout"});
  SmtpSettings s;
  s.url = r.string("url");
  if (s.url.rfind("smtp://", 0) != 0 && s.url.rfind("smtps://", 0) != 0)
    r.fail("'url' must start with smtp:// or smtps://, got '" + s.url + "'");
  const std::string authority = s.url.substr(s.url.find("://") + 3);
  if (authority.substr(0, authority.find('/')).find('@') != std::string::npos)
    r.fail("'url' must not contain credentials; use 'username' and 'password'");
  const std::string ssl = r.string("use_ssl", std::string("all"));
  if (ssl == "none")
    s.use_ssl = UseSsl::none;
  else if (ssl == "try")
    s.use_ssl = UseSsl::try_tls;
  else if (ssl == "all")
    s.use_ssl = UseSsl::all;
  else
    r.fail("'use_ssl' must be none, try or all, got '" + ssl + "'");
  s.username = r.string("username", std::string());
  s.password = r.string("password", std::string());
  if (s.username.empty() != s.password.empty()) r.fail("'username' and 'password' go together");
  s.connect_timeout_ms = r.duration("connect_timeout", s.connect_timeout_ms);
  s.timeout_ms = r.duration("timeout", s.timeout_ms);
  if (s.connect_timeout_ms <= 0 || s.timeout_ms <= 0) r.fail("timeouts must be positive");
  return s;
}

}  // namespace

AlertConfig parse_alert_config(const nlohmann::json& config) {
  ConfigReader r(config, "");
  std::vector<std::string> keys{"smtp", "from",       "to",    "subject",
                                "body", "queue_size", "retry", "stop_timeout"};
  keys.insert(keys.end(), alerts::alert_rule_keys().begin(), alerts::alert_rule_keys().end());
  r.only_keys(keys);
  AlertConfig c;
  if (!r.has("smtp")) r.fail("missing 'smtp' (url, use_ssl, username, password)");
  c.smtp = parse_smtp(r.at("smtp"));
  c.from = r.string("from");
  if (!plausible_address(c.from)) r.fail("'from' is not an email address: '" + c.from + "'");
  c.to = r.strings("to");
  if (c.to.empty()) r.fail("'to' must list at least one recipient");
  for (const auto& to : c.to)
    if (!plausible_address(to)) r.fail("'to' contains something that is not an email address: '" + to + "'");
  c.subject = r.string("subject", std::string(kDefaultSubject));
  c.body = r.string("body", std::string(kDefaultBody));
  MessageTemplate(c.subject, "subject");
  MessageTemplate(c.body, "body");
  c.queue_size = r.count("queue_size", c.queue_size, 1, 100000);
  c.stop_timeout_ms = r.duration("stop_timeout", c.stop_timeout_ms);
  if (r.has("retry")) {
    ConfigReader retry(r.at("retry"), "retry: ");
    retry.only_keys({"initial", "max", "attempts"});
    c.retry_initial_ms = retry.duration("initial", c.retry_initial_ms);
    c.retry_max_ms = retry.duration("max", c.retry_max_ms);
    c.max_attempts = static_cast<std::uint32_t>(retry.count("attempts", c.max_attempts, 1, 1000));
    if (c.retry_initial_ms <= 0 || c.retry_max_ms < c.retry_initial_ms)
      retry.fail("'initial' must be positive and not above 'max'");
  }
  auto rules = alerts::read_alert_rules(r, {"subject", "body"});
  c.rules = std::move(rules.rules);
  c.max_per_hour = rules.max_per_hour;
  return c;
}

}  // namespace tickd::email_alert
