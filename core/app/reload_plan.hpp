// What a SIGHUP changes: which observers start, stop or restart. A pure
// function of the old and the new observer lists, so it is tested alone.
#pragma once

#include "config/config.hpp"

#include <string>
#include <vector>

namespace tickd::core {

struct ReloadPlan {
  std::vector<std::string> stop;     // removed, or switched to enabled: false
  std::vector<std::string> start;    // new, or switched to enabled: true
  std::vector<std::string> restart;  // still enabled, but its entry changed
  std::vector<std::string> keep;     // untouched
};

// Marks (file positions) do not count as a change; everything else does.
bool same_observer(const ObserverConfig& a, const ObserverConfig& b);

// A short fingerprint (8 hex digits) of what same_observer compares: /health
// shows it per observer, so an operator sees whether a reload took effect.
std::string observer_config_digest(const ObserverConfig& o);

ReloadPlan plan_reload(const std::vector<ObserverConfig>& running, const std::vector<ObserverConfig>& wanted);

}  // namespace tickd::core
