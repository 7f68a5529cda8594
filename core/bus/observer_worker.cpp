#include "bus/observer_worker.hpp"

#include <utility>

namespace tickd::core {

ObserverWorker::ObserverWorker(std::string name, std::unique_ptr<EventHandler> handler, ObserverFilter filter,
                               std::size_t queue_capacity, Overflow overflow, std::uint32_t max_failures,
                               ErrorReporter report)
    : name_(std::move(name)),
      handler_(std::move(handler)),
      handler_ptr_(handler_.get()),
      filter_(std::move(filter)),
      queue_(queue_capacity),
      overflow_(overflow),
      max_failures_(max_failures ? max_failures : 1),
      report_(std::move(report)) {}

ObserverWorker::~ObserverWorker() {
  if (thread_.joinable()) stop(std::chrono::steady_clock::time_point::max());
  if (abandoned_ && finished_) delete handler_ptr_.load();
}

void ObserverWorker::start() {
  thread_ = std::thread([this] { run(); });
}

void ObserverWorker::start(std::unique_ptr<EventHandler> handler) {
  handler_ = std::move(handler);
  handler_ptr_.store(handler_.get(), std::memory_order_release);
  start();
}

void ObserverWorker::give_up_pending() {
  // counters() then reports what was queued and never taken as undelivered.
  abandoned_.store(true, std::memory_order_release);
}

namespace {
// Events handled per visit to the queue: large enough to amortize the visit,
// small enough that a long batch does not hold back a stop request.
constexpr std::size_t kBatch = 256;
}  // namespace

void ObserverWorker::run() {
  EventHandler* const handler = handler_ptr_.load(std::memory_order_acquire);
  auto handle_one = [this](const Event& e) { handle(e); };
  for (;;) {
    if (queue_.consume(handle_one, kBatch, std::chrono::milliseconds(100))) {
      if (queue_.size() == 0) handler->flush();
      continue;
    }
    if (stopping_.load(std::memory_order_acquire) && queue_.size() == 0) break;
  }
  std::string error;
  if (!handler->stop(error) && report_) report_(name_, "stop failed: " + error);
  finished_.store(true, std::memory_order_release);
}

void ObserverWorker::handle(const Event& e) {
  const bool must = !e.droppable();
  if (suspended_.load(std::memory_order_relaxed)) {
    bump(skipped_);
    if (must) {
      bump(skipped_must_);
      bump(must_taken_);
    }
    return;
  }
  std::string& error = error_;  // reused: no string built per event
  error.clear();
  const bool ok = handler_ptr_.load(std::memory_order_relaxed)->handle(e, error);
  // Counted once handled: an event the handler is stuck on when stop() gives
  // up is still undelivered.
  if (must) bump(must_taken_);
  if (ok) {
    consecutive_failures_ = 0;
    bump(delivered_);
    return;
  }
  bump(failures_);
  ++consecutive_failures_;
  if (report_) report_(name_, error);
  if (consecutive_failures_ >= max_failures_) {
    {
      std::lock_guard<std::mutex> lock(reason_mu_);
      suspended_reason_ =
          "after " + std::to_string(consecutive_failures_) + " consecutive failures; the last: " + error;
    }
    suspended_.store(true, std::memory_order_relaxed);
    if (report_)
      report_(name_, "suspended after " + std::to_string(consecutive_failures_) +
                         " consecutive failures; the other observers go on");
  }
}

std::string ObserverWorker::suspended_reason() const {
  // The handler's own reason says more (a child whose config is wrong) than
  // the failures it caused here.
  if (EventHandler* h = handler_ptr_.load(std::memory_order_acquire)) {
    std::string own = h->suspended_reason();
    if (!own.empty()) return own;
  }
  std::lock_guard<std::mutex> lock(reason_mu_);
  return suspended_reason_;
}

void ObserverWorker::request_stop() {
  stopping_.store(true, std::memory_order_release);
  queue_.wake_consumer();
}

bool ObserverWorker::stop(std::chrono::steady_clock::time_point deadline) {
  if (!thread_.joinable()) return true;
  request_stop();
  while (!finished_.load(std::memory_order_acquire)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      thread_.detach();
      (void)handler_.release();  // destroying it under a running call would be worse
      abandoned_.store(true, std::memory_order_release);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  thread_.join();
  return true;
}

ObserverCounters ObserverWorker::counters() const {
  ObserverCounters c;
  c.delivered = delivered_.load(std::memory_order_relaxed);
  c.dropped = dropped_.load(std::memory_order_relaxed);
  c.failures = failures_.load(std::memory_order_relaxed);
  c.skipped = skipped_.load(std::memory_order_relaxed);
  c.queue_depth = queue_.size();
  c.suspended = suspended_.load(std::memory_order_relaxed);
  c.undelivered = refused_.load(std::memory_order_relaxed) + skipped_must_.load(std::memory_order_relaxed);
  if (abandoned_.load(std::memory_order_acquire)) {
    const auto offered = must_offered_.load(std::memory_order_relaxed);
    const auto taken = must_taken_.load(std::memory_order_relaxed);
    if (offered > taken) c.undelivered += offered - taken;
  }
  return c;
}

}  // namespace tickd::core
