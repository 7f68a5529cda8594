// ObserverConfig -> a running ObserverWorker over a loaded plugin.
#pragma once

#include "bus/observer_worker.hpp"
#include "config/config.hpp"
#include "plugin/host_services.hpp"
#include "plugin/plugin_observer.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tickd::core {

struct LoadedObserver {
  std::unique_ptr<ObserverWorker> worker;  // not started yet
  PluginObserver* plugin = nullptr;        // owned by the worker
};

// A worker for the observer's bus settings (events, symbols, intervals,
// queue, overflow, max_failures) over `handler`; null `handler`: a pending
// worker (ObserverWorker::pending). Not started.
std::unique_ptr<ObserverWorker> make_worker(const ObserverConfig& config,
                                            std::unique_ptr<EventHandler> handler, SymbolTable& symbols,
                                            ObserverWorker::ErrorReporter report);

// The plugin instance of `config`, created and started: the handler of its
// worker. Throws PluginError like load_observer.
std::unique_ptr<PluginObserver> start_plugin(const ObserverConfig& config,
                                             const std::vector<std::string>& plugin_dirs,
                                             HostServices& services);

// Finds the plugin in `plugin_dirs`, loads it, checks the `config:` block
// against the plugin's schema, creates and starts the instance. Throws
// PluginError "file:line:column: observer 'name': <cause>" (one line per
// config problem, each at its own position); an unknown plugin lists what the
// folders do contain.
LoadedObserver load_observer(const ObserverConfig& config, const std::vector<std::string>& plugin_dirs,
                             HostServices& services, SymbolTable& symbols,
                             ObserverWorker::ErrorReporter report);

// True when the observer's plugin can restore history (a store), found without
// creating an instance; false also when it cannot be loaded (load_observer
// then reports why).
bool restores_history(const ObserverConfig& config, const std::vector<std::string>& plugin_dirs);

}  // namespace tickd::core
