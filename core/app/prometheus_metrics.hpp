// The daemon's status (HostServices::status_json) in Prometheus text format.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace tickd::core {

std::string render_prometheus(const nlohmann::json& status);

// The same figures for a person at a terminal (`tickd stats`).
std::string render_stats_table(const nlohmann::json& status);

}  // namespace tickd::core
