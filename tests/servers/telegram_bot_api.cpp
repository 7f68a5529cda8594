#include "telegram_bot_api.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace tickd::test {
namespace {

using nlohmann::json;

HttpReply answer(int status, const json& body) { return {status, body.dump(), "application/json", {}}; }

HttpReply error(int code, const std::string& description, int retry_after = 0) {
  json body = {{"ok", false}, {"error_code", code}, {"description", description}};
  if (retry_after > 0) body["parameters"] = {{"retry_after", retry_after}};
  return answer(code, body);
}

// multipart/form-data fields by name.
std::map<std::string, std::string> form_fields(const HttpRequestSeen& r) {
  std::map<std::string, std::string> out;
  const std::string type = r.headers.count("content-type") ? r.headers.at("content-type") : "";
  const auto b = type.find("boundary=");
  if (b == std::string::npos) return out;
  const std::string boundary = "--" + type.substr(b + 9);
  std::size_t pos = r.body.find(boundary);
  while (pos != std::string::npos) {
    pos += boundary.size();
    if (r.body.compare(pos, 2, "--") == 0) break;
    const auto head_end = r.body.find("\r\n\r\n", pos);
    const auto next = r.body.find("\r\n" + boundary, head_end);
    if (head_end == std::string::npos || next == std::string::npos) break;
    const std::string head = r.body.substr(pos, head_end - pos);
    const auto n = head.find("name=\"");
    if (n != std::string::npos) {
      const auto e = head.find('"', n + 6);
      out[head.substr(n + 6, e - n - 6)] = r.body.substr(head_end + 4, next - head_end - 4);
    }
    pos = next + 2;
  }
  return out;
}

}  // namespace

TelegramBotApi::TelegramBotApi(std::string token)
    : token_(std::move(token)), http_([this](const HttpRequestSeen& r) { return handle(r); }) {}

TelegramBotApi::~TelegramBotApi() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  changed_.notify_all();
}

void TelegramBotApi::push_message(std::int64_t chat, const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  updates_.push_back({{"update_id", next_update_id_++},
                      {"message",
                       {{"message_id", next_message_id_++},
                        {"date", 1700000000},
                        {"chat", {{"id", chat}, {"type", chat < 0 ? "group" : "private"}}},
                        {"from", {{"id", chat > 0 ? chat : 77}, {"is_bot", false}, {"first_name", "T"}}},
                        {"text", text}}}});
  changed_.notify_all();
}

void TelegramBotApi::fail_next(int status, int count, int retry_after) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < count; ++i) failures_.emplace_back(status, retry_after);
}

std::vector<TelegramBotApi::Sent> TelegramBotApi::sent() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sent_;
}

std::vector<TelegramBotApi::Sent> TelegramBotApi::wait_for_sent(std::size_t n, int timeout_ms) const {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return sent_.size() >= n; });
  return sent_;
}

std::vector<std::string> TelegramBotApi::rejected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rejected_;
}

int TelegramBotApi::get_updates_calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return get_updates_calls_;
}

std::size_t TelegramBotApi::pending_updates() const {
  std::lock_guard<std::mutex> lock(mu_);
  return updates_.size();
}

HttpReply TelegramBotApi::handle(const HttpRequestSeen& r) {
  const std::string prefix = "/bot" + token_ + "/";
  if (r.target.rfind("/bot", 0) != 0) return error(404, "Not Found");
  if (r.target.rfind(prefix, 0) != 0) return error(401, "Unauthorized");
  const std::string method = r.target.substr(prefix.size());
  if (method == "getUpdates") {
    json params = json::parse(r.body.empty() ? "{}" : r.body, nullptr, false);
    if (!params.is_object()) return error(400, "Bad Request: invalid JSON");
    return get_updates(params);
  }
  if (method == "sendMessage" || method == "sendPhoto") return send(method, r);
  return error(404, "Not Found: method not found");
}

HttpReply TelegramBotApi::get_updates(const json& params) {
  const std::int64_t offset = params.value("offset", std::int64_t{0});
  const std::int64_t timeout = std::min<std::int64_t>(params.value("timeout", std::int64_t{0}), 5);
  std::unique_lock<std::mutex> lock(mu_);
  ++get_updates_calls_;
  // An offset confirms every update below it: they are forgotten.
  while (!updates_.empty() && updates_.front()["update_id"].get<std::int64_t>() < offset)
    updates_.pop_front();
  changed_.wait_for(lock, std::chrono::seconds(timeout), [&] { return !updates_.empty() || closing_; });
  json result = json::array();
  for (const auto& u : updates_) result.push_back(u);
  return answer(200, {{"ok", true}, {"result", result}});
}

