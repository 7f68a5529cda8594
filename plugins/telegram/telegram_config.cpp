#include "telegram_config.hpp"

#include "alert_common/message_template.hpp"

#include <algorithm>
#include <filesystem>

namespace tickd::telegram {
namespace {

using alerts::ConfigReader;

const char* const kDefaultMessage = "<b>{rule}</b>: {symbol} {side} at {price}\n{text}\n<i>{time}</i>";

std::vector<std::int64_t> chat_ids(const ConfigReader& r, const char* key) {
  std::vector<std::int64_t> out;
  if (!r.has(key)) return out;
  if (!r.at(key).is_array()) r.fail(std::string("'") + key + "' must be a list of chat ids (integers)");
  for (const auto& v : r.at(key)) {
    if (!v.is_number_integer() || v.get<std::int64_t>() == 0)
      r.fail(std::string("'") + key + "' must contain chat ids (non-zero integers), got " + v.dump());
    out.push_back(v.get<std::int64_t>());
  }
  return out;
}

}  // namespace

bool TelegramConfig::allowed(std::int64_t chat) const {
  return std::find(chats.begin(), chats.end(), chat) != chats.end() ||
         std::find(allowed_chats.begin(), allowed_chats.end(), chat) != allowed_chats.end();
}

TelegramConfig parse_telegram_config(const nlohmann::json& config) {
  ConfigReader r(config, "");
  std::vector<std::string> keys{"token",    "api_url",      "chats",           "allowed_chats", "message",
                                "commands", "poll_timeout", "state_file",      "rate",          "candles",
                                "chart",    "ca_file",      "connect_timeout", "timeout"};
  keys.insert(keys.end(), alerts::alert_rule_keys().begin(), alerts::alert_rule_keys().end());
  keys.insert(keys.end(), alerts::delivery_keys().begin(), alerts::delivery_keys().end());
  r.only_keys(keys);
  TelegramConfig c;
  if (!r.has("token") || !r.at("token").is_string() || r.at("token").get<std::string>().empty())
    r.fail("missing 'token' (the bot token from BotFather; write token: ${TELEGRAM_BOT_TOKEN})");
  c.token = r.at("token").get<std::string>();
  if (c.token.find_first_of("/?#% \t\r\n") != std::string::npos)
    r.fail("'token' is not a bot token (it may hold only letters, digits, ':', '_' and '-')");
  c.api_url = r.string("api_url", c.api_url);
  if (c.api_url.rfind("http://", 0) != 0 && c.api_url.rfind("https://", 0) != 0)
    r.fail("'api_url' must start with http:// or https://");
  while (!c.api_url.empty() && c.api_url.back() == '/') c.api_url.pop_back();
  c.chats = chat_ids(r, "chats");
  c.allowed_chats = chat_ids(r, "allowed_chats");
  c.commands = r.boolean("commands", c.commands);
  if (c.chats.empty() && (c.allowed_chats.empty() || !c.commands))
    r.fail("'chats' must list at least one chat id (or give 'allowed_chats' with commands on)");
  c.message = r.string("message", std::string(kDefaultMessage));
  alerts::MessageTemplate(c.message, "message");
  c.poll_timeout_ms = r.duration("poll_timeout", c.poll_timeout_ms);
  if (c.poll_timeout_ms < 1000 || c.poll_timeout_ms > 600000) r.fail("'poll_timeout' must be from 1s to 10m");
  c.state_file = r.string("state_file", std::string());
  if (!c.state_file.empty()) {
    const auto parent = std::filesystem::path(c.state_file).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent))
      r.fail("'state_file': folder '" + parent.string() + "' does not exist");
  }
  if (r.has("rate")) {
    ConfigReader rate(r.at("rate"), "rate: ");
    rate.only_keys({"per_chat_interval", "global_per_second"});
    c.per_chat_interval_ms = rate.duration("per_chat_interval", c.per_chat_interval_ms);
    if (rate.has("global_per_second")) c.global_per_second = rate.number("global_per_second", 0);
  }
  if (r.has("candles")) {
    ConfigReader k(r.at("candles"), "candles: ");
    k.only_keys({"default", "max", "chart"});
    c.candles_max = static_cast<std::uint32_t>(k.count("max", c.candles_max, 1, 100));
    c.candles_default = static_cast<std::uint32_t>(k.count("default", c.candles_default, 1, c.candles_max));
    c.chart_candles = static_cast<std::uint32_t>(k.count("chart", c.chart_candles, 2, 500));
  }
  if (r.has("chart")) {
    ConfigReader k(r.at("chart"), "chart: ");
    k.only_keys({"width", "height"});
    c.chart.width = static_cast<int>(k.count("width", static_cast<std::uint64_t>(c.chart.width), 200, 2000));
    c.chart.height =
        static_cast<int>(k.count("height", static_cast<std::uint64_t>(c.chart.height), 150, 2000));
  }
  c.http.ca_file = r.string("ca_file", std::string());
  if (!c.http.ca_file.empty() && !std::filesystem::is_regular_file(c.http.ca_file))
    r.fail("'ca_file': no file '" + c.http.ca_file + "'");
  c.http.connect_timeout_ms = r.duration("connect_timeout", c.http.connect_timeout_ms);
  c.http.timeout_ms = r.duration("timeout", c.http.timeout_ms);
  if (c.http.connect_timeout_ms <= 0 || c.http.timeout_ms <= 0) r.fail("timeouts must be positive");
  c.delivery = alerts::read_delivery_config(r);
  c.rules = alerts::read_alert_rules(r, {"message"}, alerts::every_signal_rule(), 120);
  return c;
}

}  // namespace tickd::telegram
