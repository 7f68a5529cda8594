#include "plugin/plugin_config_check.hpp"

#include "plugin/plugin_locator.hpp"

#include <tickd/config_schema.hpp>
#include <tickd/config_validation.hpp>

#include <cstddef>

namespace tickd::core {

std::optional<nlohmann::json> plugin_config_schema(const PluginLibrary& library) {
  const tickd_plugin_api& api = library.api();
  // A 1.0 plugin's table ends before the field.
  if (api.struct_size < offsetof(tickd_plugin_api, config_schema) + sizeof(api.config_schema) ||
      api.config_schema == nullptr)
    return std::nullopt;
  auto schema = nlohmann::json::parse(api.config_schema, nullptr, false);
  if (schema.is_discarded() || !schema.is_object())
    throw PluginError(library.path() + ": the plugin's config schema is not a JSON object (a plugin bug)");
  const int format = schema.value("tickd_config_schema", kConfigSchemaFormat);
  if (format > kConfigSchemaFormat)
    throw PluginError(library.path() + ": the plugin's config schema has format " + std::to_string(format) +
                      ", this tickd reads format " + std::to_string(kConfigSchemaFormat));
  return schema;
}

nlohmann::json check_plugin_config(const ObserverConfig& observer, const PluginLibrary& library,
                                   std::vector<std::string>& errors) {
  std::optional<nlohmann::json> schema;
  try {
    schema = plugin_config_schema(library);
  } catch (const PluginError& e) {
    errors.push_back(observer.plugin_mark.str() + ": observer '" + observer.name + "': " + e.what());
    return nullptr;
  }
  if (!schema) return observer.config;
  auto checked = validate_config(*schema, observer.config, observer.config_path);
  for (const auto& problem : checked.problems)
    errors.push_back(observer.config_positions.at(problem.pointer, problem.at_key).str() + ": " +
                     problem.message);
  return checked.value;
}

std::vector<std::string> check_observer_plugin(const ObserverConfig& observer,
                                               const std::vector<std::string>& plugin_dirs) {
  std::vector<std::string> errors;
  if (observer.runs_as_process() && !observer.process->command.empty()) return errors;
  auto path = find_plugin(observer.plugin, plugin_dirs);
  if (!path) {
    errors.push_back(observer.plugin_mark.str() + ": observer '" + observer.name + "': unknown plugin '" +
                     observer.plugin + "'");
    return errors;
  }
  try {
    auto library = PluginLibrary::load(*path);
    check_plugin_config(observer, *library, errors);
  } catch (const PluginError& e) {
    errors.push_back(observer.plugin_mark.str() + ": observer '" + observer.name + "': " + e.what());
  }
  return errors;
}

std::vector<std::string> check_observer_plugins(const Config& config,
                                                const std::vector<std::string>& plugin_dirs) {
  std::vector<std::string> errors;
  for (const auto& observer : config.observers) {
    // An unknown plugin is reported with the rest of the configuration.
    if (!observer.enabled || !find_plugin(observer.plugin, plugin_dirs)) continue;
    const auto found = check_observer_plugin(observer, plugin_dirs);
    errors.insert(errors.end(), found.begin(), found.end());
  }
  return errors;
}

}  // namespace tickd::core
