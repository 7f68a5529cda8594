#include "io_shard.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <stdexcept>

namespace tickd::ws {
namespace {
// A client whose previous write has not drained is retried this soon.
constexpr auto kRetryDelay = std::chrono::milliseconds(2);

// An accept that failed for want of resources (descriptors) is tried again
// after this long rather than at once.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
}  // namespace

IoShard::IoShard(const Host& host, const Config& config, const SeriesTable& table)
    : host_(host),
      config_(config),
      sessions_(host, table, Outbox::Limits{config.soft_limit_bytes, config.hard_limit_bytes},
                config.max_messages_per_second) {
  endpoint_.clear_access_channels(websocketpp::log::alevel::all);
  endpoint_.clear_error_channels(websocketpp::log::elevel::all);
  endpoint_.init_asio();
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
  accept_timer_ = std::make_unique<boost::asio::steady_timer>(io);
}

IoShard::~IoShard() { stop(); }

void IoShard::accept_from(int listen_fd) {
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  if (::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&local), &length) != 0)
    throw std::runtime_error(std::string("ws_broadcast: not a listening socket: ") + std::strerror(errno));
  const int copy = ::fcntl(listen_fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) throw std::runtime_error(std::string("ws_broadcast: dup: ") + std::strerror(errno));
  acceptor_ = std::make_unique<boost::asio::ip::tcp::acceptor>(endpoint_.get_io_service());
  boost::system::error_code ec;
  acceptor_->assign(local.ss_family == AF_INET6 ? boost::asio::ip::tcp::v6() : boost::asio::ip::tcp::v4(),
                    copy, ec);
  if (ec) {
    ::close(copy);
    throw std::runtime_error("ws_broadcast: cannot accept connections: " + ec.message());
  }
  accept_next();
}

// websocketpp's own accept loop needs its own listen(); this one feeds
// connections accepted from the shared socket to the endpoint the same way.
void IoShard::accept_next() {
  ConnectionPtr con = endpoint_.get_connection();
  acceptor_->async_accept(con->get_raw_socket(), [this, con](const boost::system::error_code& ec) {
    if (!ec) {
      con->start();
      accept_next();
      return;
    }
    con->terminate(websocketpp::lib::error_code());  // never started: free it
    if (ec == boost::asio::error::operation_aborted || stopping_) return;
    log_error("ws_broadcast: accept: " + ec.message());
    accept_timer_->expires_after(kAcceptRetryDelay);
    accept_timer_->async_wait([this](const boost::system::error_code& e) {
      if (!e && !stopping_) accept_next();
    });
  });
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
  const auto line = error_log_.pass(message);
  if (!line) return;
  if (error)
    host_.error(*line);
  else
    host_.warn(*line);
}

void IoShard::stop() {
  if (!thread_.joinable()) return;
  boost::asio::post(endpoint_.get_io_service(), [this] {
    stopping_ = true;
    boost::system::error_code ec;
    if (acceptor_) acceptor_->close(ec);  // the socket itself stays open where it came from
    accept_timer_->cancel();
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
