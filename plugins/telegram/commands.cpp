#include "commands.hpp"

#include "alert_common/message_template.hpp"
#include "telegram_html.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <sstream>

namespace tickd::telegram {
namespace {

const char* const kHelp =
    "<b>tickd</b> commands:\n"
    "/price SYMBOL\n"
    "/candles SYMBOL INTERVAL [N]\n"
    "/chart SYMBOL INTERVAL\n"
    "/status\n"
    "/rules\n"
    "/subscribe RULE\n"
    "/unsubscribe RULE";

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w && out.size() < 8;) out.push_back(w);
  return out;
}

std::string code(const std::string& text) { return "<code>" + html_escape(text) + "</code>"; }

// "03-04 13:02" for intraday candles, "2024-03-04" for days and weeks.
std::string candle_time(TimeMs ms, Interval interval) {
  const std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  if (interval.is_calendar())
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  else
    std::strftime(buf, sizeof buf, "%m-%d %H:%M", &tm);
  return buf;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

}  // namespace

std::optional<IncomingCommand> command_of(const nlohmann::json& update) {
  if (!update.is_object() || !update.contains("message") || !update["message"].is_object())
    return std::nullopt;
  const auto& message = update["message"];
  if (!message.contains("text") || !message["text"].is_string()) return std::nullopt;
  if (!message.contains("chat") || !message["chat"].is_object() || !message["chat"].contains("id") ||
      !message["chat"]["id"].is_number_integer())
    return std::nullopt;
  IncomingCommand out{message["chat"]["id"].get<std::int64_t>(),
                      message["text"].get<std::string>().substr(0, 512)};
  if (out.text.empty() || out.text[0] != '/') return std::nullopt;
  return out;
}

Commands::Commands(const Host& host, const TelegramConfig& config, Subscriptions& subscriptions)
    : host_(host), config_(config), subscriptions_(subscriptions) {}

Reply Commands::handle(std::int64_t chat, const std::string& text) const {
  auto args = words(text);
  if (args.empty() || args[0][0] != '/') return {};
  std::string command =
      args[0].substr(1, args[0].find('@') == std::string::npos ? std::string::npos : args[0].find('@') - 1);
  for (char& c : command) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  args.erase(args.begin());
  if (command == "price") return price(args);
  if (command == "candles") return candles(args);
  if (command == "chart") return chart(args);
  if (command == "status") return status();
  if (command == "rules") return rules(chat);
  if (command == "subscribe") return subscribe(chat, args, true);
  if (command == "unsubscribe") return subscribe(chat, args, false);
  if (command == "help" || command == "start") return {kHelp, {}};
  return {"Unknown command " + code("/" + command) + ". " + kHelp, {}};
}

std::vector<Candle> Commands::history(std::string& symbol, Interval interval, std::uint32_t n) const {
  auto out = host_.history(symbol, interval, n);
  if (!out.empty()) return out;
  std::string upper = symbol;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out = host_.history(upper, interval, n);
  if (!out.empty()) symbol = upper;
  return out;
}

Reply Commands::price(const std::vector<std::string>& args) const {
  if (args.size() != 1) return {"Usage: /price SYMBOL", {}};
  const auto intervals = host_.intervals();
  if (intervals.empty()) return {"No candle intervals are configured.", {}};
  std::string symbol = args[0];
  const Interval interval = *std::min_element(intervals.begin(), intervals.end());
  auto c = history(symbol, interval, 1);
  if (c.empty()) return {"No data for " + code(symbol) + ".", {}};
  const Candle& k = c.back();
  return {"<b>" + html_escape(symbol) + "</b> " + code(alerts::format_price(k.close)) + "\n" +
              html_escape(std::string(interval.name())) + " candle " +
              html_escape(candle_time(k.open_time, interval)) + " UTC: O " + num(k.open) + " H " +
              num(k.high) + " L " + num(k.low) + (k.closed ? "" : " (open)"),
          {}};
}

