// The nats observer in-process against a real nats-server: subjects, payloads
// in the wire codec, message ids, core NATS for ticks and updates, the stream
// check at start, and its metrics.
#include "nats/nats_publisher.hpp"
#include "nats_test_client.hpp"
#include "support/nats_servers.hpp"

#include <tickd/testing/fake_host.hpp>
#include <tickd/wire.hpp>
#include "nats_client/nats_subjects.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>

using namespace tickd;
using ::testing::HasSubstr;
using tickd::nats_out::NatsPublisher;
using tickd::test_support::NatsServer;
using tickd::test_support::NatsTestClient;
using tickd::test_support::StoredMessage;
using tickd::test_support::wait_until;

namespace {

Candle candle(std::string_view symbol, const char* interval, TimeMs open, double close, bool closed) {
  Candle c;
  c.symbol = symbol;
  c.interval = *Interval::parse(interval);
  c.open_time = open;
  c.open = 1.5;
  c.high = close + 0.25;
  c.low = 1.0 / 3.0;
  c.close = close;
  c.volume = 0.1 + 0.2;
  c.quote_volume = 12.345678901234567;
  c.vwap = c.quote_volume / c.volume;
  c.trade_count = 7;
  c.closed = closed;
  return c;
}

struct Figures {
  std::map<std::string, double> values;
  static void sink(void* user, const tickd_metric* m) noexcept {
    static_cast<Figures*>(user)->values[std::string(m->name.data, m->name.size)] = m->value;
  }
};

Figures figures(const NatsPublisher& p) {
  Figures f;
  Metrics m(&Figures::sink, &f);
  p.metrics(m);
  return f;
}

// Collects core NATS messages of one subject pattern.
class CoreListener {
 public:
  CoreListener(natsConnection* nc, const char* subject) {
    natsConnection_Subscribe(&sub_, nc, subject, &CoreListener::on_message, this);
    natsConnection_Flush(nc);
  }
  ~CoreListener() { natsSubscription_Destroy(sub_); }
  std::vector<std::pair<std::string, std::string>> messages() {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }

 private:
  static void on_message(natsConnection*, natsSubscription*, natsMsg* msg, void* self) {
    auto* l = static_cast<CoreListener*>(self);
    std::lock_guard<std::mutex> lock(l->mu_);
    l->messages_.emplace_back(
        natsMsg_GetSubject(msg),
        std::string(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg))));
    natsMsg_Destroy(msg);
  }
  natsSubscription* sub_ = nullptr;
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> messages_;
};

}  // namespace

TEST(NatsPublisher, ClosedCandlesAndSignalsGoToTheStreamOnceEachWithTheirMessageIds) {
  NatsServer server;
  tickd::testing::FakeHost host(
      "bus", {{"servers", nlohmann::json::array({server.url()})}, {"stream", {{"name", "MD"}}}});
  const std::string_view sym = host.intern("NSE:INFY");
  NatsPublisher p;
  p.start(host.host());
  p.on_candle(candle(sym, "1m", 60000, 2.5, true));
  p.on_candle(candle(sym, "1m", 60000, 2.5, true));  // an amendment: revision 1
  p.on_candle(candle(sym, "1m", 120000, 2.75, true));
  Signal s;
  s.symbol = "NSE:INFY";
  s.time = 180000;
  s.side = Side::buy;
  s.source = "ema_cross";
  s.text = "crossed";
  p.on_signal(s);
  p.on_signal(s);  // the same signal again: stored once
  ASSERT_TRUE(wait_until([&] { return figures(p).values["stored"] >= 5; }, std::chrono::seconds(10)));

  NatsTestClient client(server.url());
  auto messages = client.read_stream("MD");
  ASSERT_EQ(messages.size(), 4u);
  // In order within each subject; the signal's subject may interleave anywhere.
  std::vector<StoredMessage> closed, signals;
  for (const auto& m : messages) (m.subject == "tickd.signal.NSE%3AINFY" ? signals : closed).push_back(m);
  ASSERT_EQ(closed.size(), 3u);
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(closed[0].subject, "tickd.closed.NSE%3AINFY.1m");
  EXPECT_EQ(closed[0].id, "NSE:INFY|1m|60000|0");
  EXPECT_EQ(closed[1].id, "NSE:INFY|1m|60000|1");
  EXPECT_EQ(closed[2].id, "NSE:INFY|1m|120000|0");

  wire::Decoder decoder;
  wire::Event e;
  std::string error;
  ASSERT_TRUE(decoder.decode(closed[2].data, e, error)) << error;
  ASSERT_EQ(e.type, wire::Type::candle);
  EXPECT_EQ(e.candle.symbol, "NSE:INFY");
  EXPECT_EQ(e.candle.close, 2.75);
  EXPECT_EQ(e.candle.low, 1.0 / 3.0);  // exact doubles
  EXPECT_EQ(e.candle.volume, 0.1 + 0.2);
  EXPECT_TRUE(e.candle.closed);

  const auto f = figures(p).values;
  EXPECT_EQ(f.at("stored"), 5);
  EXPECT_EQ(f.at("duplicates"), 1);
  EXPECT_EQ(f.at("backlog"), 0);
  EXPECT_EQ(f.at("connected"), 1);
  p.stop();
  EXPECT_EQ(figures(p).values.at("unsent_at_stop"), 0);
}

