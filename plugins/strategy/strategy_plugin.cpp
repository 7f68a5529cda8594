// The shared library's entry points: the strategy observer as plugin "strategy".
#include "strategy_observer.hpp"

TICKD_PLUGIN(tickd::strategy::StrategyObserver, "strategy", "1.0.0",
             "Indicator rules (MA, RSI, Bollinger, MACD crosses) on closed candles that publish signals")
