// The recorded Kite packets of ../shared/data/kite and helpers to build frames.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace tickd::core::testing {

using Bytes = std::vector<std::uint8_t>;

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline Bytes base64_decode(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  Bytes out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) continue;  // padding, line breaks
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

inline Bytes kite_recorded_packet(const std::string& name) {
  return base64_decode(read_text_file(std::string(TICKD_DATA_DIR) + "/kite/" + name));
}

inline void put_be16(Bytes& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

inline void put_be32(Bytes& out, std::uint32_t v) {
  put_be16(out, v >> 16);
  put_be16(out, v & 0xffff);
}

// A frame as the Kite ticker sends it: packet count, then length + packet each.
inline Bytes kite_frame(const std::vector<Bytes>& packets) {
  Bytes frame;
  put_be16(frame, static_cast<std::uint32_t>(packets.size()));
  for (const auto& packet : packets) {
    put_be16(frame, static_cast<std::uint32_t>(packet.size()));
    frame.insert(frame.end(), packet.begin(), packet.end());
  }
  return frame;
}

// Spec-built packets: big-endian int32 fields in order.
inline Bytes kite_packet(const std::vector<std::uint32_t>& fields) {
  Bytes packet;
  for (std::uint32_t field : fields) put_be32(packet, field);
  return packet;
}

// Overwrites the int32 at `offset` of a recorded packet (e.g. its volume).
inline void set_be32(Bytes& packet, std::size_t offset, std::uint32_t v) {
  packet[offset] = static_cast<std::uint8_t>(v >> 24);
  packet[offset + 1] = static_cast<std::uint8_t>(v >> 16);
  packet[offset + 2] = static_cast<std::uint8_t>(v >> 8);
  packet[offset + 3] = static_cast<std::uint8_t>(v);
}

}  // namespace tickd::core::testing
