// Ingest -> NATS JetStream -> edge, with real daemons and a real nats-server:
// the ingest replays Binance's own XRPETH trades and publishes with the `nats`
// observer; the edge (feed.kind: nats) must end up with exactly the ingest's
// closed candles - in its SQLite store, at /candles and in its event stream -
// and so with Binance's own klines; across an edge restart with no gap and no
// duplicate.
#include "binance_data.hpp"
#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"
#include "nats/stream_setup.hpp"
#include "support/nats_servers.hpp"

#include <tickd/abi.h>
#include <tickd/nats_connection.hpp>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <sstream>

namespace tickd::e2e {
namespace {

using test_support::free_port;
using test_support::NatsServer;
using test_support::wait_until;

const std::string kData = TICKD_DATA_DIR "/binance-xrpeth-2019-10/";

// (interval, open_time) -> the candle as the logger wrote it.
using CandleMap = std::map<std::pair<std::string, long long>, nlohmann::json>;

std::vector<nlohmann::json> read_lines(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_text(path));
  // The daemon may be writing the last line right now: only whole lines count.
  for (std::string line; std::getline(in, line) && !in.eof();) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}

CandleMap by_key(const std::vector<nlohmann::json>& lines) {
  CandleMap out;
  for (const auto& j : lines) out[{j["interval"].get<std::string>(), j["open_time"].get<long long>()}] = j;
  return out;
}

// The stream as the ingest would create it, so that the edge is live (and
// every candle reaches its observers) before the first one is published.
void create_stream(const std::string& url) {
  natsConnection* nc = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, url.c_str()), NATS_OK);
  jsCtx* js = nullptr;
  ASSERT_EQ(natsConnection_JetStream(&js, nc, nullptr), NATS_OK);
  nats_out::ensure_stream(js, nats_out::StreamSettings{}, "tickd");
  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);
}

// One message as anyone on the bus could send it: to the stream or core NATS.
void publish_raw(const std::string& url, const std::string& subject, const std::string& data, bool stream) {
  natsConnection* nc = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, url.c_str()), NATS_OK);
  if (stream) {
    jsCtx* js = nullptr;
    natsConnection_JetStream(&js, nc, nullptr);
    jsPubAck* ack = nullptr;
    EXPECT_EQ(
        js_Publish(&ack, js, subject.c_str(), data.data(), static_cast<int>(data.size()), nullptr, nullptr),
        NATS_OK);
    jsPubAck_Destroy(ack);
    jsCtx_Destroy(js);
  } else {
    natsConnection_Publish(nc, subject.c_str(), data.data(), static_cast<int>(data.size()));
    natsConnection_Flush(nc);
  }
  natsConnection_Destroy(nc);
}

std::string ingest_yaml(const std::string& nats_url, const std::string& out, double speed,
                        const std::string& nats_extra = "") {
  std::ostringstream y;
  y << "daemon: {admin_listen: \"\", shutdown_timeout: 60s}\n"
    << "feed:\n  kind: replay\n  replay:\n    files:\n"
    << "      - {path: " << kData
    << "XRPETH-aggTrades-2019-10-11_13.csv, format: binance_aggtrades, symbol: XRPETH}\n"
    << "    speed: " << speed << "\n    exit_at_end: true\n"
    << "aggregator:\n  intervals: [1m, 5m]\n  gap_fill: true\n  close_on_shutdown: false\n"
    << "observers:\n"
    << "  - {name: out, plugin: logger, events: [candle_closed], overflow: block,\n"
    << "     config: {format: json, flush_interval: 0s, output: " << out << "}}\n"
    << "  - {name: bus, plugin: nats, events: [candle_update, candle_closed, signal], overflow: block,\n"
    << "     config: {servers: [\"" << nats_url << "\"]" << nats_extra << "}}\n";
  return y.str();
}

