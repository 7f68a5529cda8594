// History warm-up from a store at start-up: several series restored at once,
// under one overall deadline, so a slow or silent database delays start-up by
// the deadline at most. Series restored in time are applied; the rest are left
// empty and the log says how many.
//
// A thread still inside the store's restore() at the deadline is left to
// finish it (restore cannot be interrupted); join() waits for those, and must
// run before the store is stopped.
#pragma once

#include "aggregate/aggregator.hpp"
#include "plugin/plugin_observer.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace tickd::core {

struct WarmupOutcome {
  std::size_t series = 0;    // asked for
  std::size_t restored = 0;  // restored in time (possibly empty)
  std::size_t failed = 0;    // the store reported an error
  std::size_t candles = 0;
  bool timed_out = false;
};

class HistoryWarmup {
 public:
  HistoryWarmup(PluginObserver& store, std::string store_name, std::uint32_t limit, unsigned threads = 4);
  ~HistoryWarmup();  // join()
  HistoryWarmup(const HistoryWarmup&) = delete;
  HistoryWarmup& operator=(const HistoryWarmup&) = delete;

  // Restores every (symbol, interval) into the aggregator (on this thread, so
  // before the feed starts), waiting for the store until `deadline`.
  WarmupOutcome run(const SymbolTable& symbols, const std::vector<Interval>& intervals,
                    Aggregator& aggregator, std::chrono::steady_clock::time_point deadline);
  // Waits for the threads still inside the store.
  void join();

 private:
  struct State;
  PluginObserver& store_;
  std::string name_;
  std::uint32_t limit_;
  unsigned threads_;
  std::shared_ptr<State> state_;
  std::vector<std::thread> workers_;
};

}  // namespace tickd::core
