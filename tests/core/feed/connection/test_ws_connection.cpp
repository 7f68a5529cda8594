// WsConnection against a local server: resubscribe on every reconnect,
// staleness, heartbeat, frame size limit and a clean close on stop.
#include "feed/connection/ws_connection.hpp"

#include "local_ws_server.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <boost/asio/steady_timer.hpp>

namespace tickd::core {
namespace {

using test_servers::LocalWsServer;
using test_servers::Peer;

struct IoRun {
  boost::asio::io_context io;
  std::vector<std::string> messages;
  int opens = 0, lost = 0;

  WsConnection::Handlers handlers(WsConnection*& self, const std::string& subscribe) {
    WsConnection::Handlers h;
    h.on_open = [this, &self, subscribe] {
      ++opens;
      self->send_text(subscribe);
    };
    h.on_message = [this](std::string_view p, bool) { messages.emplace_back(p); };
    h.on_lost = [this] { ++lost; };
    return h;
  }
  // Runs the io_context until `done` or the timeout; false on timeout.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < until) io.run_for(std::chrono::milliseconds(10));
    return done();
  }
};

WsConnectionOptions options(int port) {
  WsConnectionOptions o;
  o.name = "test";
  o.url = "ws://127.0.0.1:" + std::to_string(port) + "/s";
  o.reconnect_initial_ms = 50;
  o.reconnect_max_ms = 100;
  return o;
}

TEST(WsConnection, ResubscribesOnEveryReconnectAfterDrops) {
  LocalWsServer server([](Peer& p) {
    std::string sub;
    if (!p.wait_message(sub, std::chrono::seconds(5))) return;
    p.send_text("hello " + std::to_string(p.index()) + " " + sub);
    if (p.index() < 2) {
      p.pause(std::chrono::milliseconds(50));
      p.drop();
    }
    p.pause(std::chrono::seconds(10));
  });
  IoRun run;
  WsConnection* self = nullptr;
  WsConnection c(run.io, options(server.port()), run.handlers(self, "SUB"));
  self = &c;
  c.start();
  ASSERT_TRUE(run.run_until([&] { return run.messages.size() == 3; }, std::chrono::seconds(10)));
  EXPECT_EQ(run.messages[0], "hello 0 SUB");
  EXPECT_EQ(run.messages[2], "hello 2 SUB");
  EXPECT_EQ(run.opens, 3);
  EXPECT_EQ(run.lost, 2);
  EXPECT_EQ(c.reconnects(), 2u);
  EXPECT_EQ(c.messages(), 3u);
  EXPECT_EQ(c.state(), ConnectionState::open);
  c.stop();
  EXPECT_EQ(c.state(), ConnectionState::stopped);
  run.io.run_for(std::chrono::milliseconds(100));
}

TEST(WsConnection, StaleConnectionIsReplacedAndHeartbeatIsSent) {
  LocalWsServer server([](Peer& p) {
    std::string msg;
    p.wait_message(msg, std::chrono::seconds(5));
    p.send_text("one");
    p.pause(std::chrono::seconds(10));  // then nothing, though pings arrive
  });
  IoRun run;
  WsConnectionOptions o = options(server.port());
  o.stale_after_ms = 300;
  o.heartbeat_text = "ping";
  o.heartbeat_ms = 100;
  WsConnection* self = nullptr;
  WsConnection c(run.io, o, run.handlers(self, "SUB"));
  self = &c;
  c.start();
  ASSERT_TRUE(run.run_until([&] { return run.opens >= 2; }, std::chrono::seconds(10)));
  EXPECT_GE(c.protocol_errors(), 1u);
  int pings = 0;
  for (const auto& m : server.received()) pings += m == "ping";
  EXPECT_GE(pings, 1);
  c.stop();
  run.io.run_for(std::chrono::milliseconds(100));
}

TEST(WsConnection, OversizedFrameClosesAndCounts) {
  LocalWsServer server([](Peer& p) {
    std::string msg;
    p.wait_message(msg, std::chrono::seconds(5));
    if (p.index() == 0)
      p.send_text(std::string(4096, 'x'));
    else
      p.send_text("small");
    p.pause(std::chrono::seconds(10));
  });
  IoRun run;
  WsConnectionOptions o = options(server.port());
  o.max_message_bytes = 1024;
  WsConnection* self = nullptr;
  WsConnection c(run.io, o, run.handlers(self, "SUB"));
  self = &c;
  c.start();
  ASSERT_TRUE(run.run_until([&] { return !run.messages.empty(); }, std::chrono::seconds(10)));
  EXPECT_EQ(run.messages[0], "small");
  EXPECT_EQ(c.protocol_errors(), 1u);
  EXPECT_EQ(c.reconnects(), 1u);
  c.stop();
  run.io.run_for(std::chrono::milliseconds(100));
}

TEST(WsConnection, RefusedConnectionBacksOffAndRetries) {
  const int port = [] {
    LocalWsServer gone([](Peer&) {});
    return gone.port();
  }();
  IoRun run;
  WsConnection* self = nullptr;
  WsConnection c(run.io, options(port), run.handlers(self, "SUB"));
  self = &c;
  c.start();
  ASSERT_TRUE(run.run_until([&] { return c.reconnects() >= 3; }, std::chrono::seconds(10)));
  EXPECT_EQ(run.opens, 0);
  c.stop();
}

}  // namespace
}  // namespace tickd::core