Reply Commands::candles(const std::vector<std::string>& args) const {
  if (args.size() < 2 || args.size() > 3) return {"Usage: /candles SYMBOL INTERVAL [N]", {}};
  const auto interval = Interval::parse(args[1]);
  if (!interval)
    return {"Unknown interval " + code(args[1]) + " (" + html_escape(Interval::valid_names()) + ")", {}};
  std::uint32_t n = config_.candles_default;
  if (args.size() == 3) {
    char* end = nullptr;
    const long v = std::strtol(args[2].c_str(), &end, 10);
    if (!end || *end || v < 1 || v > static_cast<long>(config_.candles_max))
      return {"N must be a number from 1 to " + std::to_string(config_.candles_max) + ".", {}};
    n = static_cast<std::uint32_t>(v);
  }
  std::string symbol = args[0];
  auto list = history(symbol, *interval, n);
  if (list.empty()) return {"No " + html_escape(args[1]) + " candles for " + code(symbol) + ".", {}};
  std::string table = pad("time (UTC)", 11) + pad("open", 11) + pad("high", 11) + pad("low", 11) +
                      pad("close", 11) + pad("volume", 11) + "\n";
  for (const auto& k : list)
    table += pad(candle_time(k.open_time, *interval), 11) + pad(num(k.open), 11) + pad(num(k.high), 11) +
             pad(num(k.low), 11) + pad(num(k.close), 11) + pad(num(k.volume), 11) + (k.closed ? "" : " *") +
             "\n";
  return {html_truncate("<b>" + html_escape(symbol) + "</b> " + html_escape(args[1]) + "\n<pre>" +
                            html_escape(table) + "</pre>" + (list.back().closed ? "" : "* open candle"),
                        kMaxMessageChars),
          {}};
}

Reply Commands::chart(const std::vector<std::string>& args) const {
  if (args.size() != 2) return {"Usage: /chart SYMBOL INTERVAL", {}};
  const auto interval = Interval::parse(args[1]);
  if (!interval)
    return {"Unknown interval " + code(args[1]) + " (" + html_escape(Interval::valid_names()) + ")", {}};
  std::string symbol = args[0];
  auto list = history(symbol, *interval, config_.chart_candles);
  if (list.empty()) return {"No " + html_escape(args[1]) + " candles for " + code(symbol) + ".", {}};
  const std::string title =
      symbol + " " + std::string(interval->name()) + ", last " + std::to_string(list.size());
  return {"<b>" + html_escape(symbol) + "</b> " + html_escape(args[1]) + ", last close " +
              code(alerts::format_price(list.back().close)),
          render_candle_chart(list, title, config_.chart)};
}

Reply Commands::status() const {
  const auto s = host_.status();
  if (!s.is_object()) return {"Status unavailable.", {}};
  std::string out = "<b>tickd status</b>\n";
  if (s.contains("feed") && s["feed"].is_object()) {
    const auto& f = s["feed"];
    out += "feed: " + html_escape(f.value("kind", std::string("?"))) + ", " +
           html_escape(f.value("state", std::string("?")));
    if (f.contains("seconds_since_last_message") && f["seconds_since_last_message"].is_number())
      out += ", last message " + num(f["seconds_since_last_message"].get<double>()) + " s ago";
    if (f.contains("ticks") && f["ticks"].is_number()) out += ", " + f["ticks"].dump() + " ticks";
    out += "\n";
  }
  if (s.contains("observers") && s["observers"].is_array()) {
    out += "observers:\n";
    for (const auto& o : s["observers"]) {
      if (!o.is_object()) continue;
      out += "  " + html_escape(o.value("name", std::string("?")));
      if (o.value("suspended", false)) out += " (suspended)";
      for (const char* key : {"delivered", "dropped", "queue_depth"})
        if (o.contains(key) && o[key].is_number()) out += " " + std::string(key) + " " + o[key].dump();
      out += "\n";
    }
  }
  return {html_truncate(out, kMaxMessageChars), {}};
}

Reply Commands::rules(std::int64_t chat) const {
  std::string out = "<b>Alert rules</b> (✓ sent to this chat):\n";
  for (const auto& rule : config_.rules.rules)
    out += (subscriptions_.receives(chat, rule.name) ? "✓ " : "· ") + code(rule.name) + "\n";
  return {html_truncate(out, kMaxMessageChars), {}};
}

Reply Commands::subscribe(std::int64_t chat, const std::vector<std::string>& args, bool on) const {
  const char* verb = on ? "subscribe" : "unsubscribe";
  if (args.size() != 1) return {std::string("Usage: /") + verb + " RULE (see /rules)", {}};
  const auto& list = config_.rules.rules;
  if (std::none_of(list.begin(), list.end(), [&](const auto& r) { return r.name == args[0]; }))
    return {"No rule " + code(args[0]) + " (see /rules).", {}};
  const std::string error =
      on ? subscriptions_.subscribe(chat, args[0]) : subscriptions_.unsubscribe(chat, args[0]);
  std::string out = on ? "Subscribed to " + code(args[0]) + "." : "Unsubscribed from " + code(args[0]) + ".";
  if (!error.empty()) out += " (Not saved: the daemon could not write its state file; see its log.)";
  return {out, {}};
}

}  // namespace tickd::telegram
