#include "test_clients.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <thread>

namespace tickd::ws::testing {
namespace {

int connect_loopback(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    throw std::runtime_error("connect() to 127.0.0.1:" + std::to_string(port) + " failed");
  }
  return fd;
}

void write_all(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    auto n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send() failed");
    off += static_cast<std::size_t>(n);
  }
}

// Reads into `buf`; false on EOF or timeout.
bool read_some(int fd, std::string& buf, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char tmp[65536];
  auto n = ::recv(fd, tmp, sizeof(tmp), 0);
  if (n <= 0) return false;
  buf.append(tmp, static_cast<std::size_t>(n));
  return true;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

HttpResult http_get(std::uint16_t port, const std::string& target,
                    const std::map<std::string, std::string>& headers, const std::string& method) {
  int fd = connect_loopback(port);
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  std::string raw;
  try {
    write_all(fd, req);
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline && read_some(fd, raw, 5s)) {
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  HttpResult r;
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) throw std::runtime_error("no HTTP response: '" + raw + "'");
  auto head = raw.substr(0, head_end);
  r.body = raw.substr(head_end + 4);
  auto first_eol = head.find("\r\n");
  auto status_line = head.substr(0, first_eol);
  r.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
  std::size_t pos = first_eol;
  while (pos != std::string::npos && pos < head.size()) {
    auto next = head.find("\r\n", pos + 2);
    auto line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[lower(line.substr(0, colon))] = value;
    }
    pos = next;
  }
  return r;
}

using Client = websocketpp::client<websocketpp::config::asio_client>;

struct WsClient::Impl {
  Client client;
  std::thread io;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> messages;
  std::size_t received = 0;
  bool opened = false;
  bool failed = false;
  bool closed = false;
  int close_code = 0;
  int fail_status = 0;
  websocketpp::connection_hdl hdl;
};

WsClient::WsClient() : impl_(std::make_unique<Impl>()) {
  auto& c = impl_->client;
  c.clear_access_channels(websocketpp::log::alevel::all);
  c.clear_error_channels(websocketpp::log::elevel::all);
  c.init_asio();
  c.start_perpetual();
  Impl* s = impl_.get();
  c.set_open_handler([s](websocketpp::connection_hdl) {
    std::lock_guard<std::mutex> lock(s->mu);
    s->opened = true;
    s->cv.notify_all();
  });
  c.set_fail_handler([s](websocketpp::connection_hdl h) {
    auto con = s->client.get_con_from_hdl(h);
    std::lock_guard<std::mutex> lock(s->mu);
    s->failed = true;
    s->fail_status = con->get_response().get_status_code();
    s->cv.notify_all();
  });
  c.set_close_handler([s](websocketpp::connection_hdl h) {
    auto con = s->client.get_con_from_hdl(h);
    std::lock_guard<std::mutex> lock(s->mu);
    s->closed = true;
    s->close_code = con->get_remote_close_code();
    s->cv.notify_all();
  });
  c.set_message_handler([s](websocketpp::connection_hdl, Client::message_ptr msg) {
    std::lock_guard<std::mutex> lock(s->mu);
    s->messages.push_back(msg->get_payload());
    ++s->received;
    s->cv.notify_all();
  });
  impl_->io = std::thread([s] { s->client.run(); });
}

WsClient::~WsClient() {
  auto& c = impl_->client;
  c.stop_perpetual();
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->opened && !impl_->closed) {
      websocketpp::lib::error_code ec;
      c.close(impl_->hdl, websocketpp::close::status::normal, "bye", ec);
    }
  }
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->cv.wait_for(lock, 2s, [&] { return !impl_->opened || impl_->closed || impl_->failed; });
  lock.unlock();
  c.stop();
  impl_->io.join();
}

bool WsClient::connect(std::uint16_t port, const std::string& target,
                       const std::map<std::string, std::string>& headers) {
  websocketpp::lib::error_code ec;
  auto con = impl_->client.get_connection("ws://127.0.0.1:" + std::to_string(port) + target, ec);
  if (ec) throw std::runtime_error("bad ws url: " + ec.message());
  for (const auto& [k, v] : headers) con->append_header(k, v);
  impl_->hdl = con->get_handle();
  impl_->client.connect(con);
  std::unique_lock<std::mutex> lock(impl_->mu);
  if (!impl_->cv.wait_for(lock, 5s, [&] { return impl_->opened || impl_->failed; }))
    throw std::runtime_error("WebSocket handshake timed out");
  refused_status_ = impl_->fail_status;
  return impl_->opened;
}