TEST(NatsPublisher, TicksAndUpdatesGoOverCoreNats) {
  NatsServer server;
  NatsTestClient client(server.url());
  CoreListener listener(client.connection(), "tickd.>");
  tickd::testing::FakeHost host("bus", {{"servers", nlohmann::json::array({server.url()})}});
  const std::string_view sym = host.intern("BTCUSDT");
  NatsPublisher p;
  p.start(host.host());
  Tick t;
  t.symbol = sym;
  t.time = 1000;
  t.price = 37000.5;
  t.quantity = 0.01;
  t.trade_id = 42;
  p.on_tick(t);
  p.on_candle(candle(sym, "5m", 0, 3.0, false));
  ASSERT_TRUE(wait_until([&] { return listener.messages().size() >= 2; }, std::chrono::seconds(5)));
  auto got = listener.messages();
  EXPECT_EQ(got[0].first, "tickd.tick.BTCUSDT");
  EXPECT_THAT(got[0].second, HasSubstr("\"price\":37000.5"));
  EXPECT_EQ(got[1].first, "tickd.candle.BTCUSDT.5m");
  EXPECT_THAT(got[1].second, HasSubstr("\"closed\":false"));
  EXPECT_EQ(figures(p).values.at("published"), 2);
  EXPECT_EQ(client.stream_messages("TICKD"), 0u);  // nothing of this is persisted
  p.stop();
}

TEST(NatsPublisher, WhileNatsIsDownTicksAreDroppedAndClosedCandlesWaitThenGoOutInOrder) {
  NatsServer server;
  tickd::testing::FakeHost host(
      "bus", {{"servers", nlohmann::json::array({server.url()})}, {"reconnect_wait", "50ms"}});
  const std::string_view sym = host.intern("XRPETH");
  NatsPublisher p;
  p.start(host.host());
  server.stop();
  ASSERT_TRUE(wait_until([&] { return figures(p).values["connected"] == 0; }, std::chrono::seconds(5)));
  Tick t;
  t.symbol = sym;
  p.on_tick(t);
  p.on_candle(candle(sym, "1m", 60000, 2.0, false));
  for (int i = 1; i <= 50; ++i) p.on_candle(candle(sym, "1m", 60000LL * i, i, true));
  EXPECT_EQ(figures(p).values.at("dropped"), 2);
  EXPECT_EQ(figures(p).values.at("backlog"), 50);
  server.start();
  ASSERT_TRUE(wait_until([&] { return figures(p).values["stored"] == 50; }, std::chrono::seconds(15)));
  NatsTestClient client(server.url());
  auto messages = client.read_stream("TICKD");
  ASSERT_EQ(messages.size(), 50u);
  for (int i = 1; i <= 50; ++i)
    EXPECT_EQ(messages[static_cast<std::size_t>(i - 1)].id,
              "XRPETH|1m|" + std::to_string(60000LL * i) + "|0");
  EXPECT_EQ(figures(p).values.at("reconnects"), 1);
  p.stop();
}

