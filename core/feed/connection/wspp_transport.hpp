// The websocketpp side of WsConnection, behind an interface so that no header
// includes websocketpp. Private to core/feed/connection.
#pragma once

#include "feed/connection/ws_connection.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tickd::core {

// Called on the io thread. `gen` is the connect() generation the event belongs
// to, so that a late event of a dropped connection can be told apart.
class TransportEvents {
 public:
  virtual ~TransportEvents() = default;
  virtual void on_transport_open(std::uint64_t gen) = 0;
  virtual void on_transport_message(std::uint64_t gen, std::string_view payload, bool binary) = 0;
  virtual void on_transport_activity(std::uint64_t gen) = 0;  // ping or pong: the peer is alive
  // Failed to open, or closed. `oversized`: a frame exceeded max_message_bytes.
  // `http_status`: the server's answer to a refused upgrade (401, 403), else 0.
  virtual void on_transport_closed(std::uint64_t gen, const std::string& why, bool oversized,
                                   int http_status) = 0;
};

class WsppTransport {
 public:
  virtual ~WsppTransport() = default;
  // Starts an asynchronous connect; false (with `error`) if it could not start.
  virtual bool connect(std::uint64_t gen, std::string& error) = 0;
  virtual bool send_text(std::string_view text) = 0;
  virtual void abort() = 0;  // drop the socket now, no close handshake
  virtual void close() = 0;  // close handshake (1001 going away)
  // Used by the next connect(): renewed credentials.
  virtual void set_target(const std::string& url,
                          const std::vector<std::pair<std::string, std::string>>& headers) = 0;
};

// ws:// or wss:// by the URL's scheme; nullptr (with `error`) for anything else
// or when the TLS settings cannot be applied (unreadable ca_file).
std::unique_ptr<WsppTransport> make_wspp_transport(boost::asio::io_context& io,
                                                   const WsConnectionOptions& options,
                                                   std::weak_ptr<TransportEvents> events, std::string& error);

}  // namespace tickd::core
