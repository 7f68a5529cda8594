#include "kite_shard_server.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace tickd::test_servers {

namespace {

void put_be16(std::string& out, std::uint32_t v) {
  out += static_cast<char>((v >> 8) & 0xff);
  out += static_cast<char>(v & 0xff);
}
void put_be32(std::string& out, std::uint32_t v) {
  put_be16(out, v >> 16);
  put_be16(out, v & 0xffff);
}

}  // namespace

std::string kite_ltp_frame(const std::vector<std::uint32_t>& tokens, std::int32_t paise) {
  std::string frame;
  put_be16(frame, static_cast<std::uint32_t>(tokens.size()));
  for (std::uint32_t token : tokens) {
    put_be16(frame, 8);
    put_be32(frame, token);
    put_be32(frame, static_cast<std::uint32_t>(paise));
  }
  return frame;
}

std::string kite_full_frame(const std::vector<std::uint32_t>& tokens, std::int32_t paise,
                            std::uint32_t volume, std::uint32_t time_s) {
  std::string frame;
  put_be16(frame, static_cast<std::uint32_t>(tokens.size()));
  const auto p = static_cast<std::uint32_t>(paise);
  for (std::uint32_t token : tokens) {
    put_be16(frame, 184);
    // token, ltp, last qty, avg price, volume, buy qty, sell qty, open, high, low, close
    for (std::uint32_t v : {token, p, 10u, p, volume, 0u, 0u, p, p, p, p}) put_be32(frame, v);
    // last trade time, oi, oi day high, oi day low, exchange timestamp
    for (std::uint32_t v : {time_s, 0u, 0u, 0u, time_s}) put_be32(frame, v);
    frame.append(120, '\0');  // depth
  }
  return frame;
}

KiteShardServer::KiteShardServer(Options options)
    : options_(options), server_(std::make_unique<LocalWsServer>([this](Peer& p) { play(p); })) {}

void KiteShardServer::play(Peer& p) {
  // The client subscribes, then sets the mode: take messages until the mode.
  std::vector<std::uint32_t> tokens;
  std::string msg;
  while (p.wait_message(msg, std::chrono::seconds(10))) {
    const auto j = nlohmann::json::parse(msg, nullptr, false);
    if (j.is_discarded() || !j.contains("a")) continue;
    if (j["a"] == "mode") break;
    if (j["a"] != "subscribe") continue;
    for (const auto& t : j["v"]) tokens.push_back(t.get<std::uint32_t>());
    if (tokens.size() > options_.per_connection_limit) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++refusals_;
      }
      p.send_text(R"({"type":"error","data":"too many instruments on this connection"})");
      p.pause(std::chrono::milliseconds(100));
      p.drop();
      return;
    }
  }
  if (tokens.empty()) return;
  int round = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    subscribed_[p.index()] = tokens;
    playing_.insert(p.index());
    round = next_round_[tokens.front()];
    if (dropped_.count(tokens.front())) {
      round += options_.skip_after_drop;
      dropped_.clear();
    }
  }
  constexpr std::size_t kPerFrame = 1000;
  for (; round < options_.rounds && p.alive(); ++round) {
    for (std::size_t i = 0; i < tokens.size(); i += kPerFrame) {
      const std::vector<std::uint32_t> part(
          tokens.begin() + static_cast<std::ptrdiff_t>(i),
          tokens.begin() + static_cast<std::ptrdiff_t>(std::min(tokens.size(), i + kPerFrame)));
      p.send_binary(options_.full
                        ? kite_full_frame(part, (round + 1) * 100, static_cast<std::uint32_t>(round + 1) * 10,
                                          static_cast<std::uint32_t>(options_.base_s + 60 * round))
                        : kite_ltp_frame(part, (round + 1) * 100));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (std::uint32_t t : tokens) next_round_[t] = round + 1;
    }
    if (p.index() == options_.drop_connection && round + 1 == options_.drop_after_round) {
      p.pause(std::chrono::milliseconds(300));  // let the frames go out first
      std::lock_guard<std::mutex> lock(mu_);
      dropped_.insert(tokens.begin(), tokens.end());
      for (std::uint32_t t : tokens) next_round_[t] = round + 1;
      playing_.erase(p.index());
      p.drop();
      return;
    }
    listen(p, tokens, options_.round_gap);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    playing_.erase(p.index());
  }
  while (p.alive()) listen(p, tokens, std::chrono::milliseconds(200));
}

void KiteShardServer::listen(Peer& p, std::vector<std::uint32_t>& tokens, std::chrono::milliseconds span) {
  const auto until = std::chrono::steady_clock::now() + span;
  std::string msg;
  for (auto now = std::chrono::steady_clock::now(); now < until && p.alive();
       now = std::chrono::steady_clock::now()) {
    if (!p.wait_message(msg, std::chrono::duration_cast<std::chrono::milliseconds>(until - now))) continue;
    const auto j = nlohmann::json::parse(msg, nullptr, false);
    if (j.is_discarded() || !j.contains("a") || j["a"] != "unsubscribe") continue;
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& t : j["v"]) {
      const auto token = t.get<std::uint32_t>();
      unsubscribed_[p.index()].push_back(token);
      tokens.erase(std::remove(tokens.begin(), tokens.end(), token), tokens.end());
    }
  }
}

std::vector<std::vector<std::uint32_t>> KiteShardServer::subscriptions() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::vector<std::uint32_t>> out;
  for (const auto& [index, tokens] : subscribed_) {
    out.resize(static_cast<std::size_t>(index) + 1);
    out[static_cast<std::size_t>(index)] = tokens;
  }
  return out;
}

std::vector<std::vector<std::uint32_t>> KiteShardServer::unsubscriptions() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::vector<std::uint32_t>> out;
  for (const auto& [index, tokens] : unsubscribed_) {
    out.resize(static_cast<std::size_t>(index) + 1);
    out[static_cast<std::size_t>(index)] = tokens;
  }
  return out;
}

std::size_t KiteShardServer::refusals() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refusals_;
}

bool KiteShardServer::all_played() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!playing_.empty() || subscribed_.empty()) return false;
  for (const auto& [token, round] : next_round_)
    if (round < options_.rounds) return false;
  return true;
}

}  // namespace tickd::test_servers
