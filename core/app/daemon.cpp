#include "app/daemon.hpp"

#include "app/admin_server.hpp"
#include "app/feed_clock.hpp"
#include "app/history_warmup.hpp"
#include "app/loss_report.hpp"
#include "app/prometheus_metrics.hpp"
#include "app/reload_plan.hpp"
#include "app/status_json.hpp"
#include "app/tick_account.hpp"
#include "feed/feed_factory.hpp"
#include "plugin/plugin_locator.hpp"
#include "process/process_loader.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <unistd.h>
#include <algorithm>
#include <csignal>
#include <future>
#include <map>
#include <thread>

namespace tickd::core {

namespace {
using Clock = std::chrono::steady_clock;

long long steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

// Signals are taken synchronously by the main thread, never by a handler, so
// that a feed thread blocked on a lossless observer cannot keep us from
// noticing SIGTERM. Blocked before any thread starts; threads inherit it.
sigset_t daemon_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);  // internal: wakes the main thread when a replay ends
  return set;
}
}  // namespace

Daemon::Daemon(Config config, std::string config_path)
    : config_(std::move(config)), config_path_(std::move(config_path)), services_(config_, symbols_, io_) {
  plugin_dirs_ = config_.daemon.plugin_dirs.empty() ? default_plugin_dirs() : config_.daemon.plugin_dirs;
}

Daemon::~Daemon() = default;

void Daemon::on_feed_thread(const std::function<void()>& f) {
  std::promise<void> done;
  boost::asio::post(io_, [&] {
    f();
    done.set_value();
  });
  done.get_future().wait();
}

void Daemon::log_observer_error(const std::string& observer, const std::string& message) {
  spdlog::error("observer '{}': {}", observer, message);
}

std::optional<LoadedObserver> Daemon::load(const ObserverConfig& oc) {
  const ObserverWorker::ErrorReporter report = &Daemon::log_observer_error;
  try {
    if (oc.runs_as_process()) {
      auto loaded = load_process_observer(oc, plugin_dirs_, services_, symbols_, report);
      loaded.worker->set_config_digest(observer_config_digest(oc));
      const std::string suspended = loaded.worker->suspended_reason();
      if (!suspended.empty())
        spdlog::error("observer '{}' is suspended from the start (see /health): {}", oc.name, suspended);
      else if (oc.process->command.empty())
        spdlog::info("observer '{}' started (plugin {}, isolated in a child process)", oc.name, oc.plugin);
      else
        spdlog::info("observer '{}' started (process {})", oc.name, oc.process->command.front());
      return loaded;
    }
    auto loaded = load_observer(oc, plugin_dirs_, services_, symbols_, report);
    loaded.worker->set_config_digest(observer_config_digest(oc));
    spdlog::info("observer '{}' started (plugin {})", oc.name, oc.plugin);
    return loaded;
  } catch (const std::exception& e) {
    if (oc.optional)
      spdlog::warn("{} (optional observer skipped)", e.what());
    else
      spdlog::error("{}", e.what());
    return std::nullopt;
  }
}

bool Daemon::load_initial_observers() {
  // Stores first, then their history, then every other observer: a plugin's
  // start() finds the restored candles in host.history().
  std::vector<const ObserverConfig*> stores, others;
  for (const auto& oc : config_.observers)
    if (oc.enabled) (restores_history(oc, plugin_dirs_) ? stores : others).push_back(&oc);
  std::map<std::string, LoadedObserver> loaded;
  auto load_each = [&](const std::vector<const ObserverConfig*>& list) {
    for (const auto* oc : list) {
      auto lo = load(*oc);
      if (lo) {
        loaded.emplace(oc->name, std::move(*lo));
      } else if (!oc->optional) {
        spdlog::error("refusing to start: observer '{}' is not optional", oc->name);
        return false;
      }
    }
    return true;
  };
  if (!load_each(stores)) return false;
  for (const auto* oc : stores) {
    auto it = loaded.find(oc->name);
    if (it != loaded.end() && it->second.plugin && it->second.plugin->can_restore()) {
      restore_history(*it->second.plugin, oc->name);
      break;
    }
  }
  if (!load_each(others)) {
    if (warmup_) warmup_->join();  // its threads may still be inside a store about to be destroyed
    return false;
  }
  for (const auto& oc : config_.observers) {
    auto it = loaded.find(oc.name);
    if (it != loaded.end()) dispatcher_.add(std::move(it->second.worker));
  }
  services_.listen_sockets().settle();  // of an optional observer that did not start
  return true;
}

