#include "app/reload_plan.hpp"

#include <algorithm>

namespace tickd::core {

namespace {
const ObserverConfig* find(const std::vector<ObserverConfig>& list, const std::string& name) {
  auto it = std::find_if(list.begin(), list.end(), [&](const ObserverConfig& o) { return o.name == name; });
  return it == list.end() ? nullptr : &*it;
}
}  // namespace

bool same_observer(const ObserverConfig& a, const ObserverConfig& b) {
  return a.name == b.name && a.plugin == b.plugin && a.enabled == b.enabled && a.optional == b.optional &&
         a.events == b.events && a.symbols == b.symbols && a.intervals == b.intervals && a.queue == b.queue &&
         a.overflow == b.overflow && a.max_failures == b.max_failures && a.config == b.config &&
         a.isolation == b.isolation && a.process == b.process;
}

ReloadPlan plan_reload(const std::vector<ObserverConfig>& running,
                       const std::vector<ObserverConfig>& wanted) {
  ReloadPlan plan;
  for (const auto& old : running) {
    if (!old.enabled) continue;
    const ObserverConfig* now = find(wanted, old.name);
    if (!now || !now->enabled)
      plan.stop.push_back(old.name);
    else if (same_observer(old, *now))
      plan.keep.push_back(old.name);
    else
      plan.restart.push_back(old.name);
  }
  for (const auto& now : wanted) {
    if (!now.enabled) continue;
    const ObserverConfig* old = find(running, now.name);
    if (!old || !old->enabled) plan.start.push_back(now.name);
  }
  return plan;
}

}  // namespace tickd::core
