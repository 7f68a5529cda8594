// The JetStream outbox: in order, each message id stored once, waiting while
// the server is down and draining in order when it is back, refusing (and
// counting) beyond its capacity, or, for an `overflow: block` observer, making
// the pusher wait for room.
#include "nats/jetstream_outbox.hpp"
#include "nats/stream_setup.hpp"
#include "nats_test_client.hpp"
#include "support/nats_servers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

using namespace tickd::nats_out;
using tickd::test_support::NatsServer;
using tickd::test_support::NatsTestClient;
using tickd::test_support::wait_until;

namespace {

// A connection like the plugin's: reconnecting, telling the outbox its state.
class OutboxRig {
 public:
  OutboxRig(const std::string& url, JetStreamOutbox::Limits limits)
      : outbox(limits, [](const std::string&) {}) {
    tickd::NatsConnectionConfig c;
    c.servers = {url};
    c.reconnect_wait_ms = 100;
    tickd::NatsConnectionCallbacks cb;
    cb.connected = [](natsConnection*, void* self) {
      static_cast<OutboxRig*>(self)->outbox.set_connected(true);
    };
    cb.disconnected = [](natsConnection*, void* self) {
      static_cast<OutboxRig*>(self)->outbox.set_connected(false);
    };
    cb.closure = this;
    auto options = tickd::make_nats_options(c, cb);
    const natsStatus s = natsConnection_Connect(&nc, options.get());
    EXPECT_TRUE(s == NATS_OK || s == NATS_NOT_YET_CONNECTED);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.PublishAsync.AckHandler = &JetStreamOutbox::ack_handler;
    jo.PublishAsync.AckHandlerClosure = &outbox;
    jo.PublishAsync.MaxPending = static_cast<int64_t>(limits.window) + 64;
    natsConnection_JetStream(&js, nc, &jo);
    StreamSettings settings;
    settings.name = "T";
    outbox.start(js, [this, settings] { ensure_stream(js, settings, "tickd"); });
    if (s == NATS_OK) outbox.set_connected(true);
  }
  ~OutboxRig() {
    outbox.stop();
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
  }

  JetStreamOutbox outbox;
  natsConnection* nc = nullptr;
  jsCtx* js = nullptr;
};

OutboxRecord record(int i, int id) {
  return OutboxRecord{"tickd.closed.X.1m", "X|1m|" + std::to_string(id) + "|0",
                      "payload " + std::to_string(i)};
}

}  // namespace

TEST(JetStreamOutbox, StoresEveryRecordInOrderAndEachMessageIdOnce) {
  NatsServer server;
  JetStreamOutbox::Limits limits;
  limits.window = 8;
  OutboxRig rig(server.url(), limits);
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(rig.outbox.push(record(i, i)));
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(rig.outbox.push(record(1000 + i, i)));  // repeats of ids 0..99
  EXPECT_EQ(rig.outbox.drain(std::chrono::seconds(10)), 0u);
  EXPECT_EQ(rig.outbox.stored(), 600u);
  EXPECT_EQ(rig.outbox.duplicates(), 100u);

  NatsTestClient client(server.url());
  auto messages = client.read_stream("T");
  ASSERT_EQ(messages.size(), 500u);
  for (int i = 0; i < 500; ++i)
    EXPECT_EQ(messages[static_cast<std::size_t>(i)].data, "payload " + std::to_string(i));
}

