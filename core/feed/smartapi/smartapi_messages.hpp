// Client -> server text messages of SmartAPI WebSocket V2.
#pragma once

#include "feed/smartapi/smartapi_packet.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tickd::core {

struct SmartApiTokenList {
  std::uint8_t exchange_type = smartapi_exchange::nse_cm;
  std::vector<std::string> tokens;
};

// {"correlationID":"tickd00001","action":1,"params":{"mode":3,
//  "tokenList":[{"exchangeType":1,"tokens":["2885","1594"]}]}}
// action 1 subscribes, 0 unsubscribes. The correlation id is echoed in error
// responses; Angel One allows at most 10 characters, so a longer one is cut.
// Tokens are JSON-escaped.
std::string smartapi_subscription_message(bool subscribe, SmartApiMode mode,
                                          const std::vector<SmartApiTokenList>& token_lists,
                                          std::string_view correlation_id);

// The client heartbeat (send every 30 s; the server answers "pong").
constexpr std::string_view kSmartApiHeartbeat = "ping";

}  // namespace tickd::core