TEST(NatsPublisher, AStreamThatConflictsWithTheYamlFailsTheStart) {
  NatsServer server;
  {
    tickd::testing::FakeHost host(
        "bus", {{"servers", nlohmann::json::array({server.url()})}, {"stream", {{"max_age_s", 3600}}}});
    NatsPublisher p;
    p.start(host.host());
    p.stop();
  }
  tickd::testing::FakeHost host("bus", {{"servers", nlohmann::json::array({server.url()})},
                                        {"stream", {{"max_age_s", 600}, {"replicas", 1}}}});
  NatsPublisher p;
  try {
    p.start(host.host());
    FAIL() << "started against a conflicting stream";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("max_age is 3600 s (YAML: 600 s)"));
  }
}

TEST(NatsPublisher, BadConfigIsAnErrorNamingTheKey) {
  tickd::testing::FakeHost host("bus", {{"prefix", "a.b"}});
  NatsPublisher p;
  EXPECT_THROW(p.start(host.host()), std::exception);
  tickd::testing::FakeHost typo("bus",
                                {{"servers", nlohmann::json::array({"nats://127.0.0.1:1"})}, {"backlgo", 5}});
  try {
    NatsPublisher q;
    q.start(typo.host());
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown key 'backlgo'"));
  }
}

TEST(NatsSubjects, SymbolsBecomeOneTokenReversibly) {
  for (std::string s : {"BTCUSDT", "NSE:INFY", "BRK.B", "A B", "100%", "x*y>z", "ÄÖ"}) {
    const std::string token = nats_subjects::encode_symbol(s);
    EXPECT_EQ(token.find_first_of(".*> "), std::string::npos) << token;
    EXPECT_EQ(nats_subjects::decode_symbol(token), s);
  }
  EXPECT_EQ(nats_subjects::encode_symbol("NSE:INFY"), "NSE%3AINFY");
  EXPECT_FALSE(nats_subjects::decode_symbol("A%41"));  // not canonical
  EXPECT_FALSE(nats_subjects::decode_symbol("A%4"));
  auto parsed = nats_subjects::parse("tickd", "tickd.closed.NSE%3AINFY.1m");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, "closed");
  EXPECT_EQ(parsed->symbol, "NSE:INFY");
  EXPECT_EQ(parsed->interval, *Interval::parse("1m"));
  EXPECT_FALSE(nats_subjects::parse("tickd", "tickd.closed.X"));
  EXPECT_FALSE(nats_subjects::parse("tickd", "tickd.tick.X.extra"));
  EXPECT_FALSE(nats_subjects::parse("tickd", "other.tick.X"));
}

TEST(NatsSubjects, AClosedCandlesRevisionReadsBackFromItsMessageId) {
  const Interval m1 = *Interval::parse("1m");
  for (std::uint32_t r : {0u, 1u, 17u, 4294967295u})
    EXPECT_EQ(
        nats_subjects::candle_revision(nats_subjects::candle_message_id("BTCUSDT", m1, 1570752000000, r)), r);
  EXPECT_EQ(nats_subjects::candle_revision(nats_subjects::candle_message_id("A|B", m1, 60000, 2)), 2u);
  for (const char* bad : {"", "BTCUSDT", "X|1m|0|", "X|1m|0|-1", "X|1m|0|1a", "X|1m|0|4294967296",
                          "X|1m|0|99999999999", "signal|s|X|0|buy"})
    EXPECT_FALSE(nats_subjects::candle_revision(bad)) << bad;
}
