// The telegram observer's `config:` block: its declared keys (`tickd
// --describe-plugin telegram`) and the settings read from them. Rules,
// delivery and HTTP keys are the ones webhook has too (alert_common,
// http_client).
#pragma once

#include "alert_common/alert_rules.hpp"
#include "alert_common/delivery_config.hpp"
#include "candle_chart.hpp"
#include "http_client/http_client.hpp"

#include <tickd/config_schema.hpp>
#include <tickd/config_view.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tickd::telegram {

struct TelegramConfig {
  std::string token;  // the bot token from BotFather: a secret, never logged
  std::string api_url = "https://api.telegram.org";
  std::vector<std::int64_t> chats;          // receive every alert rule unless they /unsubscribe
  std::vector<std::int64_t> allowed_chats;  // may send commands: `chats` plus these
  std::string message;                      // HTML template; placeholder values are escaped
  bool commands = true;
  std::int64_t poll_timeout_ms = 25000;
  std::string state_file;  // subscriptions; empty: not kept across restarts
  std::int64_t per_chat_interval_ms = 1000;
  double global_per_second = 25;
  std::uint32_t candles_default = 10;
  std::uint32_t candles_max = 40;
  std::uint32_t chart_candles = 60;
  ChartStyle chart;
  http::HttpOptions http;
  alerts::DeliveryConfig delivery;
  alerts::AlertRules rules;  // per-rule template key: "message"

  bool allowed(std::int64_t chat) const;
};

ConfigSchema telegram_config_schema();

// From a block checked against telegram_config_schema(); throws
// std::invalid_argument naming the key (never showing the token) for what the
// schema cannot say.
TelegramConfig read_telegram_config(const ConfigView& config);

}  // namespace tickd::telegram
