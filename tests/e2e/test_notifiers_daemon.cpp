// The notifier plugins inside the real daemon on real data: Binance's XRPETH
// aggTrades replayed to a webhook (local HTTP receiver), a Telegram bot (local
// Bot API server) and a JSON snapshot at once. What each one delivers is
// checked against what the recorded file itself says.
#include "binance_data.hpp"
#include "e2e/daemon_fixture.hpp"
#include "telegram_bot_api.hpp"

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace tickd::e2e {
namespace {

const std::string kData = TICKD_DATA_DIR "/binance-xrpeth-2019-10/";
const std::string kTrades = kData + "XRPETH-aggTrades-2019-10-11_13.csv";

struct Trade {
  double price;
  double quantity;
  long long time;
};

std::vector<Trade> read_trades(const std::string& path) {
  std::vector<Trade> out;
  std::istringstream in(read_text(path));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    if (f.size() < 6) continue;
    out.push_back({std::stod(f[1]), std::stod(f[2]), std::stoll(f[5])});
  }
  return out;
}

// The ticks on which a price_cross `above: level` fires with no cooldown: the
// price was below the level on the previous tick and reaches it on this one.
std::vector<Trade> upward_crossings(const std::vector<Trade>& trades, double level) {
  std::vector<Trade> out;
  for (std::size_t i = 1; i < trades.size(); ++i)
    if (trades[i - 1].price < level && trades[i].price >= level) out.push_back(trades[i]);
  return out;
}

// The highest traded price that the replay crosses upwards a few times: the
// webhook rule fires more than once, but not on every tick.
double level_with_a_few_crossings(const std::vector<Trade>& trades) {
  std::set<double> prices;
  for (const auto& t : trades) prices.insert(t.price);
  for (auto it = prices.rbegin(); it != prices.rend(); ++it) {
    const auto n = upward_crossings(trades, *it).size();
    if (n >= 3 && n <= 20) return *it;
  }
  return 0;
}

struct Candle1m {
  long long open_time = 0;
  double open = 0, high = 0, low = 0, close = 0, volume = 0;
};

// The last 1m candle closed by the replay: the minute before the last tick's
// (the last minute stays open: close_on_shutdown is false).
Candle1m last_closed_1m(const std::vector<Trade>& trades) {
  const long long open_minute = trades.back().time / 60000 * 60000;
  Candle1m c;
  c.open_time = open_minute - 60000;
  bool first = true;
  for (const auto& t : trades) {
    if (t.time < c.open_time || t.time >= open_minute) continue;
    if (first) c.open = c.high = c.low = t.price;
    first = false;
    c.high = std::max(c.high, t.price);
    c.low = std::min(c.low, t.price);
    c.close = t.price;
    c.volume += t.quantity;
  }
  return c;
}

// The latest 1m candle of XRPETH the sqlite observer stored, as the event JSON's
// fields; null when there is none.
nlohmann::json last_stored_1m(const std::string& path) {
  nlohmann::json out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return out;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT open_time, open, high, low, close, volume, trade_count FROM candles "
                         "WHERE symbol = 'XRPETH' AND interval_s = 60 ORDER BY open_time DESC LIMIT 1",
                         -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    out = {{"open_time", sqlite3_column_int64(st, 0)},  {"open", sqlite3_column_double(st, 1)},
           {"high", sqlite3_column_double(st, 2)},      {"low", sqlite3_column_double(st, 3)},
           {"close", sqlite3_column_double(st, 4)},     {"volume", sqlite3_column_double(st, 5)},
           {"trade_count", sqlite3_column_int64(st, 6)}};
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::string price_of_answer(const std::string& text) {
  const std::string open = "<code>";
  const auto a = text.find(open);
  const auto b = text.find("</code>", a);
  if (a == std::string::npos || b == std::string::npos) return "";
  return text.substr(a + open.size(), b - a - open.size());
}

TEST(NotifiersDaemon, ReplayedXrpethReachesWebhookTelegramAndSnapshot) {
  const auto trades = read_trades(kTrades);
  ASSERT_EQ(trades.size(), 12477u);
  const double hook_level = level_with_a_few_crossings(trades);
  ASSERT_GT(hook_level, 0) << "no price level is crossed a few times";
  const auto hook_expected = upward_crossings(trades, hook_level);
  double max_price = 0;
  for (const auto& t : trades) max_price = std::max(max_price, t.price);
  const auto tg_expected = upward_crossings(trades, max_price);
  ASSERT_GE(tg_expected.size(), 1u);
  const Candle1m closed = last_closed_1m(trades);
  ASSERT_GT(closed.volume, 0) << "the minute before the last one has no trades in the file";

  test::HttpReceiver hooks([](const test::HttpRequestSeen&) { return test::HttpReply{}; });
  const std::string token = "4242:e2e-token";
  ::setenv("TICKD_E2E_TELEGRAM_TOKEN", token.c_str(), 1);
  test::TelegramBotApi bot(token);
  const std::int64_t chat = 777001;

  TempDir dir("tickd-e2e-notifiers");
  const std::string snapshot = dir.file("latest.json");
  const std::string db = dir.file("candles.db");
  char level_text[64];
  std::snprintf(level_text, sizeof level_text, "%.17g", hook_level);
  char max_text[64];
  std::snprintf(max_text, sizeof max_text, "%.17g", max_price);
  const std::string config =
      "feed:\n"
      "  kind: replay\n"
      "  replay:\n"
      "    files:\n"
      "      - {path: " +
      kTrades +
      ", format: binance_aggtrades, symbol: XRPETH}\n"
      "    speed: 0\n"
      "    exit_at_end: false\n"
      "aggregator:\n"
      "  intervals: [1m, 5m]\n"
      "  gap_fill: true\n"
      "  close_on_shutdown: false\n"
      "observers:\n"
      "  - name: hooks\n"
      "    plugin: webhook\n"
      "    events: [tick]\n"
      "    overflow: block\n"
      "    config:\n"
      "      targets: [{url: \"" +
      hooks.url("/tickd") +
      "\", preset: json}]\n"
      "      max_per_hour: 100000\n"
      "      retry: {initial: 50ms, attempts: 3}\n"
      "      rules: [{name: xrp_up, type: price_cross, symbols: [XRPETH], above: " +
      level_text +
      ", cooldown: 0s}]\n"
      "  - name: tg\n"
      "    plugin: telegram\n"
      "    events: [tick]\n"
      "    overflow: block\n"
      "    config:\n"
      "      token: ${TICKD_E2E_TELEGRAM_TOKEN}\n"
      "      api_url: \"" +
      bot.api_url() +
      "\"\n"
      "      chats: [" +
      std::to_string(chat) +
      "]\n"
      "      poll_timeout: 1s\n"
      "      rate: {per_chat_interval: 0s, global_per_second: 1000}\n"
      "      retry: {initial: 50ms, attempts: 3}\n"
      "      stop_timeout: 2s\n"
      "      rules: [{name: xrp_high, type: price_cross, above: " +
      max_text +
      ", cooldown: 0s}]\n"
      "  - name: snap\n"
      "    plugin: json_snapshot\n"
      "    events: [tick, candle_update, candle_closed]\n"
      "    overflow: block\n"
      "    config: {path: " +
      snapshot +
      ", every: 100ms}\n"
      "  - {name: store, plugin: sqlite, events: [candle_closed], overflow: block, config: {path: " +
      db + "}}\n";
  const std::string path = write_file(dir, "notifiers.yaml", config);
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_TRUE(
      wait_for_text(tickd, log, "replay finished: 12477 ticks, 0 malformed rows", std::chrono::seconds(10)))
      << read_text(log);

  // Webhook: one POST per upward crossing of the level, in the file's order.
  const auto posts = hooks.wait_for(hook_expected.size(), 8000);
  ASSERT_EQ(posts.size(), hook_expected.size()) << read_text(log);
  for (std::size_t i = 0; i < posts.size(); ++i) {
    EXPECT_EQ(posts[i].method, "POST");
    EXPECT_EQ(posts[i].target, "/tickd");
    const auto body = nlohmann::json::parse(posts[i].body);
    EXPECT_EQ(body["symbol"], "XRPETH");
    EXPECT_EQ(body["rule"], "xrp_up");
    EXPECT_EQ(body["observer"], "hooks");
    EXPECT_EQ(body["price"].get<double>(), hook_expected[i].price) << i;
    EXPECT_EQ(body["time"].get<long long>(), hook_expected[i].time) << i;
    EXPECT_EQ(body["side"], "up");
  }

  // Telegram: the alert on the day's high, valid HTML, then /price answered
  // with the replay's last price.
  auto sent = bot.wait_for_sent(tg_expected.size(), 8000);
  ASSERT_EQ(sent.size(), tg_expected.size()) << read_text(log);
  for (const auto& m : sent) {
    EXPECT_EQ(m.method, "sendMessage");
    EXPECT_EQ(m.chat, chat);
    EXPECT_EQ(m.parse_mode, "HTML");
    EXPECT_NE(m.text.find("<b>xrp_high</b>: XRPETH up at "), std::string::npos) << m.text;
    EXPECT_EQ(test::TelegramBotApi::html_error(m.text), "") << m.text;
  }
  bot.push_message(chat, "/price XRPETH");
  sent = bot.wait_for_sent(tg_expected.size() + 1, 8000);
  ASSERT_EQ(sent.size(), tg_expected.size() + 1) << read_text(log);
  const auto& answer = sent.back();
  EXPECT_EQ(answer.chat, chat);
  EXPECT_EQ(test::TelegramBotApi::html_error(answer.text), "") << answer.text;
  EXPECT_EQ(answer.text.rfind("<b>XRPETH</b> <code>", 0), 0u) << answer.text;
  const std::string shown = price_of_answer(answer.text);
  ASSERT_FALSE(shown.empty()) << answer.text;
  EXPECT_EQ(std::stod(shown), trades.back().price) << answer.text;
  EXPECT_TRUE(bot.rejected().empty());

  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
  // Nothing more was sent than the file's crossings and the one answer.
  EXPECT_EQ(hooks.requests().size(), hook_expected.size());
  EXPECT_EQ(bot.sent().size(), tg_expected.size() + 1);

  // json_snapshot, written once more at stop: the last closed 1m candle is the
  // one the file gives, and Binance's own kline for that minute.
  const auto snap = nlohmann::json::parse(read_text(snapshot));
  EXPECT_EQ(snap["format"], "tickd.snapshot");
  const auto& xrp = snap["symbols"]["XRPETH"];
  EXPECT_EQ(xrp["tick"]["price"].get<double>(), trades.back().price);
  EXPECT_EQ(xrp["tick"]["time"].get<long long>(), trades.back().time);
  const auto& last = xrp["candles"]["1m"]["last_closed"];
  ASSERT_TRUE(last.is_object()) << snap.dump();
  EXPECT_EQ(last["open_time"].get<long long>(), closed.open_time);
  EXPECT_EQ(last["closed"], true);
  EXPECT_EQ(last["open"].get<double>(), closed.open);
  EXPECT_EQ(last["high"].get<double>(), closed.high);
  EXPECT_EQ(last["low"].get<double>(), closed.low);
  EXPECT_EQ(last["close"].get<double>(), closed.close);
  EXPECT_NEAR(last["volume"].get<double>(), closed.volume, 1e-9 * std::max(1.0, closed.volume));
  // The same candle as the sqlite observer stored it in the same run.
  const auto stored = last_stored_1m(db);
  ASSERT_TRUE(stored.is_object()) << "no 1m candle in " << db;
  for (const char* field : {"open_time", "open", "high", "low", "close", "volume", "trade_count"})
    EXPECT_EQ(last[field], stored[field]) << field;
  const auto klines = test_servers::read_kline_csv(kData + "XRPETH-1m-2019-10-11_13.csv");
  ASSERT_GE(klines.size(), 2u);
  const auto& binance = klines[klines.size() - 2];  // the last one was recorded still open
  EXPECT_EQ(binance.open_time, closed.open_time);
  EXPECT_EQ(last["close"].get<double>(), std::stod(binance.close));
  EXPECT_EQ(xrp["candles"]["1m"]["open"]["open_time"].get<long long>(), closed.open_time + 60000);
}

}  // namespace
}  // namespace tickd::e2e
