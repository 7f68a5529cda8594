#include "config/yaml_to_json.hpp"

#include <tickd/config_validation.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <regex>

namespace tickd::core {

namespace {

bool is_plain(const YAML::Node& node) { return node.Tag() == "?"; }

std::optional<nlohmann::json> plain_integer(const std::string& text) {
  static const std::regex decimal("[-+]?[0-9]+");
  static const std::regex octal("0o[0-7]+");
  static const std::regex hex("0x[0-9a-fA-F]+");
  int base = 0;
  std::size_t skip = 0;
  if (std::regex_match(text, decimal)) {
    base = 10;
  } else if (std::regex_match(text, octal)) {
    base = 8;
    skip = 2;
  } else if (std::regex_match(text, hex)) {
    base = 16;
    skip = 2;
  } else {
    return std::nullopt;
  }
  const char* digits = text.c_str() + skip;
  errno = 0;
  const long long value = std::strtoll(digits, nullptr, base);
  if (errno == 0) return nlohmann::json(static_cast<std::int64_t>(value));
  if (text[0] != '-') {
    errno = 0;
    const unsigned long long big = std::strtoull(digits, nullptr, base);
    if (errno == 0) return nlohmann::json(static_cast<std::uint64_t>(big));
  }
  // Too large for any integer type: keep the magnitude rather than fail.
  return nlohmann::json(std::strtod(text.c_str(), nullptr));
}

std::optional<nlohmann::json> plain_float(const std::string& text) {
  static const std::regex number("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  static const std::regex inf("[-+]?\\.(inf|Inf|INF)");
  static const std::regex nan("\\.(nan|NaN|NAN)");
  if (std::regex_match(text, number)) return nlohmann::json(std::strtod(text.c_str(), nullptr));
  // JSON has no infinity or NaN; nlohmann stores them but dumps null, which is
  // what a plugin would see over the C ABI anyway.
  if (std::regex_match(text, inf))
    return nlohmann::json(text[0] == '-' ? -std::numeric_limits<double>::infinity()
                                         : std::numeric_limits<double>::infinity());
  if (std::regex_match(text, nan)) return nlohmann::json(std::numeric_limits<double>::quiet_NaN());
  return std::nullopt;
}

nlohmann::json plain_scalar(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (auto i = plain_integer(text)) return *i;
  if (auto f = plain_float(text)) return *f;
  return text;
}

}  // namespace

nlohmann::json yaml_to_json(ErrorCollector& errors, const Field& field, ConfigPositions* positions,
                            const std::string& pointer) {
  const YAML::Node& node = field.node;
  if (positions) positions->values[pointer] = field.mark;
  if (node.IsNull()) return nullptr;
  if (node.IsMap()) {
    nlohmann::json object = nlohmann::json::object();
    for (auto& entry : map_entries(errors, field)) {
      const std::string child = pointer + "/" + tickd::detail::pointer_token(entry.key);
      if (positions) positions->keys[child] = entry.key_mark;
      object[entry.key] = yaml_to_json(errors, entry.value, positions, child);
    }
    return object;
  }
  if (node.IsSequence()) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& item : read_list(errors, field).value_or(std::vector<Field>{}))
      array.push_back(yaml_to_json(errors, item, positions, pointer + "/" + std::to_string(array.size())));
    return array;
  }
  const std::string& raw = node.Scalar();
  if (is_plain(node) && raw.find("${") == std::string::npos) return plain_scalar(raw);
  return read_string(errors, field).value_or(std::string());
}

}  // namespace tickd::core
