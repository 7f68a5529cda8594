// The tickd command line: run, --check-config, --list-plugins, --version.
#pragma once

namespace tickd::core {

// Returns the process exit code.
int run_command_line(int argc, char** argv);

}  // namespace tickd::core
