#include "feed/kite/kite_packet.hpp"

namespace tickd::core {
namespace {

constexpr std::uint32_t kSegmentCds = 3;  // NSE currency derivatives
constexpr std::uint32_t kSegmentBcd = 6;  // BSE currency derivatives
constexpr std::uint32_t kSegmentIndices = 9;

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((std::uint32_t{p[0]} << 8) | std::uint32_t{p[1]});
}

// Prices are signed on the wire (a commodity can trade below zero).
double price_at(const std::uint8_t* packet, std::size_t offset, double divisor) {
  return static_cast<std::int32_t>(be32(packet + offset)) / divisor;
}

TimeMs seconds_at(const std::uint8_t* packet, std::size_t offset) {
  return static_cast<TimeMs>(be32(packet + offset)) * 1000;
}

void decode_depth(const std::uint8_t* depth, double divisor, KitePacket& out) {
  constexpr std::size_t kLevelBytes = 12;
  for (std::size_t i = 0; i < 10; ++i) {
    const std::uint8_t* level = depth + i * kLevelBytes;
    KiteDepthLevel& dst = i < 5 ? out.buy[i] : out.sell[i - 5];
    dst.quantity = be32(level);
    dst.price = price_at(level, 4, divisor);
    dst.orders = be16(level + 8);
  }
}

}  // namespace

double kite_price_divisor(std::uint32_t instrument_token) {
  switch (instrument_token & 0xff) {
    case kSegmentCds:
      return 10000000.0;
    case kSegmentBcd:
      return 10000.0;
    default:
      return 100.0;
  }
}

bool decode_kite_packet(const std::uint8_t* data, std::size_t size, KitePacket& out) {
  if (size != kKiteLtpPacketSize && size != kKiteIndexQuotePacketSize && size != kKiteIndexFullPacketSize &&
      size != kKiteQuotePacketSize && size != kKiteFullPacketSize)
    return false;
  out = KitePacket{};
  out.instrument_token = be32(data);
  out.tradable = (out.instrument_token & 0xff) != kSegmentIndices;
  const double divisor = kite_price_divisor(out.instrument_token);
  out.last_price = price_at(data, 4, divisor);

  if (size == kKiteLtpPacketSize) {
    out.mode = KitePacketMode::ltp;
    return true;
  }
  if (size == kKiteIndexQuotePacketSize || size == kKiteIndexFullPacketSize) {
    out.mode = size == kKiteIndexQuotePacketSize ? KitePacketMode::index_quote : KitePacketMode::index_full;
    out.high = price_at(data, 8, divisor);
    out.low = price_at(data, 12, divisor);
    out.open = price_at(data, 16, divisor);
    out.close = price_at(data, 20, divisor);
    out.change = out.last_price - out.close;
    if (size == kKiteIndexFullPacketSize) out.exchange_timestamp = seconds_at(data, 28);
    return true;
  }
  out.mode = size == kKiteQuotePacketSize ? KitePacketMode::quote : KitePacketMode::full;
  out.last_traded_quantity = be32(data + 8);
  out.average_traded_price = price_at(data, 12, divisor);
  out.volume_traded = be32(data + 16);
  out.total_buy_quantity = be32(data + 20);
  out.total_sell_quantity = be32(data + 24);
  out.open = price_at(data, 28, divisor);
  out.high = price_at(data, 32, divisor);
  out.low = price_at(data, 36, divisor);
  out.close = price_at(data, 40, divisor);
  out.change = out.last_price - out.close;
  if (size == kKiteFullPacketSize) {
    out.last_trade_time = seconds_at(data, 44);
    out.oi = be32(data + 48);
    out.oi_day_high = be32(data + 52);
    out.oi_day_low = be32(data + 56);
    out.exchange_timestamp = seconds_at(data, 60);
    decode_depth(data + 64, divisor, out);
  }
  return true;
}

}  // namespace tickd::core
