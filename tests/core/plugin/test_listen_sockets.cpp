// The sockets the daemon holds for plugins (ABI 1.2 listen_tcp): shared by an
// observer's successive instances, kept while none holds them until the
// reload settles, and a real port conflict is an error naming address:port.
#include "plugin/listen_sockets.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tickd::core;

namespace {

std::uint16_t port_of(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

// True when a TCP connection to the port is accepted by the kernel (it is in
// some socket's backlog), false when it is refused.
bool connects(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

TEST(ListenSockets, AnObserversNextInstanceGetsTheSameSocketAndNothingIsRefusedBetween) {
  ListenSockets sockets;
  std::string error;
  const int first = sockets.acquire("chart", 1, "127.0.0.1", 0, error);
  ASSERT_GE(first, 0) << error;
  const std::uint16_t port = port_of(first);
  ::close(first);
  sockets.release(1);  // the old instance is gone, its replacement not yet started
  EXPECT_TRUE(connects(port)) << "refused while no instance held the socket";
  const int second = sockets.acquire("chart", 2, "127.0.0.1", 0, error);
  ASSERT_GE(second, 0) << error;
  EXPECT_EQ(port_of(second), port);
  sockets.settle();
  EXPECT_EQ(sockets.size(), 1u);
  ::close(second);
}

TEST(ListenSockets, ASocketNoInstanceHoldsClosesAtSettle) {
  ListenSockets sockets;
  std::string error;
  const int fd = sockets.acquire("chart", 1, "127.0.0.1", 0, error);
  ASSERT_GE(fd, 0) << error;
  const std::uint16_t port = port_of(fd);
  ::close(fd);
  sockets.release(1);
  sockets.settle();
  EXPECT_EQ(sockets.size(), 0u);
  EXPECT_FALSE(connects(port));
}

TEST(ListenSockets, APortSomeoneElseListensOnIsAnErrorNamingIt) {
  ListenSockets sockets;
  std::string error;
  const int fd = sockets.acquire("chart", 1, "127.0.0.1", 0, error);
  ASSERT_GE(fd, 0) << error;
  const std::uint16_t port = port_of(fd);
  EXPECT_EQ(sockets.acquire("other", 2, "127.0.0.1", port, error), -1);
  EXPECT_EQ(error, "cannot listen on 127.0.0.1:" + std::to_string(port) + ": Address already in use");
  EXPECT_EQ(sockets.acquire("chart", 3, "localhost", 8080, error), -1);
  EXPECT_EQ(error, "cannot listen on localhost:8080: 'localhost' is not an IP address");
  ::close(fd);
}

}  // namespace
