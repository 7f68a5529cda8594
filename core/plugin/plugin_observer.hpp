// One observer backed by a plugin instance: creates and starts it, turns bus
// events into C ABI calls, and destroys it before its library can go away.
#pragma once

#include "bus/event_handler.hpp"
#include "plugin/plugin_host_api.hpp"
#include "plugin/plugin_library.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tickd::core {

// A plugin instance's ABI 1.1 metrics as ObserverMetrics (nothing from a 1.0
// plugin). Any thread, as the ABI allows; also used by tickd-plugin-host, so
// an isolated plugin's figures are converted the same way.
void collect_plugin_metrics(const tickd_plugin_api& api, tickd_plugin_instance* instance,
                            std::vector<ObserverMetric>& out) noexcept;

class PluginObserver : public EventHandler {
 public:
  // create() + start(); throws PluginError naming the observer on failure.
  PluginObserver(std::shared_ptr<PluginLibrary> library, std::unique_ptr<PluginHostApi> host);
  ~PluginObserver() override;

  bool handle(const Event& event, std::string& error) noexcept override;
  bool stop(std::string& error) noexcept override;
  void metrics(std::vector<ObserverMetric>& out) const noexcept override;

  bool can_restore() const;
  // Storage capability: the newest `limit` closed candles of a series. Any
  // thread, several at once, also while the worker handles events.
  bool restore(SymbolId symbol, Interval interval, std::uint32_t limit, std::vector<CandleData>& out,
               std::string& error);

 private:
  const tickd_plugin_api& api() const { return library_->api(); }

  std::shared_ptr<PluginLibrary> library_;  // declared first: destroyed last
  std::unique_ptr<PluginHostApi> host_;
  const SymbolTable& symbols_;  // looked up once: handle() runs per event
  tickd_plugin_instance* instance_ = nullptr;
  char error_[1024] = {};
};

}  // namespace tickd::core
