#include "feed/connection/wspp_transport.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include <fstream>

namespace tickd::core {

namespace {

using websocketpp::connection_hdl;

// Each connection: the TLS context is made per connection attempt so that a
// rotated ca_file is picked up on reconnect.
template <class Config>
class Transport final : public WsppTransport {
 public:
  using Client = websocketpp::client<Config>;

  Transport(boost::asio::io_context& io, const WsConnectionOptions& options,
            std::weak_ptr<TransportEvents> events)
      : options_(options), events_(std::move(events)) {
    client_.clear_access_channels(websocketpp::log::alevel::all);
    client_.clear_error_channels(websocketpp::log::elevel::all);
    client_.init_asio(&io);
    client_.set_max_message_size(options.max_message_bytes);
    client_.set_open_handshake_timeout(static_cast<long>(options.open_timeout_ms));
    client_.set_close_handshake_timeout(1000);
  }

  ~Transport() override { abort(); }

  template <class F>
  void set_tls_init(F&& f) {
    client_.set_tls_init_handler(std::forward<F>(f));
  }

  bool connect(std::uint64_t gen, std::string& error) override {
    abort();
    websocketpp::lib::error_code ec;
    auto con = client_.get_connection(options_.url, ec);
    if (ec) {
      error = ec.message();
      return false;
    }
    for (const auto& [name, value] : options_.headers) con->append_header(name, value);
    auto events = events_;
    con->set_open_handler([events, gen](connection_hdl) {
      if (auto e = events.lock()) e->on_transport_open(gen);
    });
    con->set_message_handler([events, gen](connection_hdl, typename Client::message_ptr msg) {
      if (auto e = events.lock())
        e->on_transport_message(gen, msg->get_payload(),
                                msg->get_opcode() == websocketpp::frame::opcode::binary);
    });
    con->set_ping_handler([events, gen](connection_hdl, std::string) {
      if (auto e = events.lock()) e->on_transport_activity(gen);
      return true;  // answer with a pong
    });
    con->set_pong_handler([events, gen](connection_hdl, std::string) {
      if (auto e = events.lock()) e->on_transport_activity(gen);
    });
    auto ended = [this, events, gen](connection_hdl h, const char* what) {
      auto e = events.lock();
      if (!e) return;
      std::string why = what;
      bool oversized = false;
      int http_status = 0;
      if (auto c = client_.get_con_from_hdl(h)) {
        const auto local = c->get_local_close_code();
        const auto remote = c->get_remote_close_code();
        oversized = local == websocketpp::close::status::message_too_big;
        if (c->get_ec()) why += ": " + c->get_ec().message();
        if (remote != websocketpp::close::status::no_status &&
            remote != websocketpp::close::status::abnormal_close)
          why += " (server code " + std::to_string(remote) + ")";
        else if (oversized)
          why += " (frame larger than " + std::to_string(options_.max_message_bytes) + " bytes)";
        if (c->get_response_code() != websocketpp::http::status_code::uninitialized &&
            c->get_response_code() != websocketpp::http::status_code::switching_protocols) {
          http_status = static_cast<int>(c->get_response_code());
          why += " (HTTP " + std::to_string(http_status) + ")";
        }
      }
      e->on_transport_closed(gen, why, oversized, http_status);
    };
    con->set_fail_handler([ended](connection_hdl h) { ended(h, "connection failed"); });
    con->set_close_handler([ended](connection_hdl h) { ended(h, "connection closed"); });
    hdl_ = con;
    client_.connect(con);
    return true;
  }

  bool send_text(std::string_view text) override {
    websocketpp::lib::error_code ec;
    client_.send(hdl_, text.data(), text.size(), websocketpp::frame::opcode::text, ec);
    return !ec;
  }

  void set_target(const std::string& url,
                  const std::vector<std::pair<std::string, std::string>>& headers) override {
    options_.url = url;
    options_.headers = headers;
  }

  void abort() override {
    if (auto con = client_.get_con_from_hdl(hdl_, ignored_)) {
      // Handlers of the dropped connection must not run: the next connection
      // may already be open when they would.
      con->set_open_handler(nullptr);
      con->set_message_handler(nullptr);
      con->set_fail_handler(nullptr);
      con->set_close_handler(nullptr);
      websocketpp::lib::error_code ec;
      con->terminate(ec);
    }
    hdl_.reset();
  }

  void close() override {
    if (auto con = client_.get_con_from_hdl(hdl_, ignored_)) {
      con->set_fail_handler(nullptr);
      con->set_close_handler(nullptr);
      con->set_message_handler(nullptr);
      websocketpp::lib::error_code ec;
      if (con->get_state() == websocketpp::session::state::open)
        con->close(websocketpp::close::status::going_away, "shutdown", ec);
      else
        con->terminate(ec);
    }
    hdl_.reset();
  }

 private:
  WsConnectionOptions options_;
  std::weak_ptr<TransportEvents> events_;
  Client client_;
  connection_hdl hdl_;
  websocketpp::lib::error_code ignored_;
};

using TlsContext = boost::asio::ssl::context;

std::string host_of(const std::string& url) {
  const auto start = url.find("://") + 3;
  if (start < url.size() && url[start] == '[') return url.substr(start + 1, url.find(']', start) - start - 1);
  const auto end = url.find_first_of(":/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

std::unique_ptr<WsppTransport> make_wspp_transport(boost::asio::io_context& io,
                                                   const WsConnectionOptions& options,
                                                   std::weak_ptr<TransportEvents> events,
                                                   std::string& error) {
  if (options.url.rfind("ws://", 0) == 0)
    return std::make_unique<Transport<websocketpp::config::asio_client>>(io, options, std::move(events));
  if (options.url.rfind("wss://", 0) != 0) {
    error = "the URL must start with ws:// or wss://";
    return nullptr;
  }
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file)) {
    error = "cannot read ca_file " + options.ca_file;
    return nullptr;
  }
  auto t = std::make_unique<Transport<websocketpp::config::asio_tls_client>>(io, options, std::move(events));
  const std::string host = host_of(options.url);
  t->set_tls_init([options, host](connection_hdl) {
    auto ctx = std::make_shared<TlsContext>(TlsContext::tls_client);
    ctx->set_options(TlsContext::default_workarounds | TlsContext::no_sslv2 | TlsContext::no_sslv3 |
                     TlsContext::no_tlsv1 | TlsContext::no_tlsv1_1);
    boost::system::error_code ec;
    if (options.ca_file.empty())
      ctx->set_default_verify_paths(ec);
    else
      ctx->load_verify_file(options.ca_file, ec);
    if (options.verify) {
      ctx->set_verify_mode(boost::asio::ssl::verify_peer, ec);
      ctx->set_verify_callback(boost::asio::ssl::host_name_verification(host), ec);
    } else {
      ctx->set_verify_mode(boost::asio::ssl::verify_none, ec);
    }
    return ctx;
  });
  return t;
}

}  // namespace tickd::core
