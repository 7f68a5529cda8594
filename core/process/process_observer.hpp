// An observer that is a child process (docs/PROCESS_OBSERVERS.md). It sits
// behind an ObserverWorker like a plugin, so filters, queue, overflow and
// max_failures mean the same; the worker thread only encodes events into an
// outbox. A supervisor thread owns the child: it writes the outbox, reads
// acks, signals, log lines and history requests, relays stderr to the log,
// watches for exits, hangs (no ack within ack_timeout) and memory, and
// restarts the child with backoff. Closed candles and signals a dead child
// had not acknowledged go to the next child first (at least once); ticks and
// updates are not sent again.
#pragma once

#include "bus/event_handler.hpp"
#include "config/config.hpp"
#include "plugin/host_services.hpp"
#include "process/child_process.hpp"
#include "process/line_buffer.hpp"
#include "process/protocol.hpp"
#include "process/send_buffer.hpp"
#include "process/unacked_events.hpp"

#include <tickd/backoff.hpp>
#include <tickd/log_throttle.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace spdlog {
class logger;
}

namespace tickd::core {

struct ProcessObserverOptions {
  std::string name;
  SpawnSpec spawn;                   // program resolved, environment built
  std::string config_json;           // the observer's `config:` block
  ConfigPositions config_positions;  // where its keys are in the YAML, for a child's config errors
  ProcessConfig limits;
  bool lossless = false;  // overflow: block: droppable events wait for a child too
  std::uint32_t max_failures = 10;
};

// `config`: the child refused its config (protocol 3), a fault no restart
// mends: the observer is suspended at once.
enum class FaultKind : std::uint8_t { start, exit, crash, hang, memory, garbage, config };
inline constexpr int kFaultKinds = 7;
const char* fault_kind_name(FaultKind kind);

class ProcessObserver : public EventHandler {
 public:
  // Starts the first child and waits for its "ready": a program that cannot
  // start is a load error (std::runtime_error with the cause and the last
  // lines of its stderr), as a plugin whose start fails. A child that refuses
  // its config loads suspended, the reason in suspended_reason().
  ProcessObserver(ProcessObserverOptions options, HostServices& services);
  ~ProcessObserver() override;

  bool handle(const Event& event, std::string& error) noexcept override;
  void flush() noexcept override;
  bool stop(std::string& error) noexcept override;
  void metrics(std::vector<ObserverMetric>& out) const noexcept override;
  std::string suspended_reason() const override;

 private:
  using Clock = std::chrono::steady_clock;
  enum class State { down, starting, running, stopping, suspended };

  // ---- supervisor thread (process_supervisor.cpp, process_messages.cpp)
  void supervise();
  void start_child();
  void poll_child(int timeout_ms);
  void read_stdout();
  void read_stderr(bool log_lines);
  void stderr_line(std::string_view line, bool log_line);
  bool on_line(std::string_view line);  // false after a fault
  void on_ready(const protocol::ChildMessage& m);
  void on_ack(std::uint64_t seq);
  void on_history(const protocol::ChildMessage& m);
  void on_signal(Signal signal);
  bool on_metrics_header(std::uint32_t count);  // false after a fault
  bool on_metric(ObserverMetric metric);
  void on_status_request(std::uint64_t id);
  bool on_config_error(std::uint32_t count);                // false after a fault
  bool on_config_problem(const protocol::ChildMessage& m);  // false after a fault
  void request_metrics(Clock::time_point now);
  void carry_child_metrics();             // at a fault: the dead child's counters live on
  std::string count_held_records_lost();  // at an abnormal end: its at-risk figures, counted
  void child_metrics(std::vector<ObserverMetric>& out) const;  // any thread
  bool check_child(bool stopping);                             // true once a stopping child has exited
  void sample_usage();
  void fault(FaultKind kind, const std::string& detail);
  std::string stderr_tail() const;

  // ---- either thread, with mu_ held
  void flush_locked();
  void send_locked(const Event& e, std::uint64_t seq);
  void wake_supervisor();

