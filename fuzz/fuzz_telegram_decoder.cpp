// libFuzzer target: a getUpdates answer as the Bot API (or anyone in the
// middle) could send it, through the telegram plugin's update reading and
// command handling. Every answer must stay within Telegram's limits and be
// cut cleanly when too long.
#include "commands.hpp"
#include "telegram_config.hpp"
#include "telegram_html.hpp"

#include <tickd/testing/fake_host.hpp>

#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

using namespace tickd;

struct World {
  World()
      : fake("tg", {{"token", "1:x"}, {"chats", {1}}, {"rules", {{{"name", "r"}, {"type", "signal"}}}}},
             {"BTCUSDT"}, {*Interval::parse("1m")}),
        config(telegram::read_telegram_config(fake.host().config_view(telegram::telegram_config_schema()))),
        subscriptions("", config.chats),
        commands(fake.host(), config, subscriptions) {
    config.chart = {200, 150};  // small: the chart is drawn often
    // The chart's text loads fontconfig, whose caches live until released:
    // release them at exit, before the leak check.
    std::atexit([] {
      cairo_debug_reset_static_data();
      FcFini();
    });
    for (int i = 0; i < 5; ++i) {
      Candle c;
      c.symbol = "BTCUSDT";
      c.interval = *Interval::parse("1m");
      c.open_time = i * 60000;
      c.open = 100 + i;
      c.close = 101 + i;
      c.high = 102 + i;
      c.low = 99 + i;
      c.closed = true;
      fake.add_history(c);
    }
  }
  testing::FakeHost fake;
  telegram::TelegramConfig config;
  telegram::Subscriptions subscriptions;
  telegram::Commands commands;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  const auto answer = nlohmann::json::parse(data, data + size, nullptr, false);
  if (!answer.is_object() || !answer.contains("result") || !answer["result"].is_array()) return 0;
  for (const auto& update : answer["result"]) {
    const auto command = telegram::command_of(update);
    if (!command) continue;
    const auto reply = world.commands.handle(command->chat, command->text);
    const std::string sent = reply.png.empty() ? reply.html : telegram::html_truncate(reply.html, 1024);
    if (telegram::html_visible_length(sent) > telegram::kMaxMessageChars) std::abort();
    if (!reply.png.empty() && reply.png.compare(0, 4, "\x89PNG") != 0) std::abort();
  }
  return 0;
}
