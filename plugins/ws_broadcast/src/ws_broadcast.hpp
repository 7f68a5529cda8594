// The ws_broadcast observer: candles and signals to browsers over WebSocket and
// REST, plus the chart page. The daemon loads it through plugin.cpp; tests host
// it in-process with tickd::testing::FakeHost.
#pragma once

#include <tickd/plugin.hpp>

#include <cstdint>
#include <memory>

namespace tickd::ws {

class Server;
struct SessionStats;

class WsBroadcast : public Observer {
 public:
  WsBroadcast();
  ~WsBroadcast() override;

  static ConfigSchema config_schema();

  void start(Host& host) override;
  void on_candle(const Candle& candle) override;
  void on_signal(const Signal& signal) override;
  void stop() override;

  // The bound port (useful with listen port 0); 0 before start.
  std::uint16_t port() const;
  SessionStats stats() const;

 private:
  std::unique_ptr<Server> server_;
};

// <folder of the library holding this code>/ws_broadcast_web
std::string default_web_root();

}  // namespace tickd::ws