  ProcessObserverOptions options_;
  HostServices& services_;
  std::shared_ptr<spdlog::logger> log_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  State state_ = State::down;
  SendBuffer outbox_;                   // whole lines for the child, not yet written
  int child_stdin_ = -1;                // the current child's stdin; -1 before it is closed
  std::uint64_t next_seq_ = 0;          // last seq sent to this child
  std::uint64_t acked_seq_ = 0;         // last seq it acknowledged
  Clock::time_point waiting_since_;     // when the oldest unacknowledged ack became due
  UnackedEvents unacked_keep_;          // closed candles and signals sent, not acknowledged
  std::uint64_t sent_unpublished_ = 0;  // events_sent_ is brought up to date per flush
  std::deque<Event> redeliver_;         // for the next child, before anything new
  std::string fault_message_;           // the last fault, for load errors and suspension
  std::string suspended_reason_;        // set when suspended
  std::uint64_t fault_count_ = 0;
  bool stop_requested_ = false;
  bool quit_ = false;
  std::string child_error_;                  // the last event error the child reported
  std::uint64_t child_errors_reported_ = 0;  // worker thread

  // ---- supervisor thread only
  ChildProcess child_;
  std::thread supervisor_;
  int wake_fd_ = -1;
  LineBuffer stdout_lines_;
  LineBuffer stderr_lines_;
  protocol::ChildMessageParser parser_;
  protocol::ChildMessage message_;
  std::deque<std::string> stderr_ring_;
  Backoff backoff_;
  Clock::time_point restart_at_;
  Clock::time_point start_deadline_;
  Clock::time_point next_sample_;
  Clock::time_point stop_deadline_;
  std::uint32_t consecutive_faults_ = 0;
  bool session_acked_ = false;  // the current child acknowledged something
  bool started_once_ = false;
  bool stdout_eof_ = false, stderr_eof_ = false, stdin_broken_ = false;
  LogThrottle log_throttle_{200, std::chrono::seconds(10)};
  Clock::time_point signal_window_;
  std::uint32_t signals_in_window_ = 0;
  double cpu_of_exited_ = 0;
  std::string history_scratch_;
  std::vector<CandleData> history_data_;
  int child_protocol_ = 0;  // what the current child's ready chose
  Clock::time_point next_metrics_request_;
  std::uint32_t metrics_expected_ = 0;  // metric lines still due in the current answer
  std::vector<ObserverMetric> metrics_staging_;
  std::uint32_t config_problems_expected_ = 0;  // config_problem lines still due
  std::vector<std::string> config_problems_;    // each "file:line:column: message"

  // ---- the child's own figures (protocol 2), any thread, under metrics_mu_
  mutable std::mutex metrics_mu_;
  std::vector<ObserverMetric> child_metrics_;     // the current child's last snapshot
  std::vector<ObserverMetric> carried_counters_;  // counters of children that died

  // ---- figures, any thread
  std::atomic<int> pid_{0};
  std::atomic<std::uint64_t> rss_bytes_{0};
  std::atomic<double> cpu_seconds_{0};
  std::atomic<std::uint64_t> restarts_{0};
  std::atomic<std::uint64_t> faults_[kFaultKinds] = {};
  std::atomic<bool> suspended_{false};
  std::atomic<std::uint64_t> in_flight_{0};
  std::atomic<std::uint64_t> redelivered_{0};
  std::atomic<std::uint64_t> child_errors_{0};
  std::atomic<std::uint64_t> signals_published_{0};
  std::atomic<std::uint64_t> signals_dropped_{0};
  std::atomic<std::uint64_t> stderr_lines_count_{0};
  std::atomic<std::uint64_t> log_suppressed_{0};
  std::atomic<std::uint64_t> unacked_dropped_{0};
  std::atomic<std::uint64_t> dropped_while_down_{0};
  std::atomic<std::uint64_t> events_lost_{0};
  std::atomic<std::uint64_t> lost_in_crash_{0};
  std::atomic<std::uint64_t> events_sent_{0};
};

}  // namespace tickd::core
