#include "config/duration.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

TEST(Duration, UnitsAndPlainSeconds) {
  EXPECT_EQ(parse_duration_ms("250ms"), 250);
  EXPECT_EQ(parse_duration_ms("1s"), 1000);
  EXPECT_EQ(parse_duration_ms("2m"), 120'000);
  EXPECT_EQ(parse_duration_ms("1h"), 3'600'000);
  EXPECT_EQ(parse_duration_ms("10"), 10'000);
  EXPECT_EQ(parse_duration_ms("0"), 0);
  EXPECT_EQ(parse_duration_ms("1.5s"), 1500);
  EXPECT_EQ(parse_duration_ms("0.25"), 250);
}

TEST(Duration, RejectsMalformed) {
  for (const char* text :
       {"", "s", "ms", "abc", "-1s", "1d", "1 s", " 1s", "1e3", "inf", "1..5s", "1sms", "0x10"})
    EXPECT_EQ(parse_duration_ms(text), std::nullopt) << text;
}

}  // namespace
}  // namespace tickd::core
