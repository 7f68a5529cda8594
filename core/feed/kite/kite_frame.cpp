#include "feed/kite/kite_frame.hpp"

namespace tickd::core {
namespace {

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((std::uint32_t{p[0]} << 8) | std::uint32_t{p[1]});
}

}  // namespace

KiteFrameReader::KiteFrameReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {
  if (size < 2) {
    heartbeat_ = true;
    return;
  }
  count_ = be16(data);
}

bool KiteFrameReader::next(const std::uint8_t*& packet, std::size_t& packet_size) {
  if (heartbeat_ || !error_.empty()) return false;
  if (read_ == count_) {
    if (offset_ != size_) error_ = "trailing bytes after packets";
    return false;
  }
  if (size_ - offset_ < 2) {
    error_ = "truncated frame";
    return false;
  }
  const std::size_t length = be16(data_ + offset_);
  if (size_ - offset_ - 2 < length) {
    error_ = "truncated frame";
    return false;
  }
  packet = data_ + offset_ + 2;
  packet_size = length;
  offset_ += 2 + length;
  ++read_;
  return true;
}

}  // namespace tickd::core
