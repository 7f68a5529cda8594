#include "plugin/listen_sockets.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tickd::core {

namespace {
// Binds and listens; -1 with `error` set when it cannot.
int open_listener(const std::string& address, std::uint16_t port, std::string& error) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_INET;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof *v4;
  } else if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    family = AF_INET6;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof *v6;
  } else {
    error = "'" + address + "' is not an IP address";
    return -1;
  }
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  // Lets a restarted daemon bind while the old one's connections linger in
  // TIME_WAIT; two listeners on one port still refuse each other.
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    error = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}
}  // namespace

ListenSockets::~ListenSockets() {
  for (auto& e : entries_) ::close(e.fd);
}

int ListenSockets::acquire(const std::string& observer, std::uint64_t instance, const std::string& address,
                           std::uint16_t port, std::string& error) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return e.observer == observer && e.address == address && e.requested_port == port;
  });
  if (it == entries_.end()) {
    std::string why;
    const int fd = open_listener(address, port, why);
    if (fd < 0) {
      error = "cannot listen on " + address + ":" + std::to_string(port) + ": " + why;
      return -1;
    }
    it = entries_.insert(entries_.end(), Entry{observer, address, port, fd, {}});
  }
  const int copy = ::fcntl(it->fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) {
    error = "cannot listen on " + address + ":" + std::to_string(port) + ": " + std::strerror(errno);
    return -1;
  }
  it->holders.insert(instance);
  return copy;
}

void ListenSockets::release(std::uint64_t instance) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& e : entries_) e.holders.erase(instance);
}

void ListenSockets::settle() {
  std::lock_guard<std::mutex> lock(mu_);
  auto unheld = std::stable_partition(entries_.begin(), entries_.end(),
                                      [](const Entry& e) { return !e.holders.empty(); });
  for (auto it = unheld; it != entries_.end(); ++it) ::close(it->fd);
  entries_.erase(unheld, entries_.end());
}

std::size_t ListenSockets::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace tickd::core
