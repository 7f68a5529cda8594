// The bus's view of an observer: something that takes events one at a time.
// The plugin host implements it on top of a loaded plugin.
#pragma once

#include "bus/event.hpp"

#include <string>
#include <vector>

namespace tickd::core {

// A figure an observer reports about itself (plugin-reported through the ABI,
// or the host's own for a child process), rendered by /health and /metrics.
struct ObserverMetric {
  std::string name;  // [a-z][a-z0-9_]*
  std::string help;
  bool counter = true;  // false: gauge
  // On a counter: records lost, added into the observer's `lost`. On a gauge:
  // records held and not yet safe (a buffer), lost only if the host abandons
  // the observer at the shutdown deadline.
  bool loss = false;
  double value = 0;
  std::string label_name;  // empty when unlabelled
  std::string label_value;
};

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  // Called on the observer's worker thread. Returns false with `error` set when
  // the observer reported a failure; must not throw.
  virtual bool handle(const Event& event, std::string& error) noexcept = 0;
  // Called on the worker thread after a batch of handle() calls, before the
  // worker waits for more: a handler that buffers (a child process's pipe)
  // sends what it holds here, so a burst costs one write, not one per event.
  virtual void flush() noexcept {}
  // Called once on the worker thread after the last event.
  virtual bool stop(std::string& error) noexcept = 0;
  // Any thread, concurrently with handle(): appends the observer's own figures.
  virtual void metrics(std::vector<ObserverMetric>& out) const noexcept { (void)out; }
  // Any thread: why the handler gave up by itself (a child process suspended
  // after faults, or whose config is wrong), shown in /health; empty while it
  // works. Its handle() then fails every event.
  virtual std::string suspended_reason() const { return {}; }
};

}  // namespace tickd::core
