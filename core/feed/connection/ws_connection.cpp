#include "feed/connection/ws_connection.hpp"

#include "feed/connection/redact_url.hpp"
#include "feed/connection/wspp_transport.hpp"
#include "feed/feed.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>
#include <tickd/backoff.hpp>

#include <chrono>

namespace tickd::core {

const char* to_string(ConnectionState state) {
  switch (state) {
    case ConnectionState::idle:
      return "idle";
    case ConnectionState::connecting:
      return "connecting";
    case ConnectionState::open:
      return "open";
    case ConnectionState::backoff:
      return "backoff";
    case ConnectionState::auth_failed:
      return "auth_failed";
    case ConnectionState::stopped:
      return "stopped";
  }
  return "unknown";
}

// Everything the in-flight handlers may touch: they hold a weak_ptr, so a
// handler that runs after the WsConnection died finds nothing and returns.
struct WsConnection::State : std::enable_shared_from_this<WsConnection::State>, TransportEvents {
  State(boost::asio::io_context& io_, WsConnectionOptions options_, Handlers handlers_)
      : io(io_),
        options(std::move(options_)),
        handlers(std::move(handlers_)),
        shown_url(redact_url(options.url)),
        backoff(std::chrono::milliseconds(options.reconnect_initial_ms),
                std::chrono::milliseconds(options.reconnect_max_ms), Backoff::Jitter::equal),
        retry_timer(io),
        watch_timer(io),
        heartbeat_timer(io) {}

  void set_state(ConnectionState s, const std::string& detail = {}) {
    if (state.load() == s) return;
    state = s;
    if (detail.empty())
      spdlog::info("{}: {} {}", options.name, to_string(s), shown_url);
    else
      spdlog::info("{}: {} {} ({})", options.name, to_string(s), shown_url, detail);
  }

  void connect() {
    if (stopping) return;
    if (!refused) set_state(ConnectionState::connecting);  // refused: stays auth_failed, quietly
    attempting = true;
    attempt_started = std::chrono::steady_clock::now();
    if (!transport) {
      std::string error;
      transport = make_wspp_transport(io, options, weak_from_this(), error);
      if (!transport) {
        spdlog::error("{}: cannot create the connection to {}: {}", options.name, shown_url, error);
        schedule_retry(error);
        return;
      }
    }
    std::string error;
    if (!transport->connect(++generation, error)) schedule_retry(error);
    watch();
  }

  void schedule_retry(const std::string& why) {
    if (stopping) return;
    std::int64_t delay = 0;
    if (refused) {
      // Said once; retrying faster cannot help until the credentials change.
      delay = options.reconnect_max_ms;
      if (state.load() != ConnectionState::auth_failed)
        spdlog::error(
            "{}: the server refused the credentials ({}); renew the token (token file or "
            "environment, then SIGHUP); retrying every {} ms meanwhile",
            options.name, why, delay);
      state = ConnectionState::auth_failed;
    } else {
      delay = backoff.next().count();
      set_state(ConnectionState::backoff, why + "; retry in " + std::to_string(delay) + " ms");
    }
    retry_timer.expires_after(std::chrono::milliseconds(delay));
    retry_timer.async_wait([w = weak_from_this()](const boost::system::error_code& ec) {
      auto self = w.lock();
      if (ec || !self || self->stopping) return;
      self->reconnects.fetch_add(1, std::memory_order_relaxed);
      self->connect();
    });
  }

  // One timer covers the open timeout and staleness; it runs while not stopped.
  void watch() {
    const std::int64_t period = std::max<std::int64_t>(
        50, std::min<std::int64_t>(1000, options.stale_after_ms > 0 ? options.stale_after_ms / 4 : 1000));
    watch_timer.expires_after(std::chrono::milliseconds(period));
    watch_timer.async_wait([w = weak_from_this()](const boost::system::error_code& ec) {
      auto self = w.lock();
      if (ec || !self || self->stopping) return;
      self->check_liveness();
      self->watch();
    });
  }

  void check_liveness() {
    const auto now = std::chrono::steady_clock::now();
    const auto ms = [&](std::chrono::steady_clock::time_point t) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(now - t).count();
    };
    const ConnectionState s = state.load();
    const bool trying = s == ConnectionState::connecting || (s == ConnectionState::auth_failed && attempting);
    if (trying && ms(attempt_started) > options.open_timeout_ms) {
      lose("no answer within " + std::to_string(options.open_timeout_ms) + " ms");
    } else if (s == ConnectionState::open && options.stale_after_ms > 0 &&
               ms(last_activity) > options.stale_after_ms) {
      protocol_errors.fetch_add(1, std::memory_order_relaxed);
      lose("stale: nothing received for " + std::to_string(options.stale_after_ms) + " ms");
    }
  }

  // Drops the current connection (if any) and retries after the backoff.
  void lose(const std::string& why) {
    const bool was_open = state.load() == ConnectionState::open;
    attempting = false;
    retry_timer.cancel();
    ++generation;  // events of the dropped connection are ignored from here on
    if (transport) transport->abort();
    heartbeat_timer.cancel();
    if (was_open && handlers.on_lost) handlers.on_lost();
    schedule_retry(why);
  }

