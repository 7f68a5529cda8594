// Where plugins are looked for: the configured folders only.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tickd::core {

// The folders used when the config names none: ../plugins (build tree) and
// ../lib/tickd/plugins (installed tree), relative to the running executable.
std::vector<std::string> default_plugin_dirs();

// `plugin` is a name ("logger" -> tickd_logger.so) or a file name ending in
// .so. A path with a '/' is refused: plugins load only from plugin_dirs.
std::optional<std::string> find_plugin(const std::string& plugin, const std::vector<std::string>& dirs);

// Every tickd_*.so in the folders, first folder winning for a repeated name.
std::vector<std::string> list_plugin_files(const std::vector<std::string>& dirs);

}  // namespace tickd::core
