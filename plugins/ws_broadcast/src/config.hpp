// The ws_broadcast `config:` block, parsed and validated.
#pragma once

#include <tickd/config_schema.hpp>
#include <tickd/host.hpp>
#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tickd::ws {

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string default_symbol;                // default: the host's first symbol
  Interval default_interval;                 // default: 1m when configured, else the first interval
  std::string token;                         // empty: no authentication
  std::vector<std::string> allowed_origins;  // empty: any origin
  std::size_t max_connections = 10000;
  std::size_t max_message_bytes = 4096;
  double max_messages_per_second = 20;
  std::size_t soft_limit_bytes = 256 * 1024;
  std::size_t hard_limit_bytes = 4 * 1024 * 1024;
  int flush_interval_ms = 1;  // how long a burst of events may gather before the writes; 0: at once
  int io_threads = 2;         // shards accepting from one listening socket, each with its own clients
  std::string web_root;       // default: ws_broadcast_web/ next to the plugin library
  bool web_root_explicit = false;
};

// The keys of the block (the plugin's config_schema()).
ConfigSchema config_schema();

// Checks the block against config_schema() and the daemon's symbols and
// intervals. Throws std::invalid_argument naming the key and what is wrong. `symbols` and
// `intervals` are the daemon's, to check the defaults against.
Config parse_config(const nlohmann::json& json, const std::vector<std::string_view>& symbols,
                    const std::vector<Interval>& intervals);

}  // namespace tickd::ws
