#include "series_table.hpp"

#include <algorithm>

namespace tickd::ws {

SeriesTable::SeriesTable(const std::vector<std::string_view>& symbols, const std::vector<Interval>& intervals)
    : intervals_(intervals) {
  for (auto s : symbols) {
    if (symbol_index_.count(std::string(s))) continue;
    symbol_index_.emplace(std::string(s), symbols_.size());
    symbols_.emplace_back(s);
  }
}

std::optional<std::size_t> SeriesTable::symbol_index(std::string_view symbol) const {
  auto it = symbol_index_.find(std::string(symbol));
  if (it == symbol_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> SeriesTable::interval_index(Interval interval) const {
  auto it = std::find(intervals_.begin(), intervals_.end(), interval);
  if (it == intervals_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - intervals_.begin());
}

std::optional<SeriesId> SeriesTable::find(std::string_view symbol, Interval interval) const {
  auto s = symbol_index(symbol);
  auto i = interval_index(interval);
  if (!s || !i) return std::nullopt;
  return id(*s, *i);
}

}  // namespace tickd::ws
