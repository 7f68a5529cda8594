// SIGHUP: re-read the YAML and apply only what changed among the observers;
// the feed and the untouched observers never notice.
#include "app/daemon.hpp"
#include "app/history_warmup.hpp"
#include "app/loss_report.hpp"
#include "app/reload_plan.hpp"
#include "config/config_loader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace tickd::core {

namespace {
const ObserverConfig* find(const std::vector<ObserverConfig>& list, const std::string& name) {
  auto it = std::find_if(list.begin(), list.end(), [&](const ObserverConfig& o) { return o.name == name; });
  return it == list.end() ? nullptr : &*it;
}

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}
}  // namespace

void Daemon::stop_detached(std::unique_ptr<ObserverWorker> worker) {
  if (!worker) return;
  std::string name = worker->name();
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<long>(config_.daemon.shutdown_timeout_s * 1000));
  const bool stopped = worker->stop(deadline);
  ObserverSnapshot final = worker->snapshot();
  if (stopped) {
    spdlog::info("observer '{}' stopped", name);
  } else {
    spdlog::error("observer '{}' did not stop within the deadline; left running detached", name);
    (void)worker.release();  // its thread still runs inside plugin code
  }
  lost_at_reload_ += report_losses(std::move(final));
}

void Daemon::reload() {
  if (config_path_.empty()) {
    spdlog::warn("SIGHUP: running on the embedded config, nothing to re-read");
    return;
  }
  systemd_.reloading();
  spdlog::info("SIGHUP: reloading {}", config_path_);
  if (warmup_) warmup_->join();  // a store about to be stopped may still be restoring
  Config next;
  try {
    next = load_config_file(config_path_);
  } catch (const ConfigError& e) {
    for (const auto& line : e.errors()) spdlog::error("reload rejected: {}", line);
    spdlog::error("reload rejected: the running configuration stays in force");
    systemd_.ready("reload rejected");
    return;
  }
  if (next.feed.kind != config_.feed.kind || next.feed.symbols != config_.feed.symbols ||
      next.aggregator.intervals != config_.aggregator.intervals)
    spdlog::warn(
        "reload: changes to 'feed' and 'aggregator' take effect at the next restart; "
        "only observers are reloaded");

  ReloadPlan plan = plan_reload(config_.observers, next.observers);
  // Load the new instances first: if one fails, its old instance keeps running.
  std::map<std::string, LoadedObserver> loaded;
  std::vector<std::string> failed;
  for (const auto* names : {&plan.start, &plan.restart})
    for (const auto& name : *names) {
      auto lo = load(*find(next.observers, name));
      if (lo)
        loaded.emplace(name, std::move(*lo));
      else
        failed.push_back(name);
    }

  std::vector<std::string> to_detach = plan.stop;
  for (const auto& name : plan.restart)
    if (loaded.count(name)) to_detach.push_back(name);
  // Swap on the feed thread so no event falls between the old and the new.
  std::vector<std::unique_ptr<ObserverWorker>> detached;
  on_feed_thread([&] {
    for (const auto& name : to_detach) detached.push_back(dispatcher_.detach(name));
    for (auto& [name, lo] : loaded) dispatcher_.add(std::move(lo.worker));
  });
  for (auto& w : detached) stop_detached(std::move(w));

  // The running configuration now describes what actually runs.
  std::vector<ObserverConfig> running = next.observers;
  for (const auto& name : failed) {
    auto it =
        std::find_if(running.begin(), running.end(), [&](const ObserverConfig& o) { return o.name == name; });
    const ObserverConfig* old = find(config_.observers, name);
    if (old && old->enabled &&
        std::find(plan.restart.begin(), plan.restart.end(), name) != plan.restart.end())
      *it = *old;  // the old instance is still running
    else
      it->enabled = false;
  }
  config_.observers = std::move(running);
  spdlog::info("reload done: started {}; restarted {}; stopped {}; unchanged {}{}", list(plan.start),
               list(plan.restart), list(plan.stop), list(plan.keep),
               failed.empty() ? "" : "; FAILED to load " + list(failed));
  systemd_.ready("reloaded");
}

}  // namespace tickd::core
