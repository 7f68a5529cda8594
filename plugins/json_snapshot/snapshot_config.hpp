// The json_snapshot observer's `config:` block: its declared keys (`tickd
// --describe-plugin json_snapshot`) and the settings read from them.
#pragma once

#include <tickd/config_schema.hpp>
#include <tickd/config_view.hpp>

#include <cstdint>
#include <string>

namespace tickd::json_snapshot {

struct SnapshotConfig {
  std::string path;         // the snapshot of every series
  std::string symbols_dir;  // empty: no per-symbol files
  std::int64_t every_ms = 1000;
  bool pretty = false;
};

ConfigSchema snapshot_config_schema();

// From a block checked against snapshot_config_schema(); throws
// std::invalid_argument naming the key when a folder is missing.
SnapshotConfig read_snapshot_config(const ConfigView& config);

}  // namespace tickd::json_snapshot
