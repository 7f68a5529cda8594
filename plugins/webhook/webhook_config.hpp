// The webhook observer's configuration (the one place that reads it).
#pragma once

#include "alert_common/alert_rules.hpp"
#include "alert_common/delivery_config.hpp"
#include "http_client/http_client.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tickd::webhook {

enum class Preset { json, slack, discord };

struct TargetConfig {
  std::string url;
  Preset preset = Preset::json;
  std::string message;               // text template (slack, discord, and "message" in json)
  nlohmann::json body;               // json preset: a body template, null for the default body
  std::string secret;                // non-empty: HMAC-SHA256 signature headers
  std::vector<std::string> headers;  // "Name: value"
};

struct WebhookConfig {
  std::vector<TargetConfig> targets;
  http::HttpOptions http;
  alerts::DeliveryConfig delivery;
  alerts::AlertRules rules;  // per-rule template key: "message"
};

// Throws std::invalid_argument naming the key.
WebhookConfig parse_webhook_config(const nlohmann::json& config);

}  // namespace tickd::webhook
