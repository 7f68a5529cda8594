#include "bot_api.hpp"

namespace tickd::telegram {

using Kind = alerts::DeliveryResult::Kind;
using nlohmann::json;

BotApi::BotApi(std::string api_url, std::string token, http::HttpOptions options)
    : api_url_(std::move(api_url)), token_(std::move(token)), client_(std::move(options)) {}

std::string BotApi::scrub(std::string text) const {
  for (auto pos = text.find(token_); !token_.empty() && pos != std::string::npos;
       pos = text.find(token_, pos))
    text.replace(pos, token_.size(), "<token>");
  return text;
}

alerts::DeliveryResult BotApi::classify(const http::HttpResponse& response, json* answer) const {
  if (!response.error.empty()) return {Kind::retry, -1, scrub(response.error)};
  json body = json::parse(response.body, nullptr, false);
  if (response.ok() && body.is_object() && body.value("ok", false)) {
    if (answer) *answer = std::move(body);
    return {Kind::sent, -1, {}};
  }
  std::string what = "HTTP " + std::to_string(response.status);
  if (body.is_object() && body.contains("description") && body["description"].is_string())
    what += ": " + scrub(body["description"].get<std::string>()).substr(0, 300);
  if (response.status == 429) {
    std::int64_t wait = response.retry_after_ms;
    if (body.is_object() && body.contains("parameters") && body["parameters"].is_object()) {
      const auto& p = body["parameters"];
      if (p.contains("retry_after") && p["retry_after"].is_number_integer())
        wait = std::min<std::int64_t>(p["retry_after"].get<std::int64_t>(), 3600) * 1000;
    }
    return {Kind::throttled, wait, what};
  }
  if (response.status >= 500 || response.status == 0) return {Kind::retry, -1, what};
  return {Kind::permanent, -1, what};
}

alerts::DeliveryResult BotApi::send_message(std::int64_t chat, const std::string& html,
                                            const std::atomic<bool>& abort) {
  http::HttpRequest request;
  request.url = url("sendMessage");
  request.body = json{{"chat_id", chat},
                      {"text", html},
                      {"parse_mode", "HTML"},
                      {"link_preview_options", {{"is_disabled", true}}}}
                     .dump(-1, ' ', false, json::error_handler_t::replace);
  return classify(client_.perform(request, abort), nullptr);
}

alerts::DeliveryResult BotApi::send_photo(std::int64_t chat, const std::string& png,
                                          const std::string& caption_html, const std::atomic<bool>& abort) {
  http::HttpRequest request;
  request.url = url("sendPhoto");
  request.form = {{"chat_id", std::to_string(chat), {}, {}},
                  {"caption", caption_html, {}, {}},
                  {"parse_mode", "HTML", {}, {}},
                  {"photo", png, "chart.png", "image/png"}};
  return classify(client_.perform(request, abort), nullptr);
}

BotApi::Updates BotApi::get_updates(std::int64_t offset, std::int64_t timeout_s,
                                    const std::atomic<bool>& abort) {
  http::HttpRequest request;
  request.url = url("getUpdates");
  // A limit keeps one answer well under the client's size cap.
  request.body =
      json{{"offset", offset}, {"limit", 20}, {"timeout", timeout_s}, {"allowed_updates", {"message"}}}
          .dump();
  request.timeout_ms = (timeout_s + 10) * 1000;  // the server holds the request up to timeout_s
  Updates out;
  json answer;
  out.result = classify(client_.perform(request, abort), &answer);
  if (out.result.kind == Kind::sent) {
    if (!answer.contains("result") || !answer["result"].is_array())
      return {{Kind::retry, -1, "getUpdates answer without a result list"}, {}};
    for (auto& u : answer["result"]) out.updates.push_back(std::move(u));
  }
  return out;
}

}  // namespace tickd::telegram
