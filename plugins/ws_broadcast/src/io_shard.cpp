#include "io_shard.hpp"

#include <sys/socket.h>

#include <future>
#include <stdexcept>

namespace tickd::ws {
namespace {
// A client whose previous write has not drained is retried this soon.
constexpr auto kRetryDelay = std::chrono::milliseconds(2);

std::runtime_error listen_error(const std::string& host, std::uint16_t port, const std::string& why) {
  return std::runtime_error("ws_broadcast: cannot listen on " + host + ":" + std::to_string(port) + ": " +
                            why);
}
}  // namespace

void IoShard::check_port_free(const boost::asio::ip::address& address, const std::string& host,
                              std::uint16_t port) {
  if (port == 0) return;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io);
  boost::asio::ip::tcp::endpoint ep(address, port);
  boost::system::error_code ec;
  probe.open(ep.protocol(), ec);
  if (!ec) probe.set_option(boost::asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) probe.bind(ep, ec);
  if (ec) throw listen_error(host, port, ec.message());
}

IoShard::IoShard(const Host& host, const Config& config, const SeriesTable& table)
    : host_(host),
      config_(config),
      sessions_(host, table, Outbox::Limits{config.soft_limit_bytes, config.hard_limit_bytes},
                config.max_messages_per_second) {
  endpoint_.clear_access_channels(websocketpp::log::alevel::all);
  endpoint_.clear_error_channels(websocketpp::log::elevel::all);
  endpoint_.init_asio();
  endpoint_.set_reuse_addr(true);
  endpoint_.set_tcp_pre_bind_handler([](std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor) {
    int on = 1;
    ::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    return websocketpp::lib::error_code();
  });
  // Frames are flushed as soon as they are batched; Nagle would hold a write
  // back until the client's delayed ACK of the previous one (tens of ms).
  endpoint_.set_tcp_post_init_handler([this](websocketpp::connection_hdl h) {
    boost::system::error_code ec;
    endpoint_.get_con_from_hdl(h)->get_raw_socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
  });
  endpoint_.set_max_message_size(config.max_message_bytes);
  endpoint_.set_max_http_body_size(config.max_message_bytes);
  auto& io = endpoint_.get_io_service();
  retry_timer_ = std::make_unique<boost::asio::steady_timer>(io);
  flush_timer_ = std::make_unique<boost::asio::steady_timer>(io);
  stop_timer_ = std::make_unique<boost::asio::steady_timer>(io);
}

IoShard::~IoShard() { stop(); }

std::uint16_t IoShard::listen(const boost::asio::ip::address& address, std::uint16_t port) {
  websocketpp::lib::error_code wec;
  endpoint_.listen(boost::asio::ip::tcp::endpoint(address, port), wec);
  if (wec) throw listen_error(config_.listen_host, port, wec.message());
  boost::system::error_code ec;
  std::uint16_t bound = endpoint_.get_local_endpoint(ec).port();
  endpoint_.start_accept(wec);
  if (wec) throw std::runtime_error("ws_broadcast: cannot accept connections: " + wec.message());
  return bound;
}

void IoShard::start() {
  thread_ = std::thread([this] { run_io(); });
}

void IoShard::run_io() {
  for (;;) {
    try {
      endpoint_.run();
      return;
    } catch (const std::exception& e) {
      log_error(std::string("ws_broadcast: io thread: ") + e.what());
    }
  }
}

void IoShard::log_limited(bool error, const std::string& message) {
  if (!error_log_.allow()) {
    ++errors_held_back_;
    return;
  }
  const std::string line = errors_held_back_ == 0 ? message
                                                  : message + " [" + std::to_string(errors_held_back_) +
                                                        " similar messages suppressed]";
  errors_held_back_ = 0;
  if (error)
    host_.error(line);
  else
    host_.warn(line);
}

void IoShard::stop() {
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

void IoShard::wait_for_clients(std::chrono::steady_clock::time_point deadline) {
  if (sessions_.size() == 0 || std::chrono::steady_clock::now() >= deadline) {
    endpoint_.stop();
    return;
  }
  stop_timer_->expires_after(std::chrono::milliseconds(10));
  stop_timer_->async_wait([this, deadline](const boost::system::error_code&) { wait_for_clients(deadline); });
}

SessionStats IoShard::stats() {
  if (!thread_.joinable()) return sessions_.stats();
  auto promise = std::make_shared<std::promise<SessionStats>>();
  auto future = promise->get_future();
  boost::asio::post(endpoint_.get_io_service(), [this, promise] { promise->set_value(sessions_.stats()); });
  return future.get();
}

void IoShard::push(Event&& event) {
  if (!inbox_.push(std::move(event))) return;  // a drain is already on its way
  if (config_.flush_interval_ms == 0) {
    boost::asio::post(endpoint_.get_io_service(), [this] { drain(); });
    return;
  }
  // Wait a moment for the rest of the burst (one tick updates several series
  // at once), so each client gets them in one write instead of several.
  boost::asio::post(endpoint_.get_io_service(), [this] {
    flush_timer_->expires_after(std::chrono::milliseconds(config_.flush_interval_ms));
    flush_timer_->async_wait([this](const boost::system::error_code& ec) {
      if (!ec && !stopping_) drain();
    });
  });
}

void IoShard::drain() {
  inbox_.take(draining_);
  for (auto& e : draining_) sessions_.fan_out(e);
  draining_.clear();
  if (sessions_.flush()) arm_retry();
}

void IoShard::arm_retry() {
  if (retry_armed_ || stopping_) return;
  retry_armed_ = true;
  retry_timer_->expires_after(kRetryDelay);
  retry_timer_->async_wait([this](const boost::system::error_code& ec) {
    retry_armed_ = false;
    if (ec || stopping_) return;
    if (sessions_.flush()) arm_retry();
  });
}

}  // namespace tickd::ws
