#include "indian_broker_data.hpp"

#include "core/feed/kite/kite_test_data.hpp"
#include "core/feed/smartapi/smartapi_encoder.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tickd::test_servers {

namespace {

constexpr std::int64_t kIstMs = 19800000;

std::string iso_ist(std::int64_t ms, bool colon) {
  const std::time_t t = static_cast<std::time_t>((ms + kIstMs) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf) + (colon ? "+05:30" : "+0530");
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::string query_value(const std::string& resource, const std::string& key) {
  const auto q = resource.find('?');
  if (q == std::string::npos) return "";
  std::stringstream ss(resource.substr(q + 1));
  std::string pair;
  while (std::getline(ss, pair, '&'))
    if (pair.rfind(key + "=", 0) == 0) return url_decode(pair.substr(key.size() + 1));
  return "";
}

nlohmann::json rows(const std::vector<PaiseCandle>& minute, std::int64_t from, std::int64_t to, bool colon) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : minute)
    if (c.open_time >= from && c.open_time <= to)
      out.push_back({iso_ist(c.open_time, colon), c.open / 100.0, c.high / 100.0, c.low / 100.0,
                     c.close / 100.0, c.volume});
  return out;
}

}  // namespace

std::int64_t parse_ist(const std::string& text) {
  std::tm tm{};
  int sec = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &sec) < 5)
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_sec = sec;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 - kIstMs;
}

std::vector<PaiseTrade> paise_trades(const std::string& csv_path, bool whole_seconds) {
  std::ifstream in(csv_path);
  if (!in) throw std::runtime_error("cannot open " + csv_path);
  std::vector<PaiseTrade> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string id, price, qty, first, last, time;
    std::getline(ss, id, ',');
    std::getline(ss, price, ',');
    std::getline(ss, qty, ',');
    std::getline(ss, first, ',');
    std::getline(ss, last, ',');
    std::getline(ss, time, ',');
    PaiseTrade t;
    t.time_ms = std::stoll(time);
    if (whole_seconds) t.time_ms = t.time_ms / 1000 * 1000;
    t.paise = std::llround(std::stod(price) * 1e8);
    t.quantity = static_cast<std::uint32_t>(std::max<long long>(1, std::llround(std::stod(qty))));
    out.push_back(t);
  }
  return out;
}

std::vector<PaiseCandle> paise_candles(const std::vector<PaiseTrade>& trades, std::int64_t interval_s) {
  std::vector<PaiseCandle> out;
  const std::int64_t step = interval_s * 1000;
  for (const auto& t : trades) {
    const std::int64_t start = t.time_ms / step * step;
    if (out.empty() || out.back().open_time != start) {
      out.push_back({start, t.paise, t.paise, t.paise, t.paise, t.quantity});
      continue;
    }
    auto& c = out.back();
    c.high = std::max(c.high, t.paise);
    c.low = std::min(c.low, t.paise);
    c.close = t.paise;
    c.volume += t.quantity;
  }
  return out;
}

std::vector<std::string> kite_trade_frames(const std::vector<PaiseTrade>& trades, std::uint32_t token) {
  using namespace tickd::core::testing;
  std::vector<std::string> frames;
  std::uint32_t volume = 0;
  for (const auto& t : trades) {
    volume += t.quantity;
    const auto p = static_cast<std::uint32_t>(t.paise);
    const auto seconds = static_cast<std::uint32_t>(t.time_ms / 1000);
    // token, ltp, ltq, avg, volume, buy qty, sell qty, o, h, l, c, ltt, oi, oi high, oi low, exchange time
    Bytes packet =
        kite_packet({token, p, t.quantity, p, volume, 0, 0, p, p, p, p, seconds, 0, 0, 0, seconds});
    packet.resize(184, 0);  // five empty depth levels a side
    const Bytes frame = kite_frame({packet});
    frames.emplace_back(frame.begin(), frame.end());
  }
  return frames;
}

std::vector<std::string> smartapi_trade_frames(const std::vector<PaiseTrade>& trades,
                                               const std::string& token) {
  using namespace tickd::core::testing;
  std::vector<std::string> frames;
  std::int64_t volume = 0, sequence = 0;
  for (const auto& t : trades) {
    volume += t.quantity;
    SmartApiPacketSpec s;
    s.mode = 2;  // quote
    s.exchange_type = 1;
    s.token = token;
    s.sequence_number = ++sequence;
    s.exchange_timestamp = t.time_ms;
    s.ltp = t.paise;
    s.last_traded_quantity = t.quantity;
    s.average_price = t.paise;
    s.volume = volume;
    s.open = s.high = s.low = s.close = t.paise;
    const auto bytes = encode_smartapi_packet(s);
    frames.emplace_back(bytes.begin(), bytes.end());
  }
  return frames;
}

HttpAnswer kite_historical_answer(const std::vector<PaiseCandle>& minute, const std::string& resource) {
  if (resource.rfind("/instruments/historical/", 0) != 0 || resource.find("/minute?") == std::string::npos)
    return {404, R"({"status":"error","message":"not found","error_type":"GeneralException"})"};
  const std::int64_t from = parse_ist(query_value(resource, "from"));
  const std::int64_t to = parse_ist(query_value(resource, "to"));
  if (from < 0 || to < 0)
    return {400, R"({"status":"error","message":"invalid from or to","error_type":"InputException"})"};
  nlohmann::json body = {{"status", "success"}, {"data", {{"candles", rows(minute, from, to, false)}}}};
  return {200, body.dump()};
}

HttpAnswer smartapi_candle_answer(const std::vector<PaiseCandle>& minute, const HttpCall& call) {
  if (call.method != "POST" || call.resource != "/rest/secure/angelbroking/historical/v1/getCandleData")
    return {404, R"({"status":false,"message":"not found","errorcode":"AB1000","data":null})"};
  const auto req = nlohmann::json::parse(call.body, nullptr, false);
  if (!req.is_object() || req.value("interval", "") != "ONE_MINUTE" || !req.contains("fromdate") ||
      !req.contains("todate"))
    return {400, R"({"status":false,"message":"Invalid request","errorcode":"AB13000","data":null})"};
  const std::int64_t from = parse_ist(req["fromdate"].get<std::string>());
  const std::int64_t to = parse_ist(req["todate"].get<std::string>());
  nlohmann::json body = {
      {"status", true}, {"message", "SUCCESS"}, {"errorcode", ""}, {"data", rows(minute, from, to, true)}};
  return {200, body.dump()};
}

}  // namespace tickd::test_servers
