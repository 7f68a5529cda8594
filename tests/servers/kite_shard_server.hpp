// A Kite ticker (wss://ws.kite.trade protocol) that enforces the per-connection
// instrument limit: a subscribe that would take a connection past it is
// answered with an error message and the connection is closed, as a broker
// that refuses it would. Every subscribed token then ticks in rounds: round r
// of a token is an LTP packet at r + 1 rupees, so a client can tell, per
// instrument, which rounds it received. Rounds continue across a reconnect
// (a token's next round is kept server-wide), so a client that reconnects and
// resubscribes misses nothing and receives nothing twice. An unsubscribed
// token stops ticking.
#pragma once

#include "local_ws_server.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

namespace tickd::test_servers {

class KiteShardServer {
 public:
  struct Options {
    std::size_t per_connection_limit = 3000;
    int rounds = 5;
    std::chrono::milliseconds round_gap{30};
    int drop_connection = -1;  // index of the connection dropped after drop_after_round rounds
    int drop_after_round = 0;
    // Full packets instead of LTP: round r traded at base_s + 60 r (a minute
    // per round), day volume 10 (r + 1). The connection that replaces a dropped
    // one resumes skip_after_drop rounds later (the outage).
    bool full = false;
    std::int64_t base_s = 0;
    int skip_after_drop = 0;
  };
  explicit KiteShardServer(Options options);

  int port() const { return server_->port(); }
  // To refuse or watch upgrades (LocalWsServer::on_upgrade).
  LocalWsServer& server() { return *server_; }
  int connections() const { return server_->connections(); }
  // Tokens each connection (by index) subscribed, in order received.
  std::vector<std::vector<std::uint32_t>> subscriptions() const;
  // Tokens each connection unsubscribed.
  std::vector<std::vector<std::uint32_t>> unsubscriptions() const;
  std::size_t refusals() const;  // subscribes refused for exceeding the limit
  // Every connection that has subscribed played all its rounds.
  bool all_played() const;

 private:
  void play(Peer& peer);
  // Takes the client's messages for `span`: an unsubscribe stops its tokens.
  void listen(Peer& peer, std::vector<std::uint32_t>& tokens, std::chrono::milliseconds span);

  Options options_;
  mutable std::mutex mu_;
  std::map<int, std::vector<std::uint32_t>> subscribed_;
  std::map<int, std::vector<std::uint32_t>> unsubscribed_;
  std::map<std::uint32_t, int> next_round_;
  std::set<int> playing_;
  std::set<std::uint32_t> dropped_;  // tokens of the dropped connection, until resumed
  std::size_t refusals_ = 0;
  std::unique_ptr<LocalWsServer> server_;  // last: its scripts use the members above
};

// An LTP packet frame for `tokens` at `paise`, as Kite sends it.
std::string kite_ltp_frame(const std::vector<std::uint32_t>& tokens, std::int32_t paise);
// A frame of full packets (184 bytes: quote fields, last trade time, exchange
// timestamp, empty depth) for `tokens`.
std::string kite_full_frame(const std::vector<std::uint32_t>& tokens, std::int32_t paise,
                            std::uint32_t volume, std::uint32_t time_s);

}  // namespace tickd::test_servers
