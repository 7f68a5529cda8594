// Late-tick amendments across NATS, with real daemons and a real nats-server:
// an ingest with `late_ticks: amend` replays Binance's XRPETH trades with some
// rows moved later, so that they arrive after their minute closed and amend
// it; the edge must end up with exactly the ingest's candles - every closed
// candle event in the same order, the final (amended) candles in its SQLite
// store and at /candles - and both count the same amendments; also across an
// edge restart, when the stream replays every amendment onto the candles its
// store restored.
#include "e2e/nats_relay_fixture.hpp"

#include <fstream>

namespace tickd::e2e {
namespace {

using namespace nats_relay;

constexpr long long kMinuteMs = 60000;

// The XRPETH trades with about one row in 150 moved to just after the first
// trade of a later minute (within 10 minutes, so the replay's time gate takes
// it): it arrives after its own minute closed. Returns how many were moved.
int write_late_trades(const std::string& path) {
  std::istringstream in(read_text(kData + "XRPETH-aggTrades-2019-10-11_13.csv"));
  std::string header;
  std::getline(in, header);
  std::vector<std::string> rows;
  std::vector<long long> times;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string f;
    for (int i = 0; i <= 5; ++i) std::getline(fields, f, ',');
    rows.push_back(line);
    times.push_back(std::stoll(f));  // transact_time
  }
  std::vector<std::vector<std::size_t>> after(rows.size());  // rows moved to after row j
  std::vector<bool> moved(rows.size(), false);
  int count = 0;
  for (std::size_t i = 100, next_free = 0; i + 20 < rows.size(); i += 150) {
    if (i < next_free) continue;
    const long long minute_end = (times[i] / kMinuteMs + 1) * kMinuteMs;
    std::size_t j = i + 1;
    while (j < rows.size() && times[j] < minute_end) ++j;
    if (j + 1 >= rows.size() || times[j] - times[i] > 10 * kMinuteMs) continue;
    after[j].push_back(i);
    moved[i] = true;
    next_free = j + 1;
    ++count;
  }
  std::ofstream out(path);
  out << header << '\n';
  for (std::size_t j = 0; j < rows.size(); ++j) {
    if (!moved[j]) out << rows[j] << '\n';
    for (std::size_t i : after[j]) out << rows[i] << '\n';
  }
  return count;
}

// An ingest with `late_ticks: amend` replaying `trades` at `speed` (0: as fast
// as it can); it stays up after the replay so that its /health can be read.
struct LateIngest {
  LateIngest(const TempDir& dir, const std::string& trades, const std::string& nats_url, double speed)
      : out(dir.file("ingest.jsonl")), log(dir.file("ingest.log")), admin(free_port()) {
    std::ostringstream y;
    y << "daemon: {admin_listen: \"127.0.0.1:" << admin << "\", shutdown_timeout: 60s}\n"
      << "feed:\n  kind: replay\n  replay:\n    files:\n"
      << "      - {path: " << trades << ", format: binance_aggtrades, symbol: XRPETH}\n"
      << "    speed: " << speed << "\n"
      << "aggregator:\n  intervals: [1m, 5m]\n  gap_fill: true\n  close_on_shutdown: false\n"
      << "  late_ticks: amend\n"
      << "observers:\n"
      << "  - {name: out, plugin: logger, events: [candle_closed], overflow: block,\n"
      << "     config: {format: json, flush_interval: 0s, output: " << out << "}}\n"
      << "  - {name: bus, plugin: nats, events: [candle_update, candle_closed], overflow: block,\n"
      << "     config: {servers: " << servers_yaml(nats_url) << "}}\n";
    process = std::make_unique<ChildProcess>(
        std::vector<std::string>{kTickd, "--config", write_file(dir, "ingest.yaml", y.str())}, log);
  }

  // Waits for the end of the replay; its /health then, and stops it.
  nlohmann::json finish() {
    nlohmann::json health;
    const bool finished = wait_until(
        [&] {
          const auto reply = http_get(admin, "/health");
          if (reply.status != 200) return false;
          health = nlohmann::json::parse(reply.body);
          return health["feed"]["state"] == "finished";
        },
        std::chrono::seconds(30));
    EXPECT_TRUE(finished) << read_text(log);
    process->signal(SIGTERM);
    EXPECT_EQ(process->wait(), 0) << read_text(log);
    return health;
  }

