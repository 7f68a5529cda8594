#include "config.hpp"

#include <tickd/config_validation.hpp>
#include <tickd/config_view.hpp>

#include <algorithm>
#include <stdexcept>

namespace tickd::ws {
namespace {

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("ws_broadcast config: '" + key + "' " + why);
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

std::vector<std::string> interval_names() {
  std::vector<std::string> out;
  for (const auto& k : Interval::known) out.emplace_back(k.name);
  return out;
}

}  // namespace

ConfigSchema config_schema() {
  namespace s = tickd::schema;
  return {
      s::string("listen", "host:port to listen on ([::1]:8080 for IPv6); loopback unless you mean it")
          .default_value("127.0.0.1:8080"),
      s::string("default_symbol", "Symbol a client gets before it subscribes; default: the first configured")
          .non_empty(),
      s::choice("default_interval", interval_names(),
                "Interval a client gets before it subscribes; default: 1m if aggregated, else the first"),
      s::string("token", "Clients must send it (?token= or Authorization: Bearer); absent: no authentication")
          .non_empty(),
      s::list("allowed_origins", s::string().non_empty(),
              "Origins browsers may connect from, like http://localhost:8080; empty: any"),
      s::integer("max_connections", "Clients at once").default_value(10000).range(1, 1000000),
      s::integer("max_message_bytes", "Largest message a client may send")
          .default_value(4096)
          .range(64, 1 << 20),
      s::number("max_messages_per_second", "Messages a client may send per second")
          .default_value(20)
          .above(0)
          .max(1e6),
      s::integer("soft_limit_bytes", "Backlog of a client above which candle updates are skipped")
          .default_value(256 * 1024)
          .range(1024, std::int64_t(1) << 32),
      s::integer("hard_limit_bytes", "Backlog of a client above which it is disconnected")
          .default_value(4 * 1024 * 1024)
          .range(4096, std::int64_t(1) << 34),
      s::duration("flush_interval", "How long a burst of events may gather before the writes; 0: at once")
          .default_value("1ms")
          .range("0s", "1s"),
      s::integer("io_threads",
                 "Io threads taking connections from the one listening socket, each with its own clients")
          .default_value(2)
          .range(1, 64),
      s::string("web_root", "Folder of the chart page; default: ws_broadcast_web/ next to the plugin")
          .non_empty(),
  };
}

Config parse_config(const nlohmann::json& json, const std::vector<std::string_view>& symbols,
                    const std::vector<Interval>& intervals) {
  auto checked = validate_config(config_schema().to_json(), json);
  if (!checked.ok()) throw std::invalid_argument("ws_broadcast " + checked.summary());
  const ConfigView v(std::move(checked.value));

  Config c;
  parse_listen(v.string("listen"), c);

  if (symbols.empty())
    throw std::invalid_argument(
        "ws_broadcast: the daemon has no symbols (the chart serves the symbols known at start; a nats "
        "edge taking every symbol, symbols: [\"*\"], must list them instead)");
  if (intervals.empty()) throw std::invalid_argument("ws_broadcast: the daemon has no intervals");
  c.default_symbol = v.has("default_symbol") ? v.string("default_symbol") : std::string(symbols.front());
  if (std::find(symbols.begin(), symbols.end(), c.default_symbol) == symbols.end())
    fail("default_symbol", "is '" + c.default_symbol + "', not a configured symbol (" + join(symbols) + ")");

  if (v.has("default_interval")) {
    const auto name = v.string("default_interval");
    c.default_interval = *Interval::parse(name);
    if (std::find(intervals.begin(), intervals.end(), c.default_interval) == intervals.end())
      fail("default_interval", "'" + name + "' is not one of the aggregator's intervals");
  } else {
    auto one_minute = Interval::parse("1m");
    bool has = std::find(intervals.begin(), intervals.end(), *one_minute) != intervals.end();
    c.default_interval = has ? *one_minute : intervals.front();
  }

  if (v.has("token")) c.token = v.string("token");
  c.allowed_origins = v.strings("allowed_origins");
  c.max_connections = static_cast<std::size_t>(v.integer("max_connections"));
  c.max_message_bytes = static_cast<std::size_t>(v.integer("max_message_bytes"));
  c.max_messages_per_second = v.number("max_messages_per_second");
  c.soft_limit_bytes = static_cast<std::size_t>(v.integer("soft_limit_bytes"));
  c.hard_limit_bytes = static_cast<std::size_t>(v.integer("hard_limit_bytes"));
  if (c.hard_limit_bytes <= c.soft_limit_bytes)
    fail("hard_limit_bytes",
         "must be greater than soft_limit_bytes (" + std::to_string(c.soft_limit_bytes) + ")");
  c.io_threads = static_cast<int>(v.integer("io_threads"));
  c.flush_interval_ms = static_cast<int>(v.duration("flush_interval").count());
  if (v.has("web_root")) {
    c.web_root = v.string("web_root");
    c.web_root_explicit = true;
  }
  return c;
}

}  // namespace tickd::ws
