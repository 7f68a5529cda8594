// Commands through getUpdates long polling: answered for allowed chats only,
// from the host's history and status; /chart uploads a PNG that shows the
// candles; subscriptions survive a restart.
#include "png_pixels.hpp"
#include "support/plugin_metrics.hpp"
#include "telegram_observer.hpp"
#include "telegram_test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace tickd::telegram {
namespace {

using namespace test;
using test_support::metrics_of;
using test_support::TempDir;
using tickd::test::TelegramBotApi;
using tickd::testing::FakeHost;

const Interval k1m = *Interval::parse("1m");

void add_candles(FakeHost& fake, int n) {
  double price = 42000;
  for (int i = 0; i < n; ++i) {
    Candle c;
    c.symbol = "BTCUSDT";
    c.interval = k1m;
    c.open_time = 1700000000000 / 60000 * 60000 + i * 60000;
    c.open = price;
    c.close = i % 3 == 2 ? price - 5 : price + 4;
    c.high = std::max(c.open, c.close) + 2;
    c.low = std::min(c.open, c.close) - 2;
    c.volume = 1.5;
    c.closed = i + 1 < n;  // the last one is open
    price = c.close;
    fake.add_history(c);
  }
}

struct Bot {
  Bot(TelegramBotApi& api, const TempDir& dir, nlohmann::json extra = nlohmann::json::object())
      : fake("tg", config_for(api, dir, std::move(extra)), {"BTCUSDT"}, {k1m}) {}
  FakeHost fake;
  TelegramObserver obs;
};

TEST(TelegramCommandTest, AnswersAllowedChatsOnlyAndStrangersGetNothing) {
  TelegramBotApi api(kToken);
  TempDir dir("telegram");
  Bot bot(api, dir);
  add_candles(bot.fake, 5);
  bot.obs.start(bot.fake.host());
  api.push_message(kStranger, "/price BTCUSDT");
  api.push_message(kStranger, "/status");
  api.push_message(kCommandChat, "/price@tickd_bot btcusdt");
  auto sent = api.wait_for_sent(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].chat, kCommandChat);
  EXPECT_NE(sent[0].text.find("<b>BTCUSDT</b> <code>42011</code>"), std::string::npos) << sent[0].text;
  EXPECT_NE(sent[0].text.find("(open)"), std::string::npos);
  ASSERT_TRUE(eventually([&] { return metrics_of(bot.obs)["telegram_commands_refused"] == 2; }));
  api.push_message(kAlertChat, "/candles BTCUSDT 1m 3");
  api.push_message(kAlertChat, "/status");
  api.push_message(kAlertChat, "/candles <b>X</b> 7q");
  api.push_message(kAlertChat, "/frobnicate");
  sent = api.wait_for_sent(5);
  bot.obs.stop();
  ASSERT_EQ(sent.size(), 5u) << (api.rejected().empty() ? "" : api.rejected()[0]);
  const std::string& table = sent[1].text;
  EXPECT_NE(table.find("<pre>"), std::string::npos) << table;
  // The last 3 of the 5 candles, oldest first, the open one marked.
  EXPECT_EQ(table.find("11-14 22:14"), std::string::npos) << table;
  EXPECT_LT(table.find("11-14 22:15"), table.find("11-14 22:17")) << table;
  EXPECT_NE(table.find("42011        1.5 *"), std::string::npos) << table;
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 5) << table;  // title, header, 3 rows
  EXPECT_NE(table.find("* open candle"), std::string::npos);
  EXPECT_NE(sent[2].text.find("feed: ?, test"), std::string::npos) << sent[2].text;
  EXPECT_NE(sent[3].text.find("Unknown interval <code>7q</code>"), std::string::npos) << sent[3].text;
  EXPECT_NE(sent[4].text.find("Unknown command <code>/frobnicate</code>"), std::string::npos);
  for (const auto& s : sent) EXPECT_NE(s.chat, kStranger);
  EXPECT_TRUE(api.rejected().empty());
  EXPECT_EQ(metrics_of(bot.obs)["telegram_commands_answered"], 5);
  expect_token_never_logged(bot.fake);
}

