#include "client_pool.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <thread>

namespace tickd::bench {
namespace {

enum class State { connecting, handshaking, open, done };

struct Connection {
  int fd = -1;
  State state = State::connecting;
  std::string subscription;
  std::string pending;  // bytes of an incomplete frame (or response head)
};

// Client frames must be masked (RFC 6455 5.3); the key may be fixed.
std::string masked_text_frame(const std::string& payload) {
  static const unsigned char key[4] = {0x12, 0x34, 0x56, 0x78};
  std::string f;
  f += static_cast<char>(0x81);
  if (payload.size() < 126) {
    f += static_cast<char>(0x80 | payload.size());
  } else {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>((payload.size() >> 8) & 0xff);
    f += static_cast<char>(payload.size() & 0xff);
  }
  f.append(reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f += static_cast<char>(payload[i] ^ key[i % 4]);
  return f;
}

double wall_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool send_all(int fd, const std::string& bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

// The value after `"key":` in a flat scan of a JSON text.
const char* after_key(std::string_view text, std::string_view quoted_key) {
  auto pos = text.find(quoted_key);
  return pos == std::string_view::npos ? nullptr : text.data() + pos + quoted_key.size();
}

}  // namespace

struct ClientPool::Worker {
  Worker(const LoadOptions& o, const TradeFeed& f, std::vector<std::string> subs)
      : options(o), feed(f), subscriptions(std::move(subs)), epoll_fd(::epoll_create1(0)), buffer(1 << 18) {
    request = "GET /ws/candles" + (o.token.empty() ? std::string() : "?token=" + o.token) +
              " HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    connections.resize(subscriptions.size());
  }
  ~Worker() {
    for (auto& c : connections)
      if (c.fd >= 0) ::close(c.fd);
    ::close(epoll_fd);
  }

  void connect_more() {
    int cap = std::max(1, options.max_pending_handshakes / std::max(1, options.threads));
    while (next < connections.size() && pending < cap) {
      Connection& c = connections[next];
      c.subscription = std::move(subscriptions[next]);
      c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(options.ports[next % options.ports.size()]);
      ::inet_pton(AF_INET, options.host.c_str(), &addr.sin_addr);
      int rc = c.fd < 0 ? -1 : ::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      if (c.fd < 0 || (rc != 0 && errno != EINPROGRESS)) {
        fail(c);
        ++next;
        continue;
      }
      epoll_event ev{};
      ev.events = EPOLLOUT;
      ev.data.u64 = next;
      ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c.fd, &ev);
      ++pending;
      ++next;
    }
  }

  void fail(Connection& c) {
    if (c.state == State::connecting || c.state == State::handshaking) --pending;
    if (c.state == State::open) {
      --local.connected;
      if (!stopping) ++local.closed;
    } else {
      ++local.failed;
    }
    c.state = State::done;
    if (c.fd >= 0) ::close(c.fd);
    c.fd = -1;
  }

  void on_writable(Connection& c, std::size_t index) {
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0 || !send_all(c.fd, request)) return fail(c);
    c.state = State::handshaking;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = index;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c.fd, &ev);
  }

  void on_readable(Connection& c) {
    ssize_t n = ::recv(c.fd, buffer.data(), buffer.size(), 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return fail(c);
    if (n < 0) return;
    std::string_view data(buffer.data(), static_cast<std::size_t>(n));
    if (!c.pending.empty()) {
      c.pending.append(data);
      data = c.pending;
    }
    std::size_t used = c.state == State::handshaking ? handshake(c, data) : frames(c, data);
    if (c.state == State::done) return;
    if (used < data.size()) {
      std::string rest(data.substr(used));
      c.pending.swap(rest);
    } else {
      c.pending.clear();
    }
  }

  std::size_t handshake(Connection& c, std::string_view data) {
    auto end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) return 0;
    if (data.compare(0, 12, "HTTP/1.1 101") != 0 || !send_all(c.fd, masked_text_frame(c.subscription))) {
      fail(c);
      return data.size();
    }
    c.state = State::open;
    --pending;
    ++local.connected;
    connect_more();
    return end + 4 + frames(c, data.substr(end + 4));
  }

  // Parses whole frames; returns the bytes consumed.
  std::size_t frames(Connection& c, std::string_view data) {
    std::size_t at = 0;
    for (;;) {
      if (data.size() - at < 2) return at;
      auto b0 = static_cast<unsigned char>(data[at]), b1 = static_cast<unsigned char>(data[at + 1]);
      std::size_t head = 2, len = b1 & 0x7f;
      if (len == 126) {
        if (data.size() - at < 4) return at;
        len = (static_cast<unsigned char>(data[at + 2]) << 8) | static_cast<unsigned char>(data[at + 3]);
        head = 4;
      } else if (len == 127) {
        if (data.size() - at < 10) return at;
        len = 0;
        for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<unsigned char>(data[at + 2 + i]);
        head = 10;
      }
      if (data.size() - at < head + len) return at;
      std::string_view payload = data.substr(at + head, len);
      at += head + len;
      const int opcode = b0 & 0x0f;
      if (opcode == 0x8) {  // close from the server
        fail(c);
        return data.size();
      }
      if (opcode == 0x1) on_text(payload);
    }
  }

