#include "broker_fixture.hpp"

#include "e2e/http_get.hpp"

#include <sstream>

namespace tickd::e2e {

std::string daemon_config(const std::string& feed_yaml, const std::string& candles, int admin_port,
                          const std::string& intervals) {
  return "daemon:\n  admin_listen: 127.0.0.1:" + std::to_string(admin_port) + "\n" + feed_yaml +
         "aggregator:\n"
         "  intervals: " +
         intervals +
         "\n"
         "  gap_fill: true\n"
         "  close_on_shutdown: false\n"
         "observers:\n"
         "  - name: out\n"
         "    plugin: logger\n"
         "    events: [candle_closed]\n"
         "    overflow: block\n"
         "    config: {format: json, output: " +
         candles + ", flush_interval: 0}\n";
}

std::map<std::string, std::map<long long, std::vector<nlohmann::json>>> read_closed(const std::string& path) {
  std::map<std::string, std::map<long long, std::vector<nlohmann::json>>> out;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("interval")) continue;
    out[j["interval"].get<std::string>()][j["open_time"].get<long long>()].push_back(j);
  }
  return out;
}

std::string metrics(int port) { return http_get(port, "/metrics").body; }

double metric(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name, 0) != 0) continue;
    const char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != ' ' && next != '{') continue;
    return std::stod(line.substr(line.rfind(' ') + 1));
  }
  return -1;
}

bool wait_for_candle(ChildProcess& tickd, const std::string& path, const std::string& interval,
                     long long open_time, std::chrono::milliseconds timeout) {
  const std::string a = "\"interval\":\"" + interval + "\"";
  const std::string b = "\"open_time\":" + std::to_string(open_time);
  return test_support::wait_until(
             [&] {
               if (!tickd.running()) return true;
               std::istringstream in(read_text(path));
               for (std::string line; std::getline(in, line);)
                 if (line.find(a) != std::string::npos && line.find(b) != std::string::npos) return true;
               return false;
             },
             timeout) &&
         tickd.running();
}

}  // namespace tickd::e2e
