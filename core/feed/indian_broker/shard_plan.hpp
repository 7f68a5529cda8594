// How many instruments each WebSocket connection of a broker feed carries:
// as few connections as the per-connection limit allows, filled evenly (so a
// reconnect resubscribes and backfills about the same share each time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tickd::core {

// Connections needed for `instruments` at `per_connection` each (at least one).
inline std::size_t connections_needed(std::size_t instruments, std::uint32_t per_connection) {
  if (per_connection == 0 || instruments == 0) return 1;
  return (instruments + per_connection - 1) / per_connection;
}

// The instrument count of each connection; empty when more than
// `max_connections` would be needed.
inline std::vector<std::size_t> shard_sizes(std::size_t instruments, std::uint32_t per_connection,
                                            std::uint32_t max_connections) {
  const std::size_t n = connections_needed(instruments, per_connection);
  if (n > max_connections) return {};
  std::vector<std::size_t> sizes(n, instruments / n);
  for (std::size_t i = 0; i < instruments % n; ++i) ++sizes[i];
  return sizes;
}

}  // namespace tickd::core
