// A bounded FIFO between an observer's worker (producer) and the plugin's
// writer thread (consumer) that hands items out in batches: a batch is due
// when `batch_size` items wait, when the oldest has waited `max_delay`, or when
// the queue is closed. When full, push either blocks (lossless local stores)
// or drops the oldest item and counts it (network stores that must never stall
// the worker while their server is away).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

namespace tickd::storage {

template <class T>
class BatchQueue {
 public:
  using Clock = std::chrono::steady_clock;

  // `lossless`: a full queue makes push() wait; otherwise it drops the oldest.
  BatchQueue(std::size_t capacity, std::size_t batch_size, std::chrono::milliseconds max_delay, bool lossless)
      : capacity_(capacity ? capacity : 1),
        batch_size_(batch_size ? batch_size : 1),
        max_delay_(max_delay),
        lossless_(lossless) {}

  // Returns false when the queue is closed (the item is discarded).
  bool push(T item) {
    std::unique_lock<std::mutex> lock(mu_);
    if (lossless_) not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    if (items_.size() >= capacity_) {
      items_.pop_front();
      dropped_.fetch_add(1, std::memory_order_relaxed);
    }
    items_.push_back(Entry{std::move(item), Clock::now()});
    size_.store(items_.size(), std::memory_order_relaxed);
    // The consumer sleeps until the head's deadline; it only needs waking when
    // a head appears or a full batch is ready.
    if (items_.size() == 1 || items_.size() == batch_size_) not_empty_.notify_one();
    return true;
  }

  // Blocks until a batch is due, then moves up to batch_size items into `out`.
  // Returns false only when the queue is closed and empty.
  bool take_batch(std::vector<T>& out) {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (items_.size() >= batch_size_ || (closed_ && !items_.empty())) break;
      if (closed_) return false;
      if (items_.empty()) {
        not_empty_.wait(lock);
        continue;
      }
      const auto due = items_.front().since + max_delay_;
      if (Clock::now() >= due) break;
      not_empty_.wait_until(lock, due);
    }
    const std::size_t n = items_.size() < batch_size_ ? items_.size() : batch_size_;
    for (std::size_t i = 0; i < n; ++i) {
      out.push_back(std::move(items_.front().item));
      items_.pop_front();
    }
    size_.store(items_.size(), std::memory_order_relaxed);
    not_full_.notify_all();
    return true;
  }

  // Makes take_batch return what is left without waiting, and push refuse.
  void close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  // Lock-free, for metrics read from any thread.
  std::size_t size() const { return size_.load(std::memory_order_relaxed); }
  std::size_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    T item;
    Clock::time_point since;
  };

  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Entry> items_;
  std::size_t capacity_;
  std::size_t batch_size_;
  std::chrono::milliseconds max_delay_;
  bool lossless_;
  std::atomic<std::size_t> size_{0};
  std::atomic<std::size_t> dropped_{0};
  bool closed_ = false;
};

}  // namespace tickd::storage
