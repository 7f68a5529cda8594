#include "process/process_loader.hpp"

#include "plugin/plugin_config_check.hpp"
#include "plugin/plugin_library.hpp"
#include "plugin/plugin_locator.hpp"
#include "process/process_observer.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <cstdlib>

namespace tickd::core {

std::string default_plugin_host_program() {
  return (boost::dll::program_location().parent_path() / "tickd-plugin-host").string();
}

std::string default_child_guard_program() {
  return (boost::dll::program_location().parent_path() / "tickd-child-guard").string();
}

std::vector<std::string> child_environment(const ObserverConfig& config) {
  std::vector<std::pair<std::string, std::string>> vars;
  for (const char* name : {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"})
    if (const char* value = std::getenv(name)) vars.emplace_back(name, value);
  if (!std::getenv("PATH")) vars.emplace_back("PATH", "/usr/local/bin:/usr/bin:/bin");
  vars.emplace_back("TICKD_OBSERVER", config.name);
  for (const auto& [name, value] : config.process->env) {
    auto it = std::find_if(vars.begin(), vars.end(), [&](const auto& v) { return v.first == name; });
    if (it != vars.end())
      it->second = value;
    else
      vars.emplace_back(name, value);
  }
  std::vector<std::string> out;
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

std::unique_ptr<EventHandler> start_process(const ObserverConfig& config,
                                            const std::vector<std::string>& plugin_dirs,
                                            HostServices& services, const std::string& plugin_host_program) {
  const ProcessConfig& pc = *config.process;
  const bool isolated_plugin = pc.command.empty();
  const SourceMark& at = isolated_plugin ? config.plugin_mark : config.process_mark;
  const std::string where = at.str() + ": observer '" + config.name + "': ";

  ProcessObserverOptions options;
  options.name = config.name;
  options.config_json = config.config.dump();
  options.config_positions = config.config_positions;
  options.limits = pc;
  options.lossless = config.overflow == Overflow::block;
  options.max_failures = config.max_failures;
  options.spawn.cwd = pc.cwd;
  options.spawn.env = child_environment(config);
  options.spawn.guard_program = default_child_guard_program();
  if (isolated_plugin) {
    auto path = find_plugin(config.plugin, plugin_dirs);
    if (!path) throw PluginError(where + "unknown plugin '" + config.plugin + "'");
    // Its block is checked against the schema the .so declares before the
    // child starts, each problem at its file:line:column, and the child gets
    // it normalized (defaults in), exactly as in process. (--check-config and
    // a reload load the .so in the daemon for this too.)
    std::vector<std::string> problems;
    nlohmann::json block;
    try {
      block = check_plugin_config(config, *PluginLibrary::load(*path), problems);
    } catch (const PluginError& e) {
      throw PluginError(where + e.what());
    }
    if (!problems.empty()) {
      std::string text;
      for (const auto& p : problems) text += (text.empty() ? "" : "\n") + p;
      throw PluginError(text);
    }
    options.config_json = block.dump();
    options.spawn.program = plugin_host_program;
    options.spawn.argv = {plugin_host_program, *path};
  } else {
    std::string path_var = "/usr/local/bin:/usr/bin:/bin";
    for (const auto& var : options.spawn.env)
      if (var.rfind("PATH=", 0) == 0) path_var = var.substr(5);
    std::string error;
    auto program = resolve_program(pc.command.front(), pc.cwd, path_var, error);
    if (!program) throw PluginError(where + error);
    options.spawn.program = *program;
    options.spawn.argv = pc.command;
  }

  std::unique_ptr<ProcessObserver> observer;
  try {
    observer = std::make_unique<ProcessObserver>(std::move(options), services);
  } catch (const std::exception& e) {
    throw PluginError(where + "cannot start: " + e.what());
  }

  return observer;
}

LoadedObserver load_process_observer(const ObserverConfig& config,
                                     const std::vector<std::string>& plugin_dirs, HostServices& services,
                                     SymbolTable& symbols, ObserverWorker::ErrorReporter report,
                                     const std::string& plugin_host_program) {
  LoadedObserver out;
  out.worker = make_worker(config, start_process(config, plugin_dirs, services, plugin_host_program), symbols,
                           std::move(report));
  return out;
}

}  // namespace tickd::core
