// HistoryLoader against a local HTTP server speaking Kite's historical API:
// ranges split at the documented maximum, no more than 3 requests a second,
// HTTP 429 retried after a backoff, a refused token reported as such.
#include "feed/indian_broker/history_loader.hpp"
#include "feed/kite/kite_history.hpp"

#include "local_ws_server.hpp"

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>

#include <atomic>

namespace tickd::core {
namespace {

using test_servers::HttpAnswer;
using test_servers::LocalWsServer;

constexpr TimeMs kDay = 86400000;
constexpr TimeMs kJul5Open = 1625456700000;  // 2021-07-05T09:15:00+05:30

struct Loaded {
  bool done = false;
  std::vector<CandleData> candles;
  std::string error;
  HistoryError kind = HistoryError::none;
};

struct Fixture {
  explicit Fixture(LocalWsServer::Http http)
      : server([](test_servers::Peer&) {}, std::move(http)),
        fetcher(io, HttpOptions{}),
        api("http://127.0.0.1:" + std::to_string(server.port()), "key", "tok"),
        loader(io, fetcher, api) {}

  Loaded range(TimeMs from, TimeMs to) {
    Loaded out;
    loader.load_range({1, "NSE:INFY", "", "408065"}, 60, from, to,
                      [&](std::vector<CandleData> c, std::string e, HistoryError k) {
                        out = {true, std::move(c), std::move(e), k};
                      });
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!out.done && std::chrono::steady_clock::now() < until) io.run_for(std::chrono::milliseconds(10));
    return out;
  }

  boost::asio::io_context io;
  // The daemon keeps its io_context running; so does the test between answers.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  LocalWsServer server;
  HttpFetcher fetcher;
  KiteHistoryApi api;
  HistoryLoader loader;
};

const std::string kTwoCandles =
    R"({"status":"success","data":{"candles":[["2021-07-05T09:15:00+0530",1,2,0.5,1.5,10],)"
    R"(["2021-07-05T09:16:00+0530",1.5,2,1,1.8,20]]}})";

TEST(HistoryLoader, SplitsARangeAtTheDocumentedMaximumAndPaces) {
  Fixture f([](const std::string&) { return HttpAnswer{200, kTwoCandles}; });
  const auto t0 = std::chrono::steady_clock::now();
  // 130 days of minute candles: Kite serves 60 days per request -> 3 requests.
  const Loaded l = f.range(kJul5Open - 70 * kDay, kJul5Open + 60 * kDay);
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(l.done);
  EXPECT_TRUE(l.error.empty()) << l.error;
  const auto requests = f.server.http_requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_NE(requests[0].find("from=2021-04-26%2009:15:00&to=2021-06-25%2009:14:59"), std::string::npos)
      << requests[0];
  EXPECT_NE(requests[1].find("from=2021-06-25%2009:15:00&to=2021-08-24%2009:14:59"), std::string::npos)
      << requests[1];
  EXPECT_NE(requests[2].find("from=2021-08-24%2009:15:00&to=2021-09-03%2009:14:59"), std::string::npos)
      << requests[2];
  // The same two candles in every answer: kept once, closed, in order.
  ASSERT_EQ(l.candles.size(), 2u);
  EXPECT_EQ(l.candles[0].open_time, kJul5Open);
  EXPECT_TRUE(l.candles[1].closed());
  // 3 requests a second: the third goes out at least 2/3 s after the first.
  EXPECT_GE(elapsed, std::chrono::milliseconds(600));
  EXPECT_EQ(f.loader.requests(), 3u);
}

TEST(HistoryLoader, RetriesAfterTooManyRequests) {
  std::atomic<int> calls{0};
  Fixture f([&](const std::string&) {
    return ++calls <= 2
               ? HttpAnswer{429,
                            R"({"status":"error","message":"Too many requests","error_type":"NetworkException"})"}
               : HttpAnswer{200, kTwoCandles};
  });
  const Loaded l = f.range(kJul5Open, kJul5Open + 3600000);
  ASSERT_TRUE(l.done);
  EXPECT_TRUE(l.error.empty()) << l.error;
  EXPECT_EQ(l.candles.size(), 2u);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(f.loader.rate_limited(), 2u);
}

TEST(HistoryLoader, ReportsARefusedToken) {
  Fixture f([](const std::string&) {
    return HttpAnswer{403, R"({"status":"error","message":"Incorrect `api_key` or `access_token`.",)"
                           R"("error_type":"TokenException"})"};
  });
  const Loaded l = f.range(kJul5Open, kJul5Open + 3600000);
  ASSERT_TRUE(l.done);
  EXPECT_EQ(l.kind, HistoryError::auth);
  EXPECT_TRUE(l.candles.empty());
}

TEST(HistoryLoader, OnlyCandlesThatEndedByTheEndOfTheRange) {
  Fixture f([](const std::string&) { return HttpAnswer{200, kTwoCandles}; });
  // Up to 09:16:30: the 09:16 candle is still in progress then.
  const Loaded l = f.range(kJul5Open, kJul5Open + 90000);
  ASSERT_EQ(l.candles.size(), 1u);
  EXPECT_EQ(l.candles[0].open_time, kJul5Open);
}

}  // namespace
}  // namespace tickd::core
