#include "process/protocol.hpp"

#include <algorithm>

namespace tickd::core::protocol {

namespace {

bool fail(std::string& error, std::string message) {
  error = std::move(message);
  return false;
}

template <typename Int>
bool integer(const wire::FlatObject& obj, std::string_view key, Int& out, std::string& error) {
  const wire::JsonValue* v = obj.find(key);
  if (!v) return fail(error, "missing field '" + std::string(key) + "'");
  if (!wire::json_to_integer(*v, out))
    return fail(error, "field '" + std::string(key) + "' must be an integer in range");
  return true;
}

bool string(const wire::FlatObject& obj, std::string_view key, std::string_view& out, std::string& error) {
  const wire::JsonValue* v = obj.find(key);
  if (!v) return fail(error, "missing field '" + std::string(key) + "'");
  if (v->type != wire::JsonValue::Type::string)
    return fail(error, "field '" + std::string(key) + "' must be a string");
  out = v->text;
  return true;
}

int log_level(std::string_view name) {
  static const std::string_view names[] = {"trace", "debug", "info", "warn", "error"};
  for (int i = 0; i < 5; ++i)
    if (names[i] == name) return i;
  if (name == "warning") return 3;
  if (name == "critical") return 4;
  return -1;
}

}  // namespace

bool ChildMessageParser::parse(std::string_view line, ChildMessage& out, std::string& error) {
  if (!object_.parse(line, max_bytes_, error)) return false;
  std::string_view type;
  if (!string(object_, "type", type, error)) return false;
  if (type == "ack") {
    out.type = ChildMessageType::ack;
    return integer(object_, "seq", out.seq, error);
  }
  if (type == "signal") {
    out.type = ChildMessageType::signal;
    if (!wire::Decoder::decode(object_, event_, error)) return false;
    out.signal = std::move(event_.signal);
    return true;
  }
  if (type == "log" || type == "error") {
    out.type = type == "log" ? ChildMessageType::log : ChildMessageType::error;
    if (!string(object_, "message", out.text, error)) return false;
    if (out.type == ChildMessageType::error) {
      out.seq = 0;
      return !object_.find("seq") || integer(object_, "seq", out.seq, error);
    }
    out.level = 2;
    if (object_.find("level")) {
      std::string_view level;
      if (!string(object_, "level", level, error)) return false;
      out.level = log_level(level);
      if (out.level < 0) return fail(error, "field 'level' must be trace, debug, info, warn or error");
    }
    return true;
  }
  if (type == "history") {
    out.type = ChildMessageType::history;
    std::string_view interval;
    if (!integer(object_, "id", out.id, error) || !string(object_, "symbol", out.symbol, error) ||
        !string(object_, "interval", interval, error) || !integer(object_, "limit", out.limit, error))
      return false;
    auto parsed = Interval::parse(interval);
    if (!parsed)
      return fail(error, "field 'interval' must be an interval name (" + Interval::valid_names() + ")");
    out.interval = *parsed;
    return true;
  }
  if (type == "ready") {
    out.type = ChildMessageType::ready;
    return integer(object_, "protocol", out.protocol, error);
  }
  return fail(error, "unknown message type '" + std::string(type) + "'");
}

void append_hello(std::string& out, const Hello& hello) {
  out += "{\"type\":\"hello\",\"protocol\":";
  wire::append_integer(out, kVersion);
  out += ",\"observer\":";
  wire::append_string(out, hello.observer);
  out += ",\"config\":";
  out += hello.config_json.empty() ? "{}" : hello.config_json;
  out += ",\"symbols\":[";
  for (std::size_t i = 0; i < hello.symbols.size(); ++i) {
    if (i) out += ',';
    wire::append_string(out, hello.symbols[i]);
  }
  out += "],\"intervals\":[";
  bool first = true;
  for (auto s : hello.interval_seconds) {
    auto interval = Interval::from_seconds(s);
    if (!interval) continue;
    if (!first) out += ',';
    first = false;
    wire::append_string(out, interval->name());
  }
  out += "],\"history_capacity\":";
  wire::append_integer(out, hello.history_capacity);
  out += ",\"window\":";
  wire::append_integer(out, hello.window);
  out += "}\n";
}

void append_history_answer(std::string& out, std::uint64_t id, const std::vector<Candle>& candles,
                           std::string_view error) {
  out += "{\"type\":\"history\",\"id\":";
  wire::append_integer(out, id);
  out += ",\"count\":";
  wire::append_integer(out, error.empty() ? candles.size() : 0);
  if (!error.empty()) {
    out += ",\"error\":";
    wire::append_string(out, error);
  }
  out += "}\n";
  if (!error.empty()) return;
  for (const auto& c : candles) {
    wire::append(out, c);
    out += '\n';
  }
}

void append_stop(std::string& out) { out += "{\"type\":\"stop\"}\n"; }

}  // namespace tickd::core::protocol
