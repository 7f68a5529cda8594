// Bounded single-producer single-consumer queue between the feed thread and one
// observer's worker. It never holds more than its capacity: under `drop_ticks`
// the droppable events (ticks, candle updates) may fill it only up to the
// capacity less a reserve (1/16) kept for the events that must never be dropped
// (closed candles, signals); when even that is full those wait for room, which
// is back-pressure on the feed thread only for an observer that cannot keep up
// with closed candles alone.
//
// The hot path touches no shared cache line per event: each side keeps a copy
// of the other's index and rereads it only when its copy says full (producer)
// or empty (consumer). The consumer handles events in place, in batches.
// Waking a sleeping side costs a fence, so the producer pays it once per batch
// of pushes (publish()), not per push; a side only sleeps after yielding a few
// times, so a dense stream costs no futex call at all.
#pragma once

#include "bus/event.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace tickd::core {

class EventQueue {
 public:
  explicit EventQueue(std::size_t capacity);
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // ---- producer (the feed thread) ----
  // A droppable event: false when the queue holds capacity - reserve events.
  // A sleeping consumer sees the event only after publish().
  bool try_push(const Event& e) { return push_within(e, droppable_limit_); }
  // Waits for room up to the full capacity (publishing first, so the consumer
  // can make it); false if `abort` became true while waiting.
  bool push_blocking(const Event& e, const std::atomic<bool>& abort);
  // An event that must not be dropped: takes the reserve too, then waits like
  // push_blocking.
  bool push_must_deliver(const Event& e, const std::atomic<bool>& abort) { return push_blocking(e, abort); }
  // Wakes the consumer if it sleeps. Call after a batch of pushes.
  void publish();

  // ---- consumer (the observer's worker) ----
  // Calls f(const Event&) on up to `max` events, oldest first, waiting up to
  // `timeout` for the first one. Returns how many were handled.
  template <class F>
  std::size_t consume(F&& f, std::size_t max, std::chrono::milliseconds timeout);

  // ---- any thread ----
  std::size_t size() const;
  std::size_t capacity() const { return capacity_; }
  // What droppable events may fill: the capacity less the reserve.
  std::size_t droppable_limit() const { return droppable_limit_; }
  // Makes a waiting consume() return at once (empty-handed), e.g. to let the
  // consumer notice a stop request.
  void wake_consumer();

 private:
  static constexpr int kYieldsBeforeSleep = 16;

  bool push_within(const Event& e, std::size_t limit);
  template <class F>
  std::size_t consume_ready(F& f, std::size_t max);
  void wait_for_events(std::chrono::milliseconds timeout);
  bool below_low_water() const;
  void wake_producer_if_room();

  std::vector<Event> slots_;  // a power of two, for the mask; only capacity_ of them are used at once
  std::size_t mask_;
  std::size_t capacity_;
  std::size_t droppable_limit_;
  // Producer's line.
  alignas(64) std::atomic<std::size_t> tail_{0};  // next to push
  std::size_t cached_head_ = 0;
  // Consumer's line.
  alignas(64) std::atomic<std::size_t> head_{0};  // next to pop
  std::size_t cached_tail_ = 0;
  bool freed_since_fence_ = false;
  // Rarely written: who sleeps.
  alignas(64) std::atomic<bool> consumer_waiting_{false};
  std::atomic<bool> producer_waiting_{false};

  std::mutex mu_;
  std::condition_variable consumer_cv_;
  std::condition_variable producer_cv_;
  bool woken_ = false;  // guarded by mu_: wake_consumer() was called
};

template <class F>
std::size_t EventQueue::consume_ready(F& f, std::size_t max) {
  std::size_t h = head_.load(std::memory_order_relaxed);
  if (h == cached_tail_) {
    cached_tail_ = tail_.load(std::memory_order_acquire);
    if (h == cached_tail_) {
      if (freed_since_fence_) {
        // About to go idle: from here on the loop below no longer watches
        // producer_waiting_, so settle with a sleeping producer now.
        freed_since_fence_ = false;
        std::atomic_thread_fence(std::memory_order_seq_cst);
        wake_producer_if_room();
      }
      return 0;
    }
  }
  std::size_t n = std::min(cached_tail_ - h, max);
  for (std::size_t i = 0; i < n; ++i) {
    Event& slot = slots_[(h + i) & mask_];
    f(static_cast<const Event&>(slot));
    // Release a signal now, not when the slot is reused; test first so that
    // reading a slot never dirties its cache line for the producer.
    if (slot.signal) slot.signal.reset();
    // Freeing a slot is a plain store; a sleeping producer is seen here within
    // one event, with no fence while the stream lasts.
    head_.store(h + i + 1, std::memory_order_release);
    if (producer_waiting_.load(std::memory_order_relaxed)) wake_producer_if_room();
  }
  freed_since_fence_ = true;
  return n;
}

template <class F>
std::size_t EventQueue::consume(F&& f, std::size_t max, std::chrono::milliseconds timeout) {
  for (int i = 0; i < kYieldsBeforeSleep; ++i) {
    if (std::size_t n = consume_ready(f, max)) return n;
    std::this_thread::yield();
  }
  wait_for_events(timeout);
  return consume_ready(f, max);
}

}  // namespace tickd::core
