// Ingest -> NATS JetStream -> edge with real daemons: the ingest replays
// Binance's own XRPETH trades and publishes with the `nats` observer; the edge
// (feed.kind: nats) logs, stores and charts what it receives. Shared by the
// relay tests (test_nats_relay.cpp) and the failover tests
// (test_nats_failover.cpp).
#pragma once

#include "binance_data.hpp"
#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"
#include "nats/stream_setup.hpp"
#include "support/nats_servers.hpp"

#include <tickd/abi.h>
#include "nats_client/nats_connection.hpp"

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

namespace tickd::e2e::nats_relay {

using test_support::free_port;
using test_support::NatsServer;
using test_support::wait_until;

inline const std::string kData = TICKD_DATA_DIR "/binance-xrpeth-2019-10/";

// (interval, open_time) -> the candle as the logger wrote it.
using CandleMap = std::map<std::pair<std::string, long long>, nlohmann::json>;

inline std::vector<nlohmann::json> read_lines(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_text(path));
  // The daemon may be writing the last line right now: only whole lines count.
  for (std::string line; std::getline(in, line) && !in.eof();) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}

inline CandleMap by_key(const std::vector<nlohmann::json>& lines) {
  CandleMap out;
  for (const auto& j : lines) out[{j["interval"].get<std::string>(), j["open_time"].get<long long>()}] = j;
  return out;
}

// The stream as the ingest would create it, so that the edge is live (and
// every candle reaches its observers) before the first one is published.
inline void create_stream(const std::string& url, int replicas = 1) {
  natsConnection* nc = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, url.c_str()), NATS_OK);
  jsCtx* js = nullptr;
  ASSERT_EQ(natsConnection_JetStream(&js, nc, nullptr), NATS_OK);
  nats_out::StreamSettings settings;
  settings.replicas = replicas;
  nats_out::ensure_stream(js, settings, "tickd");
  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);
}

// One message as anyone on the bus could send it: to the stream or core NATS.
inline void publish_raw(const std::string& url, const std::string& subject, const std::string& data,
                        bool stream) {
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

// The messages in the stream, as the server at `url` reports them; asked again
// while a cluster that lost a node has no stream leader yet (0 if it never answers).
inline std::uint64_t stream_messages(const std::string& url) {
  std::uint64_t n = 0;
  wait_until(
      [&] {
        natsConnection* nc = nullptr;
        if (natsConnection_ConnectTo(&nc, url.c_str()) != NATS_OK) return false;
        jsCtx* js = nullptr;
        natsConnection_JetStream(&js, nc, nullptr);
        jsStreamInfo* si = nullptr;
        const bool answered = js_GetStreamInfo(&si, js, "TICKD", nullptr, nullptr) == NATS_OK;
        if (answered) n = si->State.Msgs;
        jsStreamInfo_Destroy(si);
        jsCtx_Destroy(js);
        natsConnection_Destroy(nc);
        return answered;
      },
      std::chrono::seconds(30));
  return n;
}

// `urls`, comma separated, as a YAML flow list of strings.
inline std::string servers_yaml(const std::string& urls) {
  std::string out = "[";
  std::istringstream in(urls);
  for (std::string url; std::getline(in, url, ',');) out += (out.size() > 1 ? ", \"" : "\"") + url + "\"";
  return out + "]";
}

// `observers_extra`: more observers (YAML list items) for the ingest.
inline std::string ingest_yaml(const std::string& nats_url, const std::string& out, double speed,
                               const std::string& nats_extra = "", const std::string& observers_extra = "",
                               const std::string& symbol = "XRPETH") {
  std::ostringstream y;
  y << "daemon: {admin_listen: \"\", shutdown_timeout: 60s}\n"
    << "feed:\n  kind: replay\n  replay:\n    files:\n"
    << "      - {path: " << kData
    << "XRPETH-aggTrades-2019-10-11_13.csv, format: binance_aggtrades, symbol: \"" << symbol << "\"}\n"
    << "    speed: " << speed << "\n    exit_at_end: true\n"
    << "aggregator:\n  intervals: [1m, 5m]\n  gap_fill: true\n  close_on_shutdown: false\n"
    << "observers:\n"
    << "  - {name: out, plugin: logger, events: [candle_closed], overflow: block,\n"
    << "     config: {format: json, flush_interval: 0s, output: " << out << "}}\n"
    << "  - {name: bus, plugin: nats, events: [candle_update, candle_closed, signal], overflow: block,\n"
    << "     config: {servers: " << servers_yaml(nats_url) << nats_extra << "}}\n"
    << observers_extra;
  return y.str();
}

// An ingest daemon replaying the XRPETH trades at `speed` (0: as fast as it
// can), as `symbol`, and publishing to `nats_urls`; its closed candles go to `out`.
struct Ingest {
  Ingest(const TempDir& dir, const std::string& name, const std::string& nats_urls, double speed,
         const std::string& nats_extra = "", const std::string& observers_extra = "",
         const std::string& symbol = "XRPETH")
      : out(dir.file(name + ".jsonl")), log(dir.file(name + ".log")) {
    process = std::make_unique<ChildProcess>(
        std::vector<std::string>{
            kTickd, "--config",
            write_file(dir, name + ".yaml",
                       ingest_yaml(nats_urls, out, speed, nats_extra, observers_extra, symbol))},
        log);
  }
  CandleMap candles() const { return by_key(read_lines(out)); }

  std::string out, log;
  std::unique_ptr<ChildProcess> process;
};

struct Edge {
  // `feed_extra`: more keys of feed.nats; `observers_extra`: more observers;
  // `name`: of its files; `symbols`: feed.symbols, a YAML flow list.
  Edge(const TempDir& dir, const std::string& nats_url, const std::string& feed_extra = "",
       const std::string& observers_extra = "", const std::string& name = "edge",
       const std::string& symbols = "[XRPETH]")
      : out(dir.file(name + ".jsonl")),
        db(dir.file(name + ".db")),
        log(dir.file(name + ".log")),
        http(free_port()),
        admin(free_port()) {
    std::ostringstream y;
    y << "daemon: {admin_listen: \"127.0.0.1:" << admin << "\"}\n"
      << "feed:\n  kind: nats\n  symbols: " << symbols << "\n  nats: {servers: " << servers_yaml(nats_url)
      << ", reconnect_wait: 100ms" << feed_extra << "}\n"
      << "aggregator:\n  intervals: [1m, 5m]\n  history: 5000\n  close_on_shutdown: false\n"
      << "observers:\n"
      << "  - {name: out, plugin: logger, events: [candle_closed], overflow: block,\n"
      << "     config: {format: json, flush_interval: 0s, output: " << out << "}}\n"
      << "  - {name: store, plugin: sqlite, events: [candle_closed], overflow: block, config: {path: " << db
      << "}}\n"
      << observers_extra;
    // The chart serves the symbols the daemon knows at start: an edge taking
    // every symbol ("*") knows none yet, so it has no chart.
    if (symbols.find('*') == std::string::npos)
      y << "  - {name: chart, plugin: ws_broadcast, events: [candle_update, candle_closed],\n"
        << "     config: {listen: \"127.0.0.1:" << http << "\"}}\n";
    config = write_file(dir, name + ".yaml", y.str());
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

inline CandleMap read_sqlite(const std::string& path) {
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
inline void expect_same_candles(const CandleMap& ingest, const Edge& edge,
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
inline void expect_candles_endpoint(const CandleMap& ingest, const Edge& edge) {
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

}  // namespace tickd::e2e::nats_relay
