// The daemon's status in Prometheus text format (version 0.0.4): every family
// once with its HELP and TYPE lines, its samples together; the plugins' own
// figures as tickd_plugin_<name>{observer="...",<label>}.
#pragma once

#include "app/daemon_status.hpp"

#include <string>

namespace tickd::core {

std::string render_prometheus(const DaemonStatus& status);

// A plugin's metric or label name made valid for Prometheus: characters outside
// [a-zA-Z0-9_] become '_', and a leading digit gets a '_' in front.
std::string prometheus_name(const std::string& name);

}  // namespace tickd::core
