// Where every tick the feed took in went, told in the daemon's last log line:
// feed ticks = aggregated + rejected by the gate (at shutdown among them), so
// that an operator (and the soak and fault tests) can check it adds up.
#pragma once

#include "feed/tick_gate.hpp"

#include <cstdint>
#include <string>

namespace tickd::core {

// "ticks: 120 in = 100 aggregated + 20 rejected (3 at shutdown)"; "(... does
// not add up)" is appended when it does not, which would be a bug.
std::string tick_account(std::uint64_t feed_ticks, std::uint64_t aggregated, const GateStats& gate);

}  // namespace tickd::core
