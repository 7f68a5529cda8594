#include "aggregate/bucket_clock.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using namespace testing;

SessionConfig nse(bool with_close = false, bool weekdays_only = false) {
  SessionConfig s;
  s.timezone = "Asia/Kolkata";
  s.open_minute = 9 * 60 + 15;
  if (with_close) s.close_minute = 15 * 60 + 30;
  if (weekdays_only) s.days = {1, 2, 3, 4, 5};
  return s;
}

TEST(BucketClock, FixedIntervalsAreAlignedToTheUtcEpochWithExactBoundaries) {
  const TimeMs t = at(2021, 6, 15, 13, 47, 29) + 123;
  for (const auto& known : Interval::known) {
    const Interval interval = *Interval::parse(known.name);
    if (interval.is_calendar()) continue;
    SCOPED_TRACE(std::string(known.name));
    const BucketClock clock(interval, SessionConfig{});
    const TimeMs length = interval.length_ms();
    const Bucket b = clock.bucket_at(t);
    EXPECT_EQ(b.start % length, 0);
    EXPECT_EQ(b.end - b.start, length);
    EXPECT_LE(b.start, t);
    EXPECT_LT(t, b.end);
    EXPECT_EQ(clock.bucket_at(b.start).start, b.start);
    EXPECT_EQ(clock.bucket_at(b.end - 1).start, b.start);
    EXPECT_EQ(clock.bucket_at(b.end).start, b.end);
    EXPECT_EQ(clock.bucket_at(b.end).end, b.end + length);
  }
}

TEST(BucketClock, KnownUtcBuckets) {
  const TimeMs t = at(2021, 6, 15, 13, 47, 29);
  EXPECT_EQ(BucketClock(iv("15m"), {}).bucket_at(t).start, at(2021, 6, 15, 13, 45));
  EXPECT_EQ(BucketClock(iv("4h"), {}).bucket_at(t).start, at(2021, 6, 15, 12, 0));
  EXPECT_EQ(BucketClock(iv("3m"), {}).bucket_at(t).start, at(2021, 6, 15, 13, 45));
  const Bucket day = BucketClock(iv("1d"), {}).bucket_at(t);
  EXPECT_EQ(day.start, at(2021, 6, 15));
  EXPECT_EQ(day.end, at(2021, 6, 16));
  // 2021-06-15 is a Tuesday: the week began on Monday the 14th.
  const Bucket week = BucketClock(iv("1w"), {}).bucket_at(t);
  EXPECT_EQ(week.start, at(2021, 6, 14));
  EXPECT_EQ(week.end, at(2021, 6, 21));
  EXPECT_EQ(BucketClock(iv("1w"), {}).bucket_at(at(2021, 6, 21) - 1).start, at(2021, 6, 14));
  EXPECT_EQ(BucketClock(iv("1w"), {}).bucket_at(at(2021, 6, 21)).start, at(2021, 6, 21));
}

TEST(BucketClock, TimesBeforeTheEpochRoundDown) {
  const Bucket b = BucketClock(iv("1m"), {}).bucket_at(-1);
  EXPECT_EQ(b.start, -kMin);
  EXPECT_EQ(b.end, 0);
}

TEST(BucketClock, NseHourlyBarsStartAtTheSessionOpen) {
  const BucketClock hourly(iv("1h"), nse());
  const Bucket first = hourly.bucket_at(at(2021, 7, 5, 9, 15, 0, "Asia/Kolkata"));
  EXPECT_EQ(first.start, at(2021, 7, 5, 3, 45));  // 09:15 IST
  EXPECT_EQ(first.end, at(2021, 7, 5, 4, 45));
  EXPECT_EQ(hourly.bucket_at(at(2021, 7, 5, 10, 14, 59, "Asia/Kolkata")).start, first.start);
  EXPECT_EQ(hourly.bucket_at(at(2021, 7, 5, 10, 15, 0, "Asia/Kolkata")).start,
            at(2021, 7, 5, 10, 15, 0, "Asia/Kolkata"));
  // Before the open a time belongs to the previous session day, whose last bar
  // ends exactly at this day's open.
  const Bucket before_open = hourly.bucket_at(at(2021, 7, 5, 9, 0, 0, "Asia/Kolkata"));
  EXPECT_EQ(before_open.start, at(2021, 7, 5, 8, 15, 0, "Asia/Kolkata"));
  EXPECT_EQ(before_open.end, first.start);

  const Bucket day = BucketClock(iv("1d"), nse()).bucket_at(at(2021, 7, 5, 12, 0, 0, "Asia/Kolkata"));
  EXPECT_EQ(day.start, at(2021, 7, 5, 3, 45));
  EXPECT_EQ(day.end, at(2021, 7, 6, 3, 45));
  // 2021-07-05 is a Monday.
  const Bucket week = BucketClock(iv("1w"), nse()).bucket_at(at(2021, 7, 8, 12, 0, 0, "Asia/Kolkata"));
  EXPECT_EQ(week.start, at(2021, 7, 5, 3, 45));
  EXPECT_EQ(week.end, at(2021, 7, 12, 3, 45));
}

