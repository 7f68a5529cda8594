#include "local_ws_server.hpp"

#include "support/local_servers.hpp"

#include <boost/asio/ssl/context.hpp>
#include <websocketpp/config/asio.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace tickd::test_servers {

using websocketpp::connection_hdl;

struct LocalWsServer::Impl {
  virtual ~Impl() = default;
  virtual int port() const = 0;
  mutable std::mutex mu;
  std::vector<std::string> received;
  std::vector<std::string> http_requests;
  std::atomic<int> connections{0};
  std::function<HttpAnswer(const HttpCall&)> http_call;
  std::function<int(const HttpCall&)> upgrade;
};

namespace {
// Request headers a test may look at.
const char* const kSeenHeaders[] = {"Authorization", "x-api-key",    "x-client-code",
                                    "x-feed-token",  "X-PrivateKey", "X-Kite-Version",
                                    "Content-Type",  "X-UserType",   "X-SourceID"};
}  // namespace

namespace {

template <class Config>
class Server final : public LocalWsServer::Impl {
 public:
  using Endpoint = websocketpp::server<Config>;

  class ScriptPeer final : public Peer {
   public:
    ScriptPeer(Server& server, connection_hdl hdl, int index, std::map<std::string, std::string> headers,
               std::string resource)
        : server_(server),
          hdl_(hdl),
          index_(index),
          headers_(std::move(headers)),
          resource_(std::move(resource)) {}
    void send_text(std::string text) override { send(std::move(text), websocketpp::frame::opcode::text); }
    void send_binary(std::string bytes) override {
      send(std::move(bytes), websocketpp::frame::opcode::binary);
    }
    void drop() override {
      closed_ = true;
      server_.post([s = &server_, h = hdl_] {
        websocketpp::lib::error_code ec;
        if (auto con = s->endpoint_.get_con_from_hdl(h, ec)) con->terminate(ec);
      });
    }
    bool alive() const override { return !closed_ && !server_.stopping_; }
    int index() const override { return index_; }
    std::string header(const std::string& name) const override {
      auto it = headers_.find(name);
      return it == headers_.end() ? "" : it->second;
    }
    std::string resource() const override { return resource_; }
    bool pause(std::chrono::milliseconds d) override {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, d, [&] { return !alive(); });
      return alive();
    }
    bool wait_message(std::string& out, std::chrono::milliseconds timeout) override {
      std::unique_lock<std::mutex> lock(mu_);
      if (!cv_.wait_for(lock, timeout, [&] { return !inbox_.empty() || !alive(); }) || inbox_.empty())
        return false;
      out = std::move(inbox_.front());
      inbox_.pop_front();
      return true;
    }
    void deliver(std::string text) {
      std::lock_guard<std::mutex> lock(mu_);
      inbox_.push_back(std::move(text));
      cv_.notify_all();
    }
    void end() {
      closed_ = true;
      std::lock_guard<std::mutex> lock(mu_);
      cv_.notify_all();
    }

   private:
    void send(std::string payload, websocketpp::frame::opcode::value op) {
      if (!alive()) return;
      server_.post([s = &server_, h = hdl_, p = std::move(payload), op] {
        websocketpp::lib::error_code ec;
        s->endpoint_.send(h, p, op, ec);
      });
    }
    Server& server_;
    connection_hdl hdl_;
    int index_;
    std::map<std::string, std::string> headers_;
    std::string resource_;
    std::atomic<bool> closed_{false};
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::string> inbox_;
  };

  Server(LocalWsServer::Script script, LocalWsServer::Http http, const LocalWsServer::Tls* tls)
      : script_(std::move(script)), http_(std::move(http)) {
    endpoint_.clear_access_channels(websocketpp::log::alevel::all);
    endpoint_.clear_error_channels(websocketpp::log::elevel::all);
    endpoint_.init_asio();
    endpoint_.set_reuse_addr(true);
    endpoint_.set_max_message_size(64 << 20);
    if constexpr (!std::is_same_v<Config, websocketpp::config::asio>) {
      LocalWsServer::Tls t = *tls;
      endpoint_.set_tls_init_handler([t](connection_hdl) {
        auto ctx = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
        ctx->use_certificate_chain_file(t.cert_file);
        ctx->use_private_key_file(t.key_file, boost::asio::ssl::context::pem);
        return ctx;
      });
    }
    endpoint_.set_open_handler([this](connection_hdl h) { on_open(h); });
    endpoint_.set_close_handler([this](connection_hdl h) { on_gone(h); });
    endpoint_.set_fail_handler([this](connection_hdl h) { on_gone(h); });
    endpoint_.set_message_handler([this](connection_hdl h, typename Endpoint::message_ptr msg) {
      {
        std::lock_guard<std::mutex> lock(mu);
        received.push_back(msg->get_payload());
      }
      if (auto p = peer_of(h)) p->deliver(msg->get_payload());
    });
    endpoint_.set_validate_handler([this](connection_hdl h) {
      auto con = endpoint_.get_con_from_hdl(h);
      std::function<int(const HttpCall&)> check;
      {
        std::lock_guard<std::mutex> lock(mu);
        check = upgrade;
      }
      if (!check) return true;
      const int status = check(call_of(*con));
      if (status == 0) return true;
      con->set_status(static_cast<websocketpp::http::status_code::value>(status));
      con->set_body(R"({"status":"error","message":"Invalid access token","error_type":"TokenException"})");
      return false;
    });
    endpoint_.set_http_handler([this](connection_hdl h) {
      auto con = endpoint_.get_con_from_hdl(h);
      std::function<HttpAnswer(const HttpCall&)> full;
      {
        std::lock_guard<std::mutex> lock(mu);
        http_requests.push_back(con->get_resource());
        full = http_call;
      }
      HttpAnswer a = full    ? full(call_of(*con))
                     : http_ ? http_(con->get_resource())
                             : HttpAnswer{404, "not found", "text/plain"};
      con->set_status(static_cast<websocketpp::http::status_code::value>(a.status));
      con->append_header("Content-Type", a.content_type);
      con->set_body(a.body);
    });
    boost::asio::ip::tcp::endpoint at(boost::asio::ip::make_address("127.0.0.1"), 0);
    endpoint_.listen(at);
    endpoint_.start_accept();
    boost::system::error_code ec;
    port_ = endpoint_.get_local_endpoint(ec).port();
    thread_ = std::thread([this] { endpoint_.run(); });
  }

