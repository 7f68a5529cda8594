// What a child says, turned into actions: acknowledgements, signals, log
// lines, history and status requests answered, metrics snapshots kept. Runs on
// the supervisor thread (process_supervisor.cpp owns the loop).
#include "process/process_observer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace tickd::core {

namespace {

constexpr int kMetricsPeriodMs = 1000;        // how often a protocol-2 child is asked for its figures
constexpr std::uint32_t kMaxMetrics = 10000;  // in one snapshot: more is garbage
constexpr std::uint32_t kMaxConfigProblems = 1000;

std::string excerpt(std::string_view line) {
  std::string out(line.substr(0, 120));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (line.size() > 120) out += "...";
  return out;
}

bool same_series(const ObserverMetric& a, const ObserverMetric& b) {
  return a.name == b.name && a.label_name == b.label_name && a.label_value == b.label_value;
}

}  // namespace

bool ProcessObserver::on_line(std::string_view line) {
  std::string error;
  if (!parser_.parse(line, message_, error)) {
    fault(FaultKind::garbage, "unreadable line (" + error + "): " + excerpt(line));
    return false;
  }
  switch (message_.type) {
    case protocol::ChildMessageType::ready:
      on_ready(message_);
      break;
    case protocol::ChildMessageType::ack:
      on_ack(message_.seq);
      break;
    case protocol::ChildMessageType::error: {
      std::lock_guard<std::mutex> lock(mu_);
      child_error_ = "child reported an error on event " + std::to_string(message_.seq) + ": " +
                     std::string(message_.text.substr(0, 1000));
      child_errors_.fetch_add(1, std::memory_order_relaxed);
      break;
    }
    case protocol::ChildMessageType::log: {
      std::uint64_t suppressed = 0;
      if (log_throttle_.allow(suppressed))
        log_->log(static_cast<spdlog::level::level_enum>(message_.level), "{}", message_.text);
      else
        log_suppressed_.fetch_add(1, std::memory_order_relaxed);
      break;
    }
    case protocol::ChildMessageType::history:
      on_history(message_);
      break;
    case protocol::ChildMessageType::signal:
      on_signal(std::move(message_.signal));
      break;
    case protocol::ChildMessageType::metrics:
      if (!on_metrics_header(message_.count)) return false;
      break;
    case protocol::ChildMessageType::metric:
      if (!on_metric(std::move(message_.metric))) return false;
      break;
    case protocol::ChildMessageType::status:
      on_status_request(message_.id);
      break;
    case protocol::ChildMessageType::config_error:
      if (!on_config_error(message_.count)) return false;
      break;
    case protocol::ChildMessageType::config_problem:
      if (!on_config_problem(message_)) return false;
      break;
  }
  return child_.pid() > 0;
}

void ProcessObserver::on_ready(const protocol::ChildMessage& m) {
  if (m.protocol < protocol::kBaseVersion || m.protocol > protocol::kVersion) {
    fault(FaultKind::start, "the child speaks protocol " + std::to_string(m.protocol) + ", the daemon " +
                                std::to_string(protocol::kBaseVersion) + " to " +
                                std::to_string(protocol::kVersion));
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::starting) return;  // a second "ready" changes nothing
  state_ = State::running;
  child_protocol_ = static_cast<int>(m.protocol);
  const std::size_t n = redeliver_.size();
  for (const auto& e : redeliver_) send_locked(e, ++next_seq_);
  redeliver_.clear();
  redelivered_.fetch_add(n, std::memory_order_relaxed);
  flush_locked();
  pid_.store(child_.pid());
  cv_.notify_all();
}

void ProcessObserver::on_ack(std::uint64_t seq) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (seq > next_seq_) {
      // Fall through to the fault below, outside the lock.
    } else {
      if (seq > acked_seq_) {
        acked_seq_ = seq;
        unacked_keep_.acknowledge(seq);
        waiting_since_ = Clock::now();
        in_flight_.store(next_seq_ - acked_seq_, std::memory_order_relaxed);
        cv_.notify_all();
      }
      if (!session_acked_) {
        session_acked_ = true;  // this child works: faults in a row start again from zero
        consecutive_faults_ = 0;
        backoff_.reset();
      }
      return;
    }
  }
  fault(FaultKind::garbage, "ack for event " + std::to_string(seq) + ", which was never sent");
}

void ProcessObserver::on_history(const protocol::ChildMessage& m) {
  history_scratch_.clear();
  std::vector<Candle> candles;
  std::string error;
  auto id = services_.symbols().find(m.symbol);
  history_data_.clear();
  if (!id) {
    error = "unknown symbol '" + std::string(m.symbol) + "'";
  } else if (!services_.history(*id, m.interval, std::min(m.limit, services_.history_capacity()),
                                history_data_)) {
    error = "interval " + std::string(m.interval.name()) + " is not aggregated";
  } else {
    const std::string_view name = services_.symbols().name(*id);
    candles.reserve(history_data_.size());
    for (const auto& c : history_data_) candles.push_back(to_value(c, name));
  }
  protocol::append_history_answer(history_scratch_, m.id, candles, error);
  std::lock_guard<std::mutex> lock(mu_);
  outbox_.back() += history_scratch_;
  flush_locked();
}

void ProcessObserver::on_signal(Signal signal) {
  const auto now = Clock::now();
  if (now - signal_window_ >= std::chrono::seconds(1)) {
    signal_window_ = now;
    signals_in_window_ = 0;
  }
  if (++signals_in_window_ > options_.limits.max_signals_per_second) {
    std::uint64_t suppressed = 0;
    if (signals_dropped_.fetch_add(1, std::memory_order_relaxed) == 0 || log_throttle_.allow(suppressed))
      log_->warn("signals over max_signals_per_second ({}) are dropped",
                 options_.limits.max_signals_per_second);
    return;
  }
  if (signal.source.empty()) signal.source = options_.name;
  services_.publish(std::move(signal));
  signals_published_.fetch_add(1, std::memory_order_relaxed);
}

