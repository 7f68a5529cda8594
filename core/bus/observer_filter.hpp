// Which events an observer wants: by kind, symbol and interval.
#pragma once

#include "bus/event.hpp"

#include <tickd/types.hpp>

#include <cstdint>
#include <vector>

namespace tickd::core {

class ObserverFilter {
 public:
  // events: TICKD_EVENT_* mask (0 = all). Empty symbol/interval lists = all.
  ObserverFilter(std::uint32_t events, std::vector<SymbolId> symbols, const std::vector<Interval>& intervals)
      : events_(events ? events : 0xFu), all_symbols_(symbols.empty()) {
    for (SymbolId s : symbols) {
      if (s >= symbols_.size()) symbols_.resize(s + 1, false);
      symbols_[s] = true;
    }
    for (Interval iv : intervals) intervals_mask_ |= bit(iv.seconds());
  }

  bool accepts(const Event& e) const {
    if (!(events_ & static_cast<std::uint32_t>(e.kind))) return false;
    if (!all_symbols_) {
      SymbolId s = e.symbol();
      if (s >= symbols_.size() || !symbols_[s]) return false;
    }
    if (intervals_mask_ != 0) {
      std::int64_t iv = e.interval_s();
      // Ticks and interval-less signals pass an interval filter.
      if (iv != 0 && !(intervals_mask_ & bit(iv))) return false;
    }
    return true;
  }

  std::uint32_t events() const { return events_; }

 private:
  static std::uint32_t bit(std::int64_t seconds) {
    for (std::size_t i = 0; i < Interval::known.size(); ++i)
      if (Interval::known[i].seconds == seconds) return 1u << i;
    return 0;
  }

  std::uint32_t events_;
  bool all_symbols_;
  std::vector<bool> symbols_;
  std::uint32_t intervals_mask_ = 0;
};

}  // namespace tickd::core
