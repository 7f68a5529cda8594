#include "snapshot_config.hpp"

#include "alert_common/config_reader.hpp"

#include <filesystem>

namespace tickd::json_snapshot {

SnapshotConfig parse_snapshot_config(const nlohmann::json& config) {
  alerts::ConfigReader r(config, "");
  r.only_keys({"path", "symbols_dir", "every", "pretty"});
  SnapshotConfig c;
  c.path = r.string("path");
  if (c.path.empty() || c.path.back() == '/') r.fail("'path' must name a file, got '" + c.path + "'");
  c.symbols_dir = r.string("symbols_dir", std::string());
  c.every_ms = r.duration("every", c.every_ms);
  if (c.every_ms < 10) r.fail("'every' must be at least 10ms");
  c.pretty = r.boolean("pretty", c.pretty);
  const auto parent = std::filesystem::path(c.path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent))
    r.fail("'path': folder '" + parent.string() + "' does not exist");
  if (!c.symbols_dir.empty() && !std::filesystem::is_directory(c.symbols_dir))
    r.fail("'symbols_dir': folder '" + c.symbols_dir + "' does not exist");
  return c;
}

}  // namespace tickd::json_snapshot
