// Delivers queued messages on a thread of its own, so a slow or unreachable
// receiver never reaches the observer's worker: a bounded queue (a full queue
// drops the new message and counts it as lost), retries with exponential
// backoff (or the receiver's own retry-after), rate-limited logging of
// failures, and counters for everything. Messages go out in order; the one
// being retried holds back the ones behind it.
#pragma once

#include <tickd/backoff.hpp>
#include <tickd/host.hpp>
#include <tickd/log_throttle.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tickd::alerts {

struct DeliveryResult {
  enum class Kind {
    sent,
    retry,      // a failure worth trying again (network, 5xx)
    throttled,  // the receiver asked us to wait (429): not a failed attempt
    permanent   // retrying cannot help (4xx): given up on at once
  };
  Kind kind = Kind::sent;
  std::int64_t retry_after_ms = -1;  // the receiver's wait, if it said
  std::string error;                 // never contains a secret
};

struct DeliverySettings {
  std::size_t queue_size = 1000;
  std::int64_t retry_initial_ms = 1000;
  std::int64_t retry_max_ms = 60000;
  std::uint32_t max_attempts = 10;
};

struct DeliveryCounters {
  std::atomic<std::uint64_t> queued{0};
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> errors{0};     // failed attempts, retried or not
  std::atomic<std::uint64_t> retried{0};    // attempts made again after a failure or a 429
  std::atomic<std::uint64_t> throttled{0};  // 429 answers
  std::atomic<std::uint64_t> failed{0};     // messages given up on
  std::atomic<std::uint64_t> dropped{0};    // queue full, or left at stop
  std::atomic<std::uint64_t> depth{0};      // waiting now
};

template <class Item>
class DeliveryQueue {
 public:
  using Send = std::function<DeliveryResult(const Item&, const std::atomic<bool>& abort)>;
  using Log = std::function<void(LogLevel, const std::string&)>;

  // `what` names the receiver in log lines ("webhook https://hooks.slack.com/…").
  DeliveryQueue(std::string what, DeliverySettings settings, Send send, Log log)
      : what_(std::move(what)), settings_(settings), send_(std::move(send)), log_(std::move(log)) {
    thread_ = std::thread([this] { run(); });
  }
  ~DeliveryQueue() { stop(0); }
  DeliveryQueue(const DeliveryQueue&) = delete;
  DeliveryQueue& operator=(const DeliveryQueue&) = delete;

  // Never blocks beyond a short lock. False (and counted) when the queue is full.
  bool enqueue(Item item) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closing_ || queue_.size() >= settings_.queue_size) {
        ++counters_.dropped;
        if (auto text = drop_log_.pass(what_ + ": queue full (" + std::to_string(settings_.queue_size) +
                                       "), message dropped"))
          log_(LogLevel::warn, *text);
        return false;
      }
      queue_.push_back(std::move(item));
      ++counters_.queued;
      counters_.depth = queue_.size();
    }
    wake_.notify_all();
    return true;
  }

  // Stops accepting messages, lets the queue drain for up to `drain_ms`, then
  // aborts the request in flight and the backoff, counts what is left as
  // dropped and joins the thread. Safe to call twice.
  void stop(std::int64_t drain_ms) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      closing_ = true;
      idle_.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(drain_ms, 0)),
                     [this] { return queue_.empty() && !busy_; });
      abort_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Waits `ms` unless stop() aborts first (false then). For a sender's own
  // pacing (rate limits), from inside Send.
  bool sleep(std::int64_t ms) {
    std::unique_lock<std::mutex> lock(mu_);
    return !wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return abort_.load(); });
  }

  const DeliveryCounters& counters() const { return counters_; }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      wake_.wait(lock, [this] { return abort_ || !queue_.empty() || closing_; });
      if (abort_ || (queue_.empty() && closing_)) break;
      Item item = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lock.unlock();
      deliver(item);
      lock.lock();
      busy_ = false;
      counters_.depth = queue_.size();
      if (queue_.empty()) idle_.notify_all();
    }
    counters_.dropped += queue_.size();
    queue_.clear();
    counters_.depth = 0;
    idle_.notify_all();
  }

  void deliver(const Item& item) {
    tickd::Backoff backoff{std::chrono::milliseconds(settings_.retry_initial_ms),
                           std::chrono::milliseconds(settings_.retry_max_ms)};
    std::uint32_t attempts = 0;
    for (;;) {
      const DeliveryResult r = send_(item, abort_);
      if (r.kind == DeliveryResult::Kind::sent) {
        ++counters_.sent;
        if (failures_in_a_row_ > 0)
          log_(LogLevel::info, what_ + ": delivering again after " + std::to_string(failures_in_a_row_) +
                                   " failed attempt(s)");
        failures_in_a_row_ = 0;
        return;
      }
      if (abort_) {
        ++counters_.dropped;
        return;
      }
      std::int64_t wait = 0;
      if (r.kind == DeliveryResult::Kind::throttled) {
        ++counters_.throttled;
        wait = r.retry_after_ms >= 0 ? r.retry_after_ms : backoff.next().count();
        if (auto text = retry_log_.pass(what_ + ": rate limited by the receiver, waiting " +
                                        std::to_string(wait) + " ms: " + r.error))
          log_(LogLevel::warn, *text);
      } else {
        ++counters_.errors;
        ++failures_in_a_row_;
        ++attempts;
        if (r.kind == DeliveryResult::Kind::permanent || attempts >= settings_.max_attempts) {
          ++counters_.failed;
          if (auto text = give_up_log_.pass(what_ + ": giving up on a message after " +
                                            std::to_string(attempts) + " attempt(s): " + r.error))
            log_(LogLevel::error, *text);
          return;
        }
        wait = r.retry_after_ms >= 0 ? r.retry_after_ms : backoff.next().count();
        if (auto text = retry_log_.pass(what_ + ": attempt " + std::to_string(attempts) +
                                        " failed, retrying in " + std::to_string(wait) + " ms: " + r.error))
          log_(LogLevel::warn, *text);
      }
      if (!sleep(wait)) {
        ++counters_.dropped;
        return;
      }
      ++counters_.retried;
    }
  }

  std::string what_;
  DeliverySettings settings_;
  Send send_;
  Log log_;
  DeliveryCounters counters_;
  // Once a minute each, so an outage cannot flood the log.
  LogThrottle retry_log_{1, std::chrono::minutes(1)};
  LogThrottle give_up_log_{1, std::chrono::minutes(1)};
  LogThrottle drop_log_{1, std::chrono::minutes(1)};
  std::uint64_t failures_in_a_row_ = 0;

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Item> queue_;
  bool busy_ = false;
  bool closing_ = false;
  std::atomic<bool> abort_{false};
  std::thread thread_;
};

}  // namespace tickd::alerts
