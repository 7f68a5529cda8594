#include "storage_common/candle_json.hpp"

#include <tickd/wire.hpp>

namespace tickd::storage {

std::string candle_to_json(const Candle& c) { return wire::to_json(c); }

std::optional<Candle> candle_from_json(std::string_view json) {
  wire::FlatObject object;
  wire::Event event;
  std::string error;
  if (!object.parse(json, wire::kDefaultMaxBytes, error)) return std::nullopt;
  if (!object.find("v") && !object.find("type")) {
    // Written before the shared codec: the same candle fields, unversioned.
    std::string versioned = "{\"v\":1,\"type\":\"candle\",";
    const auto brace = json.find('{');
    versioned.append(json.substr(brace + 1));
    if (!object.parse(versioned, wire::kDefaultMaxBytes + versioned.size(), error)) return std::nullopt;
    if (!wire::Decoder::decode(object, event, error) || event.type != wire::Type::candle) return std::nullopt;
  } else if (!wire::Decoder::decode(object, event, error) || event.type != wire::Type::candle) {
    return std::nullopt;
  }
  event.candle.symbol = {};
  return event.candle;
}

}  // namespace tickd::storage
