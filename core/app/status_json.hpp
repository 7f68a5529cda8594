// DaemonStatus <-> the JSON of /health. Reading is strict: a missing or
// mistyped key throws StatusFormatError naming its path ("feed.ticks"), so a
// figure renamed on one side can never read as zero on the other.
#pragma once

#include "app/daemon_status.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace tickd::core {

struct StatusFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

nlohmann::json status_to_json(const DaemonStatus& status);
DaemonStatus status_from_json(const nlohmann::json& json);

}  // namespace tickd::core
