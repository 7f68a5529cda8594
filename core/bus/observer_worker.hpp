// One observer behind its own thread and bounded queue. What the observer does
// (block, throw, sleep) reaches no other observer; the overflow policy decides
// whether it can reach the feed thread.
#pragma once

#include "bus/event_handler.hpp"
#include "bus/event_queue.hpp"
#include "bus/observer_filter.hpp"
#include "model/overflow.hpp"
#include "util/single_writer_counter.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tickd::core {

struct ObserverCounters {
  std::uint64_t delivered = 0;  // handled without error
  std::uint64_t dropped = 0;    // droppable events refused by a full queue (and, at a shutdown
                                // that gave up on a stuck observer, events it could not queue)
  std::uint64_t failures = 0;   // handler errors, all time
  std::uint64_t skipped = 0;    // discarded while suspended
  std::size_t queue_depth = 0;
  bool suspended = false;
  // Closed candles and signals never handed to the observer: skipped while
  // suspended, refused by a stopping blocked push, or still queued when stop()
  // gave up at its deadline.
  std::uint64_t undelivered = 0;
};

// One observer's figures at one moment: the host's counters and its own.
struct ObserverSnapshot {
  std::string name;
  std::string config_digest;  // which configuration runs (see observer_config_digest)
  ObserverCounters counters;
  std::vector<ObserverMetric> metrics;
  std::string suspended_reason;  // empty while it runs
  bool stopped_in_time = true;   // after stop(): false when it was abandoned at the deadline
};

class ObserverWorker {
 public:
  // Reports handler errors and suspension; called on the worker thread.
  using ErrorReporter = std::function<void(const std::string& observer, const std::string& message)>;

  // `handler` may be null: the worker is then pending, taking events into its
  // queue once on the bus but handling none until start(handler) (a reload
  // starts the replacement's plugin while its events already queue up).
  ObserverWorker(std::string name, std::unique_ptr<EventHandler> handler, ObserverFilter filter,
                 std::size_t queue_capacity, Overflow overflow, std::uint32_t max_failures,
                 ErrorReporter report);
  // Stops (with no deadline) if still running; frees an abandoned handler once
  // its thread has come out of it.
  ~ObserverWorker();
  ObserverWorker(const ObserverWorker&) = delete;
  ObserverWorker& operator=(const ObserverWorker&) = delete;

  // Starts the thread over the handler given at construction.
  void start();
  // A pending worker: takes its handler and starts the thread. Main thread.
  void start(std::unique_ptr<EventHandler> handler);
  bool pending() const { return handler_ptr_.load(std::memory_order_acquire) == nullptr; }
  // A pending worker that will never run: what it holds of closed candles and
  // signals counts as undelivered (lost). Main thread, after it left the bus.
  void give_up_pending();

  // Which configuration the worker runs, as status shows it (set before the
  // worker is on the bus).
  void set_config_digest(std::string digest) { config_digest_ = std::move(digest); }

  // Feed thread. Applies the filter and the overflow policy.
  void offer(const Event& e) {
    if (!filter_.accepts(e)) return;
    unpublished_ = true;
    const bool must = !e.droppable();
    if (overflow_ == Overflow::block) {
      if (queue_.push_blocking(e, stopping_)) {
        if (must) bump(must_offered_);
      } else if (must) {
        bump(refused_);
      } else {
        bump(dropped_);  // only when stopping with a stuck observer
      }
    } else if (must) {
      // A full ring holds the feed back for a closed candle or signal (never
      // dropped); only a stop with a stuck observer refuses it.
      if (queue_.push_must_deliver(e, stopping_))
        bump(must_offered_);
      else
        bump(refused_);
    } else if (!queue_.try_push(e)) {
      bump(dropped_);
    }
  }
  // Feed thread: wakes the worker if it sleeps, after a batch of offers; free
  // when the batch had nothing for this observer.
  void publish() {
    if (!unpublished_) return;
    unpublished_ = false;
    queue_.publish();
  }

  // Lets the worker finish the queue, then calls the handler's stop. Returns
  // false if that did not happen by `deadline`: the thread is then left
  // detached (it may be stuck inside plugin code) and the handler is leaked on
  // purpose, because destroying it under a running call would be worse.
  bool stop(std::chrono::steady_clock::time_point deadline);
  // Tells the worker to finish once its queue is empty, without waiting.
  void request_stop();

  const std::string& name() const { return name_; }
  ObserverCounters counters() const;
  // The handler's own figures (any thread, also after stop()).
  // An abandoned handler answers too: it is not freed while its thread may
  // run, and metrics() may run concurrently with it anyway.
  void metrics(std::vector<ObserverMetric>& out) const {
    if (EventHandler* h = handler_ptr_.load(std::memory_order_acquire)) h->metrics(out);
  }
  // Why the observer is suspended, by the worker or by its handler (a child
  // process that gave up); empty while it runs. Any thread.
  std::string suspended_reason() const;
  // Name, counters and the handler's figures (any thread).
  ObserverSnapshot snapshot() const {
    ObserverSnapshot s;
    s.name = name_;
    s.config_digest = config_digest_;
    s.counters = counters();
    s.suspended_reason = suspended_reason();
    if (!s.suspended_reason.empty()) s.counters.suspended = true;  // a handler may suspend itself first
    metrics(s.metrics);
    s.stopped_in_time = !abandoned();
    return s;
  }
  // True once stop() gave up on the worker at its deadline.
  bool abandoned() const { return abandoned_.load(std::memory_order_acquire); }
  // True once the worker's thread has called the handler's stop and ended.
  bool finished() const { return finished_.load(std::memory_order_acquire); }

 private:
  void run();
  void handle(const Event& e);

  std::string name_;
  std::unique_ptr<EventHandler> handler_;  // released when abandoned
  // What the thread calls, abandoned or not; null while pending.
  std::atomic<EventHandler*> handler_ptr_;
  std::string config_digest_;
  ObserverFilter filter_;
  EventQueue queue_;
  Overflow overflow_;
  std::uint32_t max_failures_;
  ErrorReporter report_;

  std::thread thread_;
  bool unpublished_ = false;  // feed thread: offered since the last publish()
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};
  // Each counter has one writer: dropped_, must_offered_ and refused_ the
  // feed thread, the rest the worker.
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> must_offered_{0};  // closed candles and signals queued
  std::atomic<std::uint64_t> must_taken_{0};    // ... and taken off the queue
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> skipped_must_{0};
  std::atomic<bool> abandoned_{false};  // stop() gave up: what is queued is lost
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> skipped_{0};
  std::atomic<bool> suspended_{false};
  std::uint32_t consecutive_failures_ = 0;  // worker thread only
  std::string error_;                       // worker thread only
  mutable std::mutex reason_mu_;
  std::string suspended_reason_;  // set once the worker suspends the observer
};

}  // namespace tickd::core
