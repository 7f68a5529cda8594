// Reading JSON for the wire codec (tickd/wire.hpp) and protocol messages: a
// strict parser for the flat objects events and messages are. One object per
// call, with a size limit; values are strings, numbers, true, false or null.
// Nested objects and arrays (a later version's fields) are skipped with a depth
// limit. Anything else is an error with a message, never a crash or an
// exception. No allocation per message once the object's buffers are warm.
#pragma once

#include <tickd/wire/utf8.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace tickd::wire {

// Length of the JSON number at text[pos] (RFC 8259: no leading zeros, no
// bare '.', no '+'), or 0 when there is none.
inline std::size_t number_length(std::string_view text, std::size_t pos) {
  const std::size_t start = pos;
  auto digit = [&] { return pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; };
  auto eat = [&](char c) {
    if (pos < text.size() && text[pos] == c) return ++pos, true;
    return false;
  };
  eat('-');
  if (eat('0')) {
    // no leading zeros
  } else if (digit()) {
    while (digit()) ++pos;
  } else {
    return 0;
  }
  if (eat('.')) {
    if (!digit()) return 0;
    while (digit()) ++pos;
  }
  if (eat('e') || eat('E')) {
    if (!eat('+')) eat('-');
    if (!digit()) return 0;
    while (digit()) ++pos;
  }
  return pos - start;
}

struct JsonValue {
  enum class Type : std::uint8_t { string, number, boolean, null, nested };
  Type type = Type::null;
  std::string_view text;  // string: decoded contents; number: its literal; nested: raw text
  bool boolean = false;
};

struct JsonField {
  std::string_view key;  // decoded
  JsonValue value;
};

// A flat JSON object: parse() it, then look fields up by key. Views returned
// stay valid until the next parse() and while the parsed text lives.
class FlatObject {
 public:
  static constexpr std::size_t kMaxFields = 64;
  static constexpr int kMaxDepth = 16;

  // False with `error` set when `json` is not one object (surrounding white
  // space allowed) of at most `max_bytes` bytes and kMaxFields fields.
  bool parse(std::string_view json, std::size_t max_bytes, std::string& error) {
    fields_.clear();
    scratch_.clear();
    keys_seen_ = 0;
    duplicates_ = false;
    hint_ = 0;
    // Decoded strings are never longer than their source: reserving the whole
    // length up front means no view into scratch_ is moved by a reallocation.
    if (scratch_.capacity() < json.size()) scratch_.reserve(json.size());
    if (json.size() > max_bytes)
      return fail(error, "message of " + std::to_string(json.size()) + " bytes exceeds the limit of " +
                             std::to_string(max_bytes));
    text_ = json;
    pos_ = 0;
    skip_space();
    if (!eat('{')) return fail(error, "expected a JSON object");
    skip_space();
    if (!eat('}')) {
      for (;;) {
        skip_space();
        if (fields_.size() == kMaxFields) return fail(error, "more than 64 fields");
        // Filled in place: a field built aside and copied in costs a stalled
        // store-to-load forward per field.
        JsonField& field = fields_.emplace_back();
        if (!peek('"')) return fail(error, "expected a field name");
        if (!read_string(field.key, error)) return false;
        skip_space();
        if (!eat(':')) return fail(error, "expected ':' after a field name");
        skip_space();
        if (!read_value(field.value, 0, error)) return false;
        note_key(field.key);
        skip_space();
        if (eat(',')) continue;
        if (eat('}')) break;
        return fail(error, "expected ',' or '}'");
      }
    }
    skip_space();
    if (pos_ != text_.size()) return fail(error, "unexpected text after the object");
    return true;
  }

  // The last field of that name (as most JSON readers do), or nullptr.
  // Readers that look fields up in the order they were written (every
  // decoder of our own output) find each at the first probe. The hint makes
  // find() a writer: one thread at a time per object, as for parse().
  const JsonValue* find(std::string_view key) const {
    if (duplicates_) {
      for (auto it = fields_.rbegin(); it != fields_.rend(); ++it)
        if (same_key(it->key, key)) return &it->value;
      return nullptr;
    }
    const std::size_t n = fields_.size();
    for (std::size_t k = 0, i = hint_; k < n; ++k, ++i) {
      if (i >= n) i = 0;
      if (same_key(fields_[i].key, key)) {
        hint_ = i + 1;
        return &fields_[i].value;
      }
    }
    return nullptr;
  }
  const std::vector<JsonField>& fields() const { return fields_; }

