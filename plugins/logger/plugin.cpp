#include "logger_observer.hpp"

TICKD_PLUGIN(tickd::logger::LoggerObserver, "logger", "1.0.0",
             "Writes ticks, candles and signals as text or JSON lines to stdout or a rotating file")
