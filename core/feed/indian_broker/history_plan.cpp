#include "feed/indian_broker/history_plan.hpp"

#include <algorithm>

namespace tickd::core {

HistoryPlan plan_history(const std::vector<Interval>& intervals, const std::vector<std::int32_t>& served) {
  HistoryPlan plan;
  for (Interval iv : intervals) {
    const auto s = static_cast<std::int32_t>(iv.seconds());
    if (std::find(served.begin(), served.end(), s) != served.end()) {
      plan.series.push_back({iv, s});
      if (plan.backfill_s == 0) plan.backfill_s = s;
      continue;
    }
    std::int32_t base = 0;
    for (std::int32_t candidate : served)
      if (candidate < s && s % candidate == 0) base = std::max(base, candidate);
    if (base > 0)
      plan.series.push_back({iv, base});
    else
      plan.skipped.push_back(iv);
  }
  return plan;
}

std::vector<CandleData> roll_up(const std::vector<CandleData>& base, const BucketClock& clock, TimeMs from,
                                TimeMs until) {
  std::vector<CandleData> out;
  const auto interval_s = static_cast<std::int32_t>(clock.interval().seconds());
  Bucket current{};
  bool open = false;
  CandleData acc;
  auto flush = [&] {
    if (open && current.start >= from && current.end <= until) out.push_back(acc);
    open = false;
  };
  for (const CandleData& c : base) {
    const Bucket b = clock.bucket_at(c.open_time);
    if (!open || b.start != current.start) {
      flush();
      current = b;
      acc = c;
      acc.interval_s = interval_s;
      acc.open_time = b.start;
      open = true;
      continue;
    }
    acc.high = std::max(acc.high, c.high);
    acc.low = std::min(acc.low, c.low);
    acc.close = c.close;
    acc.volume += c.volume;
    acc.quote_volume += c.quote_volume;
    acc.trade_count += c.trade_count;
  }
  flush();
  return out;
}

}  // namespace tickd::core