void Daemon::restore_history(PluginObserver& store, const std::string& name) {
  const auto timeout =
      std::chrono::milliseconds(static_cast<long long>(config_.daemon.warmup_timeout_s * 1000));
  warmup_ = std::make_unique<HistoryWarmup>(store, name, config_.aggregator.history);
  const auto out = warmup_->run(symbols_, config_.aggregator.intervals, *aggregator_, Clock::now() + timeout);
  if (out.timed_out)
    spdlog::warn(
        "history warm-up from '{}': no answer for {} of {} series within daemon.warmup_timeout ({} ms); "
        "starting with the history there is",
        name, out.series - out.restored - out.failed, out.series, timeout.count());
  spdlog::info("history warm-up: {} candles restored from '{}' ({} of {} series)", out.candles, name,
               out.restored, out.series);
}

void Daemon::start_admin() {
  if (config_.daemon.admin_listen.empty()) return;
  admin_ = std::make_unique<AdminServer>([this] { return render_prometheus(services_.status()); },
                                         [this] { return status_to_json(services_.status()).dump(); });
  try {
    admin_->start(config_.daemon.admin_listen);
    spdlog::info("admin endpoint on http://{} (/metrics, /health)", config_.daemon.admin_listen);
  } catch (const std::exception& e) {
    spdlog::warn("{}; running without the admin endpoint", e.what());
    admin_.reset();
  }
}

void Daemon::start_feed() {
  boost::asio::post(io_, [this] {
    feed_->start(*gate_);
    spdlog::info("feed '{}' started with {} symbols, {} intervals", config_.feed.kind, symbols_.size(),
                 config_.aggregator.intervals.size());
  });
}

