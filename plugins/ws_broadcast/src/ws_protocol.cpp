#include "ws_protocol.hpp"

#include <nlohmann/json.hpp>

namespace tickd::ws {
namespace {

using json = nlohmann::json;

SubscriptionRequest refuse(std::string why) {
  SubscriptionRequest r;
  r.error = std::move(why);
  return r;
}

// Resolves one symbol/interval pair; returns the error text or "" and appends the id.
std::string resolve(const json& symbol, const json& interval, const SeriesTable& table,
                    std::vector<SeriesId>& out) {
  if (!symbol.is_string()) return "'symbol' must be a string";
  if (!interval.is_string()) return "'interval' must be a string like \"1m\"";
  auto sym = symbol.get<std::string>();
  auto name = interval.get<std::string>();
  if (!table.symbol_index(sym)) return "unknown symbol '" + sym.substr(0, 64) + "'";
  auto iv = Interval::parse(name);
  if (!iv || !table.interval_index(*iv)) return "unknown interval '" + name.substr(0, 16) + "'";
  out.push_back(*table.find(sym, *iv));
  return {};
}

SubscriptionRequest parse_candles(const json& j, const SeriesTable& table) {
  SubscriptionRequest r;
  if (j.contains("subscriptions")) {
    const auto& subs = j.at("subscriptions");
    if (!subs.is_array()) return refuse("'subscriptions' must be a list of {\"symbol\",\"interval\"}");
    if (subs.size() > table.size()) return refuse("too many subscriptions");
    r.op = SubscriptionRequest::Op::replace;
    for (const auto& s : subs) {
      if (!s.is_object()) return refuse("each subscription must be {\"symbol\",\"interval\"}");
      auto err = resolve(s.value("symbol", json()), s.value("interval", json()), table, r.series);
      if (!err.empty()) return refuse(err);
    }
    return r;
  }
  if (j.contains("action")) {
    const auto& action = j.at("action");
    if (action == "unsubscribe")
      r.op = SubscriptionRequest::Op::remove;
    else if (action != "subscribe")
      return refuse("'action' must be \"subscribe\" or \"unsubscribe\"");
  }
  if (!j.contains("symbol") || !j.contains("interval"))
    return refuse(
        "expected {\"symbol\",\"interval\"}, {\"subscriptions\":[...]} or "
        "{\"action\":\"unsubscribe\",\"symbol\",\"interval\"}");
  auto err = resolve(j.at("symbol"), j.at("interval"), table, r.series);
  if (!err.empty()) return refuse(err);
  return r;
}

SubscriptionRequest parse_legacy(const json& j, const SeriesTable& table) {
  if (j.value("type", json()) != "subscription" || !j.contains("data") || !j.at("data").is_object())
    return refuse("expected {\"type\":\"subscription\",\"data\":{\"action\",\"symbols\",\"timeframes\"}}");
  const auto& data = j.at("data");
  SubscriptionRequest r;
  auto action = data.value("action", json());
  if (action == "unsubscribe")
    r.op = SubscriptionRequest::Op::remove;
  else if (action != "subscribe")
    return refuse("'action' must be \"subscribe\" or \"unsubscribe\"");
  auto symbols = data.value("symbols", json());
  auto frames = data.value("timeframes", json());
  if (!symbols.is_array() || !frames.is_array()) return refuse("'symbols' and 'timeframes' must be lists");
  if (symbols.size() * frames.size() > table.size()) return refuse("too many subscriptions");
  for (const auto& s : symbols)
    for (const auto& f : frames) {
      auto err = resolve(s, f, table, r.series);
      if (!err.empty()) return refuse(err);
    }
  return r;
}

}  // namespace

SubscriptionRequest parse_request(Stream stream, std::string_view text, const SeriesTable& table) {
  if (stream == Stream::symbol || stream == Stream::realtime)
    return refuse("this endpoint only sends; it takes no requests");
  auto j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return refuse("invalid JSON");
  if (!j.is_object()) return refuse("expected a JSON object");
  return stream == Stream::legacy ? parse_legacy(j, table) : parse_candles(j, table);
}

std::string subscribed_message(Stream stream, const std::vector<SeriesId>& current,
                               const SeriesTable& table) {
  auto list = json::array();
  for (auto id : current) {
    json item = {{"symbol", table.symbol_of(id)}};
    item[stream == Stream::legacy ? "timeframe" : "interval"] = table.interval_of(id).name();
    list.push_back(std::move(item));
  }
  if (stream == Stream::legacy)
    return json{{"type", "subscribed"}, {"data", {{"subscriptions", list}}}}.dump();
  return json{{"type", "subscribed"}, {"subscriptions", list}}.dump();
}

}  // namespace tickd::ws
