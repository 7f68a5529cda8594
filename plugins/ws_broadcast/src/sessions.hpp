// The WebSocket clients, their subscriptions and the fan-out of events into
// their outboxes. Lives on the io thread: nothing here takes a lock, except the
// per-stream client counts the worker reads to decide what to serialize.
#pragma once

#include "event.hpp"
#include "outbox.hpp"
#include "rate_limiter.hpp"
#include "ws_protocol.hpp"
#include "wspp.hpp"

#include <tickd/host.hpp>

#include <atomic>
#include <memory>
#include <unordered_map>
#include <vector>

namespace tickd::ws {

struct Client : std::enable_shared_from_this<Client> {
  Client(std::uint64_t id, ConnectionPtr con, Stream stream, Outbox::Limits limits, RateLimiter rate)
      : id(id),
        con(std::move(con)),
        fd(this->con->get_raw_socket().native_handle()),
        stream(stream),
        outbox(limits),
        rate(rate) {}
  // websocketpp still holds (queued or being written) something we gave it:
  // until it is done, nothing may be written to the socket around it.
  bool wspp_writing() const { return !wspp_last.expired(); }

  std::uint64_t id;
  ConnectionPtr con;
  int fd;
  Stream stream;
  std::vector<SeriesId> subs;  // sorted
  Outbox outbox;
  RateLimiter rate;
  std::uint64_t last_event = 0;                       // dedupes a symbol-wide signal across several series
  std::weak_ptr<WsppConfig::message_type> wspp_last;  // the last message handed to websocketpp
  bool dirty = false;
  bool closing = false;
};

struct SessionStats {
  std::size_t clients = 0;
  std::uint64_t delivered_writes = 0;
  std::uint64_t short_writes = 0;  // the socket took part of a write: the client reads slowly
  std::uint64_t slow_closed = 0;
  std::uint64_t rate_closed = 0;
  std::uint64_t coalesced = 0;
  std::size_t max_backlog_bytes = 0;  // the largest backlog any client has had
};

class Sessions {
 public:
  Sessions(const Host& host, const SeriesTable& table, Outbox::Limits limits, double messages_per_second);

  void open(const ConnectionPtr& con, Stream stream, std::vector<SeriesId> initial);
  // False when `con` was not an open client here.
  bool close(const void* con);
  void on_message(const void* con, const std::string& text);
  // Queues the pong for a client's ping behind its pending output; false when
  // `con` is not a client here (websocketpp then answers it itself).
  bool on_ping(const void* con, const std::string& payload);
  void close_all(std::uint16_t code, const std::string& reason);

  void fan_out(Event& event);
  // Writes every waiting outbox whose previous write has drained. Returns true
  // while some client still waits (its previous write has not drained).
  bool flush();

  std::size_t size() const { return clients_.size(); }
  bool has_clients(Stream s) const { return stream_clients_[static_cast<std::size_t>(s)].load() > 0; }
  SessionStats stats() const;

 private:
  void subscribe(Client& c, SeriesId id);
  void unsubscribe(Client& c, SeriesId id);
  void deliver(Client& c, const MessagePtr& frame, std::uint64_t key);
  void close_client(Client& c, std::uint16_t code, const std::string& reason);
  void reply(Client& c, const std::string& text);
  void write(Client& c);
  void send_via_wspp(Client& c, MessagePtr message);

  const Host& host_;
  const SeriesTable& table_;
  Outbox::Limits limits_;
  double messages_per_second_;
  std::uint64_t next_id_ = 1;
  std::uint64_t event_seq_ = 0;
  std::unordered_map<const void*, std::shared_ptr<Client>> clients_;
  std::vector<std::vector<Client*>> index_;  // series -> subscribers
  std::vector<std::shared_ptr<Client>> dirty_;
  std::vector<std::shared_ptr<Client>> still_dirty_;
  std::vector<iovec> iov_;
  std::array<std::atomic<int>, kStreamCount> stream_clients_{};
  SessionStats stats_;
};

}  // namespace tickd::ws
