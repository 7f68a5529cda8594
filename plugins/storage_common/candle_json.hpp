// The JSON form of a candle for the network stores (Redis values and PUBLISH
// payloads): the one wire form of tickd events (tickd/wire.hpp, "Event JSON,
// version 1" in docs/PROCESS_OBSERVERS.md), so storage, NATS and process
// observers carry the same object.
#pragma once

#include <tickd/types.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace tickd::storage {

std::string candle_to_json(const Candle& candle);

// Parses candle_to_json's output, and the values written before the shared
// codec (the same fields without "v" and "type"). The returned candle's
// `symbol` is empty (the text it would view dies with `json`); callers set it.
// nullopt on malformed input.
std::optional<Candle> candle_from_json(std::string_view json);

}  // namespace tickd::storage
