// UTF-8 facts the JSON writer and reader share: the length of a valid sequence
// (so invalid bytes are never passed through), and encoding a code point (for
// \u escapes read back).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tickd::wire::detail {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
inline std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t n;
  std::uint32_t cp;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    cp = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    cp = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

inline void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The bytes of `w` (8 bytes of a string, as loaded by memcpy) that need more
// than a copy: '"', '\\', a control character or not ASCII; bit 7 of each is
// set. Eight bytes a step instead of one, for the plain runs strings mostly
// are. A flag above a special byte may be spurious (a borrow), but the lowest
// flag is always a special byte, which is all first_special() needs.
inline std::uint64_t special_bytes(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
  const std::uint64_t zero_quote = (quote - ones) & ~quote;
  const std::uint64_t zero_backslash = (backslash - ones) & ~backslash;
  const std::uint64_t control = (w - ones * 0x20) & ~w;
  return (zero_quote | zero_backslash | control | w) & highs;
}

// Index of the first special byte of a non-zero special_bytes() mask; 0 where
// the byte order makes that unknowable cheaply (callers then look byte by
// byte from there, as they would anyway).
inline std::size_t first_special(std::uint64_t mask) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return static_cast<std::size_t>(__builtin_ctzll(mask)) / 8;
#else
  (void)mask;
  return 0;
#endif
}

}  // namespace tickd::wire::detail
