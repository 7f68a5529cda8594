// Ingest -> NATS JetStream -> edge, with real daemons and a real nats-server:
// the ingest replays Binance's own XRPETH trades and publishes with the `nats`
// observer; the edge (feed.kind: nats) must end up with exactly the ingest's
// closed candles - in its SQLite store, at /candles and in its event stream -
// and so with Binance's own klines; across an edge restart with no gap and no
// duplicate.
#include "e2e/nats_relay_fixture.hpp"

#include <cmath>

namespace tickd::e2e {
namespace {

using namespace nats_relay;
using test_support::NatsServer;
using test_support::wait_until;

TEST(NatsRelay, TheEdgeHasExactlyTheIngestsClosedCandlesAndBinancesKlines) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-e2e");
  Edge edge(dir, server.url());
  edge.start();

  Ingest ingest(dir, "ingest", server.url(), 0);
  ASSERT_EQ(ingest.process->wait(), 0) << read_text(ingest.log);
  const CandleMap ingest_candles = ingest.candles();
  ASSERT_GE(ingest_candles.size(), 3559u + 711u);

  EXPECT_TRUE(wait_until([&] { return read_lines(edge.out).size() >= ingest_candles.size(); },
                         std::chrono::seconds(20)))
      << read_lines(edge.out).size() << " of " << ingest_candles.size() << "\n"
      << read_text(edge.log);
  auto health = nlohmann::json::parse(http_get(edge.admin, "/health").body);
  EXPECT_EQ(health["feed"]["state"], "live");
  EXPECT_EQ(health["feed"]["decode_errors"], 0);
  EXPECT_EQ(health["feed"]["consumer_position"], ingest_candles.size());  // one stream message each
  EXPECT_EQ(health["feed"]["lag_candles"], 0);
  EXPECT_NE(http_get(edge.admin, "/metrics").body.find("tickd_feed_lag_seconds 0"), std::string::npos);

  // Bad input on the stream and on core NATS: counted, logged, skipped.
  publish_raw(server.url(), "tickd.closed.XRPETH.1m", "{not json", true);
  publish_raw(server.url(), "tickd.closed.XRPETH.1m", R"({"v":2,"type":"candle","symbol":"XRPETH"})", true);
  publish_raw(server.url(), "tickd.candle.XRPETH.5m", "\x01\x02", false);
  EXPECT_TRUE(wait_until(
      [&] {
        health = nlohmann::json::parse(http_get(edge.admin, "/health").body);
        return health["feed"]["decode_errors"] == 3;
      },
      std::chrono::seconds(10)))
      << health.dump();
  EXPECT_NE(read_text(edge.log).find("unsupported version 2"), std::string::npos);
  expect_candles_endpoint(ingest_candles, edge);
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);
  expect_same_candles(ingest_candles, edge, read_lines(edge.out));
}

// The candles of `lines` for one symbol (and, if given, one interval).
CandleMap of_symbol(const std::vector<nlohmann::json>& lines, const std::string& symbol,
                    const std::string& interval = "") {
  std::vector<nlohmann::json> mine;
  for (const auto& j : lines)
    if (j["symbol"] == symbol && (interval.empty() || j["interval"] == interval)) mine.push_back(j);
  return by_key(mine);
}

// Sharding: two ingests, each with its own symbol (one of them, NSE:INFY, not a
// subject token as it is), publish to one stream. An edge taking every symbol
// ends with both, each exactly its ingest's; an edge taking one symbol's 5m
// series gets those and nothing else.
TEST(NatsRelay, IngestsWithTheirOwnSymbolsShareOneStreamAndEdgesTakeAllOrASubset) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-shards");
  Edge all(dir, server.url(), "", "", "edge-all", "[\"*\"]");
  Edge subset(dir, server.url(), ", intervals: [5m]", "", "edge-subset", "[\"NSE:INFY\"]");
  all.start();
  subset.start();

  Ingest a(dir, "ingest-a", server.url(), 0, "", "", "XRPETH");
  Ingest b(dir, "ingest-b", server.url(), 0, "", "", "NSE:INFY");
  ASSERT_EQ(a.process->wait(), 0) << read_text(a.log);
  ASSERT_EQ(b.process->wait(), 0) << read_text(b.log);
  const CandleMap from_a = a.candles(), from_b = b.candles();
  const CandleMap from_b_5m = of_symbol(read_lines(b.out), "NSE:INFY", "5m");
  ASSERT_GE(from_b_5m.size(), 711u);

  EXPECT_TRUE(wait_until([&] { return read_lines(all.out).size() >= from_a.size() + from_b.size(); },
                         std::chrono::seconds(30)))
      << read_lines(all.out).size() << " of " << from_a.size() + from_b.size() << "\n"
      << read_text(all.log);
  EXPECT_TRUE(
      wait_until([&] { return read_lines(subset.out).size() >= from_b_5m.size(); }, std::chrono::seconds(30)))
      << read_text(subset.log);
  ASSERT_EQ(all.stop(), 0) << read_text(all.log);
  ASSERT_EQ(subset.stop(), 0) << read_text(subset.log);

  const auto all_lines = read_lines(all.out);
  EXPECT_EQ(all_lines.size(), from_a.size() + from_b.size()) << "each closed candle once";
  EXPECT_EQ(of_symbol(all_lines, "XRPETH"), from_a);
  EXPECT_EQ(of_symbol(all_lines, "NSE:INFY"), from_b);
  const auto subset_lines = read_lines(subset.out);
  EXPECT_EQ(subset_lines.size(), from_b_5m.size()) << "only NSE:INFY's 5m candles";
  EXPECT_EQ(of_symbol(subset_lines, "NSE:INFY", "5m"), from_b_5m);
  EXPECT_EQ(stream_messages(server.url()), from_a.size() + from_b.size());
}

