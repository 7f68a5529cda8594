// What a storage plugin queues for its writer: a closed candle, a tick or a
// signal. Candle and Tick symbols view the host's symbol table, which the SDK
// guarantees outlives the plugin, so queued records need not copy them.
#pragma once

#include <tickd/types.hpp>

#include <variant>

namespace tickd::storage {

using Record = std::variant<Candle, Tick, Signal>;

}  // namespace tickd::storage
