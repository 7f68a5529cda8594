#include "aggregate/history_ring.hpp"

#include <algorithm>
#include <cstring>
#include <thread>

namespace tickd::core {

void HistoryRing::push_closed(const CandleData& candle) {
  std::lock_guard<std::mutex> lock(mu_);
  write_open(CandleData{}, false);
  if (capacity_ == 0) return;
  while (count_ > 0 && at(count_ - 1).open_time >= candle.open_time) --count_;
  if (count_ == buf_.size()) {
    if (buf_.size() < capacity_) {
      buf_.push_back(candle);
      ++count_;
    } else {
      buf_[start_] = candle;
      start_ = (start_ + 1) % buf_.size();
    }
    return;
  }
  buf_[(start_ + count_) % buf_.size()] = candle;
  ++count_;
}

void HistoryRing::write_open(const CandleData& candle, bool has_open) {
  std::uint64_t words[kOpenWords];
  std::memcpy(words, &candle, sizeof candle);
  const std::uint32_t seq = open_seq_.load(std::memory_order_relaxed);
  open_seq_.store(seq + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  for (std::size_t i = 0; i < kOpenWords; ++i) open_words_[i].store(words[i], std::memory_order_relaxed);
  has_open_.store(has_open, std::memory_order_relaxed);
  open_seq_.store(seq + 2, std::memory_order_release);
}

bool HistoryRing::read_open(CandleData& out) const {
  std::uint64_t words[kOpenWords];
  for (;;) {
    const std::uint32_t before = open_seq_.load(std::memory_order_acquire);
    if (before & 1u) {
      std::this_thread::yield();
      continue;
    }
    for (std::size_t i = 0; i < kOpenWords; ++i) words[i] = open_words_[i].load(std::memory_order_relaxed);
    const bool has_open = has_open_.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if (open_seq_.load(std::memory_order_relaxed) != before) continue;
    std::memcpy(&out, words, sizeof out);
    return has_open;
  }
}

void HistoryRing::copy(std::uint32_t limit, std::vector<CandleData>& out) const {
  out.clear();
  // Under the mutex a close cannot slip in between: the closed candles and the
  // open snapshot agree on which candle is open.
  std::lock_guard<std::mutex> lock(mu_);
  CandleData open;
  const bool has_open = read_open(open);
  const std::size_t total = count_ + (has_open ? 1 : 0);
  const std::size_t n = std::min<std::size_t>(limit, total);
  out.reserve(n);
  const std::size_t closed = has_open ? n - std::min<std::size_t>(n, 1) : n;
  for (std::size_t i = count_ - closed; i < count_; ++i) out.push_back(at(i));
  if (has_open && n > 0) out.push_back(open);
}

}  // namespace tickd::core
