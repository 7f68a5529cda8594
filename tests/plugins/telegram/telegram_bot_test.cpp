// Alerts through the telegram observer to a local Bot API: HTML that Telegram
// accepts whatever the symbol and text hold, the 4096 limit, pacing per chat
// and in all, 429 retry_after, 5xx retries, a refusal not retried.
#include "support/plugin_config.hpp"
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

TEST(TelegramAlertTest, HostileSymbolAndTextArriveEscapedAndAccepted) {
  TelegramBotApi api(kToken);
  TempDir dir("telegram");
  FakeHost fake("tg", config_for(api, dir, {{"commands", false}}));
  TelegramObserver obs;
  obs.start(fake.host());
  obs.on_signal(signal_with("<b>X&Y</b>", "<script>alert(\"1\")</script> & more"));
  auto sent = api.wait_for_sent(1);
  ASSERT_EQ(sent.size(), 1u) << (api.rejected().empty() ? "" : api.rejected()[0]);
  EXPECT_EQ(sent[0].chat, kAlertChat);
  EXPECT_EQ(sent[0].parse_mode, "HTML");
  EXPECT_EQ(sent[0].text,
            "<b>signals</b>: &lt;b&gt;X&amp;Y&lt;/b&gt; buy at 42000.5\n"
            "&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; more\n<i>2023-11-14T22:13:20.000Z</i>");
  std::string huge(6000, '<');
  obs.on_signal(signal_with("BTCUSDT", huge));
  sent = api.wait_for_sent(2);
  ASSERT_EQ(sent.size(), 2u) << (api.rejected().empty() ? "" : api.rejected()[0]);
  EXPECT_TRUE(api.rejected().empty());
  obs.stop();
  EXPECT_EQ(metrics_of(obs)["telegram_truncated"], 1);
  expect_token_never_logged(fake);
}

TEST(TelegramAlertTest, PacesMessagesPerChatAndInAll) {
  TelegramBotApi api(kToken);
  TempDir dir("telegram");
  FakeHost fake("tg", config_for(api, dir,
                                 {{"commands", false},
                                  {"chats", {101, 102}},
                                  {"rate", {{"per_chat_interval", "300ms"}, {"global_per_second", 10}}}}));
  TelegramObserver obs;
  obs.start(fake.host());
  for (int i = 0; i < 3; ++i) obs.on_signal(signal_with("BTCUSDT", "n" + std::to_string(i)));
  auto sent = api.wait_for_sent(6);
  obs.stop();
  ASSERT_EQ(sent.size(), 6u);
  std::map<std::int64_t, std::vector<std::chrono::steady_clock::time_point>> by_chat;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    by_chat[sent[i].chat].push_back(sent[i].at);
    if (i > 0) {
      EXPECT_GE(sent[i].at - sent[i - 1].at, 90ms) << "more than 10 per second in all";
    }
  }
  for (const auto& [chat, times] : by_chat) {
    ASSERT_EQ(times.size(), 3u);
    for (std::size_t i = 1; i < times.size(); ++i)
      EXPECT_GE(times[i] - times[i - 1], 290ms) << "chat " << chat << " got two messages within 300 ms";
  }
}

TEST(TelegramAlertTest, WaitsRetryAfterOn429RetriesA5xxAndDoesNotRetryARefusal) {
  TelegramBotApi api(kToken);
  TempDir dir("telegram");
  FakeHost fake("tg", config_for(api, dir, {{"commands", false}}));
  TelegramObserver obs;
  obs.start(fake.host());
  api.fail_next(429, 1, 1);
  api.fail_next(502, 2);
  const auto before = std::chrono::steady_clock::now();
  obs.on_signal(signal_with("BTCUSDT", "first"));
  auto sent = api.wait_for_sent(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_GE(sent[0].at - before, 1s) << "retry_after was not honoured";
  api.fail_next(403);
  obs.on_signal(signal_with("BTCUSDT", "blocked"));
  ASSERT_TRUE(eventually([&] { return obs.delivery_counters().failed == 1; }));
  obs.stop();
  auto m = metrics_of(obs);
  EXPECT_EQ(m["telegram_sent"], 1);
  EXPECT_EQ(m["telegram_throttled"], 1);
  EXPECT_EQ(m["telegram_errors"], 3);  // two 502s and the 403
  EXPECT_EQ(m["telegram_retried"], 3);
  EXPECT_EQ(m["telegram_failed"], 1);
  EXPECT_EQ(api.rejected().size(), 4u);
  expect_token_never_logged(fake);
}

// As start() (and `tickd --check-config`) reports them.
TEST(TelegramConfigTest, ErrorsNameTheKeyAndNeverShowTheToken) {
  const nlohmann::json ok = {{"token", kToken}, {"chats", {1}}, {"commands", false}};
  EXPECT_NO_THROW(read_telegram_config(test_support::checked_config(telegram_config_schema(), ok)));
  auto with = [&](const nlohmann::json& patch) {
    auto c = ok;
    c.merge_patch(patch);
    return c;
  };
  const std::pair<nlohmann::json, std::string> cases[] = {
      {{{"chats", {1}}}, "'config.token' is required"},
      {{{"token", "12:secret/../x"}, {"chats", {1}}}, "'config.token' is not a bot token"},
      {{{"token", kToken}}, "'config.chats' must list at least one chat id"},
      {{{"token", kToken}, {"chats", {"me"}}}, "'config.chats[0]' must be an integer, got 'me'"},
      {{{"token", kToken}, {"chats", {0}}}, "'config.chats[0]' must not be 0"},
      {with({{"message", "{price"}}), "config.message: unclosed '{'"},
      {with({{"poll_timeout", "100ms"}}),
       "'config.poll_timeout' must be a duration from 1s to 10m, got '100ms'"},
      {with({{"rate", {{"per_chat", 1}}}}), "unknown key 'per_chat' in 'config.rate'"},
      {with({{"state_file", "/nonexistent-dir/state.json"}}),
       "'config.state_file' is in folder '/nonexistent-dir', which does not exist"},
      {with({{"candles", {{"default", 20}, {"max", 10}}}}),
       "'config.candles.default' must not be above 'max'"},
      // A typo with a suggestion, a wrong type, a value out of range.
      {with({{"token", nullptr}, {"tokn", kToken}}),
       "unknown key 'tokn' in 'config' (did you mean 'token'?)"},
      {with({{"commands", "sometimes"}}), "'config.commands' must be true or false, got 'sometimes'"},
      {with({{"chart", {{"width", 5000}}}}),
       "'config.chart.width' must be an integer from 200 to 2000, got 5000"},
      {with({{"rules", {{{"name", "x"}, {"type", "signal"}, {"sourcs", {"a"}}}}}}),
       "unknown key 'sourcs' in 'config.rules[0]' for type signal (did you mean 'sources'?)"},
  };
  for (const auto& [config, expected] : cases) {
    const std::string error = test_support::start_error<TelegramObserver>(config);
    EXPECT_NE(error.find(expected), std::string::npos) << error;
    EXPECT_EQ(error.find("secret"), std::string::npos) << "the token was shown: " << error;
  }
}

}  // namespace
}  // namespace tickd::telegram
