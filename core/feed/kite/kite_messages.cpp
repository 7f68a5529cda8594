#include "feed/kite/kite_messages.hpp"

namespace tickd::core {
namespace {

void append_tokens(std::string& out, const std::vector<std::uint32_t>& tokens) {
  out += '[';
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(tokens[i]);
  }
  out += ']';
}

std::string action_message(std::string_view action, const std::vector<std::uint32_t>& tokens) {
  std::string out = "{\"a\":\"";
  out += action;
  out += "\",\"v\":";
  append_tokens(out, tokens);
  out += '}';
  return out;
}

}  // namespace

std::string_view kite_mode_name(KiteMode mode) {
  switch (mode) {
    case KiteMode::ltp:
      return "ltp";
    case KiteMode::quote:
      return "quote";
    case KiteMode::full:
      return "full";
  }
  return "full";
}

bool parse_kite_mode(std::string_view name, KiteMode& out) {
  for (KiteMode mode : {KiteMode::ltp, KiteMode::quote, KiteMode::full}) {
    if (kite_mode_name(mode) == name) {
      out = mode;
      return true;
    }
  }
  return false;
}

std::string kite_subscribe_message(const std::vector<std::uint32_t>& tokens) {
  return action_message("subscribe", tokens);
}

std::string kite_unsubscribe_message(const std::vector<std::uint32_t>& tokens) {
  return action_message("unsubscribe", tokens);
}

std::string kite_mode_message(KiteMode mode, const std::vector<std::uint32_t>& tokens) {
  std::string out = "{\"a\":\"mode\",\"v\":[\"";
  out += kite_mode_name(mode);
  out += "\",";
  append_tokens(out, tokens);
  out += "]}";
  return out;
}

}  // namespace tickd::core