TEST(NatsRelay, AnEdgeRestartedMidStreamCatchesUpWithNoGapAndNoDuplicate) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-e2e");
  Edge edge(dir, server.url());
  edge.start();

  // About 6 s of replay: 2.5 days of trades at 36,000 times real time.
  Ingest ingest(dir, "ingest", server.url(), 36000);
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() > 500; }, std::chrono::seconds(15)));
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);
  const std::size_t before = read_lines(edge.out).size();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the ingest goes on publishing
  edge.start();
  ASSERT_EQ(ingest.process->wait(), 0) << read_text(ingest.log);
  const CandleMap ingest_candles = ingest.candles();
  EXPECT_TRUE(wait_until([&] { return read_lines(edge.out).size() >= ingest_candles.size(); },
                         std::chrono::seconds(20)))
      << read_lines(edge.out).size() << " of " << ingest_candles.size() << "\n"
      << read_text(edge.log);
  expect_candles_endpoint(ingest_candles, edge);
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);
  EXPECT_LT(before, ingest_candles.size()) << "the restart was not mid-stream";
  expect_same_candles(ingest_candles, edge, read_lines(edge.out));
}

TEST(NatsRelay, NatsDownForTenSecondsWhileTheIngestRunsLosesNothingAndDrainsInOrder) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-e2e");
  Edge edge(dir, server.url());
  edge.start();

  Ingest ingest(dir, "ingest", server.url(), 36000, ", reconnect_wait: 100ms, drain_timeout: 40s");
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() > 300; }, std::chrono::seconds(15)));
  server.stop();
  // Candles received before the stop may still be on their way to the log file.
  std::size_t before = read_lines(edge.out).size();
  for (std::size_t settled = 0; settled != before;) {
    settled = before;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    before = read_lines(edge.out).size();
  }
  std::this_thread::sleep_for(std::chrono::seconds(10));
  EXPECT_EQ(read_lines(edge.out).size(), before) << "candles arrived while NATS was down";
  server.start();
  ASSERT_EQ(ingest.process->wait(), 0) << read_text(ingest.log);
  EXPECT_NE(read_text(ingest.log).find("nats: reconnected"), std::string::npos) << read_text(ingest.log);
  const CandleMap ingest_candles = ingest.candles();
  EXPECT_LT(before, ingest_candles.size()) << "the outage was not mid-stream";
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() >= ingest_candles.size(); },
                         std::chrono::seconds(20)))
      << read_lines(edge.out).size() << " of " << ingest_candles.size() << "\n"
      << read_text(edge.log);
  expect_candles_endpoint(ingest_candles, edge);
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);
  expect_same_candles(ingest_candles, edge, read_lines(edge.out));

  // The stream holds each closed candle once, in order per series.
  natsConnection* nc = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, server.url().c_str()), NATS_OK);
  jsCtx* js = nullptr;
  natsConnection_JetStream(&js, nc, nullptr);
  jsStreamInfo* si = nullptr;
  ASSERT_EQ(js_GetStreamInfo(&si, js, "TICKD", nullptr, nullptr), NATS_OK);
  EXPECT_EQ(si->State.Msgs, ingest_candles.size());
  std::map<std::string, long long> last;
  for (std::uint64_t seq = si->State.FirstSeq; seq <= si->State.LastSeq; ++seq) {
    natsMsg* msg = nullptr;
    ASSERT_EQ(js_GetMsg(&msg, js, "TICKD", seq, nullptr, nullptr), NATS_OK);
    const auto j = nlohmann::json::parse(std::string(natsMsg_GetData(msg), natsMsg_GetDataLength(msg)));
    const std::string interval = j["interval"];
    EXPECT_GT(j["open_time"].get<long long>(), last[interval]) << "out of order at stream sequence " << seq;
    last[interval] = j["open_time"].get<long long>();
    natsMsg_Destroy(msg);
  }
  jsStreamInfo_Destroy(si);
  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);
}

TEST(NatsRelay, AnEdgeWithSignalsOnGivesItsObserversTheIngestsSignals) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-e2e");
  auto signal_log = [&](const std::string& name, const std::string& file) {
    return "  - {name: " + name +
           ", plugin: logger, events: [signal], overflow: block,\n"
           "     config: {format: json, flush_interval: 0s, output: " +
           dir.file(file) + "}}\n";
  };
  Edge edge(dir, server.url(), ", signals: true", signal_log("signals", "edge-signals.jsonl"));
  edge.start();
  Ingest ingest(dir, "ingest", server.url(), 0, "",
                "  - {name: ema, plugin: strategy, events: [candle_closed], intervals: [1m],\n"
                "     config: {rules: [{name: fast, type: ma_cross, fast: 3, slow: 8, ma: ema}]}}\n" +
                    signal_log("signals", "ingest-signals.jsonl"));
  ASSERT_EQ(ingest.process->wait(), 0) << read_text(ingest.log);
  const auto sent = read_lines(dir.file("ingest-signals.jsonl"));
  ASSERT_GT(sent.size(), 10u) << "the strategy should cross often on 2.5 days of 1m candles";
  EXPECT_TRUE(wait_until([&] { return read_lines(dir.file("edge-signals.jsonl")).size() >= sent.size(); },
                         std::chrono::seconds(20)))
      << read_text(edge.log);
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);
  const auto received = read_lines(dir.file("edge-signals.jsonl"));
  ASSERT_EQ(received.size(), sent.size()) << "each signal once";
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(received[i], sent[i]) << i;
}

}  // namespace
}  // namespace tickd::e2e
