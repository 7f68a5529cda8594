// A blocking HTTP/1.1 GET for tests: status code and body.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace tickd::e2e {

struct HttpReply {
  int status = 0;  // 0: could not connect
  std::string body;
};

inline HttpReply http_get(int port, const std::string& target) {
  HttpReply reply;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) ::close(fd);
    return reply;
  }
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, request.data(), request.size(), 0) < 0) {
    ::close(fd);
    return reply;
  }
  std::string raw;
  char buf[8192];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) raw.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  auto space = raw.find(' ');
  auto body = raw.find("\r\n\r\n");
  if (space == std::string::npos || body == std::string::npos) return reply;
  reply.status = std::stoi(raw.substr(space + 1, 3));
  reply.body = raw.substr(body + 4);
  return reply;
}

}  // namespace tickd::e2e
