// Listening TCP sockets the daemon holds for plugins (ABI 1.2 listen_tcp), so
// that a port outlives the plugin instance listening on it. While a reload
// restarts an observer, the old instance stops and the new one is handed the
// same socket: connection attempts meanwhile wait in its backlog instead of
// being refused, and no other process can take the port in between.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace tickd::core {

class ListenSockets {
 public:
  ListenSockets() = default;
  ~ListenSockets();  // closes every socket
  ListenSockets(const ListenSockets&) = delete;
  ListenSockets& operator=(const ListenSockets&) = delete;

  // A new descriptor (close-on-exec, the caller's to close) of a socket
  // listening on address:port, held for `observer` on behalf of `instance`.
  // The same observer asking again for the same address and port (its
  // replacement after a reload) shares the socket; port 0 picks a free port,
  // and the same one again for the same observer. Returns -1 with `error`
  // ("cannot listen on address:port: why") when it cannot. Any thread.
  int acquire(const std::string& observer, std::uint64_t instance, const std::string& address,
              std::uint16_t port, std::string& error);
  // The instance is gone; its sockets stay open until settle().
  void release(std::uint64_t instance);
  // Closes every socket no live instance holds: once a reload has settled
  // what runs (the replacement took the socket over, or the observer is gone).
  void settle();

  std::size_t size() const;

 private:
  struct Entry {
    std::string observer;
    std::string address;
    std::uint16_t requested_port = 0;
    int fd = -1;
    std::set<std::uint64_t> holders;
  };

  mutable std::mutex mu_;
  std::vector<Entry> entries_;
};

}  // namespace tickd::core
