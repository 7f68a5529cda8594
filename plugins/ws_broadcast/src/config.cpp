#include "config.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace tickd::ws {
namespace {

const std::set<std::string> kKnownKeys = {
    "listen",           "default_symbol",   "default_interval",  "token",
    "allowed_origins",  "max_connections",  "max_message_bytes", "max_messages_per_second",
    "soft_limit_bytes", "hard_limit_bytes", "flush_interval_ms", "io_threads",
    "web_root"};

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("ws_broadcast config: '" + key + "' " + why);
}

std::string get_string(const nlohmann::json& j, const std::string& key) {
  const auto& v = j.at(key);
  if (!v.is_string()) fail(key, "must be a string");
  return v.get<std::string>();
}

std::uint64_t get_count(const nlohmann::json& j, const std::string& key, std::uint64_t min,
                        std::uint64_t max) {
  const auto& v = j.at(key);
  if (!v.is_number_integer() && !v.is_number_unsigned()) fail(key, "must be an integer");
  if (v.is_number_integer() && v.get<std::int64_t>() < 0) fail(key, "must not be negative");
  auto n = v.get<std::uint64_t>();
  if (n < min || n > max) fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return n;
}

void parse_listen(const std::string& text, Config& out) {
  std::string host;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      fail("listen", "must look like 127.0.0.1:8080 or [::1]:8080, got '" + text + "'");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
      fail("listen", "must look like 127.0.0.1:8080 or [::1]:8080, got '" + text + "'");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit))
    fail("listen", "has an invalid port in '" + text + "'");
  auto p = std::stoul(port);
  if (p > 65535) fail("listen", "has an invalid port in '" + text + "'");
  out.listen_host = host;
  out.listen_port = static_cast<std::uint16_t>(p);
}

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (auto s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

}  // namespace

Config parse_config(const nlohmann::json& json, const std::vector<std::string_view>& symbols,
                    const std::vector<Interval>& intervals) {
  if (!json.is_object()) throw std::invalid_argument("ws_broadcast config: must be a mapping");
  for (const auto& item : json.items())
    if (!kKnownKeys.count(item.key()))
      fail(item.key(),
           "is not a known key (known: listen, default_symbol, default_interval, token, "
           "allowed_origins, max_connections, max_message_bytes, max_messages_per_second, "
           "soft_limit_bytes, hard_limit_bytes, flush_interval_ms, io_threads, web_root)");

  Config c;
  if (json.contains("listen")) parse_listen(get_string(json, "listen"), c);

  if (symbols.empty()) throw std::invalid_argument("ws_broadcast: the daemon has no symbols");
  if (intervals.empty()) throw std::invalid_argument("ws_broadcast: the daemon has no intervals");
  c.default_symbol =
      json.contains("default_symbol") ? get_string(json, "default_symbol") : std::string(symbols.front());
  if (std::find(symbols.begin(), symbols.end(), c.default_symbol) == symbols.end())
    fail("default_symbol", "is '" + c.default_symbol + "', not a configured symbol (" + join(symbols) + ")");

  if (json.contains("default_interval")) {
    auto name = get_string(json, "default_interval");
    auto iv = Interval::parse(name);
    if (!iv) fail("default_interval", "'" + name + "' is not an interval (" + Interval::valid_names() + ")");
    if (std::find(intervals.begin(), intervals.end(), *iv) == intervals.end())
      fail("default_interval", "'" + name + "' is not one of the aggregator's intervals");
    c.default_interval = *iv;
  } else {
    auto one_minute = Interval::parse("1m");
    bool has = std::find(intervals.begin(), intervals.end(), *one_minute) != intervals.end();
    c.default_interval = has ? *one_minute : intervals.front();
  }

  if (json.contains("token")) {
    c.token = get_string(json, "token");
    if (c.token.empty()) fail("token", "must not be empty (leave it out to disable authentication)");
  }
  if (json.contains("allowed_origins")) {
    const auto& v = json.at("allowed_origins");
    if (!v.is_array()) fail("allowed_origins", "must be a list of origins like http://localhost:8080");
    for (const auto& o : v) {
      if (!o.is_string() || o.get<std::string>().empty())
        fail("allowed_origins", "must contain only non-empty strings");
      c.allowed_origins.push_back(o.get<std::string>());
    }
  }
  if (json.contains("max_connections")) c.max_connections = get_count(json, "max_connections", 1, 1000000);
  if (json.contains("max_message_bytes"))
    c.max_message_bytes = get_count(json, "max_message_bytes", 64, 1 << 20);
  if (json.contains("max_messages_per_second")) {
    const auto& v = json.at("max_messages_per_second");
    if (!v.is_number() || v.get<double>() <= 0 || v.get<double>() > 1e6)
      fail("max_messages_per_second", "must be a number above 0 and at most 1000000");
    c.max_messages_per_second = v.get<double>();
  }
  if (json.contains("soft_limit_bytes"))
    c.soft_limit_bytes = get_count(json, "soft_limit_bytes", 1024, std::uint64_t(1) << 32);
  if (json.contains("hard_limit_bytes"))
    c.hard_limit_bytes = get_count(json, "hard_limit_bytes", 4096, std::uint64_t(1) << 34);
  if (c.hard_limit_bytes <= c.soft_limit_bytes)
    fail("hard_limit_bytes",
         "must be greater than soft_limit_bytes (" + std::to_string(c.soft_limit_bytes) + ")");
  if (json.contains("io_threads")) c.io_threads = static_cast<int>(get_count(json, "io_threads", 1, 64));
  if (json.contains("flush_interval_ms"))
    c.flush_interval_ms = static_cast<int>(get_count(json, "flush_interval_ms", 0, 1000));
  if (json.contains("web_root")) {
    c.web_root = get_string(json, "web_root");
    if (c.web_root.empty()) fail("web_root", "must not be empty");
    c.web_root_explicit = true;
  }
  return c;
}

}  // namespace tickd::ws
