#include "app/tick_account.hpp"

#include <spdlog/spdlog.h>  // fmt::format, as the rest of core uses it

namespace tickd::core {

std::string tick_account(std::uint64_t feed_ticks, std::uint64_t aggregated, const GateStats& gate) {
  // Candles the gate refused are in its total too, but they are not ticks.
  const std::uint64_t rejected = gate.total() - gate.rejected[static_cast<int>(GateReason::candle)];
  const std::uint64_t at_shutdown = gate.rejected[static_cast<int>(GateReason::shutdown)];
  return fmt::format("ticks: {} in = {} aggregated + {} rejected ({} at shutdown){}", feed_ticks, aggregated,
                     rejected, at_shutdown, feed_ticks == aggregated + rejected ? "" : " (does not add up)");
}

}  // namespace tickd::core
