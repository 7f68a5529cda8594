// An observer's `config:` block checked against the schema its plugin declares
// (ABI 1.1 config_schema), with every problem at its YAML file:line:column.
#pragma once

#include "config/config.hpp"
#include "plugin/plugin_library.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tickd::core {

// The plugin's schema, parsed; nullopt when it declares none (a 1.0 plugin, or
// one that takes its block as it comes). Throws PluginError when the plugin's
// schema is not valid JSON or is of a newer format.
std::optional<nlohmann::json> plugin_config_schema(const PluginLibrary& library);

// The block as the plugin gets it: checked and normalized (defaults filled in)
// when there is a schema, else unchanged. Problems are appended to `errors` as
// "file:line:column: message" (the result is then null).
nlohmann::json check_plugin_config(const ObserverConfig& observer, const PluginLibrary& library,
                                   std::vector<std::string>& errors);

// One observer's plugin found, loaded and its block checked, without creating
// anything: what a reload asks of a new configuration before it stops the
// running one. Every problem, at its position; none for a program observer
// (its checks are its start).
std::vector<std::string> check_observer_plugin(const ObserverConfig& observer,
                                               const std::vector<std::string>& plugin_dirs);

// What `tickd --check-config` adds to the config's own checks: each enabled
// observer's plugin is loaded (ABI check included) and its block checked,
// without creating or starting anything. Every problem, at its position.
std::vector<std::string> check_observer_plugins(const Config& config,
                                                const std::vector<std::string>& plugin_dirs);

}  // namespace tickd::core
