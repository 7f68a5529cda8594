#include "config/env_substitution.hpp"

#include <cstdlib>

namespace tickd::core {

namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

EnvSubstitution substitute_env(std::string_view text) {
  EnvSubstitution out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find("${", pos);
    if (start == std::string_view::npos) {
      out.value.append(text.substr(pos));
      break;
    }
    out.value.append(text.substr(pos, start - pos));
    const std::size_t end = text.find('}', start + 2);
    if (end == std::string_view::npos) {
      out.error = "unterminated '${' (expected '${NAME}')";
      return out;
    }
    const std::string_view name = text.substr(start + 2, end - start - 2);
    bool valid = !name.empty() && is_name_start(name.front());
    for (char c : name) valid = valid && is_name_char(c);
    if (!valid) {
      out.error = "invalid environment variable name '" + std::string(name) + "'";
      return out;
    }
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) {
      out.error = "environment variable '" + std::string(name) + "' is not set";
      return out;
    }
    out.value.append(value);
    pos = end + 1;
  }
  return out;
}

}  // namespace tickd::core