struct Edge {
  Edge(const TempDir& dir, const std::string& nats_url)
      : out(dir.file("edge.jsonl")),
        db(dir.file("edge.db")),
        log(dir.file("edge.log")),
        http(free_port()),
        admin(free_port()) {
    std::ostringstream y;
    y << "daemon: {admin_listen: \"127.0.0.1:" << admin << "\"}\n"
      << "feed:\n  kind: nats\n  symbols: [XRPETH]\n  nats: {servers: [\"" << nats_url
      << "\"], reconnect_wait: 100ms}\n"
      << "aggregator:\n  intervals: [1m, 5m]\n  history: 5000\n  close_on_shutdown: false\n"
      << "observers:\n"
      << "  - {name: out, plugin: logger, events: [candle_closed], overflow: block,\n"
      << "     config: {format: json, flush_interval: 0s, output: " << out << "}}\n"
      << "  - {name: store, plugin: sqlite, events: [candle_closed], overflow: block, config: {path: " << db
      << "}}\n"
      << "  - {name: chart, plugin: ws_broadcast, events: [candle_update, candle_closed],\n"
      << "     config: {listen: \"127.0.0.1:" << http << "\"}}\n";
    config = write_file(dir, "edge.yaml", y.str());
  }
  void start() {
    process = std::make_unique<ChildProcess>(std::vector<std::string>{kTickd, "--config", config}, log);
    const std::string live = "nats feed: live";
    const int expected = ++starts_;
    ASSERT_TRUE(test_support::wait_until(
        [&] {
          int n = 0;
          const std::string text = read_text(log);
          for (auto p = text.find(live); p != std::string::npos; p = text.find(live, p + 1)) ++n;
          return n >= expected || !process->running();
        },
        std::chrono::seconds(15)))
        << read_text(log);
    ASSERT_TRUE(process->running()) << read_text(log);
  }
  int stop() {
    process->signal(SIGTERM);
    return process->wait();
  }

  std::string out, db, log, config;
  int http, admin;
  std::unique_ptr<ChildProcess> process;
  int starts_ = 0;
};

