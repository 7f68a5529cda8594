#include "server.hpp"

#include "payloads.hpp"
#include "url.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace tickd::ws {
namespace {

using websocketpp::connection_hdl;

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

Server::Server(const Host& host, Config config, SeriesTable table, StaticFiles files)
    : host_(host),
      config_(std::move(config)),
      table_(std::move(table)),
      files_(std::move(files)),
      access_(config_.token, config_.allowed_origins),
      routes_(host_, config_, table_, files_, [this] { return server_stats(); }) {
  for (int i = 0; i < config_.io_threads; ++i) {
    shards_.push_back(std::make_unique<IoShard>(host_, config_, table_));
    install_handlers(*shards_.back());
  }
}

Server::~Server() { stop(); }

void Server::install_handlers(IoShard& shard) {
  WsServer& ep = shard.endpoint();
  ep.set_validate_handler([this, &shard](connection_hdl h) { return validate(shard, h); });
  ep.set_open_handler([this, &shard](connection_hdl h) { on_open(shard, h); });
  ep.set_http_handler([this, &shard](connection_hdl h) { on_http(shard, h); });
  ep.set_close_handler([this, &shard](connection_hdl h) { on_gone(shard, h); });
  ep.set_fail_handler([this, &shard](connection_hdl h) { on_gone(shard, h); });
  // Our pong, so that every write to an open client is ours (see Sessions::write).
  ep.set_ping_handler([&shard](connection_hdl h, std::string payload) {
    return !shard.sessions().on_ping(h.lock().get(), payload);
  });
  ep.set_message_handler([&shard](connection_hdl h, WsServer::message_ptr msg) {
    shard.sessions().on_message(h.lock().get(), msg->get_payload());
  });
}

namespace {
std::runtime_error listen_error(const std::string& host, std::uint16_t port, const std::string& why) {
  return std::runtime_error("ws_broadcast: cannot listen on " + host + ":" + std::to_string(port) + ": " +
                            why);
}

// A socket of our own, for a host that holds none (FakeHost, an older daemon,
// a child process host).
int own_listener(const boost::asio::ip::address& address, std::uint16_t port) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io);
  boost::asio::ip::tcp::endpoint ep(address, port);
  acceptor.open(ep.protocol());
  acceptor.set_option(boost::asio::ip::tcp::acceptor::reuse_address(true));
  acceptor.bind(ep);
  acceptor.listen();
  return acceptor.release();
}

std::uint16_t bound_port(int fd) {
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) return 0;
  if (local.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
}
}  // namespace

void Server::start() {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(config_.listen_host, ec);
  if (ec)
    throw std::runtime_error("ws_broadcast: listen host '" + config_.listen_host +
                             "' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::1)");
  // The daemon's socket, when it holds one, survives a reload that restarts
  // this observer: connection attempts wait in its backlog meanwhile.
  std::optional<int> held;
  try {
    held = host_.listen_socket(config_.listen_host, config_.listen_port);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("ws_broadcast: ") + e.what());
  }
  int fd = -1;
  if (held) {
    fd = *held;
  } else {
    try {
      fd = own_listener(address, config_.listen_port);
    } catch (const boost::system::system_error& e) {
      throw listen_error(config_.listen_host, config_.listen_port, e.code().message());
    }
  }
  port_ = bound_port(fd);
  try {
    for (auto& shard : shards_) shard->accept_from(fd);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);  // each shard holds its own duplicate
  for (auto& shard : shards_) shard->start();
  started_ = true;
  host_.info("ws_broadcast: listening on http://" + config_.listen_host + ":" + std::to_string(port_) + " (" +
             std::to_string(shards_.size()) + " io threads" + (held ? ", socket held by the daemon" : "") +
             ")" + (config_.token.empty() ? "" : " (bearer token required)"));
}

void Server::stop() {
  if (!started_) return;
  started_ = false;
  for (auto& shard : shards_) shard->stop();
}

std::optional<Server::Route> Server::route_ws(const std::string& path) const {
  auto seg = path_segments(path);
  if (seg.size() == 1 && seg[0] == "ws") return Route{Stream::legacy, {}};
  if (seg.size() == 1 && seg[0] == "realtime")
    return Route{Stream::realtime, {*table_.find(config_.default_symbol, config_.default_interval)}};
  if (seg.size() == 2 && seg[0] == "ws" && seg[1] == "candles") return Route{Stream::candles, {}};
  if (seg.size() == 3 && seg[0] == "ws" && seg[1] == "candles") {
    auto sym = table_.symbol_index(seg[2]);
    if (!sym) return std::nullopt;
    Route r{Stream::symbol, {}};
    for (std::size_t iv = 0; iv < table_.intervals().size(); ++iv) r.initial.push_back(table_.id(*sym, iv));
    return r;
  }
  return std::nullopt;
}

void Server::refuse(IoShard& shard, const ConnectionPtr& con, const Refusal& refusal, const char* what) {
  ++refused_;
  shard.log_warn(std::string("ws_broadcast: refused ") + what + " from " + con->get_remote_endpoint() + ": " +
                 refusal.reason);
  con->set_status(static_cast<websocketpp::http::status_code::value>(refusal.http_status));
  con->replace_header("Content-Type", "application/json");
  if (refusal.http_status == 401) con->replace_header("WWW-Authenticate", "Bearer");
  con->set_body(error_body(refusal.reason).dump());
}

