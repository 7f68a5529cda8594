// Shared helpers of the aggregator tests: a sink that records, time literals.
#pragma once

#include "aggregate/aggregator.hpp"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace tickd::core::testing {

struct Emitted {
  CandleData candle;
  CandleEventKind kind;
};

class RecordingSink : public CandleSink {
 public:
  void on_candle(const CandleData& candle, CandleEventKind kind) override {
    events.push_back({candle, kind});
  }

  std::vector<CandleData> closed(std::int32_t interval_s) const {
    return select(interval_s, CandleEventKind::closed);
  }
  std::vector<CandleData> updates(std::int32_t interval_s) const {
    return select(interval_s, CandleEventKind::update);
  }

  std::vector<Emitted> events;

 private:
  std::vector<CandleData> select(std::int32_t interval_s, CandleEventKind kind) const {
    std::vector<CandleData> out;
    for (const auto& e : events)
      if (e.kind == kind && e.candle.interval_s == interval_s) out.push_back(e.candle);
    return out;
  }
};

inline Interval iv(const char* name) { return *Interval::parse(name); }

inline AggregatorConfig config_of(std::initializer_list<const char*> intervals) {
  AggregatorConfig c;
  for (const char* name : intervals) c.intervals.push_back(iv(name));
  return c;
}

// Milliseconds of a civil time in a zone ("UTC" by default).
inline TimeMs at(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, const std::string& zone = "UTC") {
  cctz::time_zone tz;
  cctz::load_time_zone(zone, &tz);
  const auto tp = cctz::convert(cctz::civil_second(y, mo, d, h, mi, s), tz);
  return static_cast<TimeMs>(tp.time_since_epoch().count()) * 1000;
}

inline TickData tick(TimeMs time, double price, double quantity = 1, SymbolId symbol = 0) {
  TickData t;
  t.symbol = symbol;
  t.time = time;
  t.price = price;
  t.quantity = quantity;
  return t;
}

constexpr TimeMs kSec = 1000;
constexpr TimeMs kMin = 60 * kSec;
constexpr TimeMs kHour = 60 * kMin;
constexpr TimeMs kDay = 24 * kHour;

}  // namespace tickd::core::testing
