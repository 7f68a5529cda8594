#include "app/reload_plan.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>

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

std::string observer_config_digest(const ObserverConfig& o) {
  nlohmann::json j = {{"plugin", o.plugin},
                      {"optional", o.optional},
                      {"events", o.events},
                      {"symbols", o.symbols},
                      {"queue", o.queue},
                      {"overflow", static_cast<int>(o.overflow)},
                      {"max_failures", o.max_failures},
                      {"config", o.config},
                      {"isolation", static_cast<int>(o.isolation)}};
  for (Interval iv : o.intervals) j["intervals"].push_back(iv.seconds());
  if (o.process) {
    const ProcessConfig& p = *o.process;
    j["process"] = {p.command,
                    p.cwd,
                    p.env,
                    p.window,
                    p.ack_timeout_ms,
                    p.start_timeout_ms,
                    p.stop_timeout_ms,
                    p.memory_limit_mb,
                    p.max_line_bytes,
                    p.restart_initial_ms,
                    p.restart_max_ms,
                    p.max_signals_per_second};
  }
  // FNV-1a: a fingerprint for people, not a security check.
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : j.dump()) h = (h ^ c) * 1099511628211ull;
  char out[9];
  std::snprintf(out, sizeof out, "%08x", static_cast<unsigned>((h >> 32) ^ (h & 0xffffffffu)));
  return out;
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
