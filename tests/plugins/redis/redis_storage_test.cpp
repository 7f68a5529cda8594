// The redis plugin against a private redis-server started by the fixture.
#include "redis/redis_storage.hpp"
#include "storage_common/candle_json.hpp"
#include "support/local_servers.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>

namespace tickd::redis_test {
namespace {

using nlohmann::json;
using test_support::RedisServer;
using test_support::wait_until;

constexpr TimeMs kT0 = 1570752000000;
constexpr TimeMs kMinute = 60000;
constexpr auto kWait = std::chrono::seconds(10);

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using Context = std::unique_ptr<redisContext, ContextDeleter>;

Context connect(int port) {
  timeval tv{5, 0};
  Context c(redisConnectWithTimeout("127.0.0.1", port, tv));
  if (!c || c->err) throw std::runtime_error("test client cannot connect to redis");
  redisSetTimeout(c.get(), tv);
  return c;
}

class RedisStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<RedisServer>();
    symbol_ = host_storage_.intern("XRPETH");
  }

  redis_store::RedisStorage& start(json config) {
    config["port"] = server_->port();
    config["retry_initial"] = "20ms";
    config["retry_max"] = "200ms";
    hosts_.push_back(std::make_unique<testing::FakeHost>("cache", config));
    stores_.push_back(std::make_unique<redis_store::RedisStorage>());
    stores_.back()->start(hosts_.back()->host());
    return *stores_.back();
  }

  Candle candle(TimeMs open_time, double close) {
    Candle c;
    c.symbol = symbol_;
    c.interval = *Interval::parse("1m");
    c.open_time = open_time;
    c.open = c.high = c.low = c.close = close;
    c.volume = 1;
    c.quote_volume = close;
    c.vwap = close;
    c.trade_count = 1;
    c.closed = true;
    return c;
  }

  // The list as (open_time, close) pairs, oldest first.
  std::vector<std::pair<TimeMs, double>> list(const std::string& key = "candles:XRPETH:1m") {
    auto c = connect(server_->port());
    auto* reply = static_cast<redisReply*>(redisCommand(c.get(), "LRANGE %s 0 -1", key.c_str()));
    std::vector<std::pair<TimeMs, double>> out;
    for (std::size_t i = 0; reply && i < reply->elements; ++i) {
      auto parsed =
          storage::candle_from_json(std::string_view(reply->element[i]->str, reply->element[i]->len));
      out.emplace_back(parsed ? parsed->open_time : -1, parsed ? parsed->close : -1);
    }
    freeReplyObject(reply);
    return out;
  }

  std::unique_ptr<RedisServer> server_;
  testing::FakeHost host_storage_;  // owns the symbol table the candles view
  std::string_view symbol_;
  std::vector<std::unique_ptr<testing::FakeHost>> hosts_;
  std::vector<std::unique_ptr<redis_store::RedisStorage>> stores_;
};

TEST_F(RedisStorageTest, ClosedCandlesLandInTheListAndArePublished) {
  auto subscriber = connect(server_->port());
  freeReplyObject(redisCommand(subscriber.get(), "SUBSCRIBE candles:XRPETH:1m"));
  auto& store = start({});
  auto open = candle(kT0 + 3 * kMinute, 9);
  open.closed = false;
  store.on_candle(open);  // updates of the open candle are not stored
  for (int i = 0; i < 3; ++i) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  for (int i = 0; i < 3; ++i) {
    void* raw = nullptr;
    ASSERT_EQ(redisGetReply(subscriber.get(), &raw), REDIS_OK) << "no message " << i;
    auto* message = static_cast<redisReply*>(raw);
    ASSERT_EQ(message->elements, 3u);
    EXPECT_STREQ(message->element[1]->str, "candles:XRPETH:1m");
    auto parsed = storage::candle_from_json(message->element[2]->str);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->open_time, kT0 + i * kMinute);
    EXPECT_DOUBLE_EQ(parsed->close, 100 + i);
    EXPECT_EQ(json::parse(message->element[2]->str)["symbol"], "XRPETH");
    freeReplyObject(message);
  }
  store.stop();
  EXPECT_EQ(list(), (std::vector<std::pair<TimeMs, double>>{
                        {kT0, 100}, {kT0 + kMinute, 101}, {kT0 + 2 * kMinute, 102}}));
}

TEST_F(RedisStorageTest, ListIsCappedOrderedAndSameTimeReplaced) {
  auto& store = start({{"max_length", 5}, {"key_prefix", "t1:"}, {"batch_size", 1}});
  for (int i = 0; i < 8; ++i) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  store.on_candle(candle(kT0 + 7 * kMinute, 200));  // amends the newest
  store.on_candle(candle(kT0 + 5 * kMinute, 300));  // amends one in the middle
  store.on_candle(candle(kT0 + 4 * kMinute, 400));  // amends the oldest kept
  store.on_candle(candle(kT0 + 1 * kMinute, 500));  // older than all kept: trimmed away
  store.stop();
  EXPECT_EQ(list("t1:candles:XRPETH:1m"), (std::vector<std::pair<TimeMs, double>>{{kT0 + 3 * kMinute, 103},
                                                                                  {kT0 + 4 * kMinute, 400},
                                                                                  {kT0 + 5 * kMinute, 300},
                                                                                  {kT0 + 6 * kMinute, 106},
                                                                                  {kT0 + 7 * kMinute, 200}}));
}

