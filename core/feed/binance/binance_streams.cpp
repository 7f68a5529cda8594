#include "feed/binance/binance_streams.hpp"

#include "feed/binance/binance_interval.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace tickd::core {

std::vector<std::string> binance_stream_names(const std::vector<std::string>& symbols,
                                              const std::vector<std::string>& streams) {
  std::vector<std::string> out;
  for (const auto& symbol : symbols) {
    std::string lower = symbol;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    for (const auto& stream : streams) out.push_back(lower + "@" + stream);
  }
  return out;
}

std::string binance_connect_url(const BinanceConfig& config, const std::vector<std::string>& stream_names) {
  std::string url = config.connection.url;
  if (config.subscribe_mode != BinanceSubscribeMode::combined) return url;
  url += url.find('?') == std::string::npos ? "?streams=" : "&streams=";
  for (std::size_t i = 0; i < stream_names.size(); ++i) url += (i ? "/" : "") + stream_names[i];
  return url;
}

std::string binance_subscribe_message(const std::vector<std::string>& stream_names, int id) {
  return nlohmann::json{{"method", "SUBSCRIBE"}, {"params", stream_names}, {"id", id}}.dump();
}

std::vector<std::int32_t> binance_kline_seconds(const std::vector<std::string>& streams) {
  std::vector<std::int32_t> out;
  for (const auto& s : streams)
    if (s.rfind("kline_", 0) == 0)
      if (auto seconds = binance_interval_seconds(std::string_view(s).substr(6))) out.push_back(*seconds);
  return out;
}

}  // namespace tickd::core
