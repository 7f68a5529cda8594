// NatsFeed against a real nats-server: a newer revision of a closed candle (its
// Nats-Msg-Id, as the `nats` plugin publishes an ingest's late-tick amendment)
// replaces that candle - in the history restored from the stream, and live
// through FeedSink::on_amended_candle - while a repeat is dropped.
#include "core/feed/nats/feed_recorder.hpp"
#include "feed/nats/nats_feed.hpp"
#include "nats/stream_setup.hpp"
#include "nats_client/nats_subjects.hpp"
#include "support/nats_servers.hpp"

#include <tickd/wire.hpp>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>

namespace tickd::core {
namespace {

using namespace std::chrono_literals;
using test_support::wait_until;

constexpr TimeMs kMinute = 60000;

using testing::FeedRecorder;

class Publisher {
 public:
  explicit Publisher(const std::string& url) {
    EXPECT_EQ(natsConnection_ConnectTo(&nc_, url.c_str()), NATS_OK);
    natsConnection_JetStream(&js_, nc_, nullptr);
    nats_out::ensure_stream(js_, nats_out::StreamSettings{}, "tickd");
  }
  ~Publisher() {
    jsCtx_Destroy(js_);
    natsConnection_Destroy(nc_);
  }
  // A closed 1m XRPETH candle whose high tells its revision apart; `revision`
  // < 0 publishes it without a message id.
  void closed(TimeMs open_time, int revision, double high) {
    Candle c;
    c.symbol = "XRPETH";
    c.interval = *Interval::parse("1m");
    c.open_time = open_time;
    c.open = c.low = c.close = 0.0012;
    c.high = high;
    c.volume = 1 + revision;
    c.quote_volume = c.volume * c.close;
    c.vwap = c.close;
    c.trade_count = 1;
    c.closed = true;
    std::string payload;
    wire::append(payload, c);
    jsPubOptions po;
    jsPubOptions_Init(&po);
    const std::string id = nats_subjects::candle_message_id(c.symbol, c.interval, open_time,
                                                            static_cast<std::uint32_t>(revision));
    if (revision >= 0) po.MsgId = id.c_str();
    jsPubAck* ack = nullptr;
    EXPECT_EQ(js_Publish(&ack, js_, "tickd.closed.XRPETH.1m", payload.data(),
                         static_cast<int>(payload.size()), &po, nullptr),
              NATS_OK);
    jsPubAck_Destroy(ack);
  }

 private:
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
};

TEST(NatsFeedAmendments, ANewerRevisionReplacesTheClosedCandleARepeatDoesNot) {
  test_support::NatsServer server;
  Publisher pub(server.url());
  const TimeMs t0 = (Feed::wall_clock_ms() / kMinute - 10) * kMinute;
  // Before the edge starts: history, with the first candle amended.
  pub.closed(t0, 0, 0.0013);
  pub.closed(t0 + kMinute, 0, 0.0013);
  pub.closed(t0, 1, 0.0014);

  FeedConfig config;
  config.kind = "nats";
  config.symbols = {"XRPETH"};
  config.nats.servers = {server.url()};
  config.nats.updates = false;
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);  // run_for must not stop while the feed is idle
  SymbolTable symbols;
  NatsFeed feed(config, {*Interval::parse("1m")}, 100, io, symbols);
  FeedRecorder sink;
  feed.start(sink);
  ASSERT_TRUE(wait_until(
      [&] {
        io.run_for(20ms);
        return feed.stats().state == "live";
      },
      10s))
      << feed.stats().state;
  ASSERT_EQ(sink.history.size(), 2u);
  EXPECT_EQ(sink.history[0].open_time, t0);
  EXPECT_EQ(sink.history[0].high, 0.0014) << "the amendment replaced it in the history restored";
  EXPECT_EQ(sink.history[1].high, 0.0013);

  // Live.
  pub.closed(t0 + 2 * kMinute, 0, 0.0013);
  pub.closed(t0 + kMinute, 1, 0.0015);   // amends the second
  pub.closed(t0 + kMinute, -1, 0.0016);  // no message id: a first close, so a repeat
  pub.closed(t0, 1, 0.0017);             // not stored again: the stream's duplicate window
  pub.closed(t0, 2, 0.0018);             // amends the first again
  pub.closed(t0 + 3 * kMinute, 0, 0.0013);
  ASSERT_TRUE(wait_until(
      [&] {
        io.run_for(20ms);
        return sink.closed.size() >= 2;
      },
      10s));
  feed.stop();
  ASSERT_EQ(sink.closed.size(), 2u);
  EXPECT_EQ(sink.closed[0].open_time, t0 + 2 * kMinute);
  EXPECT_EQ(sink.closed[1].open_time, t0 + 3 * kMinute);
  ASSERT_EQ(sink.amended.size(), 2u);
  EXPECT_EQ(sink.amended[0].open_time, t0 + kMinute);
  EXPECT_EQ(sink.amended[0].high, 0.0015);
  EXPECT_EQ(sink.amended[1].open_time, t0);
  EXPECT_EQ(sink.amended[1].high, 0.0018);
  EXPECT_EQ(feed.stats().decode_errors, 0u);
}

}  // namespace
}  // namespace tickd::core
