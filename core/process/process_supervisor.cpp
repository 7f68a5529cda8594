// The supervisor thread of a process observer: it owns the child, talks the
// protocol on its pipes, and turns every way a child can fail into a counted,
// logged fault followed by a restart with backoff (or suspension).
#include "process/process_observer.hpp"

#include <spdlog/spdlog.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <utility>

namespace tickd::core {

namespace {

constexpr std::size_t kStderrRing = 20;  // lines kept for fault reports
constexpr std::size_t kStderrInReport = 8;
constexpr int kSampleMs = 200;  // RSS and CPU sampling period

// A child's pipe must never kill the daemon: with SIGPIPE ignored, writing to
// a dead child is an EPIPE that the supervisor turns into a fault.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

}  // namespace

void ProcessObserver::supervise() {
  ignore_sigpipe();
  restart_at_ = Clock::now();
  bool stopping = false;
  bool stop_begun = false;
  bool killed_at_stop = false;  // still busy with what it was sent when stop_timeout ran out
  Clock::time_point deadline;
  for (;;) {
    const auto now = Clock::now();
    State state;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (quit_) break;
      state = state_;
      if (stop_requested_ && !stopping) {
        if (!stop_begun) {
          stop_begun = true;  // first deliver what is outstanding, within stop_timeout
          deadline = now + std::chrono::milliseconds(options_.limits.stop_timeout_ms);
        }
        const bool outstanding = !redeliver_.empty() || acked_seq_ != next_seq_;
        if (state_ == State::suspended || now >= deadline || (state_ == State::down && !outstanding)) {
          killed_at_stop = state_ != State::down && state_ != State::suspended;
          break;
        }
        if (state_ == State::down) restart_at_ = now;  // a fault just now: the next child takes the rest
        if (state_ == State::running && !outstanding) {
          protocol::append_stop(outbox_.back());
          flush_locked();
          state_ = State::stopping;
          stopping = true;
          deadline = now + std::chrono::milliseconds(options_.limits.stop_timeout_ms);
        }
      }
    }
    if (stopping && now >= deadline) {
      log_->warn("child process (pid {}) did not exit within stop_timeout; killing it{}", child_.pid(),
                 count_held_records_lost());
      child_.kill_group(SIGKILL);
      child_.wait_exit(2000);
      break;
    }
    if (state == State::down && now >= restart_at_) start_child();
    if (child_.pid() > 0) {
      poll_child(50);
      if (check_child(stopping)) break;
    } else {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(50));
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    child_stdin_ = -1;
    outbox_.clear();
  }
  read_stderr(true);
  if (killed_at_stop && child_.pid() > 0)
    log_->warn("child process (pid {}) still had events outstanding at stop_timeout; killing it{}",
               child_.pid(), count_held_records_lost());
  child_ = ChildProcess();  // kills the group if it still runs
  pid_.store(0);
  rss_bytes_.store(0);
}

void ProcessObserver::start_child() {
  try {
    child_ = ChildProcess::spawn(options_.spawn);
  } catch (const std::exception& e) {
    fault(FaultKind::start, e.what());
    return;
  }
  stdout_eof_ = stderr_eof_ = stdin_broken_ = false;
  stdout_lines_.clear();
  stderr_lines_.clear();
  session_acked_ = false;
  child_protocol_ = 0;
  config_problems_expected_ = 0;
  if (started_once_) restarts_.fetch_add(1, std::memory_order_relaxed);
  started_once_ = true;
  protocol::Hello hello;
  hello.observer = options_.name;
  hello.config_json = options_.config_json;
  const SymbolTable& symbols = services_.symbols();
  for (std::size_t i = 0, n = symbols.size(); i < n; ++i)
    hello.symbols.emplace_back(symbols.name(static_cast<SymbolId>(i)));
  hello.interval_seconds = services_.interval_seconds();
  hello.history_capacity = services_.history_capacity();
  hello.window = options_.limits.window;
  const auto now = Clock::now();
  start_deadline_ = now + std::chrono::milliseconds(options_.limits.start_timeout_ms);
  next_sample_ = next_metrics_request_ = now;
  std::lock_guard<std::mutex> lock(mu_);
  state_ = State::starting;
  child_stdin_ = child_.stdin_fd();
  outbox_.clear();
  next_seq_ = acked_seq_ = 0;
  protocol::append_hello(outbox_.back(), hello);
  flush_locked();
}