CandleMap read_sqlite(const std::string& path) {
  CandleMap out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(
      db,
      "SELECT interval_s, open_time, open, high, low, close, volume, quote_volume, trade_count, flags "
      "FROM candles WHERE symbol = 'XRPETH' ORDER BY interval_s, open_time",
      -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const std::string interval = sqlite3_column_int(st, 0) == 60 ? "1m" : "5m";
    nlohmann::json j = {
        {"open", sqlite3_column_double(st, 2)},       {"high", sqlite3_column_double(st, 3)},
        {"low", sqlite3_column_double(st, 4)},        {"close", sqlite3_column_double(st, 5)},
        {"volume", sqlite3_column_double(st, 6)},     {"quote_volume", sqlite3_column_double(st, 7)},
        {"trade_count", sqlite3_column_int64(st, 8)}, {"flags", sqlite3_column_int(st, 9)}};
    out[{interval, sqlite3_column_int64(st, 1)}] = j;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// The edge's store and its event stream hold exactly the ingest's closed
// candles; and those are Binance's own klines.
void expect_same_candles(const CandleMap& ingest, const Edge& edge,
                         const std::vector<nlohmann::json>& edge_lines) {
  EXPECT_EQ(edge_lines.size(), ingest.size()) << "closed candles delivered at the edge (no duplicate)";
  const CandleMap streamed = by_key(edge_lines);
  ASSERT_EQ(streamed.size(), ingest.size());
  for (const auto& [key, j] : ingest) {
    auto it = streamed.find(key);
    ASSERT_NE(it, streamed.end()) << key.first << " " << key.second << " missing at the edge";
    EXPECT_EQ(it->second, j) << key.first << " " << key.second;
  }
  const CandleMap stored = read_sqlite(edge.db);
  ASSERT_EQ(stored.size(), ingest.size());
  for (const auto& [key, j] : ingest) {
    const auto& s = stored.at(key);
    for (const char* f : {"open", "high", "low", "close", "volume", "quote_volume"})
      EXPECT_EQ(s[f].get<double>(), j[f].get<double>()) << f << " " << key.first << " " << key.second;
    EXPECT_EQ(s["trade_count"].get<long long>(), j["trades"].get<long long>());
    EXPECT_EQ((s["flags"].get<int>() & TICKD_CANDLE_PARTIAL) != 0, j["partial"].get<bool>());
    EXPECT_EQ((s["flags"].get<int>() & TICKD_CANDLE_FILLED) != 0, j["filled"].get<bool>());
  }
  for (const std::string interval : {"1m", "5m"}) {
    auto klines = test_servers::read_kline_csv(kData + "XRPETH-" + interval + "-2019-10-11_13.csv");
    klines.pop_back();  // recorded while still open
    for (const auto& k : klines) {
      auto it = ingest.find({interval, k.open_time});
      ASSERT_NE(it, ingest.end()) << interval << " kline " << k.open_time;
      EXPECT_EQ(it->second["close"].get<double>(), std::stod(k.close));
      EXPECT_EQ(it->second["high"].get<double>(), std::stod(k.high));
    }
  }
}

// The edge's /candles (its in-memory history) has them too; while it runs.
void expect_candles_endpoint(const CandleMap& ingest, const Edge& edge) {
  for (const std::string interval : {"1m", "5m"}) {
    const auto reply = http_get(edge.http, "/candles/XRPETH/" + interval + "?limit=5000");
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto candles = nlohmann::json::parse(reply.body)["candles"];
    std::size_t matched = 0;
    for (const auto& c : candles) {
      auto it = ingest.find({interval, c["time"].get<long long>() * 1000});
      if (it == ingest.end()) continue;
      for (const char* f : {"open", "high", "low", "close", "volume"})
        EXPECT_EQ(c[f].get<double>(), it->second[f].get<double>()) << "/candles " << interval << " " << f;
      ++matched;
    }
    std::size_t expected = 0;
    for (const auto& [key, j] : ingest) expected += key.first == interval;
    EXPECT_EQ(matched, expected) << "/candles " << interval;
  }
}

TEST(NatsRelay, TheEdgeHasExactlyTheIngestsClosedCandlesAndBinancesKlines) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-e2e");
  Edge edge(dir, server.url());
  edge.start();

  const std::string ingest_out = dir.file("ingest.jsonl");
  const std::string ingest_log = dir.file("ingest.log");
  ChildProcess ingest(
      {kTickd, "--config", write_file(dir, "ingest.yaml", ingest_yaml(server.url(), ingest_out, 0))},
      ingest_log);
  ASSERT_EQ(ingest.wait(), 0) << read_text(ingest_log);
  const CandleMap ingest_candles = by_key(read_lines(ingest_out));
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

TEST(NatsRelay, AnEdgeRestartedMidStreamCatchesUpWithNoGapAndNoDuplicate) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-e2e");
  Edge edge(dir, server.url());
  edge.start();

  // About 6 s of replay: 2.5 days of trades at 36,000 times real time.
  const std::string ingest_out = dir.file("ingest.jsonl");
  const std::string ingest_log = dir.file("ingest.log");
  ChildProcess ingest(
      {kTickd, "--config", write_file(dir, "ingest.yaml", ingest_yaml(server.url(), ingest_out, 36000))},
      ingest_log);
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() > 500; }, std::chrono::seconds(15)));
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);
  const std::size_t before = read_lines(edge.out).size();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the ingest goes on publishing
  edge.start();
  ASSERT_EQ(ingest.wait(), 0) << read_text(ingest_log);
  const CandleMap ingest_candles = by_key(read_lines(ingest_out));
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

  const std::string ingest_out = dir.file("ingest.jsonl");
  const std::string ingest_log = dir.file("ingest.log");
  ChildProcess ingest({kTickd, "--config",
                       write_file(dir, "ingest.yaml",
                                  ingest_yaml(server.url(), ingest_out, 36000,
                                              ", reconnect_wait: 100ms, drain_timeout: 40s"))},
                      ingest_log);
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() > 300; }, std::chrono::seconds(15)));
  server.stop();
  const std::size_t before = read_lines(edge.out).size();
  std::this_thread::sleep_for(std::chrono::seconds(10));
  EXPECT_EQ(read_lines(edge.out).size(), before) << "candles arrived while NATS was down";
  server.start();
  ASSERT_EQ(ingest.wait(), 0) << read_text(ingest_log);
  EXPECT_NE(read_text(ingest_log).find("nats: reconnected"), std::string::npos) << read_text(ingest_log);
  const CandleMap ingest_candles = by_key(read_lines(ingest_out));
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

}  // namespace
}  // namespace tickd::e2e
