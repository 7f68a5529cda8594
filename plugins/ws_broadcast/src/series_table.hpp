// Dense ids for every (symbol, interval) series the daemon aggregates, so the
// fan-out indexes subscribers by a plain vector. Built once in start(); read-only
// afterwards, so every thread may use it without a lock.
#pragma once

#include <tickd/types.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tickd::ws {

using SeriesId = std::uint32_t;

class SeriesTable {
 public:
  SeriesTable() = default;
  SeriesTable(const std::vector<std::string_view>& symbols, const std::vector<Interval>& intervals);

  std::optional<std::size_t> symbol_index(std::string_view symbol) const;
  std::optional<std::size_t> interval_index(Interval interval) const;
  std::optional<SeriesId> find(std::string_view symbol, Interval interval) const;

  SeriesId id(std::size_t symbol_index, std::size_t interval_index) const {
    return static_cast<SeriesId>(symbol_index * intervals_.size() + interval_index);
  }
  std::size_t size() const { return symbols_.size() * intervals_.size(); }
  const std::string& symbol_of(SeriesId id) const { return symbols_[id / intervals_.size()]; }
  Interval interval_of(SeriesId id) const { return intervals_[id % intervals_.size()]; }
  const std::vector<std::string>& symbols() const { return symbols_; }
  const std::vector<Interval>& intervals() const { return intervals_; }

 private:
  std::vector<std::string> symbols_;
  std::vector<Interval> intervals_;
  std::unordered_map<std::string, std::size_t> symbol_index_;
};

}  // namespace tickd::ws