  // The server writes keys in sorted order: {"candle":{"close":C,"closed":B,
  // ...},"interval":..,"symbol":"S",...,"type":"candle"}. Reading just those
  // fields keeps the tool far cheaper than the server it measures.
  void on_text(std::string_view text) {
    static constexpr std::string_view kHead = "{\"candle\":{\"close\":";
    if (text.compare(0, kHead.size(), kHead) != 0) return;
    ++local.messages;
    char* end = nullptr;
    const double close = std::strtod(text.data() + kHead.size(), &end);
    // Only updates of the open candle carry a tick that just happened.
    static constexpr std::string_view kOpen = ",\"closed\":false";
    if (text.compare(static_cast<std::size_t>(end - text.data()), kOpen.size(), kOpen) != 0) return;
    const char* sym = after_key(text.substr(static_cast<std::size_t>(end - text.data())), "\"symbol\":\"");
    if (!sym) return;
    if (const char* ts = after_key(text.substr(static_cast<std::size_t>(sym - text.data())), "\"ts\":")) {
      const double published = std::strtod(ts, nullptr);
      local.publish_samples.push_back({wall_ms() - published, std::fmod(published, 1000.0) < 100});
    }
    const char* sym_end = static_cast<const char*>(std::memchr(sym, '"', text.data() + text.size() - sym));
    if (!sym_end) return;
    int index = feed.symbol_index(sym, static_cast<std::size_t>(sym_end - sym));
    double sent = 0;
    if (index < 0 || !feed.sent_at(static_cast<std::size_t>(index), close, sent)) return;
    local.samples.push_back(TradeFeed::steady_ms() - sent);
  }

  void run() {
    connect_more();
    epoll_event events[256];
    while (!stopping) {
      // Poll every millisecond instead of sleeping in epoll_wait: a sleeping
      // reader makes every server write pay for waking it, a cost the server
      // would not have with clients on other machines. Adds up to 1 ms to the
      // measured latency.
      int n = ::epoll_wait(epoll_fd, events, 256, 0);
      if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      for (int i = 0; i < n; ++i) {
        std::size_t index = events[i].data.u64;
        Connection& c = connections[index];
        if (c.state == State::done) continue;
        if (c.state == State::connecting)
          on_writable(c, index);
        else
          on_readable(c);
      }
      std::lock_guard<std::mutex> lock(mu);
      merged.messages += local.messages;
      for (double ms : local.samples) merged.latency.add(ms);
      for (const auto& p : local.publish_samples) {
        merged.publish_latency.add(p.ms);
        (p.second_start ? merged.publish_second_start : merged.publish_mid_second).add(p.ms);
      }
      local.publish_samples.clear();
      merged.connected += local.connected;
      merged.closed += local.closed;
      merged.failed += local.failed;
      local.samples.clear();
      local.messages = 0;
      local.connected = local.closed = local.failed = 0;
    }
  }

  // This thread's counts since its last merge into `merged`.
  struct Counts {
    std::uint64_t messages = 0;
    std::vector<double> samples;
    struct PublishSample {
      double ms;
      bool second_start;
    };
    std::vector<PublishSample> publish_samples;
    int connected = 0, closed = 0, failed = 0;
  };

  const LoadOptions& options;
  const TradeFeed& feed;
  std::vector<std::string> subscriptions;
  std::vector<Connection> connections;
  std::string request;
  int epoll_fd;
  std::vector<char> buffer;
  Counts local;
  std::size_t next = 0;
  int pending = 0;
  std::atomic<bool> stopping{false};
  std::thread thread;
  std::mutex mu;
  PoolSnapshot merged;  // guarded by mu
};

ClientPool::ClientPool(const LoadOptions& options, const TradeFeed& feed,
                       std::vector<std::string> subscriptions) {
  std::vector<std::vector<std::string>> split(static_cast<std::size_t>(options.threads));
  for (std::size_t i = 0; i < subscriptions.size(); ++i)
    split[i % split.size()].push_back(std::move(subscriptions[i]));
  for (auto& s : split) workers_.push_back(std::make_unique<Worker>(options, feed, std::move(s)));
}

ClientPool::~ClientPool() { stop(); }

void ClientPool::start() {
  for (auto& w : workers_) {
    Worker* p = w.get();
    p->thread = std::thread([p] { p->run(); });
  }
}

void ClientPool::stop() {
  for (auto& w : workers_) w->stopping = true;
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
}

PoolSnapshot ClientPool::take() {
  PoolSnapshot total;
  for (auto& w : workers_) {
    std::lock_guard<std::mutex> lock(w->mu);
    total.add_traffic(w->merged);
    total.connected += w->merged.connected;
    total.closed += w->merged.closed;
    total.failed += w->merged.failed;
    w->merged.clear_traffic();
  }
  return total;
}

}  // namespace tickd::bench
