// The email_alert observer's configuration, parsed and validated. The rules
// come from the shared alert library (alert_common).
#pragma once

#include "alert_common/alert_rules.hpp"

#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

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
  std::uint32_t max_per_hour = 20;
  std::size_t queue_size = 100;
  std::int64_t retry_initial_ms = 1000;
  std::int64_t retry_max_ms = 300000;
  std::uint32_t max_attempts = 10;
  std::int64_t stop_timeout_ms = 5000;
  std::vector<AlertRuleSpec> rules;  // templates by key: "subject", "body"
};

// Throws std::invalid_argument naming the key when something is wrong.
AlertConfig parse_alert_config(const nlohmann::json& config);

}  // namespace tickd::email_alert
