// What the daemon lends every plugin host context. Implemented by the app;
// every method is called from plugin threads and must be thread-safe.
#pragma once

#include "model/market_data.hpp"
#include "model/symbol_table.hpp"

#include <tickd/types.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tickd::core {

class HostServices {
 public:
  virtual ~HostServices() = default;
  virtual const SymbolTable& symbols() const = 0;
  virtual const std::vector<std::int64_t>& interval_seconds() const = 0;
  virtual std::uint32_t history_capacity() const = 0;
  virtual bool history(SymbolId symbol, Interval interval, std::uint32_t limit,
                       std::vector<CandleData>& out) const = 0;
  // Never blocks; the signal reaches the bus on the feed thread.
  virtual void publish(Signal signal) = 0;
  virtual std::string status_json() const = 0;
  // ABI 1.2 listen_tcp for an observer's plugin instance (see ListenSockets):
  // a descriptor the caller owns, or -1 with `error` set. Hosts without the
  // service answer -1.
  virtual int listen_tcp(const std::string& observer, std::uint64_t instance, const std::string& address,
                         std::uint16_t port, std::string& error) {
    (void)observer, (void)instance, (void)address, (void)port;
    error = "this host holds no sockets";
    return -1;
  }
  // The instance is destroyed: what it acquired may be closed at the next settle.
  virtual void release_instance(std::uint64_t instance) { (void)instance; }
};

}  // namespace tickd::core
