// Real observers for benchmarks: the no-op plugin loaded through the plugin
// host, behind real workers and queues.
#pragma once

#include "bus/dispatcher.hpp"
#include "plugin/observer_loader.hpp"

#include <thread>

namespace tickd::bench {

using namespace tickd::core;

class BenchServices : public HostServices {
 public:
  const SymbolTable& symbols() const override { return symbols_; }
  const std::vector<std::int64_t>& interval_seconds() const override { return intervals_; }
  std::uint32_t history_capacity() const override { return 0; }
  bool history(SymbolId, Interval, std::uint32_t, std::vector<CandleData>&) const override { return false; }
  void publish(Signal) override {}
  std::string status_json() const override { return "{}"; }

  SymbolTable symbols_;
  std::vector<std::int64_t> intervals_;
};

inline void add_noop_observers(Dispatcher& d, BenchServices& services, int count, Overflow overflow) {
  for (int i = 0; i < count; ++i) {
    ObserverConfig oc;
    oc.name = "noop" + std::to_string(i);
    oc.plugin = "bench_noop";
    oc.overflow = overflow;
    oc.queue = 1 << 16;
    d.add(load_observer(oc, {TICKD_BENCH_PLUGIN_DIR}, services, services.symbols_, nullptr).worker);
  }
}

// Waits until every observer has taken everything it was given.
inline void drain(const Dispatcher& d) {
  while (!d.drained()) std::this_thread::yield();
}

}  // namespace tickd::bench
