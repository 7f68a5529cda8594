// Late-tick amendments across NATS, with real daemons and a real nats-server:
// an ingest with `late_ticks: amend` replays Binance's XRPETH trades with some
// rows moved later, so that they arrive after their minute closed and amend
// it; the edge must end up with exactly the ingest's candles - every closed
// candle event in the same order, the final (amended) candles in its SQLite
// store and at /candles - and both count the same amendments.
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

std::string ingest_yaml(const std::string& trades, const std::string& out, const std::string& nats_url,
                        int admin) {
  std::ostringstream y;
  y << "daemon: {admin_listen: \"127.0.0.1:" << admin << "\", shutdown_timeout: 60s}\n"
    << "feed:\n  kind: replay\n  replay:\n    files:\n"
    << "      - {path: " << trades << ", format: binance_aggtrades, symbol: XRPETH}\n"
    << "    speed: 0\n"
    << "aggregator:\n  intervals: [1m, 5m]\n  gap_fill: true\n  close_on_shutdown: false\n"
    << "  late_ticks: amend\n"
    << "observers:\n"
    << "  - {name: out, plugin: logger, events: [candle_closed], overflow: block,\n"
    << "     config: {format: json, flush_interval: 0s, output: " << out << "}}\n"
    << "  - {name: bus, plugin: nats, events: [candle_update, candle_closed], overflow: block,\n"
    << "     config: {servers: " << servers_yaml(nats_url) << "}}\n";
  return y.str();
}

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

TEST(NatsAmendments, TheEdgeReplacesEveryClosedCandleTheIngestAmendsAndEndsWithTheIngestsCandles) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-amend");
  const std::string trades = dir.file("XRPETH-late.csv");
  const int moved = write_late_trades(trades);
  ASSERT_GE(moved, 40);

  Edge edge(dir, server.url());
  edge.start();
  const int ingest_admin = free_port();
  const std::string ingest_out = dir.file("ingest.jsonl");
  ChildProcess ingest(
      {kTickd, "--config",
       write_file(dir, "ingest.yaml", ingest_yaml(trades, ingest_out, server.url(), ingest_admin))},
      dir.file("ingest.log"));
  nlohmann::json ingest_health;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto reply = http_get(ingest_admin, "/health");
        if (reply.status != 200) return false;
        ingest_health = nlohmann::json::parse(reply.body);
        return ingest_health["feed"]["state"] == "finished";
      },
      std::chrono::seconds(30)))
      << read_text(dir.file("ingest.log"));
  const std::uint64_t ingest_amended = ingest_health["aggregator"]["candles_amended"].get<std::uint64_t>();
  EXPECT_GE(ingest_health["aggregator"]["late_amended"].get<std::uint64_t>(),
            static_cast<std::uint64_t>(moved));
  EXPECT_EQ(ingest_health["aggregator"]["late_dropped"], 0);
  ingest.signal(SIGTERM);
  ASSERT_EQ(ingest.wait(), 0) << read_text(dir.file("ingest.log"));

  const auto ingest_lines = read_lines(ingest_out);
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

  // The observers saw the same closed candles, amendments included, in the same order.
  const auto edge_lines = read_lines(edge.out);
  EXPECT_EQ(edge_lines.size(), ingest_lines.size());
  for (const std::string interval : {"1m", "5m"}) {
    const auto sent = of_interval(ingest_lines, interval), received = of_interval(edge_lines, interval);
    ASSERT_EQ(received.size(), sent.size()) << interval;
    for (std::size_t i = 0; i < sent.size(); ++i)
      ASSERT_EQ(received[i], sent[i]) << interval << " event " << i;
  }
  // The store upserted each amendment: it holds the ingest's final candles.
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

}  // namespace
}  // namespace tickd::e2e
