// BrokerConnectionConfig (from the YAML) -> WsConnectionOptions.
#pragma once

#include "config/config.hpp"
#include "feed/connection/ws_connection.hpp"

namespace tickd::core {

inline WsConnectionOptions connection_options(std::string name, const BrokerConnectionConfig& c) {
  WsConnectionOptions o;
  o.name = std::move(name);
  o.url = c.url;
  o.ca_file = c.ca_file;
  o.verify = c.verify;
  o.max_message_bytes = static_cast<std::size_t>(c.max_message_bytes);
  o.stale_after_ms = c.stale_after_ms;
  o.reconnect_initial_ms = c.reconnect_initial_ms;
  o.reconnect_max_ms = c.reconnect_max_ms;
  return o;
}

}  // namespace tickd::core
