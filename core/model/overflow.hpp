// What an observer's full queue does (YAML `overflow:`): `block` makes the
// feed wait (lossless), `drop_ticks` refuses ticks and candle updates while
// closed candles and signals still wait for room. The ABI hands the same
// choice to the plugin as TICKD_OVERFLOW_*.
#pragma once

namespace tickd::core {

enum class Overflow { block, drop_ticks };

}  // namespace tickd::core
