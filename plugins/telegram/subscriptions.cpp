#include "subscriptions.hpp"

#include "alert_common/atomic_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tickd::telegram {

Subscriptions::Subscriptions(std::string path, std::vector<std::int64_t> default_chats)
    : path_(std::move(path)), default_chats_(std::move(default_chats)) {
  if (path_.empty()) return;
  std::ifstream in(path_);
  if (!in) return;  // no file yet: nothing subscribed
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (!j.is_object() || !j.contains("chats") || !j["chats"].is_object())
    throw std::runtime_error("telegram: state_file " + path_ + " is not a subscriptions file");
  try {
    for (const auto& item : j["chats"].items()) {
      ChatState& s = chats_[std::stoll(item.key())];
      for (const auto& r : item.value().value("subscribed", nlohmann::json::array()))
        s.subscribed.insert(r.get<std::string>());
      for (const auto& r : item.value().value("unsubscribed", nlohmann::json::array()))
        s.unsubscribed.insert(r.get<std::string>());
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("telegram: state_file " + path_ + " is malformed: " + e.what());
  }
}

bool Subscriptions::receives_locked(std::int64_t chat, const std::string& rule) const {
  auto it = chats_.find(chat);
  const bool is_default =
      std::find(default_chats_.begin(), default_chats_.end(), chat) != default_chats_.end();
  if (it == chats_.end()) return is_default;
  if (it->second.subscribed.count(rule)) return true;
  return is_default && !it->second.unsubscribed.count(rule);
}

bool Subscriptions::receives(std::int64_t chat, const std::string& rule) const {
  std::lock_guard<std::mutex> lock(mu_);
  return receives_locked(chat, rule);
}

std::vector<std::int64_t> Subscriptions::recipients(const std::string& rule) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::int64_t> out;
  for (auto chat : default_chats_)
    if (receives_locked(chat, rule)) out.push_back(chat);
  for (const auto& [chat, state] : chats_)
    if (state.subscribed.count(rule) && std::find(out.begin(), out.end(), chat) == out.end())
      out.push_back(chat);
  return out;
}

std::string Subscriptions::subscribe(std::int64_t chat, const std::string& rule) {
  std::lock_guard<std::mutex> lock(mu_);
  ChatState& s = chats_[chat];
  s.unsubscribed.erase(rule);
  s.subscribed.insert(rule);
  return save_locked();
}

std::string Subscriptions::unsubscribe(std::int64_t chat, const std::string& rule) {
  std::lock_guard<std::mutex> lock(mu_);
  ChatState& s = chats_[chat];
  s.subscribed.erase(rule);
  s.unsubscribed.insert(rule);
  return save_locked();
}

std::string Subscriptions::save_locked() const {
  if (path_.empty()) return {};
  nlohmann::json chats = nlohmann::json::object();
  for (const auto& [chat, state] : chats_)
    chats[std::to_string(chat)] = {{"subscribed", state.subscribed}, {"unsubscribed", state.unsubscribed}};
  return alerts::write_file_atomically(path_, nlohmann::json{{"version", 1}, {"chats", chats}}.dump(2) + "\n",
                                       true);
}

}  // namespace tickd::telegram
