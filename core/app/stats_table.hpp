// The daemon's status for a person at a terminal (`tickd stats`).
#pragma once

#include "app/daemon_status.hpp"

#include <string>

namespace tickd::core {

std::string render_stats_table(const DaemonStatus& status);

}  // namespace tickd::core
