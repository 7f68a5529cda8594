// NatsFeed against a real nats-server: an edge far behind its stream catches
// up with bounded memory (while the feed thread is busy, the queue between the
// NATS client's threads and the feed thread stops at NatsFeed::kInboxLimit and
// the rest waits on the server) and restores every closed candle once, in order;
// an interval with nothing in the stream yet does not hold the others back.
#include "core/feed/nats/feed_recorder.hpp"
#include "feed/nats/nats_feed.hpp"
#include "nats/stream_setup.hpp"
#include "support/nats_servers.hpp"

#include <tickd/wire.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace tickd::core {
namespace {

using namespace std::chrono_literals;
using test_support::wait_until;

using testing::FeedRecorder;

// An edge's feed config: only closed candles, from the stream at `url`.
FeedConfig closed_candles_from(const std::string& url) {
  FeedConfig config;
  config.kind = "nats";
  config.symbols = {"XRPETH"};
  config.nats.servers = {url};
  config.nats.updates = false;
  return config;
}

// `n` closed 1m XRPETH candles, the newest closed a minute ago, into the stream.
std::vector<TimeMs> publish_closed_candles(const std::string& url, std::size_t n) {
  natsConnection* nc = nullptr;
  EXPECT_EQ(natsConnection_ConnectTo(&nc, url.c_str()), NATS_OK);
  jsCtx* js = nullptr;
  natsConnection_JetStream(&js, nc, nullptr);
  nats_out::ensure_stream(js, nats_out::StreamSettings{}, "tickd");
  const TimeMs minute = 60000;
  const TimeMs first = (Feed::wall_clock_ms() / minute - static_cast<TimeMs>(n) - 1) * minute;
  std::vector<TimeMs> times;
  for (std::size_t i = 0; i < n; ++i) {
    Candle c;
    c.symbol = "XRPETH";
    c.interval = *Interval::parse("1m");
    c.open_time = first + static_cast<TimeMs>(i) * minute;
    c.open = c.high = c.low = c.close = 0.0012 + static_cast<double>(i) * 1e-7;
    c.volume = 1;
    c.quote_volume = c.close;
    c.vwap = c.close;
    c.trade_count = 1;
    c.closed = true;
    std::string payload;
    wire::append(payload, c);
    EXPECT_EQ(js_PublishAsync(js, "tickd.closed.XRPETH.1m", payload.data(), static_cast<int>(payload.size()),
                              nullptr),
              NATS_OK);
    times.push_back(c.open_time);
  }
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = 30000;
  EXPECT_EQ(js_PublishAsyncComplete(js, &po), NATS_OK);
  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);
  return times;
}

TEST(NatsFeedCatchUp, AFarBehindEdgeHoldsABoundedQueueAndRestoresEveryCandleOnceInOrder) {
  test_support::NatsServer server;
  const std::size_t n = 3 * NatsFeed::kInboxLimit + 17;
  const std::vector<TimeMs> times = publish_closed_candles(server.url(), n);

  const FeedConfig config = closed_candles_from(server.url());
  boost::asio::io_context io;
  SymbolTable symbols;
  NatsFeed feed(config, {*Interval::parse("1m")}, static_cast<std::uint32_t>(n), io, symbols);
  FeedRecorder sink;
  feed.start(sink);

  // The feed thread (io) is not running: the queue fills to its bound, no further.
  ASSERT_TRUE(wait_until([&] { return feed.inbox_size() >= NatsFeed::kInboxLimit; }, 20s))
      << feed.inbox_size();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(feed.inbox_size(), NatsFeed::kInboxLimit);

  ASSERT_TRUE(wait_until(
      [&] {
        io.run_for(50ms);
        return sink.history.size() >= n;
      },
      60s))
      << sink.history.size() << " of " << n;
  feed.stop();
  ASSERT_EQ(sink.history.size(), n);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(sink.history[i].open_time, times[i]) << i;
  EXPECT_TRUE(sink.closed.empty());
  const FeedStats stats = feed.stats();
  EXPECT_EQ(stats.decode_errors, 0u);
  EXPECT_EQ(stats.dropped, 0u);
  EXPECT_EQ(stats.position, n);
}

// A new deployment: the stream holds 1m candles but no 1h candle has closed
// yet. The 1h consumer has nothing to replay, so the feed goes live at once
// instead of restoring until the first hour closes.
TEST(NatsFeedCatchUp, AnIntervalWithNothingInTheStreamYetDoesNotHoldTheFeedInRestore) {
  test_support::NatsServer server;
  const std::vector<TimeMs> times = publish_closed_candles(server.url(), 30);

  const FeedConfig config = closed_candles_from(server.url());
  boost::asio::io_context io;
  SymbolTable symbols;
  auto work = boost::asio::make_work_guard(io);  // as the daemon's feed thread: never out of work
  NatsFeed feed(config, {*Interval::parse("1m"), *Interval::parse("1h")}, 100, io, symbols);
  FeedRecorder sink;
  feed.start(sink);
  ASSERT_TRUE(wait_until(
      [&] {
        io.run_for(50ms);
        return sink.history.size() >= times.size();
      },
      10s))
      << "still restoring: " << sink.history.size() << " of " << times.size() << " candles in history";
  feed.stop();
  EXPECT_EQ(sink.history.size(), times.size());
}

}  // namespace
}  // namespace tickd::core
