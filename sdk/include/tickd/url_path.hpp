// Decoding an HTTP request path safely, for every HTTP front door of tickd (the
// admin endpoint, ws_broadcast) and for plugin authors who serve HTTP: one
// place decides what a malformed path is, and all of them answer it with 400.
// And percent-encoding, for the URLs and NATS subject tokens tickd writes.
// Header-only, standard library only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tickd {

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
inline bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p++;
    if (c < 0x80) continue;
    int more = 0;
    unsigned min = 0, code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1, min = 0x80, code = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2, min = 0x800, code = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3, min = 0x10000, code = c & 0x07u;
    } else {
      return false;  // a continuation byte first, C0/C1 (always overlong), or F5..FF
    }
    if (end - p < more) return false;
    for (int i = 0; i < more; ++i, ++p) {
      if ((*p & 0xC0) != 0x80) return false;
      code = (code << 6) | (*p & 0x3Fu);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
  }
  return true;
}

// `text` with every byte that `keep` refuses written as '%' and two upper-case
// hex digits: a query value (keep the RFC 3986 unreserved bytes), a subject
// token (keep what may stand in one).
template <typename Keep>
inline std::string percent_encode(std::string_view text, Keep keep) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (keep(c)) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// %XX escapes decoded ('+' as a space when `plus_is_space`, as in a query);
// nullopt for a '%' without two hex digits after it, or an escaped NUL.
inline std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

// The decoded path of a request target ("/a%20b?x=1" -> "/a b"); nullopt when
// the target does not start with '/', has a bad escape, or its path is not
// valid UTF-8 or holds a control character.
inline std::optional<std::string> decode_request_path(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  auto path = percent_decode(target.substr(0, target.find('?')), false);
  if (!path || !is_valid_utf8(*path)) return std::nullopt;
  for (char c : *path)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return std::nullopt;
  return path;
}

}  // namespace tickd
