// Closed candles and signals sent to a child and not yet acknowledged, oldest
// first, each with its seq: what goes to the next child if this one fails. A
// vector with a moving front, so that sending and acknowledging thousands of
// events a millisecond allocates nothing once it has grown.
#pragma once

#include "bus/event.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tickd::core {

class UnackedEvents {
 public:
  struct Entry {
    std::uint64_t seq;
    Event event;
  };

  void push(std::uint64_t seq, const Event& e) { entries_.push_back(Entry{seq, e}); }
  // Drops every entry up to `seq` (a cumulative acknowledgement).
  void acknowledge(std::uint64_t seq) {
    while (head_ < entries_.size() && entries_[head_].seq <= seq) ++head_;
    if (head_ == entries_.size()) {
      clear();
    } else if (head_ >= 4096 && head_ * 2 >= entries_.size()) {
      entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  std::size_t size() const { return entries_.size() - head_; }
  bool empty() const { return size() == 0; }
  template <typename F>
  void for_each_newest_first(F&& f) const {
    for (std::size_t i = entries_.size(); i > head_; --i) f(entries_[i - 1].event);
  }
  void clear() {
    entries_.clear();
    head_ = 0;
  }

 private:
  std::vector<Entry> entries_;
  std::size_t head_ = 0;
};

}  // namespace tickd::core
