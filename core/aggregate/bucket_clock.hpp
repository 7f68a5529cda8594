// Interval math for one interval: which bucket a time falls in, and which
// buckets lie inside the trading session (for gap fill).
//
// Fixed intervals (1s..4h) are aligned to the UTC epoch, unless the session
// has an open time: then they are anchored at each day's local session open
// and never cross the next open. 1d and 1w follow the session timezone (local
// midnight or session open; weeks start on Monday), so a day in a DST zone is
// 23 or 25 hours long. When a session close is set, a bucket that would span
// it is split there, so the last bar of the day ends (and closes) at the close.
// A trading calendar (session.holidays, session.special_sessions) takes
// holidays out of the trading days and gives special sessions (Muhurat
// trading) their own open and close.
#pragma once

#include "config/config.hpp"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <optional>
#include <vector>

namespace tickd::core {

struct Bucket {
  TimeMs start = 0;
  TimeMs end = 0;  // exclusive
};

class BucketClock {
 public:
  // Throws std::invalid_argument for an unknown timezone.
  BucketClock(Interval interval, const SessionConfig& session);

  Interval interval() const { return interval_; }

  // The bucket that contains t.
  Bucket bucket_at(TimeMs t) const;

  // Whether any part of the bucket lies inside a trading session (a trading
  // weekday, before the session close when one is set).
  bool in_session(const Bucket& bucket) const;

  // The first bucket that starts at or after `from`, lies inside the session
  // and starts before `before`; nullopt if there is none.
  std::optional<Bucket> next_session_bucket(TimeMs from, TimeMs before) const;

 private:
  TimeMs day_open(const cctz::civil_day& day) const;   // session open (or midnight) of a local day
  TimeMs day_close(const cctz::civil_day& day) const;  // session close, or the next day's open
  cctz::civil_day session_day(TimeMs t) const;         // the local day whose session contains t
  bool trading_day(const cctz::civil_day& day) const;
  const SessionConfig::SpecialSession* special(const cctz::civil_day& day) const;
  TimeMs next_trading_open(TimeMs t) const;  // first trading day's open after t

  Interval interval_;
  TimeMs length_ms_;
  bool calendar_;
  bool anchored_;  // fixed interval anchored at the session open
  int open_minute_;
  std::optional<int> close_minute_;
  unsigned day_mask_;          // bit w set: weekday w (0 = Sunday) trades; all set when days is empty
  std::vector<int> holidays_;  // yyyymmdd, sorted
  std::vector<SessionConfig::SpecialSession> specials_;  // sorted by date
  cctz::time_zone zone_;
};

}  // namespace tickd::core