bool ProcessObserver::on_metrics_header(std::uint32_t count) {
  if (metrics_expected_ > 0 || count > kMaxMetrics) {
    fault(FaultKind::garbage, metrics_expected_ > 0
                                  ? "a metrics answer inside another"
                                  : "a metrics answer of " + std::to_string(count) + " metrics (at most " +
                                        std::to_string(kMaxMetrics) + ")");
    return false;
  }
  metrics_staging_.clear();
  metrics_expected_ = count;
  if (count == 0) {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    child_metrics_.clear();
  }
  return true;
}

bool ProcessObserver::on_metric(ObserverMetric metric) {
  if (metrics_expected_ == 0) {
    fault(FaultKind::garbage, "a metric line outside a metrics answer");
    return false;
  }
  metrics_staging_.push_back(std::move(metric));
  if (--metrics_expected_ == 0) {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    child_metrics_.swap(metrics_staging_);  // whole snapshots only: /metrics never sees half of one
  }
  return true;
}

void ProcessObserver::on_status_request(std::uint64_t id) {
  std::string status;
  try {
    status = services_.status_json();
  } catch (const std::exception& e) {
    log_->warn("status for the child: {}", e.what());
    status = "{}";
  }
  std::lock_guard<std::mutex> lock(mu_);
  protocol::append_status_answer(outbox_.back(), id, status);
  flush_locked();
}

bool ProcessObserver::on_config_error(std::uint32_t count) {
  if (config_problems_expected_ > 0 || count == 0 || count > kMaxConfigProblems) {
    fault(FaultKind::garbage, config_problems_expected_ > 0
                                  ? "a config_error inside another"
                                  : "a config_error of " + std::to_string(count) + " problems (1 to " +
                                        std::to_string(kMaxConfigProblems) + ")");
    return false;
  }
  config_problems_.clear();
  config_problems_expected_ = count;
  return true;
}

bool ProcessObserver::on_config_problem(const protocol::ChildMessage& m) {
  if (config_problems_expected_ == 0) {
    fault(FaultKind::garbage, "a config_problem line outside a config_error");
    return false;
  }
  // The daemon kept where each key of the block is in the YAML, as for a
  // plugin's config: the child names the key, the daemon its position.
  const std::string at = options_.config_positions.at(std::string(m.pointer), m.at_key).str();
  config_problems_.push_back(at + ": observer '" + options_.name +
                             "': " + std::string(m.text.substr(0, 1000)));
  if (--config_problems_expected_ > 0) return true;
  std::string summary;
  for (const auto& p : config_problems_) {
    log_->error("{}", p);
    summary += (summary.empty() ? "" : "; ") + p;
  }
  fault(FaultKind::config, "the child refused its config: " + summary);
  return false;
}

void ProcessObserver::request_metrics(Clock::time_point now) {
  if (child_protocol_ < 2 || now < next_metrics_request_) return;
  next_metrics_request_ = now + std::chrono::milliseconds(kMetricsPeriodMs);
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::running) return;
  protocol::append_metrics_request(outbox_.back());
  flush_locked();
}

std::string ProcessObserver::count_held_records_lost() {
  // What a child held and had not made safe (its at-risk gauges: a write
  // buffer) dies with it. The daemon knows only the child's last report, up to
  // one metrics period old: an estimate, counted rather than forgotten.
  double held = 0;
  std::string detail;
  {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    for (const auto& m : child_metrics_) {
      if (m.counter || !m.loss || !(m.value > 0)) continue;
      held += m.value;
      detail += (detail.empty() ? "" : ", ") + m.name +
                (m.label_name.empty() ? std::string() : "{" + m.label_name + "=" + m.label_value + "}") +
                " " + std::to_string(static_cast<std::uint64_t>(std::llround(m.value)));
    }
  }
  const auto records = static_cast<std::uint64_t>(std::llround(held));
  if (records == 0) return {};
  lost_in_crash_.fetch_add(records, std::memory_order_relaxed);
  return "; its last report held " + std::to_string(records) + " records not yet made safe (" + detail +
         "), counted as lost (records_lost_in_crash)";
}

void ProcessObserver::carry_child_metrics() {
  metrics_expected_ = 0;
  metrics_staging_.clear();
  std::lock_guard<std::mutex> lock(metrics_mu_);
  for (const auto& m : child_metrics_) {
    if (!m.counter) continue;  // a dead child's gauges say nothing about the next one
    auto it = std::find_if(carried_counters_.begin(), carried_counters_.end(),
                           [&](const ObserverMetric& c) { return same_series(c, m); });
    if (it == carried_counters_.end())
      carried_counters_.push_back(m);
    else
      it->value += m.value;
  }
  child_metrics_.clear();
}

void ProcessObserver::child_metrics(std::vector<ObserverMetric>& out) const {
  std::lock_guard<std::mutex> lock(metrics_mu_);
  const std::size_t from = out.size();
  out.insert(out.end(), child_metrics_.begin(), child_metrics_.end());
  for (const auto& c : carried_counters_) {
    auto it = std::find_if(out.begin() + static_cast<std::ptrdiff_t>(from), out.end(),
                           [&](const ObserverMetric& m) { return same_series(c, m); });
    if (it == out.end())
      out.push_back(c);
    else
      it->value += c.value;
  }
}

}  // namespace tickd::core
