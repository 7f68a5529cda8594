// N WebSocket clients on plain non-blocking sockets and epoll, spread over a
// few threads. Deliberately lean (one recv per readable socket, frames parsed
// in place, counters merged once per wake-up): on two shared cores every cycle
// the tool spends is one the server under test does not get.
#pragma once

#include "latency_histogram.hpp"
#include "load_options.hpp"
#include "trade_feed.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tickd::bench {

struct PoolSnapshot {
  std::uint64_t messages = 0;  // candle messages received
  LatencyHistogram latency;    // tick sent by the feed -> candle update received
  // The daemon publishing the update (its "ts", wall clock) -> received: what
  // is left of the above when an update throttle holds a tick back on purpose.
  LatencyHistogram publish_latency;
  // publish_latency split by when the update was published: in the first
  // 100 ms of a second (when every symbol's 1s candle closes at once) or after.
  LatencyHistogram publish_second_start;
  LatencyHistogram publish_mid_second;
  int connected = 0;
  int closed = 0;  // by the server after opening (e.g. 1013 too slow)
  int failed = 0;  // handshake refused or connect error

  // Messages and latencies: what accumulates over time (connection counts do not).
  void add_traffic(const PoolSnapshot& o) {
    messages += o.messages;
    latency.merge(o.latency);
    publish_latency.merge(o.publish_latency);
    publish_second_start.merge(o.publish_second_start);
    publish_mid_second.merge(o.publish_mid_second);
  }
  void clear_traffic() {
    messages = 0;
    latency.clear();
    publish_latency.clear();
    publish_second_start.clear();
    publish_mid_second.clear();
  }
};

class ClientPool {
 public:
  // subscriptions[i] is the JSON message client i sends once open.
  ClientPool(const LoadOptions& options, const TradeFeed& feed, std::vector<std::string> subscriptions);
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
