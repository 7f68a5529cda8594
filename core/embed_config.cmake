# Writes INPUT (a YAML file) into OUTPUT as a C++ string, for the embedded default.
file(READ ${INPUT} content)
file(WRITE ${OUTPUT} "// Generated from config/tickd.yaml. Do not edit.\n#include <string_view>\nnamespace tickd::core {\nstd::string_view embedded_default_config() {\n  return R\"tickd_yaml(${content})tickd_yaml\";\n}\n}  // namespace tickd::core\n")
