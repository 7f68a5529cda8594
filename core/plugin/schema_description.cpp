#include "plugin/schema_description.hpp"

#include <tickd/duration.hpp>

#include <algorithm>

namespace tickd::core {

namespace {

using nlohmann::json;

std::string number_text(const json& v) {
  if (v.is_number_float()) {
    const double x = v.get<double>();
    if (x == static_cast<double>(static_cast<long long>(x))) return std::to_string(static_cast<long long>(x));
  }
  return v.dump();
}

std::string bound_text(const json& node, const char* key) {
  const json& v = node[key];
  return node.value("type", "") == "duration" ? format_duration(v.get<std::int64_t>()) : number_text(v);
}

std::string range_text(const json& node) {
  const bool lo = node.contains("min"), hi = node.contains("max");
  const bool xlo = node.value("exclusive_min", false), xhi = node.value("exclusive_max", false);
  if (lo && hi && !xlo && !xhi) return " " + bound_text(node, "min") + ".." + bound_text(node, "max");
  std::string out;
  if (lo) out += std::string(xlo ? " > " : " >= ") + bound_text(node, "min");
  if (hi) out += std::string(lo ? "," : "") + (xhi ? " < " : " <= ") + bound_text(node, "max");
  return out;
}

std::string type_text(const json& node) {
  const std::string type = node.value("type", "any");
  if (type == "integer" || type == "number" || type == "duration") return type + range_text(node);
  if (type == "string") return node.value("min", 0) >= 1 ? "non-empty string" : "string";
  if (type == "choice") {
    std::string out = "one of ";
    const auto values = node.value("values", std::vector<std::string>{});
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + values[i];
    return out;
  }
  if (type == "list") {
    std::string out = "list of " + type_text(node.value("items", json{{"type", "any"}}));
    if (node.value("min", 0) >= 1) out += ", not empty";
    return out;
  }
  if (type == "object" || type == "variant") return "mapping";
  if (type == "map") return "mapping of names to " + type_text(node.value("values", json{{"type", "any"}}));
  return type;
}

std::string default_text(const json& node) {
  if (node.value("required", false)) return "required";
  if (!node.contains("default")) return "-";
  const json& d = node["default"];
  if (d.is_string()) {
    const std::string text = d.get<std::string>();
    // A multi-line default (a message template) is shown escaped, on one line.
    const bool control = std::any_of(text.begin(), text.end(), [](char c) { return c >= 0 && c < 0x20; });
    return text.empty() || control ? d.dump() : text;
  }
  return number_text(d);
}

void describe_keys(const json& keys, const std::string& prefix, const std::string& note,
                   std::vector<SchemaRow>& rows);

// The rows a value of this type adds below `name` (an object's keys, a list's items).
void describe_children(const json& node, const std::string& name, const std::string& note,
                       std::vector<SchemaRow>& rows) {
  const std::string type = node.value("type", "any");
  if (type == "object") {
    describe_keys(node.value("keys", json::array()), name + ".", note, rows);
  } else if (type == "list") {
    describe_children(node.value("items", json::object()), name + "[]", note, rows);
  } else if (type == "variant") {
    const std::string tag = node.value("tag", "type");
    std::vector<std::string> names;
    for (const auto& v : node.value("variants", json::array())) names.push_back(v.value("name", ""));
    json tag_node = {{"type", "choice"}, {"values", names}, {"required", true}};
    rows.push_back({name + "." + tag, type_text(tag_node), "required", note + "Selects the other keys"});
    for (const auto& v : node.value("variants", json::array())) {
      const std::string vname = v.value("name", "");
      rows.push_back({name + " (" + tag + ": " + vname + ")", "mapping", "-", v.value("description", "")});
      describe_keys(v.value("keys", json::array()), name + ".", note + vname + ": ", rows);
    }
  }
}

void describe_keys(const json& keys, const std::string& prefix, const std::string& note,
                   std::vector<SchemaRow>& rows) {
  for (const auto& key : keys) {
    const std::string name = prefix + key.value("name", "");
    rows.push_back({name, type_text(key), default_text(key), note + key.value("description", "")});
    describe_children(key, name, note, rows);
  }
}

std::string cell(std::string text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::vector<SchemaRow> describe_schema(const json& schema) {
  std::vector<SchemaRow> rows;
  describe_keys(schema.value("keys", json::array()), "", "", rows);
  return rows;
}

std::string schema_table_text(const std::vector<SchemaRow>& rows) {
  std::size_t wk = 3, wt = 4, wd = 7;
  for (const auto& r : rows) {
    wk = std::max(wk, r.key.size());
    wt = std::max(wt, r.type.size());
    wd = std::max(wd, r.default_text.size());
  }
  auto pad = [](const std::string& s, std::size_t w) { return s + std::string(w - s.size() + 2, ' '); };
  std::string out = "  " + pad("KEY", wk) + pad("TYPE", wt) + pad("DEFAULT", wd) + "DESCRIPTION\n";
  for (const auto& r : rows)
    out += "  " + pad(r.key, wk) + pad(r.type, wt) + pad(r.default_text, wd) + r.description + "\n";
  return out;
}

std::string schema_table_markdown(const std::vector<SchemaRow>& rows) {
  std::string out = "| Key | Type | Default | Description |\n|---|---|---|---|\n";
  for (const auto& r : rows)
    out += "| `" + cell(r.key) + "` | " + cell(r.type) + " | " +
           (r.default_text == "-" || r.default_text == "required" ? r.default_text
                                                                  : "`" + cell(r.default_text) + "`") +
           " | " + cell(r.description) + " |\n";
  return out;
}

}  // namespace tickd::core