  void heartbeat() {
    if (options.heartbeat_ms <= 0 || options.heartbeat_text.empty()) return;
    heartbeat_timer.expires_after(std::chrono::milliseconds(options.heartbeat_ms));
    heartbeat_timer.async_wait([w = weak_from_this()](const boost::system::error_code& ec) {
      auto self = w.lock();
      if (ec || !self || self->state.load() != ConnectionState::open) return;
      self->transport->send_text(self->options.heartbeat_text);
      self->heartbeat();
    });
  }

  // TransportEvents
  void on_transport_open(std::uint64_t gen) override {
    if (gen != generation || stopping) return;
    backoff.reset();
    if (refused) spdlog::info("{}: credentials accepted again", options.name);
    refused = false;
    attempting = false;
    last_activity = std::chrono::steady_clock::now();
    set_state(ConnectionState::open);
    heartbeat();
    if (handlers.on_open) handlers.on_open();
  }
  void on_transport_message(std::uint64_t gen, std::string_view payload, bool binary) override {
    if (gen != generation || stopping) return;
    last_activity = std::chrono::steady_clock::now();
    messages.fetch_add(1, std::memory_order_relaxed);
    last_message_ms.store(Feed::wall_clock_ms(), std::memory_order_relaxed);
    if (handlers.on_message) handlers.on_message(payload, binary);
  }
  void on_transport_activity(std::uint64_t gen) override {
    if (gen == generation) last_activity = std::chrono::steady_clock::now();
  }
  void on_transport_closed(std::uint64_t gen, const std::string& why, bool oversized,
                           int http_status) override {
    if (gen != generation || stopping) return;
    if (oversized) protocol_errors.fetch_add(1, std::memory_order_relaxed);
    if (http_status == 401 || http_status == 403) refused = true;
    lose(why);
  }

  boost::asio::io_context& io;
  WsConnectionOptions options;
  Handlers handlers;
  std::string shown_url;
  Backoff backoff;
  boost::asio::steady_timer retry_timer;
  boost::asio::steady_timer watch_timer;
  boost::asio::steady_timer heartbeat_timer;
  std::unique_ptr<WsppTransport> transport;
  std::uint64_t generation = 0;
  bool stopping = false;
  bool refused = false;     // the last attempt was refused for its credentials
  bool attempting = false;  // a connect is in flight
  std::chrono::steady_clock::time_point attempt_started = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_activity;

  std::atomic<ConnectionState> state{ConnectionState::idle};
  std::atomic<std::uint64_t> messages{0};
  std::atomic<std::uint64_t> reconnects{0};
  std::atomic<std::uint64_t> protocol_errors{0};
  std::atomic<TimeMs> last_message_ms{0};
};

WsConnection::WsConnection(boost::asio::io_context& io, WsConnectionOptions options, Handlers handlers)
    : st_(std::make_shared<State>(io, std::move(options), std::move(handlers))) {}

WsConnection::~WsConnection() { stop(); }

void WsConnection::start() {
  st_->stopping = false;
  st_->attempt_started = std::chrono::steady_clock::now();
  st_->connect();
}

void WsConnection::stop() {
  State& s = *st_;
  if (s.stopping) return;
  s.stopping = true;
  s.retry_timer.cancel();
  s.watch_timer.cancel();
  s.heartbeat_timer.cancel();
  if (s.transport) s.transport->close();
  if (s.state.load() != ConnectionState::idle) {
    s.state = ConnectionState::stopped;
    spdlog::info("{}: closed {}", s.options.name, s.shown_url);
  }
}

bool WsConnection::send_text(std::string_view text) {
  return st_->state.load() == ConnectionState::open && st_->transport && st_->transport->send_text(text);
}

void WsConnection::restart(std::string_view why) {
  if (!st_->stopping) st_->lose(std::string(why));
}

void WsConnection::set_target(std::string url, std::vector<std::pair<std::string, std::string>> headers) {
  State& s = *st_;
  s.options.url = std::move(url);
  s.options.headers = std::move(headers);
  s.shown_url = redact_url(s.options.url);
  if (s.transport) s.transport->set_target(s.options.url, s.options.headers);
  s.refused = false;
  s.backoff.reset();
  if (s.stopping || s.state.load() == ConnectionState::idle) return;
  s.lose("credentials changed");
}

void WsConnection::auth_failed(std::string_view why) {
  if (st_->stopping) return;
  st_->refused = true;
  st_->lose(std::string(why));
}

ConnectionState WsConnection::state() const { return st_->state.load(std::memory_order_relaxed); }
std::uint64_t WsConnection::messages() const { return st_->messages.load(std::memory_order_relaxed); }
std::uint64_t WsConnection::reconnects() const { return st_->reconnects.load(std::memory_order_relaxed); }
std::uint64_t WsConnection::protocol_errors() const {
  return st_->protocol_errors.load(std::memory_order_relaxed);
}
TimeMs WsConnection::last_message_ms() const { return st_->last_message_ms.load(std::memory_order_relaxed); }

}  // namespace tickd::core
