#include "alert_config.hpp"

#include "alert_common/message_template.hpp"

#include <stdexcept>

namespace tickd::email_alert {
namespace {

namespace s = tickd::schema;

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

alerts::AlertRuleOptions rule_options() { return {{"subject", "body"}, 20, false}; }

alerts::DeliveryConfig delivery_defaults() {
  alerts::DeliveryConfig d;
  d.settings.queue_size = 100;
  d.settings.retry_max_ms = 300000;
  return d;
}

bool plausible_address(const std::string& a) {
  const auto at = a.find('@');
  return at != std::string::npos && at > 0 && at + 1 < a.size() &&
         a.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
}

[[noreturn]] void fail(const ConfigView& where, const std::string& key, const std::string& what) {
  throw std::invalid_argument("'" + where.path() + "." + key + "' " + what);
}

SmtpSettings read_smtp(const ConfigView& r) {
  SmtpSettings s;
  s.url = r.string("url");
  if (s.url.rfind("smtp://", 0) != 0 && s.url.rfind("smtps://", 0) != 0)
    fail(r, "url", "must start with smtp:// or smtps://, got '" + s.url + "'");
  const std::string authority = s.url.substr(s.url.find("://") + 3);
  if (authority.substr(0, authority.find('/')).find('@') != std::string::npos)
    fail(r, "url", "must not contain credentials; use 'username' and 'password'");
  const std::string ssl = r.string("use_ssl");
  s.use_ssl = ssl == "none" ? UseSsl::none : ssl == "try" ? UseSsl::try_tls : UseSsl::all;
  s.username = r.string("username");
  s.password = r.string("password");
  if (s.username.empty() != s.password.empty()) fail(r, "username", "and 'password' go together");
  s.connect_timeout_ms = r.duration("connect_timeout").count();
  s.timeout_ms = r.duration("timeout").count();
  return s;
}

}  // namespace

ConfigSchema alert_config_schema() {
  ConfigSchema schema{
      s::object("smtp",
                {s::string("url", "smtp://host:587 (STARTTLS) or smtps://host:465; no credentials in it")
                     .required()
                     .non_empty(),
                 s::choice("use_ssl", {"none", "try", "all"}, "TLS for smtp://: all requires STARTTLS")
                     .default_value("all"),
                 s::string("username", "Login; use ${ENV_NAME}").default_value(""),
                 s::string("password", "Password; use ${ENV_NAME} (never logged)").default_value(""),
                 s::duration("connect_timeout", "How long connecting may take")
                     .default_value("10s")
                     .range("1ms", "10m"),
                 s::duration("timeout", "How long sending one mail may take")
                     .default_value("30s")
                     .range("1ms", "1h")},
                "The SMTP server")
          .required(),
      s::string("from", "Sender address").required().non_empty(),
      s::list("to", s::string().non_empty(), "Recipient addresses").required().non_empty(),
      s::string("subject", "Subject template (placeholders: docs/STRATEGIES_AND_ALERTS.md)")
          .default_value(kDefaultSubject),
      s::string("body", "Body template").default_value(kDefaultBody),
  };
  for (auto& key : alerts::delivery_keys(delivery_defaults())) schema.add(std::move(key));
  for (auto& key : alerts::alert_rule_keys(rule_options())) schema.add(std::move(key));
  return schema;
}

AlertConfig read_alert_config(const ConfigView& config) {
  AlertConfig c;
  c.smtp = read_smtp(config.object("smtp"));
  c.from = config.string("from");
  if (!plausible_address(c.from)) fail(config, "from", "is not an email address: '" + c.from + "'");
  c.to = config.strings("to");
  for (const auto& to : c.to)
    if (!plausible_address(to))
      fail(config, "to", "contains something that is not an email address: '" + to + "'");
  c.subject = config.string("subject");
  c.body = config.string("body");
  alerts::MessageTemplate(c.subject, config.path() + ".subject");
  alerts::MessageTemplate(c.body, config.path() + ".body");
  c.delivery = alerts::read_delivery_config(config);
  c.rules = alerts::read_alert_rules(config, rule_options());
  return c;
}

}  // namespace tickd::email_alert
