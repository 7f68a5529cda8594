// The worker-thread side of a process observer: events into the outbox, the
// window, stop, and the figures. The supervisor is in process_supervisor.cpp.
#include "process/process_observer.hpp"

#include <spdlog/spdlog.h>

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace tickd::core {

namespace {
// Worth one write: the outbox is sent once it holds this much, and at the end
// of every batch the worker handles.
constexpr std::size_t kFlushBytes = 64 * 1024;
}  // namespace

const char* fault_kind_name(FaultKind kind) {
  static const char* names[kFaultKinds] = {"start", "exit", "crash", "hang", "memory", "garbage", "config"};
  return names[static_cast<int>(kind)];
}

ProcessObserver::ProcessObserver(ProcessObserverOptions options, HostServices& services)
    : options_(std::move(options)),
      services_(services),
      stdout_lines_(options_.limits.max_line_bytes),
      stderr_lines_(4096),
      parser_(options_.limits.max_line_bytes),
      backoff_(std::chrono::milliseconds(options_.limits.restart_initial_ms),
               std::chrono::milliseconds(options_.limits.restart_max_ms), Backoff::Jitter::equal) {
  auto base = spdlog::default_logger();
  log_ = std::make_shared<spdlog::logger>(options_.name, base->sinks().begin(), base->sinks().end());
  log_->set_level(base->level());
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error("eventfd failed");
  supervisor_ = std::thread([this] { supervise(); });

  // The first child must come up, as a plugin's start must succeed.
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return state_ == State::running || fault_count_ > 0; });
  // A config the child refuses loads suspended: the reason shows in /health
  // rather than as a daemon that will not start.
  if (state_ == State::running || faults_[static_cast<int>(FaultKind::config)].load() > 0) return;
  std::string message = fault_message_;
  quit_ = true;
  lock.unlock();
  wake_supervisor();
  supervisor_.join();
  ::close(wake_fd_);
  throw std::runtime_error(message);
}

ProcessObserver::~ProcessObserver() {
  if (supervisor_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      quit_ = true;
    }
    wake_supervisor();
    supervisor_.join();
  }
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void ProcessObserver::wake_supervisor() {
  const std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
}

void ProcessObserver::flush_locked() {
  // The figures of what was sent are brought up to date here, once a batch
  // rather than once an event.
  if (sent_unpublished_) {
    events_sent_.fetch_add(sent_unpublished_, std::memory_order_relaxed);
    sent_unpublished_ = 0;
    in_flight_.store(next_seq_ - acked_seq_, std::memory_order_relaxed);
  }
  if (outbox_.empty() || child_stdin_ < 0) return;
  while (!outbox_.empty()) {
    ssize_t n = ::write(child_stdin_, outbox_.front(), outbox_.size());
    if (n > 0) {
      outbox_.written(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // full pipe (the supervisor waits for room) or a dead child (it notices)
  }
  if (!outbox_.empty()) wake_supervisor();
}

void ProcessObserver::send_locked(const Event& e, std::uint64_t seq) {
  const SymbolTable& symbols = services_.symbols();
  std::string& out = outbox_.back();
  switch (e.kind) {
    case EventKind::tick:
      wire::append(out, to_value(e.tick, symbols.name(e.tick.symbol)), seq);
      break;
    case EventKind::candle_update:
    case EventKind::candle_closed:
      wire::append(out, to_value(e.candle, symbols.name(e.candle.symbol)), seq);
      break;
    case EventKind::signal:
      wire::append(out, e.signal->signal, seq);
      break;
  }
  out += '\n';
  if (seq == acked_seq_ + 1) waiting_since_ = Clock::now();
  if (!e.droppable()) unacked_keep_.push(seq, e);
  ++sent_unpublished_;
}

bool ProcessObserver::handle(const Event& e, std::string& error) noexcept {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (state_ == State::suspended || stop_requested_) {
      if (!e.droppable()) events_lost_.fetch_add(1, std::memory_order_relaxed);
      error = "child process suspended: " + fault_message_;
      return false;
    }
    if (state_ == State::running && next_seq_ - acked_seq_ < options_.limits.window) break;
    if (state_ != State::running && e.droppable() && !options_.lossless) {
      dropped_while_down_.fetch_add(1, std::memory_order_relaxed);
      break;
    }
    flush_locked();  // a full window may be waiting for what we hold
    cv_.wait_for(lock, std::chrono::milliseconds(100));
  }
  if (state_ == State::running) {
    send_locked(e, ++next_seq_);
    if (outbox_.size() >= kFlushBytes) flush_locked();
  }
  const std::uint64_t errors = child_errors_.load(std::memory_order_relaxed);
  if (errors != child_errors_reported_) {
    // The child reports failures after the fact: the next event carries them,
    // so the worker counts them toward max_failures as a plugin's.
    child_errors_reported_ = errors;
    error = child_error_;
    return false;
  }
  return true;
}

void ProcessObserver::flush() noexcept {
  std::lock_guard<std::mutex> lock(mu_);
  flush_locked();
}

bool ProcessObserver::stop(std::string& error) noexcept {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_requested_ = true;
    flush_locked();
  }
  wake_supervisor();
  if (supervisor_.joinable()) supervisor_.join();
  std::lock_guard<std::mutex> lock(mu_);
  const std::size_t lost = unacked_keep_.size() + redeliver_.size();
  if (lost > 0) {
    events_lost_.fetch_add(lost, std::memory_order_relaxed);
    error =
        std::to_string(lost) + " closed candles or signals were not acknowledged by the child before stop";
    return false;
  }
  return true;
}

