// What an observer lost over its life, told once when it stops (at shutdown or
// when a reload removes it), so that the exit status can count it.
#pragma once

#include "bus/dispatcher.hpp"

#include <cstdint>

namespace tickd::core {

// Logs "observer 'NAME' lost N records: <where they went>" when N > 0 and
// returns N: its `lost` figure, plus what it still held (its at-risk gauges)
// when it was abandoned at the deadline.
std::uint64_t report_losses(ObserverSnapshot final);

}  // namespace tickd::core
