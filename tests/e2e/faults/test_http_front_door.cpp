// The daemon's HTTP front doors answer every request: malformed or non-UTF-8
// paths get a 400 at once from the admin endpoint and from ws_broadcast's
// server, and both go on serving.
#include "e2e/daemon_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tickd::e2e {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Sends `request` as is and reads the reply until the server closes, for at
// most 2 s. Empty when nothing came.
std::string raw_exchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string raw;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) raw.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return raw;
}

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

const char* const kHostileTargets[] = {"/%ff",       "/%",        "/%zz",          "/%C0%AF",
                                       "/%E0%80%AF", "/a%00b",    "/%ED%A0%80",    "/metrics%ff",
                                       "/health%00", "/a%0D%0Ab", "/%F4%90%80%80", "/candles/%ff/1m"};

TEST(HttpFrontDoor, MalformedPathsGetA400WithinOneSecond) {
  TempDir dir("tickd-front-door");
  const int admin = test_support::free_port();
  const int chart = test_support::free_port();
  const std::string config = write_file(
      dir, "t.yaml",
      "daemon:\n  plugin_dirs: [" TICKD_PLUGIN_DIR "]\n  admin_listen: 127.0.0.1:" + std::to_string(admin) +
          "\n  shutdown_timeout: 5s\n"
          "feed:\n  kind: simulator\n  symbols: [BTCUSDT]\n"
          "aggregator:\n  intervals: [1s, 1m]\n"
          "observers:\n  - name: chart\n    plugin: ws_broadcast\n    config: {listen: 127.0.0.1:" +
          std::to_string(chart) + ", web_root: " + dir.path().string() + "}\n");
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", config}, log);
  ASSERT_TRUE(wait_for_text(tickd, log, "listening on http://", 20s)) << read_text(log);
  ASSERT_TRUE(test_support::wait_until([&] { return test_support::port_accepts(admin); }, 10s));

  for (int port : {admin, chart}) {
    for (const char* target : kHostileTargets) {
      SCOPED_TRACE(std::to_string(port) + " " + target);
      const auto started = Clock::now();
      const std::string reply = raw_exchange(port, get(target));
      EXPECT_LT(Clock::now() - started, 1s);
      EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
    }
    EXPECT_EQ(raw_exchange(port, get("/health")).rfind("HTTP/1.1 200", 0), 0u);
  }
  // A flood of them leaves at most a few lines in the log.
  for (int i = 0; i < 200; ++i) raw_exchange(chart, get("/%ff"));
  std::size_t lines = 0;
  const std::string text = read_text(log);
  for (std::size_t at = text.find("ws_broadcast"); at != std::string::npos;
       at = text.find("ws_broadcast", at + 1))
    ++lines;
  EXPECT_LT(lines, 20u) << text;
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0) << read_text(log);
}

}  // namespace
}  // namespace tickd::e2e
