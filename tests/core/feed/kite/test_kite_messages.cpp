// Kite subscribe/mode messages.
#include "feed/kite/kite_messages.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

TEST(KiteMessages, SubscribeAndMode) {
  EXPECT_EQ(kite_subscribe_message({408065, 884737}), R"({"a":"subscribe","v":[408065,884737]})");
  EXPECT_EQ(kite_unsubscribe_message({408065}), R"({"a":"unsubscribe","v":[408065]})");
  EXPECT_EQ(kite_mode_message(KiteMode::full, {408065}), R"({"a":"mode","v":["full",[408065]]})");
  EXPECT_EQ(kite_mode_message(KiteMode::ltp, {}), R"({"a":"mode","v":["ltp",[]]})");
}

TEST(KiteMessages, ModeNames) {
  KiteMode mode = KiteMode::ltp;
  EXPECT_TRUE(parse_kite_mode("quote", mode));
  EXPECT_EQ(mode, KiteMode::quote);
  EXPECT_FALSE(parse_kite_mode("FULL", mode));
  EXPECT_EQ(kite_mode_name(KiteMode::full), "full");
}

}  // namespace
}  // namespace tickd::core
