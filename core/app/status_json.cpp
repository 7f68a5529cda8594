#include "app/status_json.hpp"

namespace tickd::core {

namespace {
using nlohmann::json;

json metric_to_json(const ObserverMetric& m) {
  return {{"name", m.name},
          {"help", m.help},
          {"type", m.counter ? "counter" : "gauge"},
          {"loss", m.loss},
          {"value", m.value},
          {"label_name", m.label_name},
          {"label_value", m.label_value}};
}

class Writer {
 public:
  explicit Writer(json& out) : out_(out) {}

  void label(const char* key, const std::string& text) { out_[key] = text; }
  void key_label(const char* key, const std::string& text, const char*) { out_[key] = text; }
  void info(const char*, const char*) {}
  template <class T>
  void counter(const char* key, const T& value, const char*, const char*) {
    out_[key] = value;
  }
  template <class T>
  void gauge(const char* key, const T& value, const char*, const char*) {
    out_[key] = value;
  }
  void family(const char* key, const CounterFamily& entries, const char*, const char*, const char*) {
    json& obj = out_[key] = json::object();
    for (const auto& [label, n] : entries) obj[label] = n;
  }
  template <class S>
  void section(const char* key, const S& s) {
    json& obj = out_[key] = json::object();
    Writer w(obj);
    S::fields(s, w);
  }
  template <class S>
  void list(const char* key, const std::vector<S>& items) {
    json& arr = out_[key] = json::array();
    for (const auto& item : items) {
      json obj = json::object();
      Writer w(obj);
      S::fields(item, w);
      arr.push_back(std::move(obj));
    }
  }
  void plugin_metrics(const char* key, const std::vector<ObserverMetric>& metrics) {
    json& arr = out_[key] = json::array();
    for (const auto& m : metrics) arr.push_back(metric_to_json(m));
  }

 private:
  json& out_;
};

class Reader {
 public:
  Reader(const json& in, std::string path) : in_(in), path_(std::move(path)) {}

  void label(const char* key, std::string& text) {
    text = get(key, json::value_t::string).get<std::string>();
  }
  void key_label(const char* key, std::string& text, const char*) { label(key, text); }
  void info(const char*, const char*) {}
  template <class T>
  void counter(const char* key, T& value, const char*, const char*) {
    number(key, value);
  }
  template <class T>
  void gauge(const char* key, T& value, const char*, const char*) {
    number(key, value);
  }
  void family(const char* key, CounterFamily& entries, const char*, const char*, const char*) {
    const json& obj = get(key, json::value_t::object);
    entries.clear();
    for (const auto& [label, n] : obj.items()) {
      if (!n.is_number_unsigned()) fail(where(key) + "." + label, "a count");
      entries.emplace_back(label, n.get<std::uint64_t>());
    }
  }
  template <class S>
  void section(const char* key, S& s) {
    Reader r(get(key, json::value_t::object), where(key));
    S::fields(s, r);
  }
  template <class S>
  void list(const char* key, std::vector<S>& items) {
    const json& arr = get(key, json::value_t::array);
    items.clear();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string at = where(key) + "[" + std::to_string(i) + "]";
      if (!arr[i].is_object()) fail(at, "an object");
      Reader r(arr[i], at);
      S s;
      S::fields(s, r);
      items.push_back(std::move(s));
    }
  }
  void plugin_metrics(const char* key, std::vector<ObserverMetric>& metrics) {
    const json& arr = get(key, json::value_t::array);
    metrics.clear();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      Reader r(arr[i], where(key) + "[" + std::to_string(i) + "]");
      ObserverMetric m;
      r.label("name", m.name);
      r.label("help", m.help);
      std::string type;
      r.label("type", type);
      if (type != "counter" && type != "gauge") fail(r.where("type"), "counter or gauge");
      m.counter = type == "counter";
      r.number("loss", m.loss);
      r.number("value", m.value);
      r.label("label_name", m.label_name);
      r.label("label_value", m.label_value);
      metrics.push_back(std::move(m));
    }
  }

 private:
  [[noreturn]] static void fail(const std::string& path, const char* expected) {
    throw StatusFormatError("status: '" + path + "' is missing or not " + expected);
  }
  std::string where(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  const json& get(const char* key, json::value_t type) const {
    if (!in_.is_object()) fail(path_, "an object");
    auto it = in_.find(key);
    if (it == in_.end() || it->type() != type) {
      const char* expected = type == json::value_t::string  ? "a string"
                             : type == json::value_t::array ? "a list"
                                                            : "an object";
      fail(where(key), expected);
    }
    return *it;
  }
  void number(const char* key, bool& value) {
    auto it = in_.find(key);
    if (it == in_.end() || !it->is_boolean()) fail(where(key), "true or false");
    value = it->get<bool>();
  }
  template <class T>
  void number(const char* key, T& value) {
    auto it = in_.find(key);
    bool ok = it != in_.end() && (std::is_unsigned<T>::value   ? it->is_number_unsigned()
                                  : std::is_integral<T>::value ? it->is_number_integer()
                                                               : it->is_number());
    if (!ok) fail(where(key), std::is_unsigned<T>::value ? "a count" : "a number");
    value = it->get<T>();
  }

  const json& in_;
  std::string path_;
};
}  // namespace

nlohmann::json status_to_json(const DaemonStatus& status) {
  json out = json::object();
  Writer w(out);
  DaemonStatus::fields(status, w);
  return out;
}

DaemonStatus status_from_json(const nlohmann::json& json) {
  DaemonStatus status;
  Reader r(json, "");
  DaemonStatus::fields(status, r);
  return status;
}

}  // namespace tickd::core