TEST(JetStreamOutbox, WaitsWhileTheServerIsDownAndDrainsInOrderWhenItIsBack) {
  NatsServer server;
  JetStreamOutbox::Limits limits;
  limits.window = 16;
  limits.ack_timeout = std::chrono::milliseconds(1000);
  OutboxRig rig(server.url(), limits);
  for (int i = 0; i < 100; ++i) rig.outbox.push(record(i, i));
  ASSERT_EQ(rig.outbox.drain(std::chrono::seconds(10)), 0u);

  server.stop();
  for (int i = 100; i < 400; ++i) ASSERT_TRUE(rig.outbox.push(record(i, i)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_GT(rig.outbox.backlog(), 0u);
  server.start();
  EXPECT_EQ(rig.outbox.drain(std::chrono::seconds(20)), 0u);

  NatsTestClient client(server.url());
  auto messages = client.read_stream("T");
  ASSERT_EQ(messages.size(), 400u);
  for (int i = 0; i < 400; ++i)
    EXPECT_EQ(messages[static_cast<std::size_t>(i)].data, "payload " + std::to_string(i));
}

TEST(JetStreamOutbox, RefusesAndCountsRecordsBeyondItsCapacity) {
  NatsServer server;
  server.stop();  // nothing can leave
  JetStreamOutbox::Limits limits;
  limits.capacity = 10;
  OutboxRig rig(server.url(), limits);
  int refused = 0;
  for (int i = 0; i < 25; ++i) refused += rig.outbox.push(record(i, i)) ? 0 : 1;
  EXPECT_EQ(refused, 15);
  EXPECT_EQ(rig.outbox.overflow(), 15u);
  EXPECT_EQ(rig.outbox.backlog(), 10u);
  server.start();
  EXPECT_EQ(rig.outbox.drain(std::chrono::seconds(10)), 0u);
  NatsTestClient client(server.url());
  EXPECT_EQ(client.stream_messages("T"), 10u);
}

// `overflow: block` observers: a full backlog holds the pusher (and so the
// host's queue and the feed) until NATS takes records, and loses nothing.
TEST(JetStreamOutbox, ALosslessOutboxMakesThePusherWaitForRoomAndLosesNothing) {
  NatsServer server;
  server.stop();
  JetStreamOutbox::Limits limits;
  limits.capacity = 10;
  limits.lossless = true;
  OutboxRig rig(server.url(), limits);
  std::atomic<int> pushed{0};
  std::thread pusher([&] {
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(rig.outbox.push(record(i, i)));
      ++pushed;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(pushed.load(), 10);  // held at the capacity while NATS is away
  server.start();
  pusher.join();
  EXPECT_EQ(rig.outbox.drain(std::chrono::seconds(10)), 0u);
  EXPECT_EQ(rig.outbox.overflow(), 0u);
  NatsTestClient client(server.url());
  auto messages = client.read_stream("T");
  ASSERT_EQ(messages.size(), 200u);
  for (int i = 0; i < 200; ++i)
    EXPECT_EQ(messages[static_cast<std::size_t>(i)].data, "payload " + std::to_string(i));
}

TEST(JetStreamOutbox, StoppingReleasesAPusherWaitingForRoomAndCountsItsRecord) {
  NatsServer server;
  server.stop();
  JetStreamOutbox::Limits limits;
  limits.capacity = 2;
  limits.lossless = true;
  OutboxRig rig(server.url(), limits);
  ASSERT_TRUE(rig.outbox.push(record(0, 0)));
  ASSERT_TRUE(rig.outbox.push(record(1, 1)));
  std::atomic<bool> third{true};
  std::thread pusher([&] { third = rig.outbox.push(record(2, 2)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  rig.outbox.stop();
  pusher.join();
  EXPECT_FALSE(third.load());
  EXPECT_EQ(rig.outbox.overflow(), 1u);
}

// A series' next candle waits for its previous one's ack: were the later one
// stored while the earlier failed or was lost with the connection, the stream
// would hold the series out of order. Other series fill the window meanwhile.
// Runs of one series (a gap filled at once) among others: while a record of
// another series is published, the run's series may be acknowledged, and the
// rest of the run must still wait for its first record.
TEST(JetStreamOutbox, KeepsAtMostOneRecordPerSubjectInFlightAndEachSubjectInOrder) {
  NatsServer server;
  JetStreamOutbox::Limits limits;
  limits.window = 16;
  OutboxRig rig(server.url(), limits);
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> most{0};
  std::thread watcher([&] {
    while (!done) most = std::max<std::uint64_t>(most, rig.outbox.in_flight());
  });
  const auto subject_of = [](int i) -> std::string {
    if (i % 3 == 0) return "tickd.closed.C.5m";
    return (i / 90) % 2 == 0 ? "tickd.closed.A.1s" : "tickd.closed.B.1m";
  };
  constexpr int kRecords = 6000;
  for (int i = 0; i < kRecords; ++i)
    ASSERT_TRUE(rig.outbox.push(
        OutboxRecord{subject_of(i), "X|" + std::to_string(i) + "|0", "payload " + std::to_string(i)}));
  EXPECT_EQ(rig.outbox.drain(std::chrono::seconds(30)), 0u);
  done = true;
  watcher.join();
  EXPECT_LE(most.load(), 3u) << "three series, so at most three records awaiting their acks";
  EXPECT_GE(most.load(), 1u);
  NatsTestClient client(server.url());
  const auto messages = client.read_stream("T");
  ASSERT_EQ(messages.size(), static_cast<std::size_t>(kRecords));
  std::map<std::string, int> last;  // each series in order; they interleave freely
  int out_of_order = 0;
  for (const auto& m : messages) {
    const int i = std::stoi(m.data.substr(8));
    EXPECT_EQ(m.subject, subject_of(i));
    if (last.count(m.subject) && i < last[m.subject]) ++out_of_order;
    last[m.subject] = i;
  }
  EXPECT_EQ(out_of_order, 0);
}
