// Kite and SmartAPI connections dropped in the middle of a stream of real
// trades: the daemon backs off, reconnects (the server resumes later in the
// data, as after an outage), fetches the missed minutes from the broker's
// historical API, and every 1m and 5m candle ends up closed exactly once with
// the values the trades make.
#include "broker_fixture.hpp"
#include "indian_broker_data.hpp"

namespace tickd::e2e {
namespace {

using test_servers::LocalWsServer;
using test_servers::PaiseCandle;
using test_servers::PaiseTrade;
using test_servers::Peer;

const std::string kTrades = kXrpDir + "XRPETH-aggTrades-2019-10-11_13.csv";
constexpr std::size_t kDropAt = 4000, kResumeAt = 6000;

// The first connection plays trades [0, kDropAt) and is dropped; the next
// ones resume at kResumeAt. Waits for the subscription first.
void play(Peer& p, const std::vector<std::string>& frames) {
  std::string msg;
  if (!p.wait_message(msg, std::chrono::seconds(10))) return;
  const std::size_t from = p.index() == 0 ? 0 : kResumeAt;
  const std::size_t to = p.index() == 0 ? kDropAt : frames.size();
  for (std::size_t i = from; i < to && p.alive(); ++i) p.send_binary(frames[i]);
  if (p.index() == 0) {
    p.pause(std::chrono::milliseconds(100));
    p.drop();
  }
  while (p.alive() && p.wait_message(msg, std::chrono::seconds(1)))
    if (msg == "ping") p.send_text("pong");
  p.pause(std::chrono::minutes(1));
}

// Every candle of the trades closed exactly once, equal to the trades'
// candle except the one holding the first trade after the reconnect (built
// from the live trades only).
void expect_each_once(const std::map<long long, std::vector<nlohmann::json>>& got,
                      const std::vector<PaiseCandle>& want, long long resume_bucket,
                      const std::string& name) {
  for (std::size_t i = 0; i + 1 < want.size(); ++i) {
    const auto& k = want[i];
    const std::string what = name + " " + std::to_string(k.open_time);
    auto it = got.find(k.open_time);
    ASSERT_NE(it, got.end()) << what << " missing";
    ASSERT_EQ(it->second.size(), 1u) << what << " closed twice";
    const auto& c = it->second[0];
    if (k.open_time == resume_bucket) {
      EXPECT_LE(c["volume"].get<double>(), static_cast<double>(k.volume)) << what;
      continue;
    }
    EXPECT_EQ(c["open"].get<double>(), k.open / 100.0) << what;
    EXPECT_EQ(c["high"].get<double>(), k.high / 100.0) << what;
    EXPECT_EQ(c["low"].get<double>(), k.low / 100.0) << what;
    EXPECT_EQ(c["close"].get<double>(), k.close / 100.0) << what;
    EXPECT_EQ(c["volume"].get<double>(), static_cast<double>(k.volume)) << what;
  }
  // Between the traded minutes: flat gap-fill candles only, never a double.
  for (const auto& [open_time, list] : got)
    EXPECT_EQ(list.size(), 1u) << name << " " << open_time << " doubled";
}

void run_reconnect(const std::vector<PaiseTrade>& trades, LocalWsServer& server, const std::string& feed,
                   const std::string& broker, const std::string& rest_marker) {
  const auto minute = test_servers::paise_candles(trades, 60);
  const auto five = test_servers::paise_candles(trades, 300);
  TempDir dir("tickd-e2e-" + broker + "-reconnect");
  const int admin = test_support::free_port();
  const std::string candles = dir.file("candles.jsonl");
  const std::string path = write_file(dir, "b.yaml", daemon_config(feed, candles, admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  const long long last_closed = minute[minute.size() - 2].open_time;
  ASSERT_TRUE(wait_for_candle(tickd, candles, "1m", last_closed, std::chrono::seconds(60))) << read_text(log);
  const std::string m = metrics(admin);
  tickd.signal(SIGTERM);
  ASSERT_EQ(tickd.wait(), 0) << read_text(log);
  const std::string text = read_text(log);

  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(metric(m, "tickd_feed_reconnects_total"), 1) << m;
  EXPECT_NE(text.find(broker + ": backoff"), std::string::npos) << text;
  EXPECT_NE(text.find("gap filled with"), std::string::npos) << text;
  bool asked = false;
  for (const auto& r : server.http_requests()) asked |= r.find(rest_marker) != std::string::npos;
  EXPECT_TRUE(asked) << "the missed candles were not fetched over REST";

  const long long resume_minute = trades[kResumeAt].time_ms / 60000 * 60000;
  auto got = read_closed(candles);
  expect_each_once(got["1m"], minute, resume_minute, "1m");
  expect_each_once(got["5m"], five, resume_minute / 300000 * 300000, "5m");
}

TEST(IndianBrokerReconnect, KiteDropIsBackfilledFromHistoricalApiWithoutMissingOrDoubledCandles) {
  const auto trades = test_servers::paise_trades(kTrades, true);  // Kite's trade times are whole seconds
  const auto frames = test_servers::kite_trade_frames(trades, 408065);
  const auto minute = test_servers::paise_candles(trades, 60);
  LocalWsServer server([&](Peer& p) { play(p, frames); },
                       [&](const std::string& r) { return test_servers::kite_historical_answer(minute, r); });
  const std::string url = "127.0.0.1:" + std::to_string(server.port());
  const std::string feed =
      "feed:\n"
      "  kind: kite\n"
      "  gate: {max_behind: 0}\n"  // recorded times, served as live
      "  kite:\n"
      "    url: ws://" +
      url +
      "\n"
      "    rest_url: http://" +
      url +
      "\n"
      "    api_key: kitekey\n"
      "    access_token: kitetoken\n"
      "    mode: full\n"
      "    bootstrap_candles: 0\n"
      "    reconnect: {initial: 300ms, max: 2s}\n"
      "    instruments: {408065: NSE:INFY}\n";
  run_reconnect(trades, server, feed, "kite", "/instruments/historical/408065/minute?from=");
}

TEST(IndianBrokerReconnect, SmartApiDropIsBackfilledFromGetCandleDataWithoutMissingOrDoubledCandles) {
  const auto trades = test_servers::paise_trades(kTrades, false);
  const auto frames = test_servers::smartapi_trade_frames(trades, "2885");
  const auto minute = test_servers::paise_candles(trades, 60);
  LocalWsServer server([&](Peer& p) { play(p, frames); });
  std::string seen_auth;
  server.on_http_call([&](const test_servers::HttpCall& call) {
    seen_auth = call.headers.count("Authorization") ? call.headers.at("Authorization") : "";
    return test_servers::smartapi_candle_answer(minute, call);
  });
  const std::string url = "127.0.0.1:" + std::to_string(server.port());
  const std::string feed =
      "feed:\n"
      "  kind: smartapi\n"
      "  gate: {max_behind: 0}\n"  // recorded times, served as live
      "  smartapi:\n"
      "    url: ws://" +
      url +
      "/smart-stream\n"
      "    rest_url: http://" +
      url +
      "\n"
      "    auth_token: jwt-abc\n"
      "    api_key: key1\n"
      "    client_code: C123\n"
      "    feed_token: feed-xyz\n"
      "    mode: quote\n"
      "    bootstrap_candles: 0\n"
      "    reconnect: {initial: 300ms, max: 2s}\n"
      "    tokens: [{exchange_type: 1, token: \"2885\", symbol: RELIANCE}]\n";
  run_reconnect(trades, server, feed, "smartapi", "/rest/secure/angelbroking/historical/v1/getCandleData");
  EXPECT_EQ(seen_auth, "Bearer jwt-abc");
}

}  // namespace
}  // namespace tickd::e2e
