#include "app/daemon.hpp"

#include "app/admin_server.hpp"
#include "app/feed_clock.hpp"
#include "app/prometheus_metrics.hpp"
#include "feed/feed_factory.hpp"
#include "plugin/plugin_locator.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <unistd.h>
#include <algorithm>
#include <csignal>
#include <future>
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

std::optional<LoadedObserver> Daemon::load(const ObserverConfig& oc) {
  auto report = [](const std::string& observer, const std::string& message) {
    spdlog::error("observer '{}': {}", observer, message);
  };
  try {
    auto loaded = load_observer(oc, plugin_dirs_, services_, symbols_, report);
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
  std::vector<LoadedObserver> loaded;
  for (const auto& oc : config_.observers) {
    if (!oc.enabled) continue;
    auto lo = load(oc);
    if (lo) {
      loaded.push_back(std::move(*lo));
    } else if (!oc.optional) {
      spdlog::error("refusing to start: observer '{}' is not optional", oc.name);
      return false;
    }
  }
  for (auto& lo : loaded)
    if (lo.plugin->can_restore()) {
      restore_history(*lo.plugin, lo.worker->name());
      break;
    }
  for (auto& lo : loaded) dispatcher_.add(std::move(lo.worker));
  return true;
}

void Daemon::restore_history(PluginObserver& store, const std::string& name) {
  std::size_t candles = 0;
  for (std::size_t i = 0, n = symbols_.size(); i < n; ++i) {
    auto id = static_cast<SymbolId>(i);
    for (Interval iv : config_.aggregator.intervals) {
      std::vector<CandleData> out;
      std::string error;
      if (!store.restore(id, iv, config_.aggregator.history, out, error)) {
        spdlog::warn("history warm-up from '{}' failed for {} {}: {}", name, symbols_.name(id), iv.name(),
                     error);
        continue;
      }
      for (auto& c : out) c.flags |= TICKD_CANDLE_CLOSED;
      aggregator_->restore(id, iv, out);
      candles += out.size();
    }
  }
  spdlog::info("history warm-up: {} candles restored from '{}'", candles, name);
}

void Daemon::start_feed() {
  boost::asio::post(io_, [this] {
    feed_->start(router_);
    spdlog::info("feed '{}' started with {} symbols, {} intervals", config_.feed.kind, symbols_.size(),
                 config_.aggregator.intervals.size());
  });
}

std::string Daemon::health_json() const {
  auto status = nlohmann::json::parse(services_.status_json());
  long long age = steady_ms() - feed_heartbeat_ms_.load();
  bool feed_thread_ok = age < 5000;
  status["status"] = feed_thread_ok ? "ok" : "stalled";
  status["feed_thread_heartbeat_ms"] = age;
  return status.dump();
}

int Daemon::run() {
  sigset_t signals = daemon_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  for (const auto& s : config_.feed.symbols) symbols_.intern(s);
  aggregator_ = std::make_unique<Aggregator>(config_.aggregator, symbols_, router_);
  router_.attach(*aggregator_);
  try {
    feed_ = make_feed(config_.feed, io_, symbols_, config_.aggregator.intervals, config_.aggregator.session);
  } catch (const std::exception& e) {
    spdlog::error("cannot create the feed: {}", e.what());
    return 1;
  }
  services_.attach(*aggregator_, dispatcher_, *feed_);
  router_.on_end([this] {
    spdlog::info("feed finished");
    if (config_.feed.replay.exit_at_end) {
      feed_ended_ = true;
      ::kill(::getpid(), SIGUSR1);
    }
  });
  if (!load_initial_observers()) return 1;

  if (!config_.daemon.admin_listen.empty()) {
    admin_ = std::make_unique<AdminServer>(
        [this] { return render_prometheus(nlohmann::json::parse(health_json())); },
        [this] { return health_json(); });
    try {
      admin_->start(config_.daemon.admin_listen);
      spdlog::info("admin endpoint on http://{} (/metrics, /health)", config_.daemon.admin_listen);
    } catch (const std::exception& e) {
      spdlog::warn("{}; running without the admin endpoint", e.what());
      admin_.reset();
    }
  }

  FeedClock clock(io_, *aggregator_, *feed_, feed_heartbeat_ms_);
  auto work = boost::asio::make_work_guard(io_);
  feed_heartbeat_ms_ = steady_ms();
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
  std::promise<void> feed_stopped;
  boost::asio::post(io_, [&] {
    feed_->stop();
    clock.stop();
    if (config_.aggregator.close_on_shutdown) aggregator_->close_all();
    work.reset();
    io_.stop();
    feed_stopped.set_value();
  });
  auto stopped = feed_stopped.get_future();
  if (stopped.wait_until(deadline) != std::future_status::ready) {
    // The feed thread is stuck pushing into a full lossless queue: telling the
    // observers to stop releases it.
    spdlog::error("feed thread did not stop within the shutdown deadline; stopping observers first");
    dispatcher_.request_stop_all();
    stopped.wait();
  }
  feed_thread.join();
  drain_with_signals(deadline);
  auto late = dispatcher_.stop_all(std::max(deadline, Clock::now() + std::chrono::seconds(1)));
  if (admin_) admin_->stop();
  for (const auto& name : late)
    spdlog::error("observer '{}' did not stop within the shutdown deadline", name);
  spdlog::info("stopped");
  spdlog::default_logger()->flush();
  if (!late.empty()) std::_Exit(0);  // a stuck plugin thread must not run during static destruction
  return 0;
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
