#include "telegram_config.hpp"

#include "alert_common/message_template.hpp"
#include "http_client/http_config.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace tickd::telegram {
namespace {

namespace s = tickd::schema;

const char* const kDefaultMessage = "<b>{rule}</b>: {symbol} {side} at {price}\n{text}\n<i>{time}</i>";

alerts::AlertRuleOptions rule_options() { return {{"message"}, 120, true}; }

[[noreturn]] void fail(const ConfigView& where, const std::string& key, const std::string& what) {
  throw std::invalid_argument("'" + where.path() + "." + key + "' " + what);
}

std::vector<std::int64_t> chat_ids(const ConfigView& r, const char* key) {
  std::vector<std::int64_t> out;
  const auto& list = r.json(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].get<std::int64_t>() == 0)
      fail(r, std::string(key) + "[" + std::to_string(i) + "]", "must not be 0");
    out.push_back(list[i].get<std::int64_t>());
  }
  return out;
}

}  // namespace

bool TelegramConfig::allowed(std::int64_t chat) const {
  return std::find(chats.begin(), chats.end(), chat) != chats.end() ||
         std::find(allowed_chats.begin(), allowed_chats.end(), chat) != allowed_chats.end();
}

ConfigSchema telegram_config_schema() {
  const TelegramConfig d;
  ConfigSchema schema{
      s::string("token", "The bot token from BotFather; write ${TELEGRAM_BOT_TOKEN} (never logged)")
          .required()
          .non_empty(),
      s::string("api_url", "The Bot API server").default_value(d.api_url),
      s::list("chats", s::integer(), "Chat ids that receive the alerts (and may send commands)"),
      s::list("allowed_chats", s::integer(), "Further chat ids that may send commands (and /subscribe)"),
      s::string("message", "HTML message template; placeholder values are escaped")
          .default_value(kDefaultMessage),
      s::boolean("commands", "Long-poll getUpdates and answer commands").default_value(d.commands),
      s::duration("poll_timeout", "How long one getUpdates waits for news")
          .default_value("25s")
          .range("1s", "10m"),
      s::string("state_file", "Where /subscribe choices are kept across restarts; empty: not kept")
          .default_value(""),
      s::object("rate",
                {s::duration("per_chat_interval", "Least time between two messages to one chat")
                     .default_value("1s")
                     .range("0s", "1h"),
                 s::number("global_per_second", "Messages per second to all chats together")
                     .default_value(d.global_per_second)
                     .above(0)
                     .max(1000000)},
                "Pacing to Telegram's limits"),
      s::object(
          "candles",
          {s::integer("default", "Candles /candles shows without N; default: 10, or max when lower")
               .range(1, 100),
           s::integer("max", "Most candles /candles shows").default_value(d.candles_max).range(1, 100),
           s::integer("chart", "Candles in a /chart picture").default_value(d.chart_candles).range(2, 500)},
          "How many candles the commands show"),
      s::object(
          "chart",
          {s::integer("width", "Picture width in pixels").default_value(d.chart.width).range(200, 2000),
           s::integer("height", "Picture height in pixels").default_value(d.chart.height).range(150, 2000)},
          "The /chart picture"),
  };
  for (auto& key : http::http_keys()) schema.add(std::move(key));
  for (auto& key : alerts::delivery_keys(alerts::DeliveryConfig{})) schema.add(std::move(key));
  for (auto& key : alerts::alert_rule_keys(rule_options())) schema.add(std::move(key));
  return schema;
}

TelegramConfig read_telegram_config(const ConfigView& config) {
  TelegramConfig c;
  c.token = config.string("token");
  if (c.token.find_first_of("/?#% \t\r\n") != std::string::npos)
    fail(config, "token", "is not a bot token (it may hold only letters, digits, ':', '_' and '-')");
  c.api_url = config.string("api_url");
  if (!http::is_http_url(c.api_url)) fail(config, "api_url", "must start with http:// or https://");
  while (!c.api_url.empty() && c.api_url.back() == '/') c.api_url.pop_back();
  c.chats = chat_ids(config, "chats");
  c.allowed_chats = chat_ids(config, "allowed_chats");
  c.commands = config.boolean("commands");
  if (c.chats.empty() && (c.allowed_chats.empty() || !c.commands))
    fail(config, "chats", "must list at least one chat id (or give 'allowed_chats' with commands on)");
  c.message = config.string("message");
  alerts::MessageTemplate(c.message, config.path() + ".message");
  c.poll_timeout_ms = config.duration("poll_timeout").count();
  c.state_file = config.string("state_file");
  if (!c.state_file.empty()) {
    const auto parent = std::filesystem::path(c.state_file).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent))
      fail(config, "state_file", "is in folder '" + parent.string() + "', which does not exist");
  }
  const ConfigView rate = config.object("rate");
  c.per_chat_interval_ms = rate.duration("per_chat_interval").count();
  c.global_per_second = rate.number("global_per_second");
  const ConfigView candles = config.object("candles");
  c.candles_max = static_cast<std::uint32_t>(candles.integer("max"));
  c.candles_default = candles.has("default") ? static_cast<std::uint32_t>(candles.integer("default"))
                                             : std::min(c.candles_default, c.candles_max);
  c.chart_candles = static_cast<std::uint32_t>(candles.integer("chart"));
  if (c.candles_default > c.candles_max) fail(candles, "default", "must not be above 'max'");
  const ConfigView chart = config.object("chart");
  c.chart.width = static_cast<int>(chart.integer("width"));
  c.chart.height = static_cast<int>(chart.integer("height"));
  c.http = http::read_http_options(config);
  c.delivery = alerts::read_delivery_config(config);
  c.rules = alerts::read_alert_rules(config, rule_options());
  return c;
}

}  // namespace tickd::telegram
