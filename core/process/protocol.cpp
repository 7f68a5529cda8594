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

bool ChildMessageParser::parse_metric(ChildMessage& out, std::string& error) {
  out.type = ChildMessageType::metric;
  ObserverMetric& m = out.metric;
  std::string_view name, help, kind, label_name, label_value;
  if (!string(object_, "name", name, error) || !string(object_, "help", help, error) ||
      !string(object_, "kind", kind, error))
    return false;
  if (kind != "counter" && kind != "gauge") return fail(error, "field 'kind' must be counter or gauge");
  if (name.empty() || name.size() > 100 || !(name[0] >= 'a' && name[0] <= 'z') ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string_view::npos)
    return fail(error, "field 'name' must match [a-z][a-z0-9_]* (at most 100 bytes)");
  const wire::JsonValue* value = object_.find("value");
  if (!value || !wire::json_to_double(*value, m.value)) return fail(error, "field 'value' must be a number");
  const wire::JsonValue* loss = object_.find("loss");
  if (loss && loss->type != wire::JsonValue::Type::boolean)
    return fail(error, "field 'loss' must be a boolean");
  if (object_.find("label") &&
      (!string(object_, "label", label_name, error) || !string(object_, "label_value", label_value, error)))
    return false;
  m.name.assign(name);
  m.help.assign(help.substr(0, 1000));
  m.counter = kind == "counter";
  m.loss = loss && loss->boolean;
  m.label_name.assign(label_name);
  m.label_value.assign(label_value);
  return true;
}

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
  if (type == "metrics") {
    out.type = ChildMessageType::metrics;
    return integer(object_, "count", out.count, error);
  }
  if (type == "metric") return parse_metric(out, error);
  if (type == "status") {
    out.type = ChildMessageType::status;
    return integer(object_, "id", out.id, error);
  }
  if (type == "config_error") {
    out.type = ChildMessageType::config_error;
    return integer(object_, "count", out.count, error);
  }
  if (type == "config_problem") {
    out.type = ChildMessageType::config_problem;
    if (!string(object_, "pointer", out.pointer, error) || !string(object_, "message", out.text, error))
      return false;
    const wire::JsonValue* at_key = object_.find("at_key");
    if (at_key && at_key->type != wire::JsonValue::Type::boolean)
      return fail(error, "field 'at_key' must be a boolean");
    out.at_key = at_key && at_key->boolean;
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
  wire::append_integer(out, kBaseVersion);
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
  out += "],\"protocols\":[";
  for (int v = kBaseVersion; v <= kVersion; ++v) {
    if (v != kBaseVersion) out += ',';
    wire::append_integer(out, v);
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

void append_metrics_request(std::string& out) { out += "{\"type\":\"metrics\"}\n"; }

void append_status_answer(std::string& out, std::uint64_t id, std::string_view status_json) {
  out += "{\"type\":\"status\",\"id\":";
  wire::append_integer(out, id);
  out += ",\"status\":";
  out += status_json.empty() ? "{}" : status_json;
  out += "}\n";
}

void append_metrics(std::string& out, const std::vector<ObserverMetric>& metrics) {
  out += "{\"type\":\"metrics\",\"count\":";
  wire::append_integer(out, metrics.size());
  out += "}\n";
  for (const auto& m : metrics) {
    out += "{\"type\":\"metric\",\"name\":";
    wire::append_string(out, m.name);
    out += ",\"help\":";
    wire::append_string(out, m.help);
    out += m.counter ? ",\"kind\":\"counter\",\"loss\":" : ",\"kind\":\"gauge\",\"loss\":";
    wire::append_bool(out, m.loss);
    out += ",\"value\":";
    wire::append_double(out, m.value);
    if (!m.label_name.empty()) {
      out += ",\"label\":";
      wire::append_string(out, m.label_name);
      out += ",\"label_value\":";
      wire::append_string(out, m.label_value);
    }
    out += "}\n";
  }
}

void append_status_request(std::string& out, std::uint64_t id) {
  out += "{\"type\":\"status\",\"id\":";
  wire::append_integer(out, id);
  out += "}\n";
}

}  // namespace tickd::core::protocol
