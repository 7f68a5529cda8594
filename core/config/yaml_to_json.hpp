// Free-form YAML (an observer's `config:` block) as JSON for the plugin.
#pragma once

#include "config/yaml_reader.hpp"

#include <nlohmann/json.hpp>

namespace tickd::core {

// Mappings become objects, sequences arrays. Plain scalars are typed the way
// YAML 1.2's core schema does (null, true/false, integers, floats, else a
// string); quoted scalars are always strings. `${NAME}` is substituted in every
// string, and a scalar holding a reference stays a string whatever its value,
// so that a secret such as a numeric password never changes type.
// With `positions`, records where each value and key is, by JSON pointer below
// `pointer`.
nlohmann::json yaml_to_json(ErrorCollector& errors, const Field& field, ConfigPositions* positions = nullptr,
                            const std::string& pointer = "");

}  // namespace tickd::core
