// Example plugin: publishes a signal when a symbol's closed candle crosses a level.
//
//   observers:
//     - name: btc_level
//       plugin: price_alert
//       events: [candle_closed]
//       config: {symbol: BTCUSDT, level: 100}
//
// The class is in this header so the unit test (price_alert_test.cpp, with
// tickd::testing::FakeHost) and the plugin entry points (price_alert.cpp) share it.
#pragma once

#include <tickd/plugin.hpp>

#include <optional>
#include <string>

class PriceAlert : public tickd::Observer {
 public:
  // The daemon checks the `config:` block against this before start() (and in
  // `tickd --check-config`); `tickd --describe-plugin price_alert` prints it.
  static tickd::ConfigSchema config_schema() {
    namespace s = tickd::schema;
    return {
        s::number("level", "Price level whose crossing by a closed candle is signalled").required(),
        s::string("symbol", "Symbol to watch; empty: every symbol").default_value(""),
    };
  }

  void start(tickd::Host& host) override {
    host_ = &host;
    const tickd::ConfigView config = host.config_view(config_schema());
    symbol_ = config.string("symbol");
    level_ = config.number("level");
    host.info("watching " + (symbol_.empty() ? std::string("every symbol") : symbol_) + " around " +
              std::to_string(level_));
    // Stores have restored their history before start() runs, so the first
    // live candle can already be a crossing.
    if (!symbol_.empty() && !host.intervals().empty())
      for (const auto& c : host.history(symbol_, host.intervals().front(), 2))
        if (c.closed) was_above_ = c.close > level_;
  }

  void on_candle(const tickd::Candle& c) override {
    if (!c.closed || (!symbol_.empty() && c.symbol != symbol_)) return;
    bool above = c.close > level_;
    if (was_above_ && *was_above_ != above) {
      tickd::Signal s;
      s.symbol = std::string(c.symbol);
      s.interval = c.interval;
      s.time = c.open_time;
      s.side = above ? tickd::Side::buy : tickd::Side::sell;
      s.strength = 1;
      s.price = c.close;
      s.text = above ? "crossed above" : "crossed below";
      host_->publish(s);
      host_->info(std::string(c.symbol) + " " + s.text + " " + std::to_string(level_));
    }
    was_above_ = above;
  }

 private:
  tickd::Host* host_ = nullptr;
  std::string symbol_;
  double level_ = 0;
  std::optional<bool> was_above_;
};