TEST(BucketClock, SessionCloseSplitsTheBucketThatSpansIt) {
  const BucketClock hourly(iv("1h"), nse(true));
  const Bucket last = hourly.bucket_at(at(2021, 7, 5, 15, 20, 0, "Asia/Kolkata"));
  EXPECT_EQ(last.start, at(2021, 7, 5, 15, 15, 0, "Asia/Kolkata"));
  EXPECT_EQ(last.end, at(2021, 7, 5, 15, 30, 0, "Asia/Kolkata"));
  const Bucket after = hourly.bucket_at(at(2021, 7, 5, 15, 30, 0, "Asia/Kolkata"));
  EXPECT_EQ(after.start, at(2021, 7, 5, 15, 30, 0, "Asia/Kolkata"));
  EXPECT_EQ(after.end, at(2021, 7, 5, 16, 15, 0, "Asia/Kolkata"));
  const Bucket day = BucketClock(iv("1d"), nse(true)).bucket_at(at(2021, 7, 5, 12, 0, 0, "Asia/Kolkata"));
  EXPECT_EQ(day.end, at(2021, 7, 5, 15, 30, 0, "Asia/Kolkata"));
}

TEST(BucketClock, DaysInADstZoneLast23And25Hours) {
  SessionConfig ny;
  ny.timezone = "America/New_York";
  const BucketClock daily(iv("1d"), ny);
  const Bucket spring = daily.bucket_at(at(2021, 3, 14, 12, 0));
  EXPECT_EQ(spring.start, at(2021, 3, 14, 5, 0));  // midnight EST
  EXPECT_EQ(spring.end, at(2021, 3, 15, 4, 0));    // midnight EDT
  EXPECT_EQ(spring.end - spring.start, 23 * kHour);
  const Bucket fall = daily.bucket_at(at(2021, 11, 7, 12, 0));
  EXPECT_EQ(fall.start, at(2021, 11, 7, 4, 0));
  EXPECT_EQ(fall.end, at(2021, 11, 8, 5, 0));
  EXPECT_EQ(fall.end - fall.start, 25 * kHour);
  // Boundaries: the last millisecond of the short day, the first of the next.
  EXPECT_EQ(daily.bucket_at(spring.end - 1).start, spring.start);
  EXPECT_EQ(daily.bucket_at(spring.end).start, spring.end);
  EXPECT_EQ(daily.bucket_at(spring.start - 1).start, at(2021, 3, 13, 5, 0));

  const BucketClock weekly(iv("1w"), ny);
  const Bucket week = weekly.bucket_at(at(2021, 3, 14, 12, 0));  // a Sunday: week of Monday the 8th
  EXPECT_EQ(week.start, at(2021, 3, 8, 5, 0));
  EXPECT_EQ(week.end, at(2021, 3, 15, 4, 0));
  EXPECT_EQ(week.end - week.start, 7 * kDay - kHour);
}

TEST(BucketClock, AnchoredIntradayBarsNeverCrossTheNextSessionOpen) {
  SessionConfig ny;
  ny.timezone = "America/New_York";
  ny.open_minute = 9 * 60 + 30;
  // The session day from Saturday 2021-11-06 09:30 EDT to Sunday 09:30 EST is
  // 25 hours: six 4h bars and a 1h bar that ends at the next open.
  const BucketClock four(iv("4h"), ny);
  EXPECT_EQ(four.bucket_at(at(2021, 11, 6, 14, 0)).start, at(2021, 11, 6, 13, 30));
  const Bucket stub = four.bucket_at(at(2021, 11, 7, 14, 0));
  EXPECT_EQ(stub.start, at(2021, 11, 7, 13, 30));
  EXPECT_EQ(stub.end, at(2021, 11, 7, 14, 30));
  EXPECT_EQ(four.bucket_at(stub.end).start, at(2021, 11, 7, 14, 30));
  const Bucket day = BucketClock(iv("1d"), ny).bucket_at(at(2021, 11, 7, 0, 0));
  EXPECT_EQ(day.end - day.start, 25 * kHour);
}

TEST(BucketClock, SessionMembershipAndNextSessionBucket) {
  const BucketClock minute(iv("1m"), nse(true, true));
  // 2021-07-09 is a Friday.
  const TimeMs last_minute = at(2021, 7, 9, 15, 29, 0, "Asia/Kolkata");
  EXPECT_TRUE(minute.in_session(minute.bucket_at(last_minute)));
  EXPECT_FALSE(minute.in_session(minute.bucket_at(last_minute + kMin)));
  EXPECT_FALSE(minute.in_session(minute.bucket_at(at(2021, 7, 10, 11, 0, 0, "Asia/Kolkata"))));
  const auto next = minute.next_session_bucket(last_minute + kMin, at(2021, 7, 20));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->start, at(2021, 7, 12, 9, 15, 0, "Asia/Kolkata"));
  EXPECT_FALSE(minute.next_session_bucket(last_minute + kMin, next->start).has_value());

  const BucketClock daily(iv("1d"), nse(false, true));
  EXPECT_FALSE(daily.in_session(daily.bucket_at(at(2021, 7, 11, 12, 0, 0, "Asia/Kolkata"))));
  EXPECT_TRUE(daily.in_session(daily.bucket_at(at(2021, 7, 12, 12, 0, 0, "Asia/Kolkata"))));
}

TEST(BucketClock, UnknownTimezoneIsAnError) {
  SessionConfig bad;
  bad.timezone = "Mars/Olympus_Mons";
  EXPECT_THROW(BucketClock(iv("1d"), bad), std::invalid_argument);
}

}  // namespace
}  // namespace tickd::core
