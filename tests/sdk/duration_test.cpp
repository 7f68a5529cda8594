#include <tickd/duration.hpp>

#include <gtest/gtest.h>

namespace tickd {
namespace {

TEST(Duration, UnitsAndPlainSeconds) {
  EXPECT_EQ(parse_duration_ms("250ms"), 250);
  EXPECT_EQ(parse_duration_ms("1s"), 1000);
  EXPECT_EQ(parse_duration_ms("30s"), 30'000);
  EXPECT_EQ(parse_duration_ms("2m"), 120'000);
  EXPECT_EQ(parse_duration_ms("1h"), 3'600'000);
  EXPECT_EQ(parse_duration_ms("1d"), 86'400'000);
  EXPECT_EQ(parse_duration_ms("10"), 10'000);
  EXPECT_EQ(parse_duration_ms("0"), 0);
  EXPECT_EQ(parse_duration_ms("1.5s"), 1500);
  EXPECT_EQ(parse_duration_ms("0.25"), 250);
}

TEST(Duration, RejectsMalformed) {
  for (const char* text : {"", "s", "ms", "d", "abc", "-1s", "1 s", " 1s", "1e3", "inf", "1..5s", "1..5m",
                           "1.2.3s", "1sms", "0x10", "1w", "1y", "40000d"})
    EXPECT_EQ(parse_duration_ms(text), std::nullopt) << text;
}

TEST(Duration, FormatsTheShortestExactSpelling) {
  EXPECT_EQ(format_duration(86'400'000), "1d");
  EXPECT_EQ(format_duration(7'200'000), "2h");
  EXPECT_EQ(format_duration(300'000), "5m");
  EXPECT_EQ(format_duration(90'000), "90s");
  EXPECT_EQ(format_duration(1500), "1500ms");
  EXPECT_EQ(format_duration(0), "0s");
  for (std::int64_t ms : {0LL, 1LL, 999LL, 1000LL, 61'000LL, 3'600'000LL, 90'000'000LL})
    EXPECT_EQ(parse_duration_ms(format_duration(ms)), ms);
}

}  // namespace
}  // namespace tickd
