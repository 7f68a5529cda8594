#include "sessions.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace tickd::ws {

Sessions::Sessions(const Host& host, const SeriesTable& table, Outbox::Limits limits,
                   double messages_per_second)
    : host_(host),
      table_(table),
      limits_(limits),
      messages_per_second_(messages_per_second),
      index_(table.size()) {}

void Sessions::open(const ConnectionPtr& con, Stream stream, std::vector<SeriesId> initial) {
  auto client = std::make_shared<Client>(next_id_++, con, stream, limits_, RateLimiter(messages_per_second_));
  for (auto id : initial) subscribe(*client, id);
  clients_[con.get()] = client;
  stream_clients_[static_cast<std::size_t>(stream)]++;
}

bool Sessions::close(const void* con) {
  auto it = clients_.find(con);
  if (it == clients_.end()) return false;
  Client& c = *it->second;
  for (auto id : std::vector<SeriesId>(c.subs)) unsubscribe(c, id);
  c.closing = true;
  stats_.coalesced += c.outbox.coalesced();
  c.outbox.clear();
  stream_clients_[static_cast<std::size_t>(c.stream)]--;
  clients_.erase(it);
  return true;
}

void Sessions::close_all(std::uint16_t code, const std::string& reason) {
  for (auto& [key, client] : clients_) {
    websocketpp::lib::error_code ec;
    client->con->close(code, reason, ec);
  }
}

void Sessions::subscribe(Client& c, SeriesId id) {
  auto pos = std::lower_bound(c.subs.begin(), c.subs.end(), id);
  if (pos != c.subs.end() && *pos == id) return;
  c.subs.insert(pos, id);
  index_[id].push_back(&c);
}

void Sessions::unsubscribe(Client& c, SeriesId id) {
  auto pos = std::lower_bound(c.subs.begin(), c.subs.end(), id);
  if (pos == c.subs.end() || *pos != id) return;
  c.subs.erase(pos);
  auto& list = index_[id];
  auto it = std::find(list.begin(), list.end(), &c);
  if (it != list.end()) {
    *it = list.back();
    list.pop_back();
  }
}

void Sessions::reply(Client& c, const std::string& text) { send_via_wspp(c, make_text_frame(text)); }

void Sessions::send_via_wspp(Client& c, MessagePtr message) {
  c.wspp_last = message;
  if (!c.con->send(message)) ++stats_.delivered_writes;
}

bool Sessions::on_ping(const void* con, const std::string& payload) {
  auto it = clients_.find(con);
  if (it == clients_.end()) return false;
  if (!it->second->closing) send_via_wspp(*it->second, make_pong(payload));
  return true;
}

void Sessions::close_client(Client& c, std::uint16_t code, const std::string& reason) {
  if (c.closing) return;
  c.closing = true;
  c.outbox.clear();
  for (auto id : std::vector<SeriesId>(c.subs)) unsubscribe(c, id);
  websocketpp::lib::error_code ec;
  c.con->close(code, reason, ec);
}

void Sessions::on_message(const void* con, const std::string& text) {
  auto it = clients_.find(con);
  if (it == clients_.end() || it->second->closing) return;
  Client& c = *it->second;
  if (!c.rate.allow()) {
    ++stats_.rate_closed;
    host_.warn("ws_broadcast: closing client " + std::to_string(c.id) + ": inbound rate limit exceeded");
    close_client(c, websocketpp::close::status::policy_violation, "rate limit exceeded");
    return;
  }
  auto request = parse_request(c.stream, text, table_);
  if (!request.error.empty()) {
    reply(c, error_message(c.stream, request.error));
    return;
  }
  switch (request.op) {
    case SubscriptionRequest::Op::replace:
      for (auto id : std::vector<SeriesId>(c.subs)) unsubscribe(c, id);
      [[fallthrough]];
    case SubscriptionRequest::Op::add:
      for (auto id : request.series) subscribe(c, id);
      break;
    case SubscriptionRequest::Op::remove:
      for (auto id : request.series) unsubscribe(c, id);
      break;
  }
  reply(c, subscribed_message(c.stream, c.subs, table_));
}

