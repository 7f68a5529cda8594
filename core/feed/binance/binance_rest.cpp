#include "feed/binance/binance_rest.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tickd::core {
namespace {

namespace od = simdjson::ondemand;

// Query values are symbols and interval names: anything but [A-Za-z0-9] is
// percent-encoded so that no server input can reshape the request line.
void append_query_value(std::string& out, std::string_view value, bool upper) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z')) {
      out += c;
    } else if (u >= 'a' && u <= 'z') {
      out += upper ? static_cast<char>(u - 'a' + 'A') : c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
}

bool parse_decimal(std::string_view text, double& out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out) && out >= 0;
}

bool read_decimal(od::array_iterator& it, const od::array_iterator& end, double& out) {
  if (it == end) return false;
  std::string_view text;
  if ((*it).get_string().get(text) != simdjson::SUCCESS) return false;
  ++it;
  return parse_decimal(text, out);
}

bool read_int(od::array_iterator& it, const od::array_iterator& end, std::int64_t& out) {
  if (it == end) return false;
  if ((*it).get_int64().get(out) != simdjson::SUCCESS) return false;
  ++it;
  return true;
}

// One kline: [openTime, "o", "h", "l", "c", "v", closeTime, "quoteVolume", trades, ...].
const char* parse_kline(od::array& kline, CandleData& candle, TimeMs& close_time) {
  od::array_iterator it, end;
  if (kline.begin().get(it) != simdjson::SUCCESS || kline.end().get(end) != simdjson::SUCCESS)
    return "not an array";
  if (!read_int(it, end, candle.open_time) || candle.open_time < 0) return "bad open time";
  if (!read_decimal(it, end, candle.open) || !read_decimal(it, end, candle.high) ||
      !read_decimal(it, end, candle.low) || !read_decimal(it, end, candle.close))
    return "bad price";
  if (!read_decimal(it, end, candle.volume)) return "bad volume";
  if (!read_int(it, end, close_time) || close_time < candle.open_time) return "bad close time";
  if (!read_decimal(it, end, candle.quote_volume)) return "bad quote volume";
  std::int64_t trades = 0;
  if (!read_int(it, end, trades) || trades < 0) return "bad trade count";
  candle.trade_count = static_cast<std::uint64_t>(trades);
  return nullptr;
}

// Binance answers errors with {"code":-1121,"msg":"Invalid symbol."}.
// After a parse error the document must not be touched again (simdjson
// invalidates its iterator), so each lookup stops at the first real error.
std::string describe_error_object(od::object& object) {
  std::string out = "Binance error";
  std::int64_t code = 0;
  const auto code_error = object["code"].get_int64().get(code);
  if (code_error == simdjson::SUCCESS)
    out += " " + std::to_string(code);
  else if (code_error != simdjson::NO_SUCH_FIELD)
    return out;
  std::string_view message;
  if (object["msg"].get_string().get(message) == simdjson::SUCCESS)
    out += ": " + std::string(message.substr(0, 200));
  return out;
}

}  // namespace

std::string binance_klines_path(std::string_view symbol, std::string_view interval, TimeMs start_time,
                                int limit, TimeMs end_time) {
  std::string path = "/api/v3/klines?symbol=";
  append_query_value(path, symbol, true);
  path += "&interval=";
  append_query_value(path, interval, false);
  if (start_time >= 0) path += "&startTime=" + std::to_string(start_time);
  if (end_time >= 0) path += "&endTime=" + std::to_string(end_time);
  path += "&limit=" + std::to_string(std::clamp(limit, 1, kBinanceKlinesMaxLimit));
  return path;
}

bool parse_binance_klines(std::string_view body, SymbolId symbol, std::int32_t interval_s, TimeMs now_ms,
                          std::vector<CandleData>& out, std::string& error) {
  const simdjson::padded_string padded(body);
  od::parser parser;
  od::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) {
    error = "klines: malformed JSON";
    return false;
  }
  od::array klines;
  const auto array_error = doc.get_array().get(klines);
  if (array_error != simdjson::SUCCESS) {
    od::object object;
    error = array_error == simdjson::INCORRECT_TYPE && doc.get_object().get(object) == simdjson::SUCCESS
                ? "klines: " + describe_error_object(object)
                : "klines: not a JSON array";
    return false;
  }
  std::vector<CandleData> parsed;
  std::size_t index = 0;
  for (auto element : klines) {
    od::array kline;
    const char* problem = nullptr;
    CandleData candle;
    TimeMs close_time = 0;
    if (element.get_array().get(kline) != simdjson::SUCCESS) {
      problem = "not an array";
    } else {
      problem = parse_kline(kline, candle, close_time);
    }
    if (problem) {
      error = "klines: element " + std::to_string(index) + ": " + problem;
      return false;
    }
    candle.symbol = symbol;
    candle.interval_s = interval_s;
    candle.flags = close_time < now_ms ? TICKD_CANDLE_CLOSED : 0u;
    parsed.push_back(candle);
    ++index;
  }
  out.insert(out.end(), parsed.begin(), parsed.end());
  return true;
}

}  // namespace tickd::core