TEST_F(RedisStorageTest, OutOfOrderCandlesAreInsertedInPlace) {
  auto& store = start({});
  for (int i : {0, 4, 2, 1, 3, 2}) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  store.stop();
  const auto got = list();
  ASSERT_EQ(got.size(), 5u);
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i].first, kT0 + static_cast<TimeMs>(i) * kMinute);
}

TEST_F(RedisStorageTest, RestoreReturnsNewestOldestFirst) {
  auto& writer = start({});
  for (int i = 0; i < 6; ++i) writer.on_candle(candle(kT0 + i * kMinute, 100 + i));
  writer.stop();
  auto& reader = start({});
  const auto restored = reader.restore("XRPETH", *Interval::parse("1m"), 3);
  ASSERT_EQ(restored.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(restored[i].open_time, kT0 + static_cast<TimeMs>(3 + i) * kMinute);
    EXPECT_EQ(restored[i].symbol, "XRPETH");
    EXPECT_TRUE(restored[i].closed);
  }
  EXPECT_EQ(reader.restore("XRPETH", *Interval::parse("1m"), 100).size(), 6u);
  EXPECT_TRUE(reader.restore("XRPETH", *Interval::parse("1m"), 0).empty());
  EXPECT_TRUE(reader.restore("XRPETH", *Interval::parse("5m"), 10).empty());
  reader.stop();
}

TEST_F(RedisStorageTest, CandlesQueuedWhileTheServerIsDownArriveAfterItReturns) {
  auto& store = start({{"batch_size", 2}, {"max_delay", "5ms"}});
  for (int i = 0; i < 3; ++i) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  ASSERT_TRUE(wait_until([&] { return store.writer()->written() == 3; }, kWait));
  const int port = server_->port();
  server_->kill_hard();
  for (int i = 3; i < 7; ++i) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  ASSERT_TRUE(wait_until([&] { return store.writer()->failures() > 0; }, kWait));
  // Same port, empty memory (no persistence): exactly the queued candles must arrive.
  server_ = std::make_unique<RedisServer>(std::vector<std::string>{}, port);
  ASSERT_TRUE(wait_until([&] { return store.writer()->written() == 7; }, kWait))
      << "written " << store.writer()->written() << ", queued " << store.writer()->queued();
  store.stop();
  std::vector<std::pair<TimeMs, double>> expected;
  for (int i = 3; i < 7; ++i) expected.emplace_back(kT0 + i * kMinute, 100 + i);
  EXPECT_EQ(list(), expected);
}

TEST_F(RedisStorageTest, ServerDownAtStartIsRetriedInTheBackground) {
  const int port = test_support::free_port();
  testing::FakeHost host("cache", json{{"port", port}, {"retry_initial", "20ms"}, {"retry_max", "100ms"}});
  redis_store::RedisStorage store;
  store.start(host.host());
  store.on_candle(candle(kT0, 1));
  server_ = std::make_unique<RedisServer>(std::vector<std::string>{}, port);
  ASSERT_TRUE(wait_until([&] { return store.writer()->written() == 1; }, kWait));
  store.stop();
  EXPECT_EQ(list().size(), 1u);
  bool warned = false;
  for (const auto& [level, text] : host.logs())
    warned |= level == LogLevel::warn && text.find("buffered") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(RedisStorageTest, OverflowDropsTheOldestAndIsLogged) {
  const int port = test_support::free_port();  // nothing listens here
  testing::FakeHost host("cache", json{{"port", port},
                                       {"max_buffer", 2},
                                       {"batch_size", 100},
                                       {"max_delay", "60000ms"},
                                       {"stop_timeout", "0ms"}});
  redis_store::RedisStorage store;
  store.start(host.host());
  for (int i = 0; i < 5; ++i) store.on_candle(candle(kT0 + i * kMinute, 1));
  // Neither batch size nor delay is reached, so the writer has taken nothing yet.
  EXPECT_EQ(store.writer()->queued(), 2u);
  EXPECT_EQ(store.writer()->dropped(), 3u);
  EXPECT_THROW(store.stop(), std::runtime_error);  // nothing could be written
  bool logged = false;
  for (const auto& [level, text] : host.logs())
    logged |= level == LogLevel::error && text.find("buffer full") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST_F(RedisStorageTest, WrongPasswordIsAClearErrorAtStart) {
  server_ = std::make_unique<RedisServer>(std::vector<std::string>{"--requirepass", "s3cret"});
  auto expect_error = [&](json config, const std::string& needle) {
    config["port"] = server_->port();
    testing::FakeHost host("cache", config);
    redis_store::RedisStorage store;
    try {
      store.start(host.host());
      ADD_FAILURE() << "start succeeded";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("wrong-pw"), std::string::npos) << "password leaked: " << e.what();
    }
  };
  expect_error({{"password", "wrong-pw"}}, "check username/password");
  expect_error({}, "no password configured");
  testing::FakeHost host("cache", json{{"port", server_->port()}, {"password", "s3cret"}});
  redis_store::RedisStorage store;
  store.start(host.host());
  store.stop();
}

}  // namespace
}  // namespace tickd::redis_test
