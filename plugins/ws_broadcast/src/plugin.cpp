// The shared library's entry points: the only translation unit not in the
// static library, so tests can link everything else.
#include "ws_broadcast.hpp"

TICKD_PLUGIN(tickd::ws::WsBroadcast, "ws_broadcast", "1.0.0",
             "Live candles and signals over WebSocket and REST, with a candlestick chart page")
