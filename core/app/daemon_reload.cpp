// SIGHUP: re-read the YAML and apply only what changed among the observers;
// the feed and the untouched observers never notice.
//
// A changed observer is stopped before its replacement starts, because it may
// hold what the replacement needs (a port, a database file's lock, a bot's
// single poller). No event falls between the two: at the swap, a pending
// worker for the new configuration takes the old one's place on the bus and
// queues events while the old one drains and stops and the new plugin starts.
// A standby worker for the previous configuration queues the same events
// meanwhile, so that if the new one fails to start, the previous configuration
// runs again from exactly where it stopped.
#include "app/daemon.hpp"
#include "app/history_warmup.hpp"
#include "app/loss_report.hpp"
#include "app/reload_plan.hpp"
#include "config/config_loader.hpp"
#include "plugin/plugin_config_check.hpp"
#include "process/process_loader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

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

// Errors may span lines (one per config problem); the reload's verdict is one.
std::string one_line(std::string text) {
  for (std::size_t pos = text.find('\n'); pos != std::string::npos; pos = text.find('\n', pos))
    text.replace(pos, 1, "; ");
  return text;
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

std::unique_ptr<EventHandler> Daemon::start_handler(const ObserverConfig& oc, std::string& why) {
  try {
    if (oc.runs_as_process()) return start_process(oc, plugin_dirs_, services_);
    return start_plugin(oc, plugin_dirs_, services_);
  } catch (const std::exception& e) {
    why = one_line(e.what());
    return nullptr;
  }
}

std::unique_ptr<ObserverWorker> Daemon::take_off_bus(ObserverWorker* worker) {
  // The feed thread may be waiting for room in this worker's queue (overflow:
  // block): release it first, or it could not run the detach below.
  worker->request_stop();
  std::unique_ptr<ObserverWorker> out;
  on_feed_thread([&] { out = dispatcher_.detach(worker); });
  return out;
}

Daemon::Restart Daemon::restart(const ObserverConfig& old, const ObserverConfig& now) {
  const std::string& name = now.name;
  // What can be found out without starting anything is, before the running
  // instance is touched.
  auto problems = check_observer_plugin(now, plugin_dirs_);
  if (!problems.empty()) {
    std::string why;
    for (const auto& p : problems) why += (why.empty() ? "" : "; ") + p;
    spdlog::error(
        "observer '{}': reload failed: the new configuration is invalid ({}); the previous configuration "
        "stays in force, not restarted",
        name, why);
    return Restart::kept;
  }

  auto next = make_worker(now, nullptr, symbols_, &Daemon::log_observer_error);
  auto standby = make_worker(old, nullptr, symbols_, &Daemon::log_observer_error);
  next->set_config_digest(observer_config_digest(now));
  standby->set_config_digest(observer_config_digest(old));
  ObserverWorker* next_ptr = next.get();
  ObserverWorker* standby_ptr = standby.get();
  std::unique_ptr<ObserverWorker> current;
  on_feed_thread([&] {
    current = dispatcher_.detach(name);
    dispatcher_.add_pending(std::move(next), false);
    dispatcher_.add_pending(std::move(standby), true);
  });
  stop_detached(std::move(current));  // drains what it was given, then stops and frees its resources

  std::string why_new;
  if (auto handler = start_handler(now, why_new)) {
    next_ptr->start(std::move(handler));
    take_off_bus(standby_ptr);
    spdlog::info("observer '{}' restarted with its new configuration", name);
    return Restart::restarted;
  }
  std::string why_old;
  if (auto handler = start_handler(old, why_old)) {
    standby_ptr->start(std::move(handler));
    take_off_bus(next_ptr);
    on_feed_thread([&] { dispatcher_.promote(standby_ptr); });
    spdlog::error(
        "observer '{}': reload failed: the new configuration did not start ({}); the previous configuration "
        "is back in force",
        name, why_new);
    return Restart::rolled_back;
  }
  take_off_bus(standby_ptr);
  auto lost = take_off_bus(next_ptr);
  lost->give_up_pending();
  spdlog::error(
      "observer '{}': reload failed: the new configuration did not start ({}), nor did the previous one "
      "({}); the observer is not running",
      name, why_new, why_old);
  lost_at_reload_ += report_losses(lost->snapshot());
  return Restart::down;
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

  const ReloadPlan plan = plan_reload(config_.observers, next.observers);
  // The running configuration ends up describing what actually runs: the new
  // entries, except where an observer kept or went back to its old one, or is
  // not running at all.
  std::vector<ObserverConfig> running = next.observers;
  auto entry = [&](const std::string& name) -> ObserverConfig& {
    return *std::find_if(running.begin(), running.end(),
                         [&](const ObserverConfig& o) { return o.name == name; });
  };

  // Removed observers first: what they held (a port) is free for the rest.
  for (const auto& name : plan.stop) {
    std::unique_ptr<ObserverWorker> worker;
    on_feed_thread([&] { worker = dispatcher_.detach(name); });
    stop_detached(std::move(worker));
  }
  services_.listen_sockets().settle();

  std::vector<std::string> restarted, kept, rolled_back, down;
  for (const auto& name : plan.restart) {
    const ObserverConfig& old = *find(config_.observers, name);
    switch (restart(old, *find(next.observers, name))) {
      case Restart::restarted:
        restarted.push_back(name);
        break;
      case Restart::kept:
        kept.push_back(name);
        entry(name) = old;
        break;
      case Restart::rolled_back:
        rolled_back.push_back(name);
        entry(name) = old;
        break;
      case Restart::down:
        down.push_back(name);
        entry(name).enabled = false;
        break;
    }
  }

  std::vector<std::string> started, not_started;
  for (const auto& name : plan.start) {
    auto lo = load(*find(next.observers, name));
    if (!lo) {
      not_started.push_back(name);
      entry(name).enabled = false;
      continue;
    }
    on_feed_thread([&] { dispatcher_.add(std::move(lo->worker)); });
    started.push_back(name);
  }
  services_.listen_sockets().settle();
  config_.observers = std::move(running);

  std::string failed;
  if (!kept.empty()) failed += "; new configuration invalid, previous kept: " + list(kept);
  if (!rolled_back.empty())
    failed += "; new configuration failed, previous back in force: " + list(rolled_back);
  if (!down.empty()) failed += "; NOT RUNNING: " + list(down);
  if (!not_started.empty()) failed += "; FAILED to start " + list(not_started);
  const std::string summary = "reload done: started " + list(started) + "; restarted " + list(restarted) +
                              "; stopped " + list(plan.stop) + "; unchanged " + list(plan.keep) + failed;
  if (failed.empty())
    spdlog::info("{}", summary);
  else
    spdlog::error("{}", summary);
  systemd_.ready(failed.empty() ? "reloaded" : "reloaded with failures");
}

}  // namespace tickd::core