bool Server::validate(IoShard& shard, connection_hdl hdl) {
  auto con = shard.endpoint().get_con_from_hdl(hdl);
  auto target = split_target(con->get_resource());
  if (!target || !route_ws(target->path)) {
    refuse(shard, con, Refusal{404, "no WebSocket endpoint at this path"}, "WebSocket");
    return false;
  }
  if (auto r = access_.check_origin(con->get_request_header("Origin"), con->get_request_header("Host"))) {
    refuse(shard, con, *r, "WebSocket");
    return false;
  }
  if (auto r = access_.check_token(con->get_request_header("Authorization"), target->query)) {
    refuse(shard, con, *r, "WebSocket");
    return false;
  }
  // Reserve a place first: shards admit in parallel.
  if (connections_.fetch_add(1) >= config_.max_connections) {
    connections_.fetch_sub(1);
    refuse(shard, con,
           Refusal{503,
                   "too many connections (max_connections " + std::to_string(config_.max_connections) + ")"},
           "WebSocket");
    return false;
  }
  shard.handshaking().insert(con.get());
  return true;
}

void Server::on_open(IoShard& shard, connection_hdl hdl) {
  auto con = shard.endpoint().get_con_from_hdl(hdl);
  shard.handshaking().erase(con.get());
  auto target = split_target(con->get_resource());
  auto route = target ? route_ws(target->path) : std::nullopt;
  if (!route) {  // validate() refused it already
    connections_.fetch_sub(1);
    return;
  }
  shard.sessions().open(con, route->stream, std::move(route->initial));
  ++client_count_;
  // Accepted just before the shard began to stop: it goes with the others,
  // closed as "going away" (a client reconnects), never refused.
  if (shard.stopping())
    shard.sessions().close_all(websocketpp::close::status::going_away, "server shutting down");
}

void Server::on_gone(IoShard& shard, connection_hdl hdl) {
  auto con = hdl.lock();
  if (shard.handshaking().erase(con.get()) > 0) connections_.fetch_sub(1);
  if (shard.sessions().close(con.get())) {
    connections_.fetch_sub(1);
    --client_count_;
  }
}

void Server::on_http(IoShard& shard, connection_hdl hdl) {
  auto con = shard.endpoint().get_con_from_hdl(hdl);
  auto target = split_target(con->get_resource());
  HttpResponse response;
  if (!target) {
    response = json_response(400, error_body("malformed request target"));
  } else if (auto r =
                 access_.check_origin(con->get_request_header("Origin"), con->get_request_header("Host"))) {
    refuse(shard, con, *r, "HTTP request");
    return;
  } else if (auto t = routes_.is_public(*target)
                          ? std::nullopt
                          : access_.check_token(con->get_request_header("Authorization"), target->query)) {
    refuse(shard, con, *t, "HTTP request");
    return;
  } else {
    // An exception must not leave the request unanswered (nor reach the io loop).
    try {
      response = routes_.handle(con->get_request().get_method(), *target);
    } catch (const std::exception& e) {
      response = json_response(500, error_body("internal error"));
      shard.log_error(std::string("ws_broadcast: HTTP request: ") + e.what());
    }
  }
  con->set_status(static_cast<websocketpp::http::status_code::value>(response.status));
  con->replace_header("Content-Type", response.content_type);
  con->replace_header("Cache-Control", response.is_static ? "no-cache" : "no-store");
  con->replace_header("X-Content-Type-Options", "nosniff");
  con->set_body(std::move(response.body));
}

nlohmann::json Server::server_stats() const {
  return {{"clients", client_count_.load()}, {"refused", refused_.load()}};
}

SessionStats Server::stats() {
  SessionStats total;
  for (auto& shard : shards_) {
    SessionStats s = shard->stats();
    total.clients += s.clients;
    total.delivered_writes += s.delivered_writes;
    total.short_writes += s.short_writes;
    total.slow_closed += s.slow_closed;
    total.rate_closed += s.rate_closed;
    total.coalesced += s.coalesced;
    total.max_backlog_bytes = std::max(total.max_backlog_bytes, s.max_backlog_bytes);
  }
  return total;
}

void Server::publish_candle(const Candle& candle) {
  auto sym = table_.symbol_index(candle.symbol);
  auto iv = table_.interval_index(candle.interval);
  if (!sym || !iv) return;
  Event e;
  e.candle = candle;
  e.symbol_index = *sym;
  e.series = table_.id(*sym, *iv);
  e.ts_ms = now_ms();
  push(std::move(e));
}

void Server::publish_signal(const Signal& signal) {
  auto sym = table_.symbol_index(signal.symbol);
  if (!sym) return;
  Event e;
  e.signal = std::make_shared<const Signal>(signal);
  e.symbol_index = *sym;
  if (signal.interval.valid()) {
    auto iv = table_.interval_index(signal.interval);
    if (!iv) return;
    e.series = table_.id(*sym, *iv);
  }
  e.ts_ms = now_ms();
  push(std::move(e));
}

void Server::push(Event&& event) {
  // Serialize here, on the worker, once for every stream that has clients on
  // any shard: the io threads are the ones that must keep up with the fan-out.
  for (std::size_t s = 0; s < kStreamCount; ++s) {
    const auto stream = static_cast<Stream>(s);
    for (const auto& shard : shards_) {
      if (shard->has_clients(stream)) {
        event.frame_for(stream);
        break;
      }
    }
  }
  for (std::size_t i = 0; i + 1 < shards_.size(); ++i) shards_[i]->push(Event(event));
  shards_.back()->push(std::move(event));
}

}  // namespace tickd::ws
