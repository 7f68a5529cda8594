#include "storage_common/candle_json.hpp"

#include <nlohmann/json.hpp>

namespace tickd::storage {

std::string candle_to_json(const Candle& c) {
  nlohmann::json j;
  j["symbol"] = c.symbol;
  j["interval"] = c.interval.name();
  j["open_time"] = c.open_time;
  j["close_time"] = c.close_time();
  j["open"] = c.open;
  j["high"] = c.high;
  j["low"] = c.low;
  j["close"] = c.close;
  j["volume"] = c.volume;
  j["quote_volume"] = c.quote_volume;
  j["vwap"] = c.vwap;
  j["trade_count"] = c.trade_count;
  j["closed"] = c.closed;
  j["partial"] = c.partial;
  j["filled"] = c.filled;
  return j.dump();
}

std::optional<Candle> candle_from_json(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    Candle c;
    auto interval = Interval::parse(j.at("interval").get<std::string>());
    if (!interval) return std::nullopt;
    c.interval = *interval;
    c.open_time = j.at("open_time").get<TimeMs>();
    c.open = j.at("open").get<double>();
    c.high = j.at("high").get<double>();
    c.low = j.at("low").get<double>();
    c.close = j.at("close").get<double>();
    c.volume = j.at("volume").get<double>();
    c.quote_volume = j.at("quote_volume").get<double>();
    c.vwap = j.at("vwap").get<double>();
    c.trade_count = j.at("trade_count").get<std::uint64_t>();
    c.closed = j.at("closed").get<bool>();
    c.partial = j.value("partial", false);
    c.filled = j.value("filled", false);
    return c;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace tickd::storage
