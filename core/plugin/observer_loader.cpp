#include "plugin/observer_loader.hpp"

#include "plugin/plugin_config_check.hpp"
#include "plugin/plugin_locator.hpp"

#include <cstddef>
#include <filesystem>

namespace tickd::core {

namespace {
std::string available_plugins(const std::vector<std::string>& dirs) {
  std::string out;
  for (const auto& file : list_plugin_files(dirs)) {
    std::string stem = std::filesystem::path(file).stem().string();
    if (!out.empty()) out += ", ";
    out += stem.substr(6);  // without "tickd_"
  }
  return out.empty() ? "none" : out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}
}  // namespace

bool restores_history(const ObserverConfig& config, const std::vector<std::string>& plugin_dirs) {
  auto path = find_plugin(config.plugin, plugin_dirs);
  if (!path) return false;
  try {
    auto library = PluginLibrary::load(*path);  // held while its table is read
    const tickd_plugin_api& api = library->api();
    return api.struct_size >= offsetof(tickd_plugin_api, restore) + sizeof(api.restore) && api.restore;
  } catch (const PluginError&) {
    return false;
  }
}

std::unique_ptr<ObserverWorker> make_worker(const ObserverConfig& config,
                                            std::unique_ptr<EventHandler> handler, SymbolTable& symbols,
                                            ObserverWorker::ErrorReporter report) {
  std::vector<SymbolId> symbol_ids;
  for (const auto& s : config.symbols)
    if (auto id = symbols.intern(s)) symbol_ids.push_back(*id);
  ObserverFilter filter(config.events, std::move(symbol_ids), config.intervals);
  const Overflow overflow = config.overflow;
  return std::make_unique<ObserverWorker>(config.name, std::move(handler), std::move(filter), config.queue,
                                          overflow, config.max_failures, std::move(report));
}

std::unique_ptr<PluginObserver> start_plugin(const ObserverConfig& config,
                                             const std::vector<std::string>& plugin_dirs,
                                             HostServices& services) {
  const std::string where = config.plugin_mark.str() + ": observer '" + config.name + "': ";
  auto path = find_plugin(config.plugin, plugin_dirs);
  if (!path)
    throw PluginError(where + "unknown plugin '" + config.plugin + "' (searched " + joined(plugin_dirs) +
                      "; available: " + available_plugins(plugin_dirs) + ")");
  std::shared_ptr<PluginLibrary> library;
  try {
    library = PluginLibrary::load(*path);
  } catch (const PluginError& e) {
    throw PluginError(where + e.what());
  }
  std::vector<std::string> problems;
  const nlohmann::json block = check_plugin_config(config, *library, problems);
  if (!problems.empty()) {
    std::string text;
    for (const auto& p : problems) text += (text.empty() ? "" : "\n") + p;
    throw PluginError(text);
  }
  auto host = std::make_unique<PluginHostApi>(config.name, block.dump(), services,
                                              config.overflow == Overflow::block);
  try {
    return std::make_unique<PluginObserver>(library, std::move(host));
  } catch (const PluginError& e) {
    throw PluginError(config.mark.str() + ": " + e.what());
  }
}

LoadedObserver load_observer(const ObserverConfig& config, const std::vector<std::string>& plugin_dirs,
                             HostServices& services, SymbolTable& symbols,
                             ObserverWorker::ErrorReporter report) {
  auto plugin = start_plugin(config, plugin_dirs, services);
  LoadedObserver out;
  out.plugin = plugin.get();
  out.worker = make_worker(config, std::move(plugin), symbols, std::move(report));
  return out;
}

}  // namespace tickd::core
