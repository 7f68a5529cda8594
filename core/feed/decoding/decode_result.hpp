// The outcome of decoding one broker message, shared by every protocol decoder
// so that a feed counts all brokers the same way.
#pragma once

namespace tickd::core {

enum class DecodeResult {
  ok,       // understood; ticks, candles or notices (possibly none) went to the sink
  ignored,  // well-formed but of no use to tickd (depth, book ticker, heartbeat)
  error     // malformed or unusable (unknown symbol); DecodeError says why
};

}  // namespace tickd::core
