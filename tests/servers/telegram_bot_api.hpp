// The Telegram Bot API methods tickd uses (getUpdates, sendMessage,
// sendPhoto), served on 127.0.0.1 for tests: a checked token, getUpdates with
// offset confirmation and long polling, HTML parse mode validated as Telegram
// does (known tags, balanced, only the entities it knows, 4096 characters),
// multipart photo uploads, and scripted failures (429 with
// parameters.retry_after, 5xx, 403).
#pragma once

#include "http_receiver.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace tickd::test {

class TelegramBotApi {
 public:
  struct Sent {
    std::string method;  // sendMessage or sendPhoto
    std::int64_t chat = 0;
    std::string text;  // the text, or the photo's caption
    std::string parse_mode;
    std::string photo;  // the uploaded file's bytes
    std::chrono::steady_clock::time_point at;
  };

  explicit TelegramBotApi(std::string token);
  ~TelegramBotApi();  // ends long polls at once

  std::string api_url() const { return http_.url(""); }

  // A user writes `text` in `chat`: the next getUpdates returns it.
  void push_message(std::int64_t chat, const std::string& text);
  // The next send* calls answer `status` (429: with retry_after seconds).
  void fail_next(int status, int count = 1, int retry_after = 0);

  // Accepted messages and photos, in order.
  std::vector<Sent> sent() const;
  std::vector<Sent> wait_for_sent(std::size_t n, int timeout_ms = 15000) const;
  // Send calls answered with an error (scripted or invalid HTML), in order.
  std::vector<std::string> rejected() const;
  int get_updates_calls() const;
  // The update ids still unconfirmed (offset semantics).
  std::size_t pending_updates() const;

  // Telegram's HTML check: empty when valid, else why not.
  static std::string html_error(const std::string& html);

 private:
  HttpReply handle(const HttpRequestSeen& request);
  HttpReply get_updates(const nlohmann::json& params);
  HttpReply send(const std::string& method, const HttpRequestSeen& request);

  std::string token_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::deque<nlohmann::json> updates_;
  std::int64_t next_update_id_ = 1000;
  std::int64_t next_message_id_ = 1;
  std::deque<std::pair<int, int>> failures_;  // status, retry_after
  std::vector<Sent> sent_;
  std::vector<std::string> rejected_;
  int get_updates_calls_ = 0;
  bool closing_ = false;
  HttpReceiver http_;  // last: its threads stop before the state above goes
};

}  // namespace tickd::test
