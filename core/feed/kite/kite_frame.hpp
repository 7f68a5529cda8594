// Splits one Kite binary frame into its packets without copying:
// uint16 packet count, then per packet a uint16 length and the packet bytes
// (big-endian). Every length is checked against the frame before use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tickd::core {

class KiteFrameReader {
 public:
  // A frame shorter than 2 bytes is a heartbeat: is_heartbeat() is true and
  // next() returns false at once.
  KiteFrameReader(const std::uint8_t* data, std::size_t size);

  bool is_heartbeat() const { return heartbeat_; }
  std::uint16_t packet_count() const { return count_; }

  // The next packet; false at the end or when the frame is broken, in which
  // case error() is set ("truncated frame", "trailing bytes after packets").
  bool next(const std::uint8_t*& packet, std::size_t& packet_size);
  std::string_view error() const { return error_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t offset_ = 2;
  std::uint16_t count_ = 0;
  std::uint16_t read_ = 0;
  bool heartbeat_ = false;
  std::string_view error_;
};

}  // namespace tickd::core
