// The running daemon: wires feed -> aggregator -> bus -> observers, and owns
// the process lifecycle: start-up order, signals, live reload, systemd
// notification, the admin endpoint, and the drain on shutdown.
//
// Threads: the main thread takes signals and does everything slow (loading
// plugins, stopping observers); the feed thread runs the io_context (feed,
// aggregator, dispatch); every observer has its own worker.
#pragma once

#include "aggregate/aggregator.hpp"
#include "app/daemon_host_services.hpp"
#include "app/event_router.hpp"
#include "app/systemd_notifier.hpp"
#include "bus/dispatcher.hpp"
#include "config/config.hpp"
#include "feed/feed.hpp"
#include "feed/tick_gate.hpp"
#include "plugin/observer_loader.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tickd::core {

class AdminServer;
class HistoryWarmup;

class Daemon {
 public:
  // Exit status when records (closed candles, signals, what plugins store or
  // send) were lost: see docs/OPERATIONS.md.
  static constexpr int kExitRecordsLost = 3;

  // `config_path` is re-read on SIGHUP; empty for the embedded config.
  Daemon(Config config, std::string config_path);
  ~Daemon();
  // Blocks until SIGINT/SIGTERM (or the end of a replay with exit_at_end).
  // Returns the process exit code.
  int run();

 private:
  bool load_initial_observers();
  std::optional<LoadedObserver> load(const ObserverConfig& oc);
  // Every worker's ErrorReporter: handler errors and suspension, to the log.
  static void log_observer_error(const std::string& observer, const std::string& message);
  void restore_history(PluginObserver& store, const std::string& name);
  void start_admin();
  void start_feed();
  void reload();
  // What became of an observer a reload restarts.
  enum class Restart {
    restarted,    // the new configuration runs
    kept,         // the new one was invalid: the running instance was not touched
    rolled_back,  // the new one failed to start: the previous one runs again
    down          // neither started: the observer is not running
  };
  Restart restart(const ObserverConfig& old, const ObserverConfig& now);
  // The started handler (plugin instance or child process) of `oc`; null with
  // `why` set when it cannot start.
  std::unique_ptr<EventHandler> start_handler(const ObserverConfig& oc, std::string& why);
  // Takes a pending or standby worker off the bus and frees it (main thread).
  std::unique_ptr<ObserverWorker> take_off_bus(ObserverWorker* worker);
  // Runs f on the feed thread and waits for it.
  void on_feed_thread(const std::function<void()>& f);
  void stop_detached(std::unique_ptr<ObserverWorker> worker);
  // After the feed thread has ended: lets the observers empty their queues,
  // handing the signals they publish meanwhile to the bus, until nothing is
  // left or `deadline` passes.
  void drain_with_signals(std::chrono::steady_clock::time_point deadline);
  // Logs every observer's losses over the run (its `lost` figure, plus what an
  // observer abandoned at the deadline still held), adds those of observers a
  // reload stopped, and returns the exit code.
  int report_final_losses(std::vector<ObserverSnapshot> final);

  Config config_;
  std::string config_path_;
  std::vector<std::string> plugin_dirs_;
  boost::asio::io_context io_;
  SymbolTable symbols_;
  Dispatcher dispatcher_;
  EventRouter router_{dispatcher_};
  std::unique_ptr<Aggregator> aggregator_;
  std::unique_ptr<Feed> feed_;
  std::unique_ptr<TickGate> gate_;  // between the feed and the router
  DaemonHostServices services_;
  SystemdNotifier systemd_;
  std::unique_ptr<AdminServer> admin_;
  std::atomic<bool> feed_ended_{false};
  bool abandoned_any_ = false;        // an observer thread was left running at shutdown
  std::uint64_t lost_at_reload_ = 0;  // by observers a reload stopped
  // Declared last: destroyed (joined) before the observers it may still read.
  std::unique_ptr<HistoryWarmup> warmup_;
  std::atomic<long long> feed_heartbeat_ms_{0};  // steady clock, written by the feed thread
};

}  // namespace tickd::core
