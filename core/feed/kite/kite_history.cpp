#include "feed/kite/kite_history.hpp"

#include "feed/indian_broker/history_json.hpp"
#include "feed/indian_broker/ist_time.hpp"

#include <nlohmann/json.hpp>

namespace tickd::core {

namespace {

struct KiteInterval {
  std::int32_t seconds;
  const char* name;
  int max_days;
};
constexpr KiteInterval kIntervals[] = {
    {60, "minute", 60},     {180, "3minute", 100},   {300, "5minute", 100},   {600, "10minute", 100},
    {900, "15minute", 200}, {1800, "30minute", 200}, {3600, "60minute", 400}, {86400, "day", 2000}};

std::string query_time(TimeMs t) {
  std::string s = format_ist(t, true);
  return s.replace(s.find(' '), 1, "%20");
}

}  // namespace

const char* kite_interval_name(std::int32_t interval_s) {
  for (const auto& i : kIntervals)
    if (i.seconds == interval_s) return i.name;
  return nullptr;
}

std::vector<std::int32_t> KiteHistoryApi::served_seconds() const {
  std::vector<std::int32_t> out;
  for (const auto& i : kIntervals) out.push_back(i.seconds);
  return out;
}

TimeMs KiteHistoryApi::max_range_ms(std::int32_t interval_s) const {
  for (const auto& i : kIntervals)
    if (i.seconds == interval_s) return i.max_days * 86400000LL;
  return 86400000LL;
}

HttpRequest KiteHistoryApi::request(const HistoryInstrument& instrument, std::int32_t interval_s, TimeMs from,
                                    TimeMs to) const {
  HttpRequest r;
  const char* name = kite_interval_name(interval_s);
  // `to` is inclusive at Kite: ask up to the second before the end.
  r.url = rest_url_ + "/instruments/historical/" + instrument.token + "/" + (name ? name : "minute") +
          "?from=" + query_time(from) + "&to=" + query_time(to - 1000);
  r.headers = {{"X-Kite-Version", "3"}, {"Authorization", "token " + api_key_ + ":" + access_token_}};
  return r;
}

HistoryError KiteHistoryApi::parse(const HttpResponse& response, SymbolId symbol, std::int32_t interval_s,
                                   std::vector<CandleData>& out, std::string& error) const try {
  if (!response.error.empty()) {
    error = response.error;
    return HistoryError::other;
  }
  const auto doc = nlohmann::json::parse(response.body, nullptr, false);
  std::string message;
  if (doc.is_object()) {
    auto m = doc.find("message");
    if (m != doc.end() && m->is_string()) message = m->get<std::string>().substr(0, 200);
    auto t = doc.find("error_type");
    if (t != doc.end() && t->is_string()) message = t->get<std::string>().substr(0, 40) + ": " + message;
  }
  if (response.status == 403 || message.rfind("TokenException", 0) == 0) {
    error = "HTTP " + std::to_string(response.status) + (message.empty() ? "" : " " + message);
    return HistoryError::auth;
  }
  if (response.status == 429) {
    error = "HTTP 429 (too many requests)";
    return HistoryError::rate_limited;
  }
  if (!response.ok()) {
    error = "HTTP " + std::to_string(response.status) + (message.empty() ? "" : " " + message);
    return HistoryError::other;
  }
  if (!doc.is_object() || doc.value("status", "") != "success" || !doc.contains("data") ||
      !doc["data"].is_object() || !doc["data"].contains("candles")) {
    error = "not a Kite historical answer";
    return HistoryError::other;
  }
  return read_candle_rows(doc["data"]["candles"], symbol, interval_s, out, error) ? HistoryError::none
                                                                                  : HistoryError::other;
} catch (const std::exception& e) {
  // A well-formed JSON document of the wrong shape (a number where a string
  // belongs): nlohmann throws on the typed reads above.
  error = std::string("malformed historical answer: ") + e.what();
  return HistoryError::other;
}

}  // namespace tickd::core
