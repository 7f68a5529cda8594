#include "config.hpp"

#include <gtest/gtest.h>

namespace tickd::ws {
namespace {

const std::vector<std::string_view> kSymbols = {"BTCUSDT", "ETHUSDT"};
const std::vector<Interval> kIntervals = {*Interval::parse("1s"), *Interval::parse("1m")};

std::string error_of(const nlohmann::json& j) {
  try {
    parse_config(j, kSymbols, kIntervals);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(WsConfig, DefaultsComeFromTheDaemon) {
  auto c = parse_config(nlohmann::json::object(), kSymbols, kIntervals);
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.default_symbol, "BTCUSDT");
  EXPECT_EQ(c.default_interval.name(), "1m");
  EXPECT_TRUE(c.token.empty());
  EXPECT_LT(c.soft_limit_bytes, c.hard_limit_bytes);
}

TEST(WsConfig, ParsesEveryKey) {
  auto c = parse_config({{"listen", "[::1]:0"},
                         {"default_symbol", "ETHUSDT"},
                         {"default_interval", "1s"},
                         {"token", "s3cret"},
                         {"allowed_origins", {"http://a.example"}},
                         {"max_connections", 3},
                         {"max_message_bytes", 512},
                         {"max_messages_per_second", 2.5},
                         {"soft_limit_bytes", 2048},
                         {"hard_limit_bytes", 8192},
                         {"flush_interval", "5ms"},
                         {"io_threads", 3},
                         {"web_root", "/tmp/web"}},
                        kSymbols, kIntervals);
  EXPECT_EQ(c.listen_host, "::1");
  EXPECT_EQ(c.listen_port, 0);
  EXPECT_EQ(c.default_symbol, "ETHUSDT");
  EXPECT_EQ(c.default_interval.name(), "1s");
  EXPECT_EQ(c.token, "s3cret");
  ASSERT_EQ(c.allowed_origins.size(), 1u);
  EXPECT_EQ(c.max_connections, 3u);
  EXPECT_EQ(c.max_message_bytes, 512u);
  EXPECT_DOUBLE_EQ(c.max_messages_per_second, 2.5);
  EXPECT_EQ(c.flush_interval_ms, 5);
  EXPECT_EQ(c.io_threads, 3);
  EXPECT_TRUE(c.web_root_explicit);
}

TEST(WsConfig, RefusesWhatIsWrongAndSaysWhich) {
  EXPECT_EQ(error_of({{"lisen", "127.0.0.1:80"}}),
            "ws_broadcast unknown key 'lisen' in 'config' (did you mean 'listen'?)");
  EXPECT_NE(error_of({{"listen", "8080"}}).find("'listen'"), std::string::npos);
  EXPECT_NE(error_of({{"listen", "127.0.0.1:99999"}}).find("invalid port"), std::string::npos);
  EXPECT_NE(error_of({{"io_threads", 0}}).find("'config.io_threads' must be an integer from 1 to 64"),
            std::string::npos);
  EXPECT_NE(error_of({{"default_symbol", "DOGE"}}).find("not a configured symbol"), std::string::npos);
  EXPECT_NE(error_of({{"default_interval", "2m"}}).find("'config.default_interval' must be one of 1s, 5s"),
            std::string::npos);
  EXPECT_NE(error_of({{"default_interval", "1h"}}).find("not one of the aggregator's"), std::string::npos);
  EXPECT_NE(error_of({{"max_connections", 0}}).find("'config.max_connections' must be an integer from 1"),
            std::string::npos);
  EXPECT_NE(error_of({{"max_connections", "ten"}}).find("must be an integer"), std::string::npos);
  EXPECT_EQ(error_of({{"flush_interval", "1..5ms"}}),
            "ws_broadcast 'config.flush_interval' must be a duration from 0s to 1s, got '1..5ms'");
  EXPECT_NE(error_of({{"soft_limit_bytes", 8192}, {"hard_limit_bytes", 4096}}).find("greater than"),
            std::string::npos);
  EXPECT_NE(error_of({{"allowed_origins", "http://x"}}).find("list"), std::string::npos);
  EXPECT_NE(error_of({{"token", ""}}).find("'config.token' must not be empty"), std::string::npos);
  EXPECT_NE(error_of({{"max_messages_per_second", 0}}).find("above 0"), std::string::npos);
  EXPECT_NE(error_of(nlohmann::json::array()).find("mapping"), std::string::npos);
}

}  // namespace
}  // namespace tickd::ws
