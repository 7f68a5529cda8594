// The revision of a closed candle for its message id: 0 the first time a
// bucket closes, then 1, 2, ... each time a late tick amends it, so an
// amendment is stored as a new message while a repeat of the same close is
// de-duplicated. Two ingests fed the same trades count the same revisions.
#pragma once

#include <tickd/types.hpp>

#include <cstdint>
#include <map>

namespace tickd::nats_out {

class CandleRevisions {
 public:
  std::uint32_t next(TimeMs open_time) {
    if (open_time > newest_) {
      newest_ = open_time;
      return 0;
    }
    std::uint32_t& r = amended_[open_time];
    // Keep the map small: amendments reach back a few buckets at most.
    if (amended_.size() > kKept) amended_.erase(amended_.begin());
    return ++r;
  }

 private:
  static constexpr std::size_t kKept = 256;
  TimeMs newest_ = INT64_MIN;
  std::map<TimeMs, std::uint32_t> amended_;
};

}  // namespace tickd::nats_out
