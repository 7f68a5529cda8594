#include "server.hpp"

#include "payloads.hpp"
#include "url.hpp"

#include <chrono>
#include <future>
#include <stdexcept>

namespace tickd::ws {
namespace {

using websocketpp::connection_hdl;

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

constexpr auto kRetryDelay = std::chrono::milliseconds(2);

}  // namespace

Server::Server(const Host& host, Config config, SeriesTable table, StaticFiles files)
    : host_(host),
      config_(std::move(config)),
      table_(std::move(table)),
      files_(std::move(files)),
      access_(config_.token, config_.allowed_origins),
      routes_(host_, config_, table_, files_, [this] { return server_stats(); }),
      sessions_(host_, table_, Outbox::Limits{config_.soft_limit_bytes, config_.hard_limit_bytes},
                config_.max_messages_per_second) {
  endpoint_.clear_access_channels(websocketpp::log::alevel::all);
  endpoint_.clear_error_channels(websocketpp::log::elevel::all);
  endpoint_.init_asio();
  endpoint_.set_reuse_addr(true);
  endpoint_.set_max_message_size(config_.max_message_bytes);
  endpoint_.set_max_http_body_size(config_.max_message_bytes);
  endpoint_.set_validate_handler([this](connection_hdl h) { return validate(h); });
  endpoint_.set_open_handler([this](connection_hdl h) { on_open(h); });
  endpoint_.set_http_handler([this](connection_hdl h) { on_http(h); });
  auto gone = [this](connection_hdl h) {
    auto con = h.lock();
    handshaking_.erase(con.get());
    sessions_.close(con.get());
    client_count_ = sessions_.size();
  };
  endpoint_.set_close_handler(gone);
  endpoint_.set_fail_handler(gone);
  endpoint_.set_message_handler([this](connection_hdl h, WsServer::message_ptr msg) {
    sessions_.on_message(h.lock().get(), msg->get_payload());
  });
  auto& io = endpoint_.get_io_service();
  retry_timer_ = std::make_unique<boost::asio::steady_timer>(io);
  flush_timer_ = std::make_unique<boost::asio::steady_timer>(io);
  stop_timer_ = std::make_unique<boost::asio::steady_timer>(io);
}

Server::~Server() { stop(); }

void Server::start() {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(config_.listen_host, ec);
  if (ec)
    throw std::runtime_error("ws_broadcast: listen host '" + config_.listen_host +
                             "' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::1)");
  websocketpp::lib::error_code wec;
  endpoint_.listen(boost::asio::ip::tcp::endpoint(address, config_.listen_port), wec);
  if (wec)
    throw std::runtime_error("ws_broadcast: cannot listen on " + config_.listen_host + ":" +
                             std::to_string(config_.listen_port) + ": " + wec.message());
  port_ = endpoint_.get_local_endpoint(ec).port();
  endpoint_.start_accept(wec);
  if (wec) throw std::runtime_error("ws_broadcast: cannot accept connections: " + wec.message());
  if (config_.flush_interval_ms > 0) arm_flush_timer();
  thread_ = std::thread([this] { run_io(); });
  host_.info("ws_broadcast: listening on http://" + config_.listen_host + ":" + std::to_string(port_) +
             (config_.token.empty() ? "" : " (bearer token required)"));
}

void Server::run_io() {
  for (;;) {
    try {
      endpoint_.run();
      return;
    } catch (const std::exception& e) {
      host_.error(std::string("ws_broadcast: io thread: ") + e.what());
    }
  }
}

void Server::stop() {
  if (!thread_.joinable()) return;
  boost::asio::post(endpoint_.get_io_service(), [this] {
    stopping_ = true;
    websocketpp::lib::error_code ec;
    endpoint_.stop_listening(ec);
    retry_timer_->cancel();
    flush_timer_->cancel();
    sessions_.close_all(websocketpp::close::status::going_away, "server shutting down");
    // Give clients a moment to answer the close handshake, then stop regardless.
    wait_for_clients(std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
  });
  thread_.join();
}

void Server::wait_for_clients(std::chrono::steady_clock::time_point deadline) {
  if (sessions_.size() == 0 || std::chrono::steady_clock::now() >= deadline) {
    endpoint_.stop();
    return;
  }
  stop_timer_->expires_after(std::chrono::milliseconds(10));
  stop_timer_->async_wait([this, deadline](const boost::system::error_code&) { wait_for_clients(deadline); });
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

void Server::refuse(const ConnectionPtr& con, const Refusal& refusal, const char* what) {
  ++refused_;
  host_.warn(std::string("ws_broadcast: refused ") + what + " from " + con->get_remote_endpoint() + ": " +
             refusal.reason);
  con->set_status(static_cast<websocketpp::http::status_code::value>(refusal.http_status));
  con->replace_header("Content-Type", "application/json");
  if (refusal.http_status == 401) con->replace_header("WWW-Authenticate", "Bearer");
  con->set_body(error_body(refusal.reason).dump());
}

bool Server::validate(connection_hdl hdl) {
  auto con = endpoint_.get_con_from_hdl(hdl);
  if (stopping_) return false;
  auto target = split_target(con->get_resource());
  if (!target || !route_ws(target->path)) {
    refuse(con, Refusal{404, "no WebSocket endpoint at this path"}, "WebSocket");
    return false;
  }
  if (auto r = access_.check_origin(con->get_request_header("Origin"), con->get_request_header("Host"))) {
    refuse(con, *r, "WebSocket");
    return false;
  }
  if (auto r = access_.check_token(con->get_request_header("Authorization"), target->query)) {
    refuse(con, *r, "WebSocket");
    return false;
  }
  if (sessions_.size() + handshaking_.size() >= config_.max_connections) {
    refuse(con,
           Refusal{503,
                   "too many connections (max_connections " + std::to_string(config_.max_connections) + ")"},
           "WebSocket");
    return false;
  }
  handshaking_.insert(con.get());
  return true;
}

void Server::on_open(connection_hdl hdl) {
  auto con = endpoint_.get_con_from_hdl(hdl);
  handshaking_.erase(con.get());
  auto target = split_target(con->get_resource());
  auto route = target ? route_ws(target->path) : std::nullopt;
  if (!route) return;  // validate() refused it already
  sessions_.open(con, route->stream, std::move(route->initial));
  client_count_ = sessions_.size();
}

void Server::on_http(connection_hdl hdl) {
  auto con = endpoint_.get_con_from_hdl(hdl);
  auto target = split_target(con->get_resource());
  HttpResponse response;
  if (!target) {
    response = json_response(400, error_body("malformed request target"));
  } else if (auto r =
                 access_.check_origin(con->get_request_header("Origin"), con->get_request_header("Host"))) {
    refuse(con, *r, "HTTP request");
    return;
  } else if (auto t = routes_.is_public(*target)
                          ? std::nullopt
                          : access_.check_token(con->get_request_header("Authorization"), target->query)) {
    refuse(con, *t, "HTTP request");
    return;
  } else {
    response = routes_.handle(con->get_request().get_method(), *target);
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
  if (!thread_.joinable()) return sessions_.stats();
  auto promise = std::make_shared<std::promise<SessionStats>>();
  auto future = promise->get_future();
  boost::asio::post(endpoint_.get_io_service(), [this, promise] { promise->set_value(sessions_.stats()); });
  return future.get();
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
  // Serialize here, on the worker, for every stream that has clients: the io
  // thread is the one that must keep up with the fan-out.
  for (std::size_t s = 0; s < kStreamCount; ++s)
    if (sessions_.has_clients(static_cast<Stream>(s))) event.frame_for(static_cast<Stream>(s));
  bool wake = inbox_.push(std::move(event));
  if (wake && config_.flush_interval_ms == 0)
    boost::asio::post(endpoint_.get_io_service(), [this] { drain(); });
}

void Server::drain() {
  inbox_.take(draining_);
  for (auto& e : draining_) sessions_.fan_out(e);
  draining_.clear();
  if (sessions_.flush()) arm_retry();
}

void Server::arm_retry() {
  if (retry_armed_ || stopping_) return;
  retry_armed_ = true;
  retry_timer_->expires_after(kRetryDelay);
  retry_timer_->async_wait([this](const boost::system::error_code& ec) {
    retry_armed_ = false;
    if (ec || stopping_) return;
    if (sessions_.flush()) arm_retry();
  });
}

void Server::arm_flush_timer() {
  flush_timer_->expires_after(std::chrono::milliseconds(config_.flush_interval_ms));
  flush_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    drain();
    arm_flush_timer();
  });
}

}  // namespace tickd::ws
