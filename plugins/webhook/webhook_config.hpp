// The webhook observer's `config:` block: its declared keys (`tickd
// --describe-plugin webhook`) and the settings read from them. Rules, delivery
// and HTTP keys are the ones telegram has too (alert_common, http_client).
#pragma once

#include "alert_common/alert_rules.hpp"
#include "alert_common/delivery_config.hpp"
#include "http_client/http_client.hpp"

#include <tickd/config_schema.hpp>
#include <tickd/config_view.hpp>

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

ConfigSchema webhook_config_schema();

// From a block checked against webhook_config_schema(); throws
// std::invalid_argument naming the key (never showing a URL's path) for what
// the schema cannot say.
WebhookConfig read_webhook_config(const ConfigView& config);

}  // namespace tickd::webhook
