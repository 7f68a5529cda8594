// Counters that only one thread writes and others read (stats, /metrics).
#pragma once

#include <atomic>
#include <cstdint>

namespace tickd::core {

// Single writer: a relaxed load+store is a plain increment, not a locked one,
// and readers on other threads still see a whole value.
inline void bump(std::atomic<std::uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace tickd::core
