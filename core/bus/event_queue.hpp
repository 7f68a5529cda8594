// Bounded single-producer single-consumer queue between the feed thread and one
// observer's worker, plus an unbounded side list for the events that must never
// be dropped (closed candles, signals) when the ring is full under `drop_ticks`.
//
// Sleeping and waking use a mutex/condvar only when a side actually has to
// wait; the common push/pop path is two atomics and a copy.
#pragma once

#include "bus/event.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

namespace tickd::core {

class EventQueue {
 public:
  explicit EventQueue(std::size_t capacity);
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // ---- producer (the feed thread) ----
  // False when the ring is full or the side list is in use (order must hold).
  bool try_push(const Event& e);
  // Waits for room; false if `abort` became true while waiting.
  bool push_blocking(const Event& e, const std::atomic<bool>& abort);
  // Never fails: goes to the side list when the ring cannot take it in order.
  void push_must_deliver(const Event& e);

  // ---- consumer (the observer's worker) ----
  // Waits up to `timeout` for an event; false if none arrived.
  bool pop(Event& out, std::chrono::milliseconds timeout);

  // ---- any thread ----
  std::size_t size() const;
  std::size_t capacity() const { return mask_ + 1; }
  // Makes a waiting pop() return at once (empty-handed), e.g. to let the
  // consumer notice a stop request.
  void wake_consumer();

 private:
  bool ring_pop(Event& out);
  bool below_low_water() const;
  void notify_consumer();
  void notify_producer();

  std::vector<Event> slots_;
  std::size_t mask_;
  alignas(64) std::atomic<std::size_t> head_{0};  // next to pop (consumer)
  alignas(64) std::atomic<std::size_t> tail_{0};  // next to push (producer)
  alignas(64) std::atomic<bool> consumer_waiting_{false};
  std::atomic<bool> producer_waiting_{false};
  std::atomic<std::size_t> overflow_size_{0};

  std::mutex mu_;
  std::condition_variable consumer_cv_;
  std::condition_variable producer_cv_;
  std::deque<Event> overflow_;  // guarded by mu_
  bool woken_ = false;          // guarded by mu_: wake_consumer() was called
};

}  // namespace tickd::core
