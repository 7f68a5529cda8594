// A plugin's config block as the daemon treats it, for unit tests: checked
// against the plugin's schema and read, or handed to start() to see what it
// reports (what `tickd --check-config` and the daemon's start say too).
#pragma once

#include <tickd/testing/fake_host.hpp>

#include <nlohmann/json.hpp>

#include <exception>
#include <string>

namespace tickd::test_support {

// The block checked against `schema` (defaults filled in); throws
// std::invalid_argument with every problem, as Host::config_view does.
inline ConfigView checked_config(const ConfigSchema& schema, const nlohmann::json& config) {
  testing::FakeHost host("test", config);
  return host.host().config_view(schema);
}

// What start() throws for `config`, or "started" (then the plugin is stopped).
template <class Plugin>
std::string start_error(const nlohmann::json& config) {
  testing::FakeHost host("test", config);
  Plugin plugin;
  try {
    plugin.start(host.host());
  } catch (const std::exception& e) {
    return e.what();
  }
  plugin.stop();
  return "started";
}

}  // namespace tickd::test_support