bool WsClient::send(const std::string& text) {
  websocketpp::lib::error_code ec;
  impl_->client.send(impl_->hdl, text, websocketpp::frame::opcode::text, ec);
  return !ec;
}

std::optional<std::string> WsClient::wait_for(const std::function<bool(const std::string&)>& pred,
                                              std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(impl_->mu);
  for (;;) {
    while (!impl_->messages.empty()) {
      std::string m = std::move(impl_->messages.front());
      impl_->messages.pop_front();
      if (pred(m)) return m;
    }
    if (impl_->cv.wait_until(lock, deadline) == std::cv_status::timeout && impl_->messages.empty())
      return std::nullopt;
  }
}

std::optional<int> WsClient::wait_closed(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  if (!impl_->cv.wait_for(lock, timeout, [&] { return impl_->closed; })) return std::nullopt;
  return impl_->close_code;
}

std::size_t WsClient::received() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->received;
}

StalledClient::StalledClient(std::uint16_t port, const std::string& target) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int small = 4096;  // keep the kernel from absorbing the backlog for us
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    throw std::runtime_error("stalled client: connect failed");
  write_all(fd_, "GET " + target +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  while (buffered_.find("\r\n\r\n") == std::string::npos)
    if (!read_some(fd_, buffered_, 5s)) throw std::runtime_error("stalled client: no handshake response");
  if (buffered_.compare(0, 12, "HTTP/1.1 101") != 0)
    throw std::runtime_error("stalled client: handshake refused: " + buffered_.substr(0, 40));
  buffered_.erase(0, buffered_.find("\r\n\r\n") + 4);
}

StalledClient::~StalledClient() {
  if (fd_ >= 0) ::close(fd_);
}

void StalledClient::send_text(const std::string& text) { send_frame(0x1, text); }

void StalledClient::send_frame(int opcode, const std::string& payload) {
  std::string frame;
  frame.push_back(static_cast<char>(0x80 | opcode));
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(0x80 | payload.size()));
  } else {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xFF));
  }
  frame.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  write_all(fd_, frame);
}

std::optional<StalledClient::Frame> StalledClient::parse_frame() {
  if (buffered_.size() < 2) return std::nullopt;
  auto b0 = static_cast<unsigned char>(buffered_[0]);
  auto b1 = static_cast<unsigned char>(buffered_[1]);
  std::size_t header = 2;
  std::uint64_t len = b1 & 0x7F;
  if (len == 126) {
    if (buffered_.size() < 4) return std::nullopt;
    len = (static_cast<unsigned char>(buffered_[2]) << 8) | static_cast<unsigned char>(buffered_[3]);
    header = 4;
  } else if (len == 127) {
    if (buffered_.size() < 10) return std::nullopt;
    len = 0;
    for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<unsigned char>(buffered_[2 + i]);
    header = 10;
  }
  if (buffered_.size() < header + len) return std::nullopt;
  Frame f{b0 & 0x0F, buffered_.substr(header, len)};
  buffered_.erase(0, header + len);
  return f;
}

std::optional<StalledClient::Frame> StalledClient::read_frame(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto f = parse_frame()) return f;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !read_some(fd_, buffered_, left)) return std::nullopt;
  }
}

int StalledClient::read_until_close(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto f = read_frame(left);
    if (!f) return -1;
    if (f->opcode != 0x8) continue;
    if (f->payload.size() < 2) return 1005;
    return (static_cast<unsigned char>(f->payload[0]) << 8) | static_cast<unsigned char>(f->payload[1]);
  }
}

bool wait_for_clients(std::uint16_t port, std::size_t n, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  do {
    auto health = nlohmann::json::parse(http_get(port, "/health").body, nullptr, false);
    if (health.is_object() && health.value("clients", std::size_t{0}) >= n) return true;
    std::this_thread::sleep_for(5ms);
  } while (std::chrono::steady_clock::now() < until);
  return false;
}

}  // namespace tickd::ws::testing
