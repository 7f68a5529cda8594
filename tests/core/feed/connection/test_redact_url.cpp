#include "feed/connection/redact_url.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

TEST(RedactUrl, CutsQueryAndUserInfo) {
  EXPECT_EQ(redact_url("wss://ws.kite.trade?api_key=k&access_token=secret"),
            "wss://ws.kite.trade?<redacted>");
  EXPECT_EQ(redact_url("wss://user:pw@host:9443/stream?streams=a"),
            "wss://<redacted>@host:9443/stream?<redacted>");
  EXPECT_EQ(redact_url("ws://127.0.0.1:1/x"), "ws://127.0.0.1:1/x");
}

}  // namespace
}  // namespace tickd::core
