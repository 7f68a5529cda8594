// What every broker feed counts and how it reports bad input: each malformed
// message is counted and logged (rate-limited) and then skipped.
#pragma once

#include "feed/connection/ws_connection.hpp"
#include "feed/decoding/decoded_sink.hpp"
#include "feed/feed.hpp"

#include <spdlog/spdlog.h>
#include <tickd/log_throttle.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace tickd::core {

class BrokerCounters {
 public:
  explicit BrokerCounters(std::string name) : name_(std::move(name)) {}

  void tick() { ticks_.fetch_add(1, std::memory_order_relaxed); }
  void decode_error(const DecodeError& error, std::string_view message) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    std::uint64_t suppressed = 0;
    if (error_log_.allow(suppressed))
      spdlog::warn("{}: skipped a bad message ({}): {}{}", name_, error.reason, excerpt(message),
                   suppressed ? fmt::format(" [{} similar messages suppressed]", suppressed) : "");
  }
  // A broker's own text (subscription ack, error, order update).
  void notice(std::string_view text) {
    std::uint64_t suppressed = 0;
    if (notice_log_.allow(suppressed))
      spdlog::info("{}: server says: {}{}", name_, excerpt(text),
                   suppressed ? fmt::format(" [{} similar messages suppressed]", suppressed) : "");
  }

  // The counters every broker feed reports; the caller sets the state.
  FeedStats stats(const WsConnection& connection) const {
    FeedStats s;
    s.messages = connection.messages();
    s.ticks = ticks();
    s.decode_errors = decode_errors() + connection.protocol_errors();
    s.reconnects = connection.reconnects();
    s.last_message_ms = connection.last_message_ms();
    return s;
  }

  std::uint64_t ticks() const { return ticks_.load(std::memory_order_relaxed); }
  std::uint64_t decode_errors() const { return errors_.load(std::memory_order_relaxed); }
  const std::string& name() const { return name_; }

 private:
  // Enough to recognise a message, never a whole (possibly huge) frame;
  // binary bytes are shown as '.'.
  static std::string excerpt(std::string_view text) {
    constexpr std::size_t kMax = 160;
    std::string out;
    for (char c : text.substr(0, kMax)) out += (c >= 0x20 && c < 0x7f) ? c : '.';
    if (text.size() > kMax) out += "... (" + std::to_string(text.size()) + " bytes)";
    return out;
  }

  std::string name_;
  LogThrottle error_log_;
  LogThrottle notice_log_;
  std::atomic<std::uint64_t> ticks_{0};
  std::atomic<std::uint64_t> errors_{0};
};

}  // namespace tickd::core