void Sessions::deliver(Client& c, const MessagePtr& frame, std::uint64_t key) {
  std::size_t in_transport = c.con->get_buffered_amount();
  bool ok = c.outbox.push(frame, key, in_transport);
  stats_.max_backlog_bytes = std::max(stats_.max_backlog_bytes, c.outbox.bytes() + in_transport);
  if (!ok) {
    ++stats_.slow_closed;
    host_.warn("ws_broadcast: closing client " + std::to_string(c.id) + ": too slow, " +
               std::to_string(c.outbox.bytes() + in_transport) + " bytes pending");
    close_client(c, websocketpp::close::status::try_again_later, "client too slow");
    return;
  }
  if (!c.dirty) {
    c.dirty = true;
    dirty_.push_back(c.shared_from_this());
  }
}

void Sessions::fan_out(Event& event) {
  ++event_seq_;
  if (!event.is_signal()) {
    auto key = Outbox::candle_key(*event.series, event.candle.open_time);
    // Closing a slow client swaps another subscriber into slot i: index, not iterators.
    auto& list = index_[*event.series];
    for (std::size_t i = 0; i < list.size();) {
      Client* c = list[i];
      const MessagePtr& frame = event.frame_for(c->stream);
      if (frame) deliver(*c, frame, key);
      if (i < list.size() && list[i] == c) ++i;
    }
    return;
  }
  auto send_signal = [&](SeriesId id) {
    auto& list = index_[id];
    for (std::size_t i = 0; i < list.size();) {
      Client* c = list[i];
      if (c->last_event != event_seq_) {
        c->last_event = event_seq_;
        const MessagePtr& frame = event.frame_for(c->stream);
        if (frame) deliver(*c, frame, 0);
      }
      if (i < list.size() && list[i] == c) ++i;
    }
  };
  if (event.series) {
    send_signal(*event.series);
  } else {
    for (std::size_t iv = 0; iv < table_.intervals().size(); ++iv)
      send_signal(table_.id(event.symbol_index, iv));
  }
}

bool Sessions::flush() {
  still_dirty_.clear();
  for (auto& client : dirty_) {
    Client& c = *client;
    if (c.closing) continue;
    if (c.wspp_writing()) {
      still_dirty_.push_back(std::move(client));
      continue;
    }
    c.dirty = false;
    write(c);
  }
  dirty_.swap(still_dirty_);
  return !dirty_.empty();
}

// The outbox goes straight to the socket, without websocketpp's per-message
// queue, handler and allocation: with thousands of clients that overhead was a
// third of the io thread. Safe because nothing else writes to an open
// connection meanwhile: websocketpp holds nothing of ours (wspp_writing), pongs
// go through send_via_wspp, and once closing websocketpp owns the socket.
// Whatever the socket does not take now (a slow reader, an error) is handed to
// websocketpp, which writes or fails it in order.
void Sessions::write(Client& c) {
  if (c.outbox.empty()) return;
  if (c.con->get_state() != websocketpp::session::state::open) {
    c.outbox.clear();
    return;
  }
  iov_.clear();
  c.outbox.gather(iov_, IOV_MAX);
  msghdr msg{};
  msg.msg_iov = iov_.data();
  msg.msg_iovlen = iov_.size();
  ssize_t n;
  do {
    n = ::sendmsg(c.fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  const std::size_t written = n > 0 ? static_cast<std::size_t>(n) : 0;
  if (written == c.outbox.bytes()) {
    c.outbox.clear();
    ++stats_.delivered_writes;
    return;
  }
  ++stats_.short_writes;
  send_via_wspp(c, c.outbox.take_from(written));
}

SessionStats Sessions::stats() const {
  SessionStats s = stats_;
  s.clients = clients_.size();
  for (const auto& [key, c] : clients_) s.coalesced += c->outbox.coalesced();
  return s;
}

}  // namespace tickd::ws
