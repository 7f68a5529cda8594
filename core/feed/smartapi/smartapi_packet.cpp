#include "feed/smartapi/smartapi_packet.hpp"

#include <cstring>

namespace tickd::core {
namespace {

constexpr std::size_t kTokenOffset = 2;
constexpr std::size_t kBestFiveOffset = 147;
constexpr std::size_t kBestFiveLevelBytes = 20;
constexpr std::size_t kBestFiveLevels = 10;

std::uint64_t le64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::int64_t int64_at(const std::uint8_t* packet, std::size_t offset) {
  return static_cast<std::int64_t>(le64(packet + offset));
}

std::int16_t int16_at(const std::uint8_t* packet, std::size_t offset) {
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(packet[offset] | (packet[offset + 1] << 8)));
}

double double_at(const std::uint8_t* packet, std::size_t offset) {
  const std::uint64_t bits = le64(packet + offset);
  double value = 0;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

double price_at(const std::uint8_t* packet, std::size_t offset, double divisor) {
  return static_cast<double>(int64_at(packet, offset)) / divisor;
}

// The token is printable ASCII followed by NUL padding up to 25 bytes.
bool read_token(const std::uint8_t* packet, std::string_view& out) {
  const char* token = reinterpret_cast<const char*>(packet + kTokenOffset);
  std::size_t length = 0;
  while (length < kSmartApiTokenBytes && token[length] != '\0') {
    const auto c = static_cast<unsigned char>(token[length]);
    if (c < 0x21 || c > 0x7e) return false;
    ++length;
  }
  for (std::size_t i = length; i < kSmartApiTokenBytes; ++i)
    if (token[i] != '\0') return false;
  if (length == 0) return false;
  out = std::string_view(token, length);
  return true;
}

void decode_best_five(const std::uint8_t* packet, double divisor, SmartApiPacket& out) {
  for (std::size_t i = 0; i < kBestFiveLevels; ++i) {
    const std::size_t at = kBestFiveOffset + i * kBestFiveLevelBytes;
    SmartApiDepthLevel level;
    level.flag = int16_at(packet, at);
    level.quantity = int64_at(packet, at + 2);
    level.price = price_at(packet, at + 10, divisor);
    level.orders = int16_at(packet, at + 18);
    if (level.flag == 1) {
      if (out.buy_levels < out.buy.size()) out.buy[out.buy_levels++] = level;
    } else {
      if (out.sell_levels < out.sell.size()) out.sell[out.sell_levels++] = level;
    }
  }
}

}  // namespace

double smartapi_default_price_divisor(std::uint8_t exchange_type) {
  return exchange_type == smartapi_exchange::cde_fo ? 10000000.0 : 100.0;
}

bool decode_smartapi_packet(const std::uint8_t* data, std::size_t size, double price_divisor,
                            SmartApiPacket& out, std::string_view& error) {
  if (size < kSmartApiLtpPacketSize) {
    error = "packet too short";
    return false;
  }
  std::size_t expected = 0;
  switch (data[0]) {
    case 1:
      expected = kSmartApiLtpPacketSize;
      break;
    case 2:
      expected = kSmartApiQuotePacketSize;
      break;
    case 3:
      expected = kSmartApiSnapQuotePacketSize;
      break;
    default:
      error = "bad subscription mode";
      return false;
  }
  if (size != expected) {
    error = "packet size does not match mode";
    return false;
  }
  out = SmartApiPacket{};
  out.mode = static_cast<SmartApiMode>(data[0]);
  out.exchange_type = data[1];
  if (!read_token(data, out.token)) {
    error = "bad token";
    return false;
  }
  const double divisor =
      price_divisor > 0 ? price_divisor : smartapi_default_price_divisor(out.exchange_type);
  out.sequence_number = int64_at(data, 27);
  out.exchange_timestamp = int64_at(data, 35);
  out.last_traded_price = price_at(data, 43, divisor);
  if (out.mode == SmartApiMode::ltp) return true;

  out.last_traded_quantity = int64_at(data, 51);
  out.average_traded_price = price_at(data, 59, divisor);
  out.volume = int64_at(data, 67);
  out.total_buy_quantity = double_at(data, 75);
  out.total_sell_quantity = double_at(data, 83);
  out.open = price_at(data, 91, divisor);
  out.high = price_at(data, 99, divisor);
  out.low = price_at(data, 107, divisor);
  out.close = price_at(data, 115, divisor);
  if (out.mode == SmartApiMode::quote) return true;

  out.last_traded_timestamp = int64_at(data, 123);
  out.open_interest = int64_at(data, 131);
  out.open_interest_change_percent = double_at(data, 139);
  decode_best_five(data, divisor, out);
  out.upper_circuit = price_at(data, 347, divisor);
  out.lower_circuit = price_at(data, 355, divisor);
  out.week52_high = price_at(data, 363, divisor);
  out.week52_low = price_at(data, 371, divisor);
  return true;
}

}  // namespace tickd::core