  ~Server() override {
    stopping_ = true;
    {
      std::lock_guard<std::mutex> lock(peers_mu_);
      for (auto& [raw, p] : peers_) p->end();
    }
    post([this] {
      websocketpp::lib::error_code ec;
      endpoint_.stop_listening(ec);
      std::lock_guard<std::mutex> lock(peers_mu_);
      for (auto& [raw, h] : handles_)
        if (auto con = endpoint_.get_con_from_hdl(h, ec)) con->terminate(ec);
    });
    // Let the io thread run the terminations, then stop it; only then is
    // scripts_ no longer touched by on_open and can be joined.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    endpoint_.stop();
    thread_.join();
    for (auto& t : scripts_) t.join();
  }

  int port() const override { return port_; }

  template <class Con>
  static HttpCall call_of(Con& con) {
    HttpCall c;
    c.method = con.get_request().get_method();
    c.resource = con.get_resource();
    c.body = con.get_request_body();
    for (const char* name : kSeenHeaders) {
      const std::string v = con.get_request_header(name);
      if (!v.empty()) c.headers[name] = v;
    }
    return c;
  }

  template <class F>
  void post(F&& f) {
    boost::asio::post(endpoint_.get_io_service(), std::forward<F>(f));
  }

 private:
  void on_open(connection_hdl h) {
    auto con = endpoint_.get_con_from_hdl(h);
    std::map<std::string, std::string> headers;
    for (const char* name : {"Authorization", "x-api-key", "x-client-code", "x-feed-token"})
      headers[name] = con->get_request_header(name);
    const int index = connections.fetch_add(1);
    auto peer = std::make_shared<ScriptPeer>(*this, h, index, std::move(headers), con->get_resource());
    {
      std::lock_guard<std::mutex> lock(peers_mu_);
      peers_[con.get()] = peer;
      handles_[con.get()] = h;
    }
    scripts_.emplace_back([this, peer] {
      if (script_) script_(*peer);
    });
  }
  void on_gone(connection_hdl h) {
    if (auto p = peer_of(h)) p->end();
  }
  std::shared_ptr<ScriptPeer> peer_of(connection_hdl h) {
    websocketpp::lib::error_code ec;
    auto con = endpoint_.get_con_from_hdl(h, ec);
    std::lock_guard<std::mutex> lock(peers_mu_);
    auto it = peers_.find(con.get());
    return it == peers_.end() ? nullptr : it->second;
  }

  LocalWsServer::Script script_;
  LocalWsServer::Http http_;
  Endpoint endpoint_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::vector<std::thread> scripts_;  // added on the io thread, joined after it ended
  std::mutex peers_mu_;
  std::map<const void*, std::shared_ptr<ScriptPeer>> peers_;
  std::map<const void*, connection_hdl> handles_;
};

}  // namespace

LocalWsServer::LocalWsServer(Script script, Http http, const Tls* tls) {
  if (tls)
    impl_ = std::make_unique<Server<websocketpp::config::asio_tls>>(std::move(script), std::move(http), tls);
  else
    impl_ = std::make_unique<Server<websocketpp::config::asio>>(std::move(script), std::move(http), nullptr);
}

LocalWsServer::~LocalWsServer() = default;

void LocalWsServer::on_http_call(std::function<HttpAnswer(const HttpCall&)> http_call) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->http_call = std::move(http_call);
}
void LocalWsServer::on_upgrade(std::function<int(const HttpCall&)> upgrade) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->upgrade = std::move(upgrade);
}

int LocalWsServer::port() const { return impl_->port(); }
int LocalWsServer::connections() const { return impl_->connections.load(); }
std::vector<std::string> LocalWsServer::received() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->received;
}
std::vector<std::string> LocalWsServer::http_requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->http_requests;
}

LocalWsServer::Tls make_self_signed_cert(const std::string& dir) {
  LocalWsServer::Tls tls{dir + "/cert.pem", dir + "/key.pem"};
  test_support::run_checked(
      {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
       "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", tls.key_file, "-out", tls.cert_file},
      dir + "/openssl.log");
  return tls;
}

}  // namespace tickd::test_servers
