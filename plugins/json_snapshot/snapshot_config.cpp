#include "snapshot_config.hpp"

#include <filesystem>
#include <stdexcept>

namespace tickd::json_snapshot {

ConfigSchema snapshot_config_schema() {
  namespace s = tickd::schema;
  return {
      s::string("path", "The snapshot file, replaced atomically; its folder must exist")
          .required()
          .non_empty(),
      s::duration("every", "How often the file is written").default_value("1s").range("10ms", "1d"),
      s::string("symbols_dir", "Folder for one file per symbol, written when it changed; empty: none")
          .default_value(""),
      s::boolean("pretty", "Indented JSON, for people").default_value(false),
  };
}

SnapshotConfig read_snapshot_config(const ConfigView& config) {
  auto fail = [&](const std::string& key, const std::string& what) {
    throw std::invalid_argument("'" + config.path() + "." + key + "' " + what);
  };
  SnapshotConfig c;
  c.path = config.string("path");
  if (c.path.back() == '/') fail("path", "must name a file, got '" + c.path + "'");
  c.symbols_dir = config.string("symbols_dir");
  c.every_ms = config.duration("every").count();
  c.pretty = config.boolean("pretty");
  const auto parent = std::filesystem::path(c.path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent))
    fail("path", "is in folder '" + parent.string() + "', which does not exist");
  if (!c.symbols_dir.empty() && !std::filesystem::is_directory(c.symbols_dir))
    fail("symbols_dir", "names folder '" + c.symbols_dir + "', which does not exist");
  return c;
}

}  // namespace tickd::json_snapshot
