// A plugin's config schema as a table for people: `tickd --describe-plugin`
// and the key tables of docs/PLUGINS.md (generated from it).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tickd::core {

struct SchemaRow {
  std::string key;           // "tls.verify", "rules[].fast"
  std::string type;          // "integer 1..65535", "duration 0s..1m", "one of text, json"
  std::string default_text;  // "required", "-" (optional, no default), or the default as YAML text
  std::string description;
};

// Nested objects, list items and variants are flattened with dotted keys; a
// variant's keys say which variant they belong to.
std::vector<SchemaRow> describe_schema(const nlohmann::json& schema);

// Aligned columns, two spaces indented.
std::string schema_table_text(const std::vector<SchemaRow>& rows);
// A GitHub-flavoured Markdown table.
std::string schema_table_markdown(const std::vector<SchemaRow>& rows);

}  // namespace tickd::core
