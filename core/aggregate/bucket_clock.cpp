#include "aggregate/bucket_clock.hpp"

#include <algorithm>
#include <stdexcept>

namespace tickd::core {
namespace {

TimeMs floor_div(TimeMs a, TimeMs b) {
  TimeMs q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

TimeMs to_ms(const cctz::time_point<cctz::seconds>& tp) {
  return static_cast<TimeMs>(tp.time_since_epoch().count()) * 1000;
}

// cctz numbers weekdays from Monday; the config numbers them from Sunday.
int sunday_based(cctz::weekday wd) { return (static_cast<int>(wd) + 1) % 7; }

int yyyymmdd(const cctz::civil_day& day) {
  return static_cast<int>(day.year()) * 10000 + day.month() * 100 + day.day();
}

}  // namespace

BucketClock::BucketClock(Interval interval, const SessionConfig& session)
    : interval_(interval),
      length_ms_(interval.length_ms()),
      calendar_(interval.is_calendar()),
      anchored_(!interval.is_calendar() &&
                (session.open_minute.has_value() || !session.special_sessions.empty())),
      open_minute_(session.open_minute.value_or(0)),
      close_minute_(session.close_minute),
      day_mask_(0),
      holidays_(session.holidays),
      specials_(session.special_sessions) {
  if (!interval.valid()) throw std::invalid_argument("aggregator: invalid interval");
  if (!cctz::load_time_zone(session.timezone, &zone_))
    throw std::invalid_argument("aggregator: unknown timezone '" + session.timezone + "'");
  if (session.days.empty()) {
    day_mask_ = 0x7f;
  } else {
    for (int d : session.days)
      if (d >= 0 && d <= 6) day_mask_ |= 1u << d;
  }
}

const SessionConfig::SpecialSession* BucketClock::special(const cctz::civil_day& day) const {
  if (specials_.empty()) return nullptr;
  const int date = yyyymmdd(day);
  auto it = std::lower_bound(specials_.begin(), specials_.end(), date,
                             [](const SessionConfig::SpecialSession& s, int d) { return s.date < d; });
  return it != specials_.end() && it->date == date ? &*it : nullptr;
}

TimeMs BucketClock::day_open(const cctz::civil_day& day) const {
  const auto* s = special(day);
  return to_ms(cctz::convert(cctz::civil_second(day) + (s ? s->open_minute : open_minute_) * 60, zone_));
}

TimeMs BucketClock::day_close(const cctz::civil_day& day) const {
  if (const auto* s = special(day))
    return to_ms(cctz::convert(cctz::civil_second(day) + s->close_minute * 60, zone_));
  if (!close_minute_) return day_open(day + 1);
  // A close at or before the open is the next morning's (an overnight session).
  const cctz::civil_day close_day = *close_minute_ > open_minute_ ? day : day + 1;
  return to_ms(cctz::convert(cctz::civil_second(close_day) + *close_minute_ * 60, zone_));
}

cctz::civil_day BucketClock::session_day(TimeMs t) const {
  const cctz::time_point<cctz::seconds> tp{cctz::seconds(floor_div(t, 1000))};
  cctz::civil_day day(cctz::convert(tp, zone_));
  while (t < day_open(day)) day -= 1;
  while (t >= day_open(day + 1)) day += 1;
  return day;
}

bool BucketClock::trading_day(const cctz::civil_day& day) const {
  if (special(day)) return true;
  if (!holidays_.empty() && std::binary_search(holidays_.begin(), holidays_.end(), yyyymmdd(day)))
    return false;
  return (day_mask_ >> sunday_based(cctz::get_weekday(day))) & 1u;
}

TimeMs BucketClock::next_trading_open(TimeMs t) const {
  const cctz::civil_day day = session_day(t);
  // Two weeks: a holiday week between two weekends is the longest closure.
  for (int i = 1; i <= 14; ++i)
    if (trading_day(day + i)) return day_open(day + i);
  return day_open(day + 15);
}

Bucket BucketClock::bucket_at(TimeMs t) const {
  if (!calendar_ && !anchored_) {
    const TimeMs start = floor_div(t, length_ms_) * length_ms_;
    return {start, start + length_ms_};
  }
  const cctz::civil_day day = session_day(t);
  if (interval_.seconds() == 7 * 86400) {
    const cctz::civil_day monday = day - static_cast<int>(cctz::get_weekday(day));
    return {day_open(monday), day_open(monday + 7)};
  }
  Bucket b;
  const TimeMs open = day_open(day);
  const TimeMs next_open = day_open(day + 1);
  if (calendar_) {
    b = {open, next_open};
  } else {
    b.start = open + floor_div(t - open, length_ms_) * length_ms_;
    b.end = std::min(b.start + length_ms_, next_open);
  }
  if (close_minute_ || special(day)) {
    const TimeMs close = day_close(day);
    if (b.start < close && close < b.end) {
      if (t < close)
        b.end = close;
      else
        b.start = close;
    }
  }
  return b;
}

bool BucketClock::in_session(const Bucket& bucket) const {
  if (day_mask_ == 0 && specials_.empty()) return false;
  if (interval_.seconds() == 7 * 86400) return true;
  if (day_mask_ == 0x7f && !close_minute_ && holidays_.empty() && specials_.empty()) return true;
  const cctz::civil_day day = session_day(bucket.start);
  for (const cctz::civil_day d : {day, day + 1}) {
    if (trading_day(d) && day_open(d) < bucket.end && bucket.start < day_close(d)) return true;
  }
  return false;
}

std::optional<Bucket> BucketClock::next_session_bucket(TimeMs from, TimeMs before) const {
  if (day_mask_ == 0 && specials_.empty()) return std::nullopt;
  TimeMs cursor = from;
  while (cursor < before) {
    const Bucket b = bucket_at(cursor);
    if (b.start < cursor) {
      cursor = b.end;
      continue;
    }
    if (b.start >= before) break;
    if (in_session(b)) return b;
    cursor = std::max(b.end, next_trading_open(b.start));
  }
  return std::nullopt;
}

}  // namespace tickd::core
