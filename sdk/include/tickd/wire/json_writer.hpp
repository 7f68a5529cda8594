// Writing JSON values for the wire codec (tickd/wire.hpp) and protocol
// messages. Two forms of each: write_*(p, ...) into a buffer the caller sized
// (bounds below), for encoders that write a whole message with one resize;
// append_*(out, ...) onto a std::string, for everything else.
//
// Doubles are written in their shortest round-trip form (std::to_chars), so a
// double written and read back has the same bits; non-finite doubles, which
// JSON cannot carry, are written as null. Strings are escaped, and bytes that
// are not valid UTF-8 are replaced by U+FFFD so the output is always JSON.
#pragma once

#include <tickd/wire/utf8.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tickd::wire {

// The most any one value takes: "-2.2250738585072014e-308" is 24 characters,
// an int64 20; a string at most 6 per byte ("\u001f" or "\ufffd") and quotes.
inline constexpr std::size_t kMaxDoubleChars = 24;
inline constexpr std::size_t kMaxIntegerChars = 20;
inline constexpr std::size_t string_bound(std::string_view s) { return 6 * s.size() + 2; }

template <std::size_t N>
inline char* write_literal(char* p, const char (&text)[N]) {
  std::memcpy(p, text, N - 1);
  return p + N - 1;
}

inline char* write_double(char* p, double value) {
  if (!std::isfinite(value)) return write_literal(p, "null");
  return std::to_chars(p, p + kMaxDoubleChars, value).ptr;
}

template <typename Int>
inline char* write_integer(char* p, Int value) {
  return std::to_chars(p, p + kMaxIntegerChars, value).ptr;
}

inline char* write_bool(char* p, bool value) {
  return value ? write_literal(p, "true") : write_literal(p, "false");
}

inline char* write_string(char* p, std::string_view s) {
  *p++ = '"';
  std::size_t i = 0;
  while (i < s.size()) {
    if (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (!detail::special_bytes(w)) {
        std::memcpy(p, s.data() + i, 8);
        p += 8;
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      *p++ = static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t advance = 1;
    switch (c) {
      case '"':
        p = write_literal(p, "\\\"");
        break;
      case '\\':
        p = write_literal(p, "\\\\");
        break;
      case '\n':
        p = write_literal(p, "\\n");
        break;
      case '\r':
        p = write_literal(p, "\\r");
        break;
      case '\t':
        p = write_literal(p, "\\t");
        break;
      default:
        if (c < 0x20) {
          static const char hex[] = "0123456789abcdef";
          p = write_literal(p, "\\u00");
          *p++ = hex[c >> 4];
          *p++ = hex[c & 0xF];
        } else if (std::size_t n = detail::utf8_sequence(s, i)) {
          std::memcpy(p, s.data() + i, n);
          p += n;
          advance = n;
        } else {
          p = write_literal(p, "\\ufffd");
        }
    }
    i += advance;
  }
  *p++ = '"';
  return p;
}

// Room for up to `bound` characters at the end of `out`, trimmed to what was
// written by finish(): one resize per message instead of one append per piece.
class BoundedAppend {
 public:
  BoundedAppend(std::string& out, std::size_t bound) : out_(out), start_(out.size()) {
    out.resize(start_ + bound);
  }
  char* begin() { return &out_[start_]; }
  void finish(const char* end) { out_.resize(static_cast<std::size_t>(end - out_.data())); }

 private:
  std::string& out_;
  std::size_t start_;
};

inline void append_raw(std::string& out, std::string_view text) { out.append(text.data(), text.size()); }

inline void append_double(std::string& out, double value) {
  char buf[kMaxDoubleChars];
  out.append(buf, static_cast<std::size_t>(write_double(buf, value) - buf));
}

template <typename Int>
inline void append_integer(std::string& out, Int value) {
  char buf[kMaxIntegerChars];
  out.append(buf, static_cast<std::size_t>(write_integer(buf, value) - buf));
}

inline void append_bool(std::string& out, bool value) { out += value ? "true" : "false"; }

inline void append_string(std::string& out, std::string_view s) {
  BoundedAppend room(out, string_bound(s));
  room.finish(write_string(room.begin(), s));
}

}  // namespace tickd::wire
