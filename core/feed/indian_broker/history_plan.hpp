// Which candles to ask a broker's historical API for, given the aggregator's
// intervals and the ones the broker serves: a served interval directly; one it
// does not serve (2h, 4h, 1w) rolled up from the largest served interval that
// divides it; intervals below the smallest served one (seconds) not at all.
// After an outage the smallest configured interval the broker serves is
// fetched, and the aggregator merges it into the larger ones.
#pragma once

#include "aggregate/bucket_clock.hpp"
#include "model/market_data.hpp"

#include <vector>

namespace tickd::core {

struct HistorySeries {
  Interval interval;
  std::int32_t fetch_s = 0;  // == interval.seconds(): served; smaller: rolled up from it
};

struct HistoryPlan {
  std::vector<HistorySeries> series;
  std::int32_t backfill_s = 0;    // 0: no configured interval is served
  std::vector<Interval> skipped;  // neither served nor buildable from a served one
};

HistoryPlan plan_history(const std::vector<Interval>& intervals, const std::vector<std::int32_t>& served);

// Candles of `clock`'s interval built from closed candles of a smaller one
// (oldest first). Only whole buckets are kept: a bucket must begin at or after
// `from` and end by `until`.
std::vector<CandleData> roll_up(const std::vector<CandleData>& base, const BucketClock& clock, TimeMs from,
                                TimeMs until);

}  // namespace tickd::core
