// ObserverConfig with `process:` (or `isolation: process`) -> a running
// ObserverWorker over a ProcessObserver.
#pragma once

#include "bus/observer_worker.hpp"
#include "config/config.hpp"
#include "plugin/host_services.hpp"
#include "plugin/observer_loader.hpp"

#include <string>
#include <vector>

namespace tickd::core {

// tickd-plugin-host beside the running executable: the program that runs an
// isolated plugin.
std::string default_plugin_host_program();
// tickd-child-guard beside the running executable: started with every child,
// it kills the child's group when the daemon dies.
std::string default_child_guard_program();

// The child's environment: PATH, HOME, LANG, LC_ALL, TZ and TMPDIR from the
// daemon's (nothing else of it, so secrets stay in the daemon unless named),
// TICKD_OBSERVER, then the configured `env`.
std::vector<std::string> child_environment(const ObserverConfig& config);

// The child process of `config`, started: the handler of its worker. Throws
// PluginError "file:line:column: observer 'name': <cause>" when the program
// cannot be found or its first start fails (with its stderr's end).
std::unique_ptr<EventHandler> start_process(
    const ObserverConfig& config, const std::vector<std::string>& plugin_dirs, HostServices& services,
    const std::string& plugin_host_program = default_plugin_host_program());

// start_process() in a worker (not started).
LoadedObserver load_process_observer(const ObserverConfig& config,
                                     const std::vector<std::string>& plugin_dirs, HostServices& services,
                                     SymbolTable& symbols, ObserverWorker::ErrorReporter report,
                                     const std::string& plugin_host_program = default_plugin_host_program());

}  // namespace tickd::core
