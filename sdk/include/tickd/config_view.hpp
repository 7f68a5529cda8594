// Typed reading of a validated `config:` block (see tickd/config_schema.hpp).
//
//   tickd::ConfigView config = host.config_view();
//   auto path = config.string("path");                  // default filled in
//   auto delay = config.duration("max_delay");          // std::chrono::milliseconds
//   for (const auto& rule : config.list("rules")) rule.string("type");
//
// After the daemon (or the SDK, for FakeHost) has checked the block against
// the plugin's schema, every declared key with a default is present and has its
// declared type, so these getters cannot fail for such a key. Asking for an
// undeclared key, or one without a default that is absent (check has() first),
// is a plugin bug: the getter throws std::logic_error naming the key.
#pragma once

#include <tickd/duration.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tickd {

class ConfigView {
 public:
  ConfigView() : ConfigView(nlohmann::json::object()) {}
  explicit ConfigView(nlohmann::json root, std::string path = "config")
      : root_(std::make_shared<const nlohmann::json>(std::move(root))),
        node_(root_.get()),
        path_(std::move(path)) {}

  // True when the key is present (declared with a default, or written in the YAML).
  bool has(std::string_view key) const { return node_->is_object() && node_->contains(std::string(key)); }

  std::string string(std::string_view key) const {
    return typed(key, &nlohmann::json::is_string, "text").get<std::string>();
  }
  std::int64_t integer(std::string_view key) const {
    return typed(key, &nlohmann::json::is_number_integer, "an integer").get<std::int64_t>();
  }
  double number(std::string_view key) const {
    return typed(key, &nlohmann::json::is_number, "a number").get<double>();
  }
  bool boolean(std::string_view key) const {
    return typed(key, &nlohmann::json::is_boolean, "a boolean").get<bool>();
  }
  // The validated form is "<milliseconds>ms".
  std::chrono::milliseconds duration(std::string_view key) const {
    const auto& v = typed(key, &nlohmann::json::is_string, "a duration");
    auto ms = parse_duration_ms(v.get<std::string>());
    if (!ms) bug(key, "is not a duration: " + v.dump());
    return std::chrono::milliseconds(*ms);
  }
  // A list of strings (or choices).
  std::vector<std::string> strings(std::string_view key) const {
    std::vector<std::string> out;
    for (const auto& item : typed(key, &nlohmann::json::is_array, "a list")) {
      if (!item.is_string()) bug(key, "holds a non-string item " + item.dump());
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  // A nested object.
  ConfigView object(std::string_view key) const {
    return ConfigView(root_, &typed(key, &nlohmann::json::is_object, "a mapping"), child(key));
  }
  // A list of objects (e.g. rules), each item as a view.
  std::vector<ConfigView> list(std::string_view key) const {
    const auto& items = typed(key, &nlohmann::json::is_array, "a list");
    std::vector<ConfigView> out;
    for (std::size_t i = 0; i < items.size(); ++i)
      out.push_back(ConfigView(root_, &items[i], child(key) + "[" + std::to_string(i) + "]"));
    return out;
  }

  // The value itself (a map's entries, an `any` key).
  const nlohmann::json& json() const { return *node_; }
  const nlohmann::json& json(std::string_view key) const { return at(key); }
  // "config.rules[2]": for the plugin's own messages about this part.
  const std::string& path() const { return path_; }

 private:
  using Test = bool (nlohmann::json::*)() const noexcept;

  ConfigView(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node, std::string path)
      : root_(std::move(root)), node_(node), path_(std::move(path)) {}

  std::string child(std::string_view key) const { return path_ + "." + std::string(key); }

  [[noreturn]] void bug(std::string_view key, const std::string& what) const {
    throw std::logic_error(
        "config key '" + child(key) + "' " + what +
        " (declare it in the plugin's config_schema(), with a default or checked by has())");
  }

  const nlohmann::json& at(std::string_view key) const {
    if (!node_->is_object()) bug(key, "is read from a value that is not a mapping");
    auto it = node_->find(std::string(key));
    if (it == node_->end()) bug(key, "is not set");
    return *it;
  }

  const nlohmann::json& typed(std::string_view key, Test test, const char* what) const {
    const auto& v = at(key);
    if (!(v.*test)()) bug(key, std::string("is not ") + what + ": " + v.dump());
    return v;
  }

  std::shared_ptr<const nlohmann::json> root_;
  const nlohmann::json* node_;
  std::string path_;
};

}  // namespace tickd
