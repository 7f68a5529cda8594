// The email_alert observer's configuration, parsed and validated.
#pragma once

#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tickd::email_alert {

enum class AlertRuleType { price_cross, percent_move, signal };
enum class UseSsl { none, try_tls, all };

struct AlertRuleSpec {
  std::string name;
  AlertRuleType type = AlertRuleType::price_cross;
  std::vector<std::string> symbols;  // empty: every symbol
  std::int64_t cooldown_ms = 0;
  // price_cross: exactly one of above / below.
  std::optional<double> above;
  std::optional<double> below;
  // percent_move: |move| >= percent within window; direction up, down or any.
  double percent = 0;
  std::int64_t window_ms = 0;
  bool up = true;
  bool down = true;
  // signal: empty lists accept everything. A source filter matches the whole
  // source ("ema_cross/ema_9_21") or its rule part ("ema_9_21").
  std::vector<std::string> sources;
  std::vector<Side> sides;
  // Per-rule templates; empty: the observer's.
  std::string subject;
  std::string body;

  bool applies_to(std::string_view symbol) const;
};

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
  std::vector<AlertRuleSpec> rules;
};

// Throws std::invalid_argument naming the key when something is wrong.
AlertConfig parse_alert_config(const nlohmann::json& config);

}  // namespace tickd::email_alert
