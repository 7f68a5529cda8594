#include "strategy_observer.hpp"

#include <string>

namespace tickd::strategy {

void StrategyObserver::start(Host& host) {
  host_ = &host;
  auto rules = parse_rules(host.config());
  const std::uint32_t limit = host.history_capacity() > 0 ? host.history_capacity() : 1000;
  Host* h = host_;
  engine_ = std::make_unique<StrategyEngine>(
      std::string(host.name()), std::move(rules),
      [h, limit](std::string_view symbol, Interval interval) { return h->history(symbol, interval, limit); });
  const std::size_t fed = engine_->warm_start(host.symbols(), host.intervals());
  host.info("strategy: " + std::to_string(engine_->rules().size()) + " rule(s), warmed with " +
            std::to_string(fed) + " closed candle(s) from history");
}

void StrategyObserver::on_candle(const Candle& candle) {
  if (!candle.closed || !engine_) return;
  for (const Signal& signal : engine_->on_closed(candle)) {
    if (host_->publish(signal)) {
      ++published_;
    } else if (refused_++ == 0) {
      host_->warn("strategy: the host refused a signal from " + signal.source +
                  "; further refusals are counted");
    }
  }
}

void StrategyObserver::stop() {
  if (!host_) return;
  host_->info("strategy: published " + std::to_string(published_) + " signal(s), " +
              std::to_string(refused_) + " refused");
}

}  // namespace tickd::strategy