 private:
  // Keys are short: comparing inline beats a call to memcmp per probe.
  static bool same_key(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  bool fail(std::string& error, std::string message) const {
    error = std::move(message);
    if (pos_ <= text_.size() && !text_.empty()) error += " at byte " + std::to_string(pos_);
    return false;
  }
  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool eat_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool read_hex4(std::uint32_t& out) {
    if (pos_ + 4 > text_.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      int d = hex_digit(text_[pos_ + static_cast<std::size_t>(k)]);
      if (d < 0) return false;
      out = (out << 4) | static_cast<std::uint32_t>(d);
    }
    pos_ += 4;
    return true;
  }

  // At the opening quote. Views into the text when there is no escape.
  bool read_string(std::string_view& out, std::string& error) {
    ++pos_;
    const std::size_t start = pos_;
    bool escaped = false;
    for (;;) {
      while (pos_ + 8 <= text_.size()) {
        std::uint64_t w;
        std::memcpy(&w, text_.data() + pos_, 8);
        if (const std::uint64_t special = detail::special_bytes(w)) {
          pos_ += detail::first_special(special);
          break;
        }
        pos_ += 8;
      }
      if (pos_ >= text_.size()) return fail(error, "unterminated string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c < 0x20) return fail(error, "control character in a string");
      if (c == '\\') {
        escaped = true;
        pos_ += 2;
        continue;
      }
      if (c >= 0x80) {
        std::size_t n = detail::utf8_sequence(text_, pos_);
        if (n == 0) return fail(error, "invalid UTF-8 in a string");
        pos_ += n;
        continue;
      }
      ++pos_;
    }
    const std::size_t end = pos_;
    ++pos_;
    if (!escaped) {
      out = text_.substr(start, end - start);
      return true;
    }
    const std::size_t from = scratch_.size();
    for (std::size_t i = start; i < end;) {
      char c = text_[i];
      if (c != '\\') {
        scratch_ += c;
        ++i;
        continue;
      }
      pos_ = i + 1;
      if (pos_ >= end) return fail(error, "bad escape in a string");
      char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          scratch_ += e;
          break;
        case 'b':
          scratch_ += '\b';
          break;
        case 'f':
          scratch_ += '\f';
          break;
        case 'n':
          scratch_ += '\n';
          break;
        case 'r':
          scratch_ += '\r';
          break;
        case 't':
          scratch_ += '\t';
          break;
        case 'u': {
          std::uint32_t cp;
          if (!read_hex4(cp)) return fail(error, "bad \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low;
            if (!eat_word("\\u") || !read_hex4(low) || low < 0xDC00 || low > 0xDFFF)
              return fail(error, "unpaired surrogate in a \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail(error, "unpaired surrogate in a \\u escape");
          }
          detail::append_utf8(scratch_, cp);
          break;
        }
        default:
          return fail(error, "bad escape in a string");
      }
      i = pos_;
    }
    pos_ = end + 1;
    out = std::string_view(scratch_.data() + from, scratch_.size() - from);
    return true;
  }

  bool read_number(std::string_view& out, std::string& error) {
    const std::size_t n = number_length(text_, pos_);
    if (n == 0) return fail(error, "bad number");
    out = text_.substr(pos_, n);
    pos_ += n;
    return true;
  }

  bool read_value(JsonValue& out, int depth, std::string& error) {
    if (pos_ >= text_.size()) return fail(error, "expected a value");
    const char c = text_[pos_];
    if (c == '"') {
      out.type = JsonValue::Type::string;
      return read_string(out.text, error);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      out.type = JsonValue::Type::number;
      return read_number(out.text, error);
    }
    if (eat_word("true") || eat_word("false")) {
      out.type = JsonValue::Type::boolean;
      out.boolean = c == 't';
      return true;
    }
    if (eat_word("null")) {
      out.type = JsonValue::Type::null;
      return true;
    }
    if (c == '{' || c == '[') {
      const std::size_t start = pos_;
      if (!skip_nested(depth + 1, error)) return false;
      out.type = JsonValue::Type::nested;
      out.text = text_.substr(start, pos_ - start);
      return true;
    }
    return fail(error, "expected a value");
  }

  // A nested object or array, validated and skipped.
  bool skip_nested(int depth, std::string& error) {
    if (depth > kMaxDepth) return fail(error, "nested deeper than 16 levels");
    const char close = text_[pos_] == '{' ? '}' : ']';
    const bool object = close == '}';
    ++pos_;
    skip_space();
    if (eat(close)) return true;
    for (;;) {
      skip_space();
      if (object) {
        std::string_view key;
        if (!peek('"')) return fail(error, "expected a field name");
        if (!read_string(key, error)) return false;
        skip_space();
        if (!eat(':')) return fail(error, "expected ':' after a field name");
        skip_space();
      }
      JsonValue ignored;
      if (!read_value(ignored, depth, error)) return false;
      skip_space();
      if (eat(',')) continue;
      if (eat(close)) return true;
      return fail(error, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  // Whether a key repeats, known exactly at little cost: a 64-bit filter of
  // the keys seen, and a scan of the earlier ones only when it says maybe.
  void note_key(std::string_view key) {
    const std::size_t h = key.empty() ? 0
                                      : key.size() * 7 + static_cast<unsigned char>(key.front()) +
                                            static_cast<unsigned char>(key.back()) * 3u;
    const std::uint64_t bit = std::uint64_t{1} << (h & 63);
    if ((keys_seen_ & bit) && !duplicates_)
      for (std::size_t i = 0; i + 1 < fields_.size(); ++i)  // the last is `key` itself
        if (fields_[i].key == key) duplicates_ = true;
    keys_seen_ |= bit;
  }

  std::vector<JsonField> fields_;
  std::string scratch_;
  std::uint64_t keys_seen_ = 0;
  bool duplicates_ = false;  // then find() takes the last of a name the slow way
  mutable std::size_t hint_ = 0;
};

// Typed reads of one value, for the codec and protocol messages.
inline bool json_to_double(const JsonValue& v, double& out) {
  if (v.type == JsonValue::Type::null) {
    out = std::nan("");  // how a non-finite value was written
    return true;
  }
  if (v.type != JsonValue::Type::number) return false;
  // Out of range (1e400) is an error: the writer never produces such literals.
  auto r = std::from_chars(v.text.data(), v.text.data() + v.text.size(), out);
  return r.ec == std::errc() && r.ptr == v.text.data() + v.text.size();
}

// Integers only: no fraction or exponent, and within the type's range.
template <typename Int>
inline bool json_to_integer(const JsonValue& v, Int& out) {
  if (v.type != JsonValue::Type::number) return false;
  auto r = std::from_chars(v.text.data(), v.text.data() + v.text.size(), out);
  return r.ec == std::errc() && r.ptr == v.text.data() + v.text.size();
}

}  // namespace tickd::wire
