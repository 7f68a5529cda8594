// SmartAPI V2 subscribe/unsubscribe messages.
#include "feed/smartapi/smartapi_messages.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

TEST(SmartApiMessages, SubscribeAsDocumented) {
  EXPECT_EQ(
      smartapi_subscription_message(true, SmartApiMode::ltp,
                                    {{smartapi_exchange::nse_cm, {"10626", "5290"}},
                                     {smartapi_exchange::mcx_fo, {"234230", "234235", "234219"}}},
                                    "abcde12345"),
      R"({"correlationID":"abcde12345","action":1,"params":{"mode":1,"tokenList":[)"
      R"({"exchangeType":1,"tokens":["10626","5290"]},{"exchangeType":5,"tokens":["234230","234235","234219"]}]}})");
}

TEST(SmartApiMessages, UnsubscribeSnapQuote) {
  EXPECT_EQ(
      smartapi_subscription_message(false, SmartApiMode::snap_quote, {{13, {"1151"}}}, "x"),
      R"({"correlationID":"x","action":0,"params":{"mode":3,"tokenList":[{"exchangeType":13,"tokens":["1151"]}]}})");
}

TEST(SmartApiMessages, CorrelationIdIsCutAndStringsEscaped) {
  EXPECT_EQ(smartapi_subscription_message(true, SmartApiMode::quote, {{1, {"a\"b\\c\n"}}}, "0123456789ABC"),
            R"({"correlationID":"0123456789","action":1,"params":{"mode":2,"tokenList":[)"
            R"({"exchangeType":1,"tokens":["a\"b\\c\u000a"]}]}})");
}

}  // namespace
}  // namespace tickd::core
