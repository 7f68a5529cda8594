// libFuzzer: a plugin's `config:` block checked against its declared schema
// (tickd/config_validation.hpp), the check `--check-config` and every start run
// on text an operator wrote, and on a schema a plugin sent through the ABI.
// First byte even: the input is a config (JSON) checked against a schema with
// every kind of key; odd: the input is a schema, used to check a fixed config.
// Neither may crash or throw; an accepted config must pass the check again.
#include <tickd/config_schema.hpp>
#include <tickd/config_validation.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

namespace s = tickd::schema;

const nlohmann::json& every_kind_of_key() {
  static const nlohmann::json schema = [] {
    std::vector<tickd::ConfigVariant> variants = {
        {"cross", "", {s::number("level", "").required().above(0), s::choice("side", {"up", "down"}, "")}},
        {"move",
         "",
         {s::number("percent", "").range(0.01, 100), s::duration("window", "").default_value("5m")}},
    };
    tickd::ConfigSchema schema{
        s::string("url", "").required().non_empty(),
        s::integer("port", "").range(1, 65535).default_value(8080),
        s::number("ratio", "").above(0).below(1),
        s::boolean("enabled", "").default_value(true),
        s::duration("timeout", "").range("1ms", "10m").default_value("5s"),
        s::choice("format", {"text", "json"}, "").default_value("text"),
        s::list("symbols", s::string("", "").non_empty(), "").non_empty(),
        s::object("retry", {s::integer("attempts", "").min(0), s::duration("max", "")}, ""),
        s::map("headers", s::string("", ""), ""),
        s::any("extra", ""),
        s::list("rules", s::variants("type", variants), ""),
    };
    return schema.to_json();
  }();
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool input_is_schema = (data[0] & 1) != 0;
  const nlohmann::json parsed = nlohmann::json::parse(data + 1, data + size, nullptr, false);
  if (parsed.is_discarded()) return 0;
  if (!input_is_schema) {
    const tickd::ValidatedConfig checked = tickd::validate_config(every_kind_of_key(), parsed);
    if (checked.ok() && !tickd::validate_config(every_kind_of_key(), checked.value).ok()) std::abort();
    (void)checked.summary();
  } else {
    static const nlohmann::json config = nlohmann::json::parse(
        R"({"url":"http://x","port":80,"rules":[{"type":"cross","level":1}],"timeout":"2s","a":{"b":[1,2]}})");
    (void)tickd::validate_config(parsed, config).summary();
  }
  return 0;
}
