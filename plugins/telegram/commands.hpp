// The bot's commands, answered for allowed chats only (the caller checks):
//   /price SYMBOL                      last price, from the smallest interval's candle
//   /candles SYMBOL INTERVAL [N]       the last N candles as a fixed-width table
//   /chart SYMBOL INTERVAL             a PNG of the candles
//   /status                            feed state, lag, observers
//   /rules, /subscribe RULE, /unsubscribe RULE
//   /help (and /start)
// Everything taken from the command text is HTML-escaped in the answer.
#pragma once

#include "candle_chart.hpp"
#include "subscriptions.hpp"
#include "telegram_config.hpp"

#include <tickd/host.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tickd::telegram {

// A command in a getUpdates update: a text message starting with '/' (at
// most 512 bytes of it are read), and its chat.
struct IncomingCommand {
  std::int64_t chat = 0;
  std::string text;
};
std::optional<IncomingCommand> command_of(const nlohmann::json& update);

struct Reply {
  std::string html;  // the message, or the photo's caption
  std::string png;   // non-empty: send as a photo
};

class Commands {
 public:
  Commands(const Host& host, const TelegramConfig& config, Subscriptions& subscriptions);

  // Empty html: not a command (no answer).
  Reply handle(std::int64_t chat, const std::string& text) const;

 private:
  Reply price(const std::vector<std::string>& args) const;
  Reply candles(const std::vector<std::string>& args) const;
  Reply chart(const std::vector<std::string>& args) const;
  Reply status() const;
  Reply rules(std::int64_t chat) const;
  Reply subscribe(std::int64_t chat, const std::vector<std::string>& args, bool on) const;
  // The series as the daemon names it: as typed, else upper case.
  std::vector<Candle> history(std::string& symbol, Interval interval, std::uint32_t n) const;

  const Host& host_;
  const TelegramConfig& config_;
  Subscriptions& subscriptions_;
};

}  // namespace tickd::telegram
