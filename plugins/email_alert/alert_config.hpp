// The email_alert observer's `config:` block: its declared keys (`tickd
// --describe-plugin email_alert`) and the settings read from them. The rules
// and the delivery keys are alert_common's, shared with the other notifiers.
#pragma once

#include "alert_common/alert_rules.hpp"
#include "alert_common/delivery_config.hpp"

#include <tickd/config_schema.hpp>
#include <tickd/config_view.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tickd::email_alert {

using alerts::AlertRuleSpec;
using alerts::AlertRuleType;

enum class UseSsl { none, try_tls, all };

struct SmtpSettings {
  std::string url;  // smtp://host:port or smtps://host:port
  UseSsl use_ssl = UseSsl::all;
  std::string username;
  std::string password;
  std::int64_t connect_timeout_ms = 10000;
  std::int64_t timeout_ms = 30000;
};

struct AlertConfig {
  SmtpSettings smtp;
  std::string from;
  std::vector<std::string> to;
  std::string subject;
  std::string body;
  alerts::DeliveryConfig delivery;
  alerts::AlertRules rules;  // per-rule template keys: "subject", "body"
};

ConfigSchema alert_config_schema();

// From a block checked against alert_config_schema(); throws
// std::invalid_argument naming the key for what the schema cannot say
// (addresses, a URL with credentials, templates, ...).
AlertConfig read_alert_config(const ConfigView& config);

}  // namespace tickd::email_alert
