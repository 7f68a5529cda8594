// Shared by the telegram tests: a config pointing at the local Bot API, and
// waiting helpers.
#pragma once

#include "support/temp_dir.hpp"
#include "telegram_bot_api.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <thread>

namespace tickd::telegram::test {

using namespace std::chrono_literals;

inline const std::string kToken = "123456:ABC-secret_token";
constexpr std::int64_t kAlertChat = 100;    // in `chats`
constexpr std::int64_t kCommandChat = 200;  // in `allowed_chats` only
constexpr std::int64_t kStranger = 999;     // in neither

inline nlohmann::json config_for(const tickd::test::TelegramBotApi& api, const test_support::TempDir& dir,
                                 nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json c = {{"token", kToken},
                      {"api_url", api.api_url()},
                      {"chats", {kAlertChat}},
                      {"allowed_chats", {kCommandChat}},
                      {"poll_timeout", "1s"},
                      {"state_file", dir.file("telegram-state.json")},
                      {"rate", {{"per_chat_interval", "10ms"}, {"global_per_second", 1000}}},
                      {"retry", {{"initial", "50ms"}, {"max", "200ms"}, {"attempts", 100}}},
                      {"stop_timeout", "5s"}};
  c.update(extra);
  return c;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 15s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

inline Signal signal_with(std::string symbol, std::string text) {
  Signal s;
  s.symbol = std::move(symbol);
  s.interval = *Interval::parse("1m");
  s.time = 1700000000000;
  s.side = Side::buy;
  s.price = 42000.5;
  s.source = "ema_cross/ema_9_21";
  s.text = std::move(text);
  return s;
}

inline void expect_token_never_logged(const tickd::testing::FakeHost& fake) {
  for (const auto& [level, text] : fake.logs())
    if (text.find("secret_token") != std::string::npos) ADD_FAILURE() << "the bot token was logged: " << text;
}

}  // namespace tickd::telegram::test
