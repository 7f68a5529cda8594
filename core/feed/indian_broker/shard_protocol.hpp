// What a broker (Kite, SmartAPI) adds to one shard of its feed: the messages
// that subscribe the shard's instruments, a decoder that knows exactly those
// instruments, and the message that drops one of them (an expired contract).
#pragma once

#include "feed/decoding/decode_result.hpp"
#include "feed/decoding/decoded_sink.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tickd::core {

class ShardProtocol {
 public:
  virtual ~ShardProtocol() = default;
  // Sent on every (re)connect of the shard, in order.
  virtual std::vector<std::string> subscribe_messages() const = 0;
  // One frame into ticks for `sink`.
  virtual DecodeResult decode(std::string_view payload, bool binary, DecodedSink& sink,
                              DecodeError& error) = 0;
  // After a loss: snapshots before it say nothing about volume during it.
  virtual void reset() = 0;
  // Forgets `symbol` (not subscribed again) and returns the message that
  // unsubscribes it now; empty when the shard does not carry it.
  virtual std::string unsubscribe(SymbolId symbol) = 0;
};

}  // namespace tickd::core
