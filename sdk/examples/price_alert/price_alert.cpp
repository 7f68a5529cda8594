// Example plugin: publishes a signal when a symbol's closed candle crosses a level.
//
//   observers:
//     - name: btc_level
//       plugin: price_alert
//       events: [candle_closed]
//       config: {symbol: BTCUSDT, level: 100}
#include <tickd/plugin.hpp>

#include <optional>
#include <stdexcept>

class PriceAlert : public tickd::Observer {
 public:
  void start(tickd::Host& host) override {
    host_ = &host;
    auto config = host.config();
    if (!config.contains("level")) throw std::runtime_error("config 'level' is required");
    symbol_ = config.value("symbol", "");
    level_ = config["level"].get<double>();
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

TICKD_PLUGIN(PriceAlert, "price_alert", "1.0.0", "Signals when a closed candle crosses a price level")
