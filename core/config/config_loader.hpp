// YAML -> Config, with every error reported as "file:line:column: message".
#pragma once

#include "config/config.hpp"

#include <string>
#include <string_view>

namespace tickd::core {

// Parses and validates; throws ConfigError listing every problem found.
// `${NAME}` inside any string value is replaced from the environment; an unset
// variable is an error naming it.
Config load_config_file(const std::string& path);
Config load_config_text(std::string_view yaml, const std::string& source_name, const std::string& base_dir);

// config/tickd.yaml as compiled into the binary.
std::string_view embedded_default_config();

// A short human-readable summary for `tickd --check-config`.
std::string summarize(const Config& config);

}  // namespace tickd::core