std::string ProcessObserver::suspended_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_ == State::suspended ? suspended_reason_ : std::string();
}

void ProcessObserver::metrics(std::vector<ObserverMetric>& out) const noexcept {
  try {
    auto add = [&out](const char* name, const char* help, bool counter, double value, bool loss = false) {
      out.push_back(ObserverMetric{name, help, counter, loss, value, {}, {}});
    };
    auto load = [](const std::atomic<std::uint64_t>& a) { return static_cast<double>(a.load()); };
    add("process_running", "1 while the child process is up and ready", false, pid_.load() > 0 ? 1 : 0);
    add("process_rss_bytes", "Resident memory of the child process", false, load(rss_bytes_));
    add("process_cpu_seconds", "CPU time (user + system) of the child processes", true, cpu_seconds_.load());
    add("process_restarts", "Times the child process was started again after a fault", true, load(restarts_));
    add("process_suspended", "1 after max_failures faults in a row: no more restarts", false,
        suspended_.load() ? 1 : 0);
    for (int k = 0; k < kFaultKinds; ++k)
      out.push_back(ObserverMetric{"process_faults", "Child process faults by kind", true, false,
                                   static_cast<double>(faults_[k].load()), "kind",
                                   fault_kind_name(static_cast<FaultKind>(k))});
    add("events_sent", "Events written to the child", true, load(events_sent_));
    add("events_in_flight", "Events sent and not yet acknowledged", false, load(in_flight_));
    add("events_redelivered", "Closed candles and signals sent again to a restarted child", true,
        load(redelivered_));
    add("events_unacked_dropped", "Ticks and candle updates a failed child had not acknowledged (not resent)",
        true, load(unacked_dropped_));
    add("events_dropped_while_down", "Ticks and candle updates discarded while no child was up", true,
        load(dropped_while_down_));
    add("events_lost", "Closed candles and signals never acknowledged (suspended, or pending at stop)", true,
        load(events_lost_), true);
    add("records_lost_in_crash",
        "Records a child held and had not made safe (the at-risk figures of its last report, an estimate) "
        "when it died abnormally",
        true, load(lost_in_crash_), true);
    add("child_errors", "Events the child reported as failed", true, load(child_errors_));
    add("signals_published", "Signals the child published", true, load(signals_published_));
    // Refused by the operator's own limit, not lost on the way: not a loss.
    add("signals_dropped", "Signals over max_signals_per_second, refused", true, load(signals_dropped_));
    add("stderr_lines", "Lines the child wrote to stderr", true, load(stderr_lines_count_));
    add("log_lines_suppressed", "Child log and stderr lines held back by the rate limit", true,
        load(log_suppressed_));
    // The child's own figures (an isolated plugin's metrics()), under the
    // names, HELP and kinds it gives them, as they would be in process.
    child_metrics(out);
  } catch (...) {
  }
}

}  // namespace tickd::core
