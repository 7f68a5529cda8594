#include "feed/smartapi/smartapi_messages.hpp"

namespace tickd::core {
namespace {

constexpr std::size_t kMaxCorrelationIdLength = 10;

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

std::string smartapi_subscription_message(bool subscribe, SmartApiMode mode,
                                          const std::vector<SmartApiTokenList>& token_lists,
                                          std::string_view correlation_id) {
  std::string out = "{\"correlationID\":";
  append_json_string(out, correlation_id.substr(0, kMaxCorrelationIdLength));
  out += ",\"action\":";
  out += subscribe ? '1' : '0';
  out += ",\"params\":{\"mode\":";
  out += std::to_string(static_cast<int>(mode));
  out += ",\"tokenList\":[";
  for (std::size_t i = 0; i < token_lists.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"exchangeType\":";
    out += std::to_string(token_lists[i].exchange_type);
    out += ",\"tokens\":[";
    for (std::size_t j = 0; j < token_lists[i].tokens.size(); ++j) {
      if (j > 0) out += ',';
      append_json_string(out, token_lists[i].tokens[j]);
    }
    out += "]}";
  }
  out += "]}}";
  return out;
}

}  // namespace tickd::core
