// `${NAME}` in config strings, replaced from the process environment.
#pragma once

#include <string>
#include <string_view>

namespace tickd::core {

struct EnvSubstitution {
  std::string value;
  std::string error;  // empty on success, else e.g. "environment variable 'X' is not set"
};

// Replaces every `${NAME}` (NAME = [A-Za-z_][A-Za-z0-9_]*). A `${` that does not
// start a well-formed reference is an error rather than literal text, so that a
// typo such as `${PASSWORD` is reported instead of being used as a password.
EnvSubstitution substitute_env(std::string_view text);

}  // namespace tickd::core