void ProcessObserver::poll_child(int timeout_ms) {
  pollfd fds[4];
  nfds_t n = 0;
  fds[n++] = pollfd{wake_fd_, POLLIN, 0};
  const int out_at = stdout_eof_ ? -1 : static_cast<int>(n);
  if (!stdout_eof_) fds[n++] = pollfd{child_.stdout_fd(), POLLIN, 0};
  const int err_at = stderr_eof_ ? -1 : static_cast<int>(n);
  if (!stderr_eof_) fds[n++] = pollfd{child_.stderr_fd(), POLLIN, 0};
  int in_at = -1;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!outbox_.empty() && child_stdin_ >= 0 && !stdin_broken_) {
      in_at = static_cast<int>(n);
      fds[n++] = pollfd{child_stdin_, POLLOUT, 0};
    }
  }
  if (::poll(fds, n, timeout_ms) <= 0) return;
  if (fds[0].revents) {
    std::uint64_t ignored;
    (void)!::read(wake_fd_, &ignored, sizeof ignored);
  }
  if (err_at >= 0 && fds[err_at].revents) read_stderr(true);
  if (out_at >= 0 && fds[out_at].revents) {
    read_stdout();
    if (child_.pid() <= 0) return;  // a fault ended this child
  }
  if (in_at >= 0 && fds[in_at].revents) {
    if (fds[in_at].revents & (POLLERR | POLLHUP)) stdin_broken_ = true;  // it stopped reading: exit follows
    std::lock_guard<std::mutex> lock(mu_);
    flush_locked();
  }
}

void ProcessObserver::read_stdout() {
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(child_.stdout_fd(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) stdout_eof_ = true;
    if (n <= 0) break;
    stdout_lines_.append(buf, static_cast<std::size_t>(n));
    std::string_view line;
    bool too_long = false;
    while (stdout_lines_.next(line, too_long)) {
      if (too_long) {
        fault(FaultKind::garbage, "a line over max_line_bytes (" + std::to_string(line.size()) + " bytes)");
        return;
      }
      if (!on_line(line)) return;
    }
    if (too_long) {
      fault(FaultKind::garbage, "more than max_line_bytes (" +
                                    std::to_string(options_.limits.max_line_bytes) + ") without a newline");
      return;
    }
  }
}