TEST(TelegramCommandTest, ChartIsAPngPhotoThatShowsTheCandles) {
  TelegramBotApi api(kToken);
  TempDir dir("telegram");
  Bot bot(api, dir, {{"chart", {{"width", 640}, {"height", 360}}}});
  add_candles(bot.fake, 45);
  bot.obs.start(bot.fake.host());
  api.push_message(kCommandChat, "/chart BTCUSDT 1m");
  auto sent = api.wait_for_sent(1);
  bot.obs.stop();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "sendPhoto");
  EXPECT_NE(sent[0].text.find("<b>BTCUSDT</b> 1m"), std::string::npos);
  ASSERT_GT(sent[0].photo.size(), 2000u);
  auto pixels = count_candle_pixels(sent[0].photo);
  EXPECT_EQ(pixels.width, 640);
  EXPECT_EQ(pixels.height, 360);
  EXPECT_GT(pixels.green, 1000);  // 30 up candles
  EXPECT_GT(pixels.red, 300);     // 15 down candles
  EXPECT_GT(pixels.green, pixels.red);
}

TEST(TelegramCommandTest, SubscriptionsSurviveARestart) {
  TelegramBotApi api(kToken);
  TempDir dir("telegram");
  const nlohmann::json rules = {
      {{"name", "btc_up"}, {"type", "price_cross"}, {"above", 100}, {"cooldown", 0}},
      {{"name", "sigs"}, {"type", "signal"}, {"cooldown", 0}}};
  {
    Bot bot(api, dir, {{"rules", rules}});
    bot.obs.start(bot.fake.host());
    api.push_message(kCommandChat, "/subscribe btc_up");
    api.push_message(kAlertChat, "/unsubscribe sigs");
    api.push_message(kCommandChat, "/subscribe nosuchrule");
    auto sent = api.wait_for_sent(3);
    bot.obs.stop();
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0].text, "Subscribed to <code>btc_up</code>.");
    EXPECT_EQ(sent[1].text, "Unsubscribed from <code>sigs</code>.");
    EXPECT_EQ(sent[2].text, "No rule <code>nosuchrule</code> (see /rules).");
  }
  Bot bot(api, dir, {{"rules", rules}, {"commands", false}});
  bot.obs.start(bot.fake.host());
  bot.obs.on_signal(signal_with("BTCUSDT", "nobody wants this"));  // queued first, if anyone received it
  bot.obs.on_tick(Tick{"BTCUSDT", 1, 99, 1, -1, 1, Side::buy});
  bot.obs.on_tick(Tick{"BTCUSDT", 2, 101, 1, -1, 1, Side::buy});
  auto sent = api.wait_for_sent(5);
  bot.obs.stop();
  ASSERT_EQ(sent.size(), 5u);
  std::set<std::int64_t> chats;
  for (std::size_t i = 3; i < 5; ++i) {
    EXPECT_NE(sent[i].text.find("<b>btc_up</b>"), std::string::npos) << sent[i].text;
    chats.insert(sent[i].chat);
  }
  EXPECT_EQ(chats, (std::set<std::int64_t>{kAlertChat, kCommandChat}));
}

TEST(TelegramCommandTest, PollingConfirmsUpdatesAndStopsPromptly) {
  TelegramBotApi api(kToken);
  TempDir dir("telegram");
  Bot bot(api, dir);
  bot.obs.start(bot.fake.host());
  api.push_message(kCommandChat, "/help");
  ASSERT_EQ(api.wait_for_sent(1).size(), 1u);
  // The next getUpdates carries offset = last update_id + 1: the server forgets it.
  ASSERT_TRUE(eventually([&] { return api.pending_updates() == 0; }));
  const auto before = std::chrono::steady_clock::now();
  bot.obs.stop();  // a long poll is in progress
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  EXPECT_EQ(api.sent().size(), 1u);
}

}  // namespace
}  // namespace tickd::telegram
