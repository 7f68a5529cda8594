#include "feed/smartapi/smartapi_history.hpp"

#include "feed/indian_broker/history_json.hpp"
#include "feed/indian_broker/ist_time.hpp"

#include <nlohmann/json.hpp>

namespace tickd::core {

namespace {

struct SmartApiInterval {
  std::int32_t seconds;
  const char* name;
  int max_days;
};
constexpr SmartApiInterval kIntervals[] = {{60, "ONE_MINUTE", 30},       {180, "THREE_MINUTE", 60},
                                           {300, "FIVE_MINUTE", 100},    {600, "TEN_MINUTE", 100},
                                           {900, "FIFTEEN_MINUTE", 200}, {1800, "THIRTY_MINUTE", 200},
                                           {3600, "ONE_HOUR", 400},      {86400, "ONE_DAY", 2000}};

bool is_token_error(const std::string& code) {
  return code == "AG8001" || code == "AG8002" || code == "AG8003";
}

}  // namespace

const char* smartapi_exchange_name(int exchange_type) {
  switch (exchange_type) {
    case 1:
      return "NSE";
    case 2:
      return "NFO";
    case 3:
      return "BSE";
    case 4:
      return "BFO";
    case 5:
      return "MCX";
    case 7:
      return "NCDEX";
    case 13:
      return "CDS";
  }
  return "NSE";
}

std::vector<std::int32_t> SmartApiHistoryApi::served_seconds() const {
  std::vector<std::int32_t> out;
  for (const auto& i : kIntervals) out.push_back(i.seconds);
  return out;
}

TimeMs SmartApiHistoryApi::max_range_ms(std::int32_t interval_s) const {
  for (const auto& i : kIntervals)
    if (i.seconds == interval_s) return i.max_days * 86400000LL;
  return 86400000LL;
}

HttpRequest SmartApiHistoryApi::request(const HistoryInstrument& instrument, std::int32_t interval_s,
                                        TimeMs from, TimeMs to) const {
  const char* name = "ONE_MINUTE";
  for (const auto& i : kIntervals)
    if (i.seconds == interval_s) name = i.name;
  HttpRequest r;
  r.method = "POST";
  r.url = rest_url_ + "/rest/secure/angelbroking/historical/v1/getCandleData";
  r.headers = {{"Authorization", "Bearer " + jwt_},
               {"Content-Type", "application/json"},
               {"Accept", "application/json"},
               {"X-UserType", "USER"},
               {"X-SourceID", "WEB"},
               {"X-ClientLocalIP", "127.0.0.1"},
               {"X-ClientPublicIP", "127.0.0.1"},
               {"X-MACAddress", "00:00:00:00:00:00"},
               {"X-PrivateKey", api_key_}};
  // Minute resolution, both ends inclusive: up to the minute before the end.
  nlohmann::json body = {{"exchange", instrument.exchange},
                         {"symboltoken", instrument.token},
                         {"interval", name},
                         {"fromdate", format_ist(from, false)},
                         {"todate", format_ist(to - 60000, false)}};
  r.body = body.dump();
  return r;
}

HistoryError SmartApiHistoryApi::parse(const HttpResponse& response, SymbolId symbol, std::int32_t interval_s,
                                       std::vector<CandleData>& out, std::string& error) const try {
  if (!response.error.empty()) {
    error = response.error;
    return HistoryError::other;
  }
  const auto doc = nlohmann::json::parse(response.body, nullptr, false);
  std::string code, message;
  if (doc.is_object()) {
    auto c = doc.find("errorcode");
    if (c != doc.end() && c->is_string()) code = c->get<std::string>().substr(0, 20);
    auto m = doc.find("message");
    if (m != doc.end() && m->is_string()) message = m->get<std::string>().substr(0, 200);
  }
  const std::string detail = "HTTP " + std::to_string(response.status) + (code.empty() ? "" : " " + code) +
                             (message.empty() ? "" : " " + message);
  if (response.status == 401 || response.status == 403 || is_token_error(code)) {
    error = detail;
    return HistoryError::auth;
  }
  if (response.status == 429) {
    error = detail;
    return HistoryError::rate_limited;
  }
  if (!response.ok() || !doc.is_object() || !doc.contains("status") || doc["status"] != true) {
    error = doc.is_object() ? detail : "not a SmartAPI answer (" + detail + ")";
    return HistoryError::other;
  }
  const auto data = doc.find("data");
  if (data == doc.end() || data->is_null()) return HistoryError::none;  // no candles in the range
  return read_candle_rows(*data, symbol, interval_s, out, error) ? HistoryError::none : HistoryError::other;
} catch (const std::exception& e) {
  // A well-formed JSON document of the wrong shape (a number where a string
  // belongs): nlohmann throws on the typed reads above.
  error = std::string("malformed historical answer: ") + e.what();
  return HistoryError::other;
}

}  // namespace tickd::core
