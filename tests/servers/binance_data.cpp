#include "binance_data.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace tickd::test_servers {

namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(line);
  while (std::getline(in, item, sep)) out.push_back(item);
  return out;
}

std::ifstream open(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return in;
}

std::map<std::string, std::string> query_of(const std::string& resource) {
  std::map<std::string, std::string> q;
  const auto mark = resource.find('?');
  if (mark == std::string::npos) return q;
  for (const auto& kv : split(resource.substr(mark + 1), '&')) {
    const auto eq = kv.find('=');
    if (eq != std::string::npos) q[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return q;
}

}  // namespace

std::vector<std::string> xrpeth_aggtrade_frames(const std::string& csv_path, const std::string& symbol) {
  auto in = open(csv_path);
  std::string lower = symbol;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  std::vector<std::string> frames;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    auto f = split(line, ',');
    if (f.size() < 7) continue;
    const bool maker = f[6].rfind("True", 0) == 0;
    frames.push_back("{\"stream\":\"" + lower + "@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":" + f[5] +
                     ",\"s\":\"" + symbol + "\",\"a\":" + f[0] + ",\"p\":\"" + f[1] + "\",\"q\":\"" + f[2] +
                     "\",\"f\":" + f[3] + ",\"l\":" + f[4] + ",\"T\":" + f[5] +
                     ",\"m\":" + (maker ? "true" : "false") + ",\"M\":true}}");
  }
  return frames;
}

std::vector<std::int64_t> xrpeth_aggtrade_times(const std::string& csv_path) {
  auto in = open(csv_path);
  std::vector<std::int64_t> times;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    auto f = split(line, ',');
    if (f.size() >= 6) times.push_back(std::stoll(f[5]));
  }
  return times;
}

std::vector<RecordedFrame> recorded_frames(const std::string& log_path) {
  auto in = open(log_path);
  std::vector<RecordedFrame> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(": {");
    if (colon == std::string::npos || line.rfind("http", 0) == 0 || line.rfind("configuration", 0) == 0)
      continue;
    try {
      out.push_back(RecordedFrame{std::stod(line.substr(0, colon)), line.substr(colon + 2)});
    } catch (const std::exception&) {
    }
  }
  return out;
}

std::vector<CsvKline> read_kline_csv(const std::string& path) {
  auto in = open(path);
  std::vector<CsvKline> out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    auto f = split(line, ',');
    if (f.size() >= 6) out.push_back(CsvKline{std::stoll(f[0]), f[1], f[2], f[3], f[4], f[5]});
  }
  return out;
}

HttpAnswer klines_answer(const std::vector<CsvKline>& klines, const std::string& resource) {
  if (resource.rfind("/api/v3/klines?", 0) != 0) return {404, "{\"code\":-1,\"msg\":\"not found\"}"};
  auto q = query_of(resource);
  if (q["interval"] != "1m") return {400, "{\"code\":-1120,\"msg\":\"Invalid interval.\"}"};
  const int limit = std::min(1000, q.count("limit") ? std::stoi(q["limit"]) : 500);
  const std::int64_t start = q.count("startTime") ? std::stoll(q["startTime"]) : -1;
  const std::int64_t end = q.count("endTime") ? std::stoll(q["endTime"]) : INT64_MAX;
  std::vector<const CsvKline*> picked;
  for (const auto& k : klines)
    if (k.open_time >= std::max<std::int64_t>(start, 0) && k.open_time <= end) picked.push_back(&k);
  if (start < 0 && picked.size() > static_cast<std::size_t>(limit))
    picked.erase(picked.begin(), picked.end() - limit);
  if (picked.size() > static_cast<std::size_t>(limit)) picked.resize(limit);
  std::string body = "[";
  for (const CsvKline* k : picked) {
    if (body.size() > 1) body += ",";
    body += "[" + std::to_string(k->open_time) + ",\"" + k->open + "\",\"" + k->high + "\",\"" + k->low +
            "\",\"" + k->close + "\",\"" + k->volume + "\"," + std::to_string(k->open_time + 59999) +
            ",\"0\",0,\"0\",\"0\",\"0\"]";
  }
  return {200, body + "]"};
}

}  // namespace tickd::test_servers