HttpReply TelegramBotApi::send(const std::string& method, const HttpRequestSeen& r) {
  Sent s;
  s.method = method;
  s.at = std::chrono::steady_clock::now();
  if (method == "sendMessage") {
    json p = json::parse(r.body, nullptr, false);
    if (!p.is_object() || !p.contains("chat_id") || !p.contains("text"))
      return error(400, "Bad Request: no chat_id/text");
    s.chat = p["chat_id"].get<std::int64_t>();
    s.text = p["text"].get<std::string>();
    s.parse_mode = p.value("parse_mode", "");
  } else {
    auto f = form_fields(r);
    if (!f.count("chat_id") || !f.count("photo")) return error(400, "Bad Request: no chat_id/photo");
    s.chat = std::stoll(f["chat_id"]);
    s.text = f["caption"];
    s.parse_mode = f["parse_mode"];
    s.photo = f["photo"];
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!failures_.empty()) {
    const auto [status, retry_after] = failures_.front();
    failures_.pop_front();
    rejected_.push_back(method + " " + std::to_string(status));
    if (status == 429)
      return error(429, "Too Many Requests: retry after " + std::to_string(retry_after), retry_after);
    if (status == 403) return error(403, "Forbidden: bot was blocked by the user");
    return error(status, "Internal Server Error");
  }
  if (s.parse_mode == "HTML") {
    const std::string why = html_error(s.text);
    if (!why.empty()) {
      rejected_.push_back(method + " 400 " + why);
      return error(400, "Bad Request: can't parse entities: " + why);
    }
  }
  sent_.push_back(s);
  changed_.notify_all();
  return answer(200,
                {{"ok", true}, {"result", {{"message_id", next_message_id_++}, {"chat", {{"id", s.chat}}}}}});
}

std::string TelegramBotApi::html_error(const std::string& html) {
  static const std::set<std::string> kTags = {"b",   "strong", "i",          "em",        "u",
                                              "ins", "s",      "strike",     "del",       "code",
                                              "pre", "a",      "tg-spoiler", "blockquote"};
  std::vector<std::string> open;
  std::size_t visible = 0;
  for (std::size_t i = 0; i < html.size();) {
    const char c = html[i];
    if (c == '<') {
      const auto end = html.find('>', i);
      if (end == std::string::npos) return "unclosed start tag at byte " + std::to_string(i);
      std::string tag = html.substr(i + 1, end - i - 1);
      const bool closing = !tag.empty() && tag[0] == '/';
      if (closing) tag = tag.substr(1);
      const std::string name = tag.substr(0, tag.find(' '));
      if (!kTags.count(name)) return "unsupported start tag \"" + name + "\" at byte " + std::to_string(i);
      if (closing) {
        if (open.empty() || open.back() != name) return "unmatched end tag \"" + name + "\"";
        open.pop_back();
      } else {
        open.push_back(name);
      }
      i = end + 1;
    } else if (c == '&') {
      const auto end = html.find(';', i);
      if (end == std::string::npos) return "unescaped & at byte " + std::to_string(i);
      const std::string entity = html.substr(i + 1, end - i - 1);
      const bool numeric = entity.size() > 1 && entity[0] == '#' &&
                           std::all_of(entity.begin() + 1, entity.end(),
                                       [](char d) { return std::isalnum(static_cast<unsigned char>(d)); });
      if (!numeric && entity != "lt" && entity != "gt" && entity != "amp" && entity != "quot")
        return "unsupported entity &" + entity + "; at byte " + std::to_string(i);
      ++visible;
      i = end + 1;
    } else if (c == '>') {
      return "unescaped > at byte " + std::to_string(i);
    } else {
      const auto lead = static_cast<unsigned char>(c);
      const std::size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      visible += n == 4 ? 2 : 1;
      i += n;
    }
  }
  if (!open.empty()) return "unclosed tag \"" + open.back() + "\"";
  if (visible > 4096) return "message is too long (" + std::to_string(visible) + ")";
  return {};
}

}  // namespace tickd::test
