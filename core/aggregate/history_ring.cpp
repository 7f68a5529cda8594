#include "aggregate/history_ring.hpp"

#include <algorithm>

namespace tickd::core {

void HistoryRing::push_closed(const CandleData& candle) {
  std::lock_guard<std::mutex> lock(mu_);
  has_open_ = false;
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

void HistoryRing::set_open(const CandleData& candle) {
  std::lock_guard<std::mutex> lock(mu_);
  open_ = candle;
  has_open_ = true;
}

void HistoryRing::copy(std::uint32_t limit, std::vector<CandleData>& out) const {
  out.clear();
  std::lock_guard<std::mutex> lock(mu_);
  const std::size_t total = count_ + (has_open_ ? 1 : 0);
  const std::size_t n = std::min<std::size_t>(limit, total);
  out.reserve(n);
  const std::size_t closed = has_open_ ? n - std::min<std::size_t>(n, 1) : n;
  for (std::size_t i = count_ - closed; i < count_; ++i) out.push_back(at(i));
  if (has_open_ && n > 0) out.push_back(open_);
}

}  // namespace tickd::core
