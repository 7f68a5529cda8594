#include "bus/event_queue.hpp"

#include <algorithm>
#include <thread>

namespace tickd::core {

namespace {
std::size_t round_up_pow2(std::size_t n) {
  std::size_t p = 16;
  while (p < n) p <<= 1;
  return p;
}
}  // namespace

EventQueue::EventQueue(std::size_t capacity)
    : slots_(round_up_pow2(std::max<std::size_t>(capacity, 1))),
      mask_(slots_.size() - 1),
      capacity_(std::max<std::size_t>(capacity, 1)),
      droppable_limit_(capacity_ - capacity_ / 16) {}

bool EventQueue::push_within(const Event& e, std::size_t limit) {
  std::size_t t = tail_.load(std::memory_order_relaxed);
  if (t - cached_head_ >= limit) {
    cached_head_ = head_.load(std::memory_order_acquire);
    if (t - cached_head_ >= limit) return false;
  }
  slots_[t & mask_] = e;
  tail_.store(t + 1, std::memory_order_release);
  return true;
}

bool EventQueue::push_blocking(const Event& e, const std::atomic<bool>& abort) {
  for (int spins = 0; !push_within(e, capacity_); ++spins) {
    if (abort.load(std::memory_order_relaxed)) return false;
    publish();  // the consumer may be asleep on events it has not been told of
    if (spins < kYieldsBeforeSleep) {
      std::this_thread::yield();
      continue;
    }
    // Sleep until the consumer has made room for many events, not one: waking
    // per freed slot would cost a context switch per event.
    producer_waiting_.store(true, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    std::unique_lock<std::mutex> lock(mu_);
    producer_cv_.wait_for(lock, std::chrono::milliseconds(20),
                          [&] { return below_low_water() || abort.load(std::memory_order_relaxed); });
    producer_waiting_.store(false, std::memory_order_relaxed);
  }
  return true;
}

bool EventQueue::below_low_water() const {
  return tail_.load(std::memory_order_relaxed) - head_.load(std::memory_order_acquire) <= capacity_ / 2;
}

void EventQueue::publish() {
  // Pairs with the fence in wait_for_events(): either the consumer sees the new
  // tail before it sleeps, or this sees it waiting.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  // Clearing the flag makes this the only publish that takes the lock while
  // the consumer is on its way to sleep.
  if (consumer_waiting_.load(std::memory_order_relaxed) &&
      consumer_waiting_.exchange(false, std::memory_order_relaxed)) {
    std::lock_guard<std::mutex> lock(mu_);
    consumer_cv_.notify_one();
  }
}

void EventQueue::wait_for_events(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mu_);
  // The flag is raised again after every wake-up: publish() lowers it when it
  // notifies, and a wake-up that finds nothing must not leave it down.
  for (;;) {
    consumer_waiting_.store(true, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (head_.load(std::memory_order_relaxed) != tail_.load(std::memory_order_acquire) || woken_) break;
    if (consumer_cv_.wait_until(lock, deadline) == std::cv_status::timeout) break;
  }
  woken_ = false;
  consumer_waiting_.store(false, std::memory_order_relaxed);
}

std::size_t EventQueue::size() const {
  // Head first: read the other way round, the consumer can pass the tail we
  // saw and the difference wraps. Between the two loads the producer may push
  // into room the consumer made, so the true depth at any instant is also
  // bounded by the capacity.
  const std::size_t h = head_.load(std::memory_order_acquire);
  const std::size_t t = tail_.load(std::memory_order_acquire);
  return std::min(t - h, capacity_);
}

void EventQueue::wake_consumer() {
  std::lock_guard<std::mutex> lock(mu_);
  woken_ = true;
  consumer_cv_.notify_all();
}

void EventQueue::wake_producer_if_room() {
  if (producer_waiting_.load(std::memory_order_relaxed) && below_low_water()) {
    std::lock_guard<std::mutex> lock(mu_);
    producer_cv_.notify_one();
  }
}

}  // namespace tickd::core
