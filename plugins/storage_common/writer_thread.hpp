// The writer thread every storage plugin runs: the observer's worker pushes
// records (never waiting on the store unless the policy is `block`), this thread
// takes them in batches and hands each batch to a BatchSink, retrying a failed
// batch with backoff until it is written or the plugin stops.
#pragma once

#include "storage_common/batch_queue.hpp"
#include "storage_common/record.hpp"

#include <tickd/host.hpp>
#include <tickd/metrics.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tickd::storage {

class BatchSink {
 public:
  virtual ~BatchSink() = default;
  // Writes the whole batch or throws. A failed batch is sent again, whole, so a
  // write must be idempotent (upserts), and the sink reconnects as needed.
  virtual void write(const std::vector<Record>& batch) = 0;
};

struct WriterOptions {
  std::size_t batch_size = 500;
  std::chrono::milliseconds max_delay{200};
  std::size_t max_buffer = 100000;
  bool lossless = false;  // a full buffer blocks the caller instead of dropping the oldest
  std::chrono::milliseconds retry_initial{100};
  std::chrono::milliseconds retry_max{5000};
  // How long stop() keeps trying to write what is queued.
  std::chrono::milliseconds stop_timeout{5000};
};

// The buffer policy that matches the observer's: lossless (block) when the
// observer is `overflow: block`, so back-pressure reaches the host's queue and
// the feed instead of dropping; drop the oldest (counted as a loss) otherwise,
// so the host's queue never holds an unbounded backlog for the plugin.
// `fallback` for a host too old to say.
bool lossless_for(const Host& host, bool fallback);

class WriterThread {
 public:
  WriterThread(const Host& host, BatchSink& sink, WriterOptions options);
  ~WriterThread();
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  void start();
  // Called from the observer's worker. False once stopped.
  bool push(Record record);
  // Writes what is queued (trying for up to stop_timeout), joins the thread and
  // returns how many records were left unwritten.
  std::size_t stop();

  // The writer's figures for the plugin's Observer::metrics(): records
  // written, failed write attempts, records buffered (at risk), and as losses
  // records dropped from a full buffer and records left unwritten at stop.
  // Any thread; reads atomics only.
  void report(Metrics& m) const;

  std::size_t written() const { return written_.load(); }
  std::size_t failures() const { return failures_.load(); }
  std::size_t dropped() const { return queue_.dropped(); }
  std::size_t queued() const { return queue_.size(); }

 private:
  void run();
  bool give_up() const;
  void report_overflow(bool force);

  const Host& host_;
  BatchSink& sink_;
  WriterOptions options_;
  BatchQueue<Record> queue_;
  std::thread thread_;

  mutable std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stop_deadline_{};
  std::atomic<std::size_t> lost_{0};
  std::atomic<std::size_t> in_flight_{0};  // the batch being written

  std::atomic<std::size_t> written_{0};
  std::atomic<std::size_t> failures_{0};
  std::size_t reported_dropped_ = 0;
  std::chrono::steady_clock::time_point last_overflow_report_{};
};

}  // namespace tickd::storage
