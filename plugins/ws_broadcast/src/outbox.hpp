// One client's pending output and the policy for a client that reads slowly.
//
// Frames wait here until the client's previous write has drained; then
// everything pending goes out as one write (one syscall carries many frames).
// The backlog is what waits here plus what websocketpp still holds:
// - up to the soft limit every update is kept;
// - past it, an update replaces the pending update of the same candle (same
//   series and open time), so the client gets only the latest state and every
//   candle's final state, and memory grows only with new candles;
// - past the hard limit push() returns false and the caller closes the client.
#pragma once

#include "frame.hpp"

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace tickd::ws {

class Outbox {
 public:
  struct Limits {
    std::size_t soft_bytes;
    std::size_t hard_bytes;
  };

  // 0 means "never coalesce" (signals, acks).
  static std::uint64_t candle_key(std::uint32_t series, std::int64_t open_time_ms) {
    return (static_cast<std::uint64_t>(series) + 1) << 40 |
           (static_cast<std::uint64_t>(open_time_ms / 1000) & ((std::uint64_t(1) << 40) - 1));
  }

  explicit Outbox(Limits limits) : limits_(limits) {}

  // `in_transport`: bytes websocketpp has queued for this client. Returns false
  // once the backlog is past the hard limit.
  bool push(const MessagePtr& frame, std::uint64_t key, std::size_t in_transport);

  // Appends the pending bytes, in order, as iovecs (header and payload of each
  // frame), at most `max_iov` of them: the caller writes them without copying.
  void gather(std::vector<iovec>& out, std::size_t max_iov) const;

  // Empties the outbox; returns the pending bytes from `offset` on (what a
  // short write left) copied into one prepared message, nullptr if none.
  MessagePtr take_from(std::size_t offset);

  void clear();
  bool empty() const { return entries_.empty(); }
  std::size_t bytes() const { return bytes_; }
  std::uint64_t coalesced() const { return coalesced_; }

 private:
  struct Entry {
    MessagePtr frame;
    std::size_t size;
    std::uint64_t key;
  };
  void build_index();

  Limits limits_;
  std::vector<Entry> entries_;
  // key -> position in entries_; built only once the soft limit is passed, so
  // a client that keeps up costs no hashing.
  std::unordered_map<std::uint64_t, std::size_t> index_;
  bool indexed_ = false;
  std::size_t bytes_ = 0;
  std::uint64_t coalesced_ = 0;
};

}  // namespace tickd::ws
