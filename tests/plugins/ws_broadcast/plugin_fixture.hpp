// Hosts WsBroadcast in-process on 127.0.0.1 with an ephemeral port, over a
// FakeHost with two symbols, three intervals and some history.
#pragma once

#include "sessions.hpp"
#include "ws_broadcast.hpp"

#include <tickd/testing/fake_host.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace tickd::ws::testing {

inline Interval iv(const char* name) { return *Interval::parse(name); }

inline Candle make_candle(std::string_view symbol, const char* interval, TimeMs open_time, double close,
                          bool closed = true) {
  Candle c;
  c.symbol = symbol;
  c.interval = iv(interval);
  c.open_time = open_time;
  c.open = close - 1;
  c.high = close + 2;
  c.low = close - 2;
  c.close = close;
  c.volume = 10;
  c.closed = closed;
  return c;
}

class PluginFixture {
 public:
  static constexpr TimeMs kBase = 1700000000000;  // a minute boundary

  explicit PluginFixture(nlohmann::json overrides = nlohmann::json::object(), int history = 10)
      : fake_("chart", config_with(overrides), {"BTCUSDT", "ETHUSDT"}, {iv("1s"), iv("1m"), iv("5m")}) {
    btc = fake_.intern("BTCUSDT");
    eth = fake_.intern("ETHUSDT");
    for (int i = 0; i < history; ++i)
      fake_.add_history(make_candle(btc, "1m", kBase + i * 60000, 100 + i, i + 1 < history));
    fake_.add_history(make_candle(eth, "1m", kBase, 50));
    fake_.add_history(make_candle(btc, "1s", kBase, 100));
    fake_.add_history(make_candle(btc, "5m", kBase, 100));
    fake_.add_history(make_candle(eth, "1s", kBase, 50));
    fake_.add_history(make_candle(eth, "5m", kBase, 50));
    fake_.set_status({{"feed", {{"state", "connected"}}}});
  }
  ~PluginFixture() { plugin.stop(); }

  void start() { plugin.start(fake_.host()); }
  std::uint16_t port() const { return plugin.port(); }
  tickd::testing::FakeHost& fake() { return fake_; }

  static nlohmann::json config_with(const nlohmann::json& overrides) {
    nlohmann::json c = {{"listen", "127.0.0.1:0"},
                        {"default_symbol", "BTCUSDT"},
                        {"default_interval", "1m"},
                        {"web_root", std::string(TICKD_SOURCE_DIR) + "/plugins/ws_broadcast/web"}};
    for (const auto& item : overrides.items()) {
      if (item.value().is_null())
        c.erase(item.key());
      else
        c[item.key()] = item.value();
    }
    return c;
  }

  std::string_view btc, eth;
  tickd::testing::FakeHost fake_;
  WsBroadcast plugin;
};

}  // namespace tickd::ws::testing
