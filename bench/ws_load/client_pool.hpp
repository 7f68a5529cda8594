// N WebSocket clients spread over a few io threads, each with its own
// websocketpp endpoint; counts delivered candle messages and their latency.
#pragma once

#include "latency_histogram.hpp"
#include "load_options.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tickd::bench {

struct PoolSnapshot {
  std::uint64_t messages = 0;
  LatencyHistogram latency;
  int connected = 0;
  int closed = 0;  // by the server after opening (e.g. 1013 too slow)
  int failed = 0;  // handshake refused or connect error
};

class ClientPool {
 public:
  // subscriptions[i] is the JSON message client i sends once open.
  ClientPool(const LoadOptions& options, std::vector<std::string> subscriptions);
  ~ClientPool();
  void start();
  void stop();
  // Messages and latencies since the previous call, plus connection counts.
  PoolSnapshot take();

 private:
  struct Worker;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace tickd::bench
