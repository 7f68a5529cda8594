// The json_snapshot observer's configuration (the one place that reads it).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace tickd::json_snapshot {

struct SnapshotConfig {
  std::string path;         // the snapshot of every series
  std::string symbols_dir;  // empty: no per-symbol files
  std::int64_t every_ms = 1000;
  bool pretty = false;
};

// Throws std::invalid_argument naming the key.
SnapshotConfig parse_snapshot_config(const nlohmann::json& config);

}  // namespace tickd::json_snapshot