  std::string out, log;
  int admin;
  std::unique_ptr<ChildProcess> process;
};

// Closed candle events of one interval, in the order they were emitted.
std::vector<nlohmann::json> of_interval(const std::vector<nlohmann::json>& lines,
                                        const std::string& interval) {
  std::vector<nlohmann::json> out;
  for (const auto& j : lines)
    if (j["interval"] == interval) out.push_back(j);
  return out;
}

std::uint64_t candles_amended(int admin) {
  const auto health = nlohmann::json::parse(http_get(admin, "/health").body);
  return health["aggregator"]["candles_amended"].get<std::uint64_t>();
}

// After the edge stopped: its observers saw the ingest's closed candle events,
// amendments included, in the same order per interval, and its store upserted
// each amendment, so it holds the ingest's final candles.
void expect_same_events_and_store(const std::vector<nlohmann::json>& ingest_lines, const Edge& edge,
                                  int moved) {
  const auto edge_lines = read_lines(edge.out);
  EXPECT_EQ(edge_lines.size(), ingest_lines.size());
  for (const std::string interval : {"1m", "5m"}) {
    const auto sent = of_interval(ingest_lines, interval), received = of_interval(edge_lines, interval);
    ASSERT_EQ(received.size(), sent.size()) << interval;
    for (std::size_t i = 0; i < sent.size(); ++i)
      ASSERT_EQ(received[i], sent[i]) << interval << " event " << i;
  }
  const CandleMap ingest_final = by_key(ingest_lines);
  const CandleMap stored = read_sqlite(edge.db);
  ASSERT_EQ(stored.size(), ingest_final.size());
  std::size_t differ_from_first_close = 0;
  const CandleMap first_close = [&] {
    CandleMap m;
    for (const auto& j : ingest_lines)
      m.emplace(std::make_pair(j["interval"].get<std::string>(), j["open_time"].get<long long>()), j);
    return m;
  }();
  for (const auto& [key, j] : ingest_final) {
    const auto& s = stored.at(key);
    for (const char* f : {"open", "high", "low", "close", "volume", "quote_volume"})
      EXPECT_EQ(s[f].get<double>(), j[f].get<double>()) << f << " " << key.first << " " << key.second;
    EXPECT_EQ(s["trade_count"].get<long long>(), j["trades"].get<long long>());
    EXPECT_EQ((s["flags"].get<int>() & TICKD_CANDLE_FILLED) != 0, j["filled"].get<bool>());
    differ_from_first_close += first_close.at(key) != j;
  }
  EXPECT_GE(differ_from_first_close, static_cast<std::size_t>(moved)) << "the amendments changed candles";
}

TEST(NatsAmendments, TheEdgeReplacesEveryClosedCandleTheIngestAmendsAndEndsWithTheIngestsCandles) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-amend");
  const std::string trades = dir.file("XRPETH-late.csv");
  const int moved = write_late_trades(trades);
  ASSERT_GE(moved, 40);

  Edge edge(dir, server.url());
  edge.start();
  LateIngest ingest(dir, trades, server.url(), 0);
  const nlohmann::json ingest_health = ingest.finish();
  const std::uint64_t ingest_amended = ingest_health["aggregator"]["candles_amended"].get<std::uint64_t>();
  EXPECT_GE(ingest_health["aggregator"]["late_amended"].get<std::uint64_t>(),
            static_cast<std::uint64_t>(moved));
  EXPECT_EQ(ingest_health["aggregator"]["late_dropped"], 0);

  const auto ingest_lines = read_lines(ingest.out);
  const CandleMap ingest_final = by_key(ingest_lines);
  ASSERT_GE(ingest_final.size(), 3559u + 711u);
  ASSERT_EQ(ingest_lines.size() - ingest_final.size(), ingest_amended)
      << "each amendment is one more closed candle event at the ingest";
  ASSERT_GE(ingest_amended, static_cast<std::uint64_t>(moved));

  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() >= ingest_lines.size(); },
                         std::chrono::seconds(20)))
      << read_lines(edge.out).size() << " of " << ingest_lines.size() << "\n"
      << read_text(edge.log);
  EXPECT_EQ(candles_amended(edge.admin), ingest_amended);
  const std::string metrics = http_get(edge.admin, "/metrics").body;
  EXPECT_NE(metrics.find("tickd_candles_amended_total " + std::to_string(ingest_amended)), std::string::npos)
      << metrics;
  const auto health = nlohmann::json::parse(http_get(edge.admin, "/health").body);
  EXPECT_EQ(health["feed"]["decode_errors"], 0);
  EXPECT_EQ(health["aggregator"]["amended_unmerged"], 0);
  expect_candles_endpoint(ingest_final, edge);
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);

  expect_same_events_and_store(ingest_lines, edge, moved);
}

TEST(NatsAmendments, AnEdgeRestartedMidStreamGetsTheAmendmentsItMissedOnceAndNoOthers) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-amend");
  const std::string trades = dir.file("XRPETH-late.csv");
  const int moved = write_late_trades(trades);
  Edge edge(dir, server.url());
  edge.start();

  // About 6 s of replay: 2.5 days of trades at 36,000 times real time.
  LateIngest ingest(dir, trades, server.url(), 36000);
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() > 1500; }, std::chrono::seconds(15)));
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);
  const std::size_t before = read_lines(edge.out).size();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the ingest goes on publishing and amending
  // Restarted, the edge restores its store's candles, amended ones included; the
  // stream replays every amendment onto them, and only those it missed may pass.
  edge.start();
  ingest.finish();
  const auto ingest_lines = read_lines(ingest.out);
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() >= ingest_lines.size(); },
                         std::chrono::seconds(20)))
      << read_lines(edge.out).size() << " of " << ingest_lines.size() << "\n"
      << read_text(edge.log);
  expect_candles_endpoint(by_key(ingest_lines), edge);
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);
  EXPECT_LT(before, ingest_lines.size()) << "the restart was not mid-stream";
  expect_same_events_and_store(ingest_lines, edge, moved);
}

}  // namespace
}  // namespace tickd::e2e