void ProcessObserver::read_stderr(bool log_lines) {
  if (child_.stderr_fd() < 0) return;
  char buf[16 * 1024];
  for (;;) {
    const ssize_t n = ::read(child_.stderr_fd(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) stderr_eof_ = true;
    if (n <= 0) break;
    stderr_lines_.append(buf, static_cast<std::size_t>(n));
    std::string_view line;
    bool too_long = false;
    while (stderr_lines_.next(line, too_long)) stderr_line(line.substr(0, 4096), log_lines);
    if (too_long) {
      stderr_line("[a stderr line over 4096 bytes was cut]", log_lines);
      stderr_lines_.clear();
    }
  }
}

void ProcessObserver::stderr_line(std::string_view line, bool log_line) {
  stderr_lines_count_.fetch_add(1, std::memory_order_relaxed);
  stderr_ring_.emplace_back(line);
  if (stderr_ring_.size() > kStderrRing) stderr_ring_.pop_front();
  std::uint64_t suppressed = 0;
  if (!log_line) return;
  if (!log_throttle_.allow(suppressed)) {
    log_suppressed_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (suppressed)
    log_->info("stderr: {} ({} lines held back by the rate limit)", line, suppressed);
  else
    log_->info("stderr: {}", line);
}

std::string ProcessObserver::stderr_tail() const {
  if (stderr_ring_.empty()) return "no stderr output";
  std::string out = "last stderr lines:";
  const std::size_t from = stderr_ring_.size() > kStderrInReport ? stderr_ring_.size() - kStderrInReport : 0;
  for (std::size_t i = from; i < stderr_ring_.size(); ++i) out += "\n    | " + stderr_ring_[i];
  return out;
}

bool ProcessObserver::check_child(bool stopping) {
  if (auto status = child_.poll_exit()) {
    read_stdout();  // its last acks and signals count
    if (child_.pid() <= 0) return false;
    read_stderr(true);
    if (stopping) {
      // A clean exit after stop is the child's stop returning: what it still
      // reports at risk is its business, as for a plugin whose stop() returned.
      if (!(WIFEXITED(*status) && WEXITSTATUS(*status) == 0))
        log_->warn("child process {} at stop{}; {}", describe_wait_status(*status), count_held_records_lost(),
                   stderr_tail());
      return true;
    }
    fault(WIFSIGNALED(*status) ? FaultKind::crash : FaultKind::exit, describe_wait_status(*status));
    return false;
  }
  const auto now = Clock::now();
  State state;
  bool hung = false;
  std::uint64_t outstanding = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    state = state_;
    outstanding = next_seq_ - acked_seq_;
    hung = state_ == State::running && outstanding > 0 &&
           now - waiting_since_ > std::chrono::milliseconds(options_.limits.ack_timeout_ms);
  }
  if (state == State::starting && now > start_deadline_) {
    fault(FaultKind::start,
          "no 'ready' within start_timeout (" + std::to_string(options_.limits.start_timeout_ms) + " ms)");
    return false;
  }
  if (hung) {
    fault(FaultKind::hang, "no ack within ack_timeout (" + std::to_string(options_.limits.ack_timeout_ms) +
                               " ms) with " + std::to_string(outstanding) + " events outstanding");
    return false;
  }
  if (state == State::running) request_metrics(now);
  if (now >= next_sample_) {
    next_sample_ = now + std::chrono::milliseconds(kSampleMs);
    sample_usage();
  }
  return false;
}

void ProcessObserver::sample_usage() {
  auto usage = read_resource_usage(child_.pid());
  if (!usage) return;
  rss_bytes_.store(usage->rss_bytes, std::memory_order_relaxed);
  cpu_seconds_.store(cpu_of_exited_ + usage->cpu_seconds, std::memory_order_relaxed);
  const std::uint64_t limit = options_.limits.memory_limit_mb << 20;
  if (limit > 0 && usage->rss_bytes > limit)
    fault(FaultKind::memory, "resident memory " + std::to_string(usage->rss_bytes >> 20) +
                                 " MiB over memory_limit_mb " +
                                 std::to_string(options_.limits.memory_limit_mb));
}

void ProcessObserver::fault(FaultKind kind, const std::string& detail) {
  const pid_t pid = child_.pid();
  std::string status;
  if (pid > 0) {
    child_.kill_group(SIGKILL);
    if (auto s = child_.wait_exit(2000)) {
      // After a refused config the status only says that the daemon killed it.
      if (kind != FaultKind::exit && kind != FaultKind::crash && kind != FaultKind::config)
        status = "; " + describe_wait_status(*s);
    }
    read_stderr(true);
    cpu_of_exited_ = cpu_seconds_.load(std::memory_order_relaxed);
  }
  std::string message = "child process" + (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()) +
                        " fault '" + fault_kind_name(kind) + "': " + detail + status +
                        count_held_records_lost();
  carry_child_metrics();
  const std::string tail = pid > 0 ? "; " + stderr_tail() : std::string();
  faults_[static_cast<int>(kind)].fetch_add(1, std::memory_order_relaxed);
  std::int64_t delay = 0;
  bool suspended = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    child_stdin_ = -1;
    outbox_.clear();
    events_sent_.fetch_add(std::exchange(sent_unpublished_, 0), std::memory_order_relaxed);
    // What the dead child never acknowledged: closed candles and signals go to
    // the next child first; ticks and updates are gone (counted).
    const std::uint64_t outstanding = next_seq_ - acked_seq_;
    unacked_dropped_.fetch_add(outstanding - unacked_keep_.size(), std::memory_order_relaxed);
    unacked_keep_.for_each_newest_first([this](const Event& e) { redeliver_.push_front(e); });
    unacked_keep_.clear();
    next_seq_ = acked_seq_ = 0;
    in_flight_.store(0, std::memory_order_relaxed);
    ++fault_count_;
    ++consecutive_faults_;
    if (kind == FaultKind::config) {
      state_ = State::suspended;
      suspended = true;
      suspended_.store(true);
      suspended_reason_ = detail;
      message += "; suspended: a restart would not mend it (correct the config, then reload)";
    } else if (consecutive_faults_ >= options_.max_failures) {
      state_ = State::suspended;
      suspended = true;
      suspended_.store(true);
      suspended_reason_ = message;
      message += "; suspended after " + std::to_string(consecutive_faults_) +
                 " faults in a row (max_failures), the other observers go on";
    } else {
      state_ = State::down;
      delay = backoff_.next().count();
      restart_at_ = Clock::now() + std::chrono::milliseconds(delay);
      message += "; restarting in " + std::to_string(delay) + " ms";
    }
    fault_message_ = message + tail;
    cv_.notify_all();
  }
  log_->error("{}{}", message, tail);
  (void)suspended;
  child_ = ChildProcess();
  stdout_lines_.clear();
  stderr_lines_.clear();
  stderr_ring_.clear();
  pid_.store(0);
  rss_bytes_.store(0);
}

}  // namespace tickd::core
