// Fan-out of every event to every observer's queue, on the feed thread.
// The observer list changes only on the feed thread (start-up, reload), so
// dispatch takes no lock; the mutex only guards readers on other threads.
#pragma once

#include "bus/observer_worker.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tickd::core {

class Dispatcher {
 public:
  ~Dispatcher();

  void add(std::unique_ptr<ObserverWorker> worker);  // starts it
  // Takes one observer off the bus (feed thread) without stopping it, so the
  // caller can drain and stop it elsewhere. Null if there is none by that name.
  std::unique_ptr<ObserverWorker> detach(const std::string& name);

  // Reload (feed thread): puts a pending worker (ObserverWorker::pending) on
  // the bus, so its queue takes every event from now on while its plugin
  // starts elsewhere. A `standby` worker takes events too but is not one of
  // the observers (status, names, drained): it is the previous configuration,
  // held ready in case the replacement fails to start.
  void add_pending(std::unique_ptr<ObserverWorker> worker, bool standby);
  // Feed thread: takes this worker (running, pending or standby) off the bus.
  std::unique_ptr<ObserverWorker> detach(const ObserverWorker* worker);
  // Feed thread: a standby worker becomes one of the observers.
  void promote(const ObserverWorker* worker);

  // Feed thread. Outside a Batch, sleeping workers are woken at once.
  void dispatch(const Event& e) {
    for (auto& w : workers_) w->offer(e);
    for (auto& w : standby_) w->offer(e);
    if (batch_depth_ == 0) publish();
  }

  // Defers waking the workers to the end of the scope: the events one tick
  // causes (the tick, its candle updates and closes) cost one wake-up check per
  // observer instead of one per event. Feed thread.
  class Batch {
   public:
    explicit Batch(Dispatcher& d) : d_(d) { d_.begin_batch(); }
    ~Batch() { d_.end_batch(); }
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

   private:
    Dispatcher& d_;
  };

  // The same as a Batch, for scopes that are not a C++ block (feed thread).
  void begin_batch() { ++batch_depth_; }
  void end_batch() {
    if (--batch_depth_ == 0) publish();
  }

  // Drains every queue and stops every observer, in parallel, by `deadline`.
  // Returns every observer's final figures (after its stop, so a plugin's
  // records left unwritten at stop are in them).
  std::vector<ObserverSnapshot> stop_all(std::chrono::steady_clock::time_point deadline);

  // Makes blocked pushes give up (shutdown with a stuck observer). Any thread.
  void request_stop_all();

  // Any thread.
  std::vector<std::pair<std::string, ObserverCounters>> counters() const;
  // Counters and the observers' own metrics.
  std::vector<ObserverSnapshot> snapshot() const;
  // True when every observer that is not suspended has taken all it was given.
  bool drained() const;
  std::vector<std::string> names() const;

 private:
  void publish() {
    for (auto& w : workers_) w->publish();
    for (auto& w : standby_) w->publish();
  }

  mutable std::mutex mu_;  // held while the list changes, and by readers off the feed thread
  std::vector<std::unique_ptr<ObserverWorker>> workers_;
  std::vector<std::unique_ptr<ObserverWorker>> standby_;  // only during a reload
  int batch_depth_ = 0;
};

}  // namespace tickd::core