int Daemon::run() {
  sigset_t signals = daemon_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  for (const auto& s : config_.feed.symbols)
    if (s != "*") symbols_.intern(s);  // "*": every symbol a nats feed receives
  aggregator_ = std::make_unique<Aggregator>(config_.aggregator, symbols_, router_);
  router_.attach(*aggregator_);
  try {
    feed_ = make_feed(config_.feed, io_, symbols_, config_.aggregator.intervals, config_.aggregator.history,
                      config_.aggregator.session);
  } catch (const std::exception& e) {
    spdlog::error("cannot create the feed: {}", e.what());
    return 1;
  }
  gate_ = std::make_unique<TickGate>(config_.feed.gate, symbols_, router_);
  gate_->attach(*feed_);
  feed_heartbeat_ms_ = steady_ms();
  services_.attach(*aggregator_, dispatcher_, *feed_, feed_heartbeat_ms_);
  services_.attach_gate(*gate_);
  router_.on_end([this] {
    spdlog::info("feed finished");
    if (config_.feed.replay.exit_at_end) {
      feed_ended_ = true;
      ::kill(::getpid(), SIGUSR1);
    }
  });
  // The admin endpoint answers from the first moment, while plugins load and
  // history warms up.
  start_admin();
  if (!load_initial_observers()) return 1;

  FeedClock clock(io_, *aggregator_, *feed_, *gate_, feed_heartbeat_ms_);
  auto work = boost::asio::make_work_guard(io_);
  feed_heartbeat_ms_ = steady_ms();
  services_.mark_started();
  start_feed();
  boost::asio::post(io_, [&clock] { clock.start(); });
  std::thread feed_thread([this] { io_.run(); });
  systemd_.ready("feed " + config_.feed.kind + " starting");

  auto last_status = Clock::now();
  for (;;) {
    timespec wait{0, 200'000'000};
    int sig = sigtimedwait(&signals, nullptr, &wait);
    if (sig == SIGINT || sig == SIGTERM) {
      spdlog::info("{} received: shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
      break;
    }
    if (sig == SIGHUP) {
      reload();
      // Broker tokens kept in files: re-read them now (they are also polled).
      boost::asio::post(io_, [this] { feed_->reload_credentials(); });
    }
    if (feed_ended_) break;
    bool feed_alive = steady_ms() - feed_heartbeat_ms_.load() < systemd_.heartbeat_limit().count();
    systemd_.watchdog(feed_alive);
    if (Clock::now() - last_status > std::chrono::seconds(5)) {
      FeedStats fs = feed_->stats();
      systemd_.status("feed " + fs.state + ", " + std::to_string(fs.ticks) + " ticks, " +
                      std::to_string(dispatcher_.names().size()) + " observers" +
                      (feed_alive ? "" : ", feed thread STALLED"));
      last_status = Clock::now();
    }
  }

  systemd_.stopping();
  auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(config_.daemon.shutdown_timeout_s * 1000));
  // First, so that what the feed is still delivering, or hands over at its
  // stop, is counted (as rejected at `shutdown`) instead of aggregated. The
  // feed thread may be in the middle of a long batch: the rest of it is not
  // taken in, so the stop below runs next.
  gate_->stop();
  std::promise<void> feed_stopped;
  boost::asio::post(io_, [&] {
    feed_->stop();
    gate_->discard_held();
    clock.stop();
    if (config_.aggregator.close_on_shutdown) aggregator_->close_all();
    work.reset();
    io_.stop();
    feed_stopped.set_value();
  });
  auto stopped = feed_stopped.get_future();
  if (stopped.wait_until(deadline) != std::future_status::ready) {
    // The feed thread is stuck pushing into a full lossless queue: telling the
    // observers to stop releases it, and the aggregator drops any gap fill.
    spdlog::error("feed thread did not stop within the shutdown deadline; stopping observers first");
    aggregator_->interrupt();
    dispatcher_.request_stop_all();
    if (stopped.wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
      spdlog::error("feed thread still busy 2s after the shutdown deadline; exiting without draining");
      spdlog::default_logger()->flush();
      std::_Exit(1);
    }
  }
  feed_thread.join();
  if (warmup_) warmup_->join();  // no restore may run inside a store being stopped
  drain_with_signals(deadline);
  auto final = dispatcher_.stop_all(std::max(deadline, Clock::now() + std::chrono::seconds(1)));
  if (admin_) admin_->stop();
  const int code = report_final_losses(std::move(final));
  spdlog::default_logger()->flush();
  if (abandoned_any_) std::_Exit(code);  // a stuck plugin thread must not run during static destruction
  return code;
}

int Daemon::report_final_losses(std::vector<ObserverSnapshot> final) {
  std::uint64_t total = lost_at_reload_;
  for (auto& snap : final) {
    if (!snap.stopped_in_time) {
      abandoned_any_ = true;
      spdlog::error("observer '{}' did not stop within the shutdown deadline", snap.name);
    }
    total += report_losses(std::move(snap));
  }
  const std::string ticks = tick_account(feed_->stats().ticks, aggregator_->stats().ticks, gate_->stats());
  if (total == 0) {
    spdlog::info("stopped; {}", ticks);
    return 0;
  }
  spdlog::error("stopped with {} records lost (exit status {}); {}", total, kExitRecordsLost, ticks);
  return kExitRecordsLost;
}

void Daemon::drain_with_signals(Clock::time_point deadline) {
  // The feed thread is gone, so this thread is now the bus's only writer. A
  // candle closed at shutdown can still make a strategy publish a signal; it
  // was posted to the feed thread's loop, which no longer runs: run it here.
  for (;;) {
    while (!dispatcher_.drained() && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    io_.restart();
    if (io_.poll() == 0 || Clock::now() >= deadline) return;
  }
}

}  // namespace tickd::core
