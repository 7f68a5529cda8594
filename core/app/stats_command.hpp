// `tickd stats`: asks a running daemon's admin endpoint for its figures and
// prints them for a person at a terminal.
#pragma once

#include <string>

namespace tickd::core {

// Returns the exit code: 0, or 1 when the daemon cannot be reached.
int print_stats(const std::string& admin_address);

}  // namespace tickd::core
