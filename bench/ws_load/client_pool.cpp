#include "client_pool.hpp"

#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

namespace tickd::bench {
namespace {

using WsClient = websocketpp::client<websocketpp::config::asio_client>;

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

// The server's event time without parsing the whole message: the tool must
// stay cheaper than the server it measures.
bool event_time(const std::string& payload, double& ts) {
  if (payload.find("\"type\":\"candle\"") == std::string::npos) return false;
  auto pos = payload.rfind("\"ts\":");
  if (pos == std::string::npos) return false;
  ts = std::strtod(payload.c_str() + pos + 5, nullptr);
  return ts > 0;
}

}  // namespace

struct ClientPool::Worker {
  Worker(const LoadOptions& o, std::vector<std::string> subs) : options(o), subscriptions(std::move(subs)) {
    client.clear_access_channels(websocketpp::log::alevel::all);
    client.clear_error_channels(websocketpp::log::elevel::all);
    client.init_asio();
    client.start_perpetual();
    client.set_open_handler([this](websocketpp::connection_hdl h) {
      auto con = client.get_con_from_hdl(h);
      std::lock_guard<std::mutex> lock(mu);
      ++snapshot.connected;
      --pending;
      websocketpp::lib::error_code ec;
      client.send(h, subscription_of[con.get()], websocketpp::frame::opcode::text, ec);
      connect_more();
    });
    client.set_fail_handler([this](websocketpp::connection_hdl) {
      std::lock_guard<std::mutex> lock(mu);
      ++snapshot.failed;
      --pending;
      connect_more();
    });
    client.set_close_handler([this](websocketpp::connection_hdl) {
      std::lock_guard<std::mutex> lock(mu);
      --snapshot.connected;
      if (!stopping) ++snapshot.closed;
    });
    client.set_message_handler([this](websocketpp::connection_hdl, WsClient::message_ptr msg) {
      double ts = 0;
      if (!event_time(msg->get_payload(), ts)) return;
      double latency = now_ms() - ts;
      std::lock_guard<std::mutex> lock(mu);
      ++snapshot.messages;
      snapshot.latency.add(latency);
    });
  }

  // Caller holds mu. Keeps a bounded number of handshakes in flight so the
  // server's listen backlog never overflows while thousands connect.
  void connect_more() {
    int cap = std::max(1, options.max_pending_handshakes / std::max(1, options.threads));
    while (next < subscriptions.size() && pending < cap) {
      std::string uri = "ws://" + options.host + ":" + std::to_string(options.port) + "/ws/candles";
      if (!options.token.empty()) uri += "?token=" + options.token;
      websocketpp::lib::error_code ec;
      auto con = client.get_connection(uri, ec);
      if (ec) {
        ++snapshot.failed;
        ++next;
        continue;
      }
      subscription_of[con.get()] = subscriptions[next++];
      connections.push_back(con->get_handle());
      ++pending;
      client.connect(con);
    }
  }

  const LoadOptions& options;
  std::vector<std::string> subscriptions;
  WsClient client;
  std::thread thread;
  std::mutex mu;
  PoolSnapshot snapshot;
  std::map<const void*, std::string> subscription_of;
  std::vector<websocketpp::connection_hdl> connections;
  std::size_t next = 0;
  int pending = 0;
  bool stopping = false;
};

ClientPool::ClientPool(const LoadOptions& options, std::vector<std::string> subscriptions) {
  std::vector<std::vector<std::string>> split(static_cast<std::size_t>(options.threads));
  for (std::size_t i = 0; i < subscriptions.size(); ++i)
    split[i % split.size()].push_back(std::move(subscriptions[i]));
  for (auto& s : split) workers_.push_back(std::make_unique<Worker>(options, std::move(s)));
}

ClientPool::~ClientPool() { stop(); }

void ClientPool::start() {
  for (auto& w : workers_) {
    Worker* p = w.get();
    p->thread = std::thread([p] { p->client.run(); });
    boost::asio::post(p->client.get_io_service(), [p] {
      std::lock_guard<std::mutex> lock(p->mu);
      p->connect_more();
    });
  }
}

void ClientPool::stop() {
  for (auto& w : workers_) {
    if (!w->thread.joinable()) continue;
    Worker* p = w.get();
    boost::asio::post(p->client.get_io_service(), [p] {
      std::lock_guard<std::mutex> lock(p->mu);
      p->stopping = true;
      for (auto& h : p->connections) {
        websocketpp::lib::error_code ec;
        p->client.close(h, websocketpp::close::status::normal, "done", ec);
      }
    });
    p->client.stop_perpetual();
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  for (auto& w : workers_) {
    if (!w->thread.joinable()) continue;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard<std::mutex> lock(w->mu);
        if (w->snapshot.connected <= 0) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    w->client.stop();
    w->thread.join();
  }
}

PoolSnapshot ClientPool::take() {
  PoolSnapshot total;
  for (auto& w : workers_) {
    std::lock_guard<std::mutex> lock(w->mu);
    total.messages += w->snapshot.messages;
    total.latency.merge(w->snapshot.latency);
    total.connected += w->snapshot.connected;
    total.closed += w->snapshot.closed;
    total.failed += w->snapshot.failed;
    w->snapshot.messages = 0;
    w->snapshot.latency.clear();
  }
  return total;
}

}  // namespace tickd::bench
