// What a WebSocket client may ask for, parsed from its JSON message. Requests are
// all-or-nothing: one unknown symbol or interval refuses the whole message.
#pragma once

#include "payloads.hpp"
#include "series_table.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tickd::ws {

struct SubscriptionRequest {
  enum class Op { add, remove, replace };
  Op op = Op::add;
  std::vector<SeriesId> series;
  std::string error;  // non-empty: refused, with the reason to send back
};

// /ws/candles: {"symbol","interval"}, {"subscriptions":[...]} or
// {"action":"subscribe"|"unsubscribe","symbol","interval"}.
// /ws: {"type":"subscription","data":{"action","symbols":[...],"timeframes":[...]}}.
SubscriptionRequest parse_request(Stream stream, std::string_view text, const SeriesTable& table);

// The acknowledgement listing the client's subscriptions after a change.
std::string subscribed_message(Stream stream, const std::vector<SeriesId>& current, const SeriesTable& table);

}  // namespace tickd::ws
