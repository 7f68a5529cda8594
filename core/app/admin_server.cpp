#include "app/admin_server.hpp"

#include <tickd/log_throttle.hpp>

#include <tickd/url_path.hpp>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>

namespace tickd::core {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr std::size_t kMaxRequestBytes = 8192;
constexpr int kMaxConnections = 32;

std::string response(int code, const char* reason, const char* type, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(code) + " " + reason + "\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}
}  // namespace

std::pair<std::string, unsigned short> split_host_port(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw std::invalid_argument("expected host:port, got '" + address + "'");
  int port = std::stoi(address.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::invalid_argument("port out of range in '" + address + "'");
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {host, static_cast<unsigned short>(port)};
}

struct AdminServer::Impl {
  std::function<std::string()> metrics, health;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;
  std::atomic<int> connections{0};
  LogThrottle log_throttle;  // io thread

  struct Session : std::enable_shared_from_this<Session> {
    Session(Impl& impl, tcp::socket s) : impl(impl), socket(std::move(s)), buffer(kMaxRequestBytes) {}
    ~Session() { --impl.connections; }
    void start() {
      auto self = shared_from_this();
      asio::async_read_until(socket, buffer, "\r\n\r\n", [self](boost::system::error_code ec, std::size_t) {
        self->reply(ec ? response(413, "Request Too Large", "text/plain", "request too large\n")
                       : self->route());
      });
    }
    std::string route() {
      std::istream in(&buffer);
      std::string method, target;
      in >> method >> target;
      if (method != "GET") return response(405, "Method Not Allowed", "text/plain", "GET only\n");
      const auto path = decode_request_path(target);
      if (!path) return response(400, "Bad Request", "text/plain", "malformed request target\n");
      // Whatever goes wrong, the request is answered and the io loop lives on.
      try {
        if (*path == "/metrics") return response(200, "OK", "text/plain; version=0.0.4", impl.metrics());
        if (*path == "/health") return response(200, "OK", "application/json", impl.health());
      } catch (const std::exception& e) {
        std::uint64_t suppressed = 0;
        if (impl.log_throttle.allow(suppressed)) spdlog::error("admin endpoint: {}: {}", *path, e.what());
        return response(500, "Internal Server Error", "text/plain", "internal error\n");
      }
      return response(404, "Not Found", "text/plain", "try /metrics or /health\n");
    }
    void reply(std::string text) {
      out = std::move(text);
      auto self = shared_from_this();
      asio::async_write(socket, asio::buffer(out), [self](boost::system::error_code, std::size_t) {
        boost::system::error_code ignored;
        self->socket.shutdown(tcp::socket::shutdown_both, ignored);
      });
    }
    Impl& impl;
    tcp::socket socket;
    asio::streambuf buffer;
    std::string out;
  };

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      if (++connections > kMaxConnections) {
        --connections;
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Session>(*this, std::move(socket))->start();
      }
      accept();
    });
  }
};

AdminServer::AdminServer(std::function<std::string()> metrics, std::function<std::string()> health)
    : impl_(std::make_unique<Impl>()) {
  impl_->metrics = std::move(metrics);
  impl_->health = std::move(health);
}

AdminServer::~AdminServer() { stop(); }

void AdminServer::start(const std::string& listen) {
  auto [host, port] = split_host_port(listen);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("admin_listen: '" + host + "' is not an IP address");
  tcp::endpoint endpoint(address, port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint, ec);
  if (ec) throw std::runtime_error("admin_listen: cannot listen on " + listen + ": " + ec.message());
  impl_->acceptor.listen();
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

void AdminServer::stop() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->io, [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->io.stop();
  });
  impl_->thread.join();
}

unsigned short AdminServer::port() const { return impl_->acceptor.local_endpoint().port(); }

}  // namespace tickd::core
