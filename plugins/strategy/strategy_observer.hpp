// The strategy observer: reads its rules from the config, warms them from the
// host's history and publishes a Signal for every firing on a closed candle.
#pragma once

#include "strategy_engine.hpp"

#include <tickd/plugin.hpp>

#include <memory>

namespace tickd::strategy {

class StrategyObserver : public Observer {
 public:
  static ConfigSchema config_schema() { return strategy::config_schema(); }

  void start(Host& host) override;
  void on_candle(const Candle& candle) override;
  void stop() override;

  const StrategyEngine* engine() const { return engine_.get(); }

 private:
  Host* host_ = nullptr;
  std::unique_ptr<StrategyEngine> engine_;
  std::uint64_t published_ = 0;
  std::uint64_t refused_ = 0;
};

}  // namespace tickd::strategy
