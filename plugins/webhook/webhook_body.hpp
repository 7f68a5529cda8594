// The JSON body POSTed for one alert, per target preset:
//   json     the default body (below) or the target's `body` template, a
//            mapping whose strings are message templates
//   slack    {"text": message}, placeholder values escaped for Slack (& < >)
//   discord  {"content": message, "allowed_mentions": {"parse": []}}: at most
//            2000 characters, and no @everyone or role ping from a symbol or text
// Default json body:
//   {"version":1,"observer":"hooks","rule":"btc_70k","symbol":"BTCUSDT","price":70010.5,
//    "time":1709557361250,"time_iso":"2024-03-04T13:02:41.250Z","side":"up",
//    "source":"hooks/btc_70k","text":"BTCUSDT crossed above 70000 ...","interval":null,
//    "strength":0,"message":"btc_70k: BTCUSDT up at 70010.5. BTCUSDT crossed ..."}
#pragma once

#include "alert_common/alert.hpp"
#include "alert_common/message_template.hpp"
#include "webhook_config.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace tickd::webhook {

class BodyRenderer {
 public:
  // Throws std::invalid_argument naming `what` for a bad template.
  BodyRenderer(const TargetConfig& target, const std::string& what);

  // `rule_message`: the rule's own message template, or null for the target's.
  std::string render(const alerts::Alert& alert, const alerts::MessageTemplate* rule_message,
                     std::string_view observer) const;

 private:
  nlohmann::json render_template(const nlohmann::json& node, const alerts::Alert& alert) const;

  Preset preset_;
  alerts::MessageTemplate message_;
  nlohmann::json body_;
  std::string what_;
};

// Slack's mrkdwn control characters: & < > become entities.
std::string slack_escape(const std::string& text);
// At most `max_chars` Unicode characters, cut on a character boundary.
std::string truncate_utf8(const std::string& text, std::size_t max_chars);

}  // namespace tickd::webhook
