// The Bot API methods the telegram plugin uses (sendMessage, sendPhoto,
// getUpdates), each one HTTP request with its answer classified for the
// delivery queue: ok; 429 with parameters.retry_after; 5xx or no answer worth
// retrying; any other error (blocked by the user, bad request) not. The token
// is part of every URL; it is removed from any error text before it leaves.
// One BotApi per thread.
#pragma once

#include "alert_common/delivery_queue.hpp"
#include "http_client/http_client.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace tickd::telegram {

class BotApi {
 public:
  BotApi(std::string api_url, std::string token, http::HttpOptions options);

  alerts::DeliveryResult send_message(std::int64_t chat, const std::string& html,
                                      const std::atomic<bool>& abort);
  alerts::DeliveryResult send_photo(std::int64_t chat, const std::string& png,
                                    const std::string& caption_html, const std::atomic<bool>& abort);

  struct Updates {
    alerts::DeliveryResult result;
    std::vector<nlohmann::json> updates;
  };
  // Long polling: waits up to `timeout_s` on the server for updates from `offset` on.
  Updates get_updates(std::int64_t offset, std::int64_t timeout_s, const std::atomic<bool>& abort);

 private:
  std::string url(const char* method) const { return api_url_ + "/bot" + token_ + "/" + method; }
  alerts::DeliveryResult classify(const http::HttpResponse& response, nlohmann::json* answer) const;
  std::string scrub(std::string text) const;

  std::string api_url_;
  std::string token_;
  http::HttpClient client_;
};

}  // namespace tickd::telegram
