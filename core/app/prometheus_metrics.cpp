#include "app/prometheus_metrics.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <type_traits>

namespace tickd::core {

namespace {
// Label values escape backslash, quote and newline.
std::string escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// HELP text escapes backslash and newline.
std::string help_text(const std::string& v) {
  std::string out;
  for (char c : v) out += c == '\\' ? "\\\\" : c == '\n' ? "\\n" : std::string(1, c);
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Families in first-seen order, so that samples of one family stay together
// whichever section or observer they come from.
class Families {
 public:
  void sample(const std::string& name, const char* type, const std::string& help, const std::string& labels,
              double value) {
    auto [it, added] = index_.emplace(name, families_.size());
    if (added) families_.push_back({name, type, help, {}});
    std::string line = name;
    if (!labels.empty()) line += '{' + labels + '}';
    families_[it->second].samples.push_back(line + ' ' + format_value(value) + '\n');
  }
  std::string str() const {
    std::string out;
    for (const auto& f : families_) {
      out += "# HELP " + f.name + ' ' + help_text(f.help) + "\n# TYPE " + f.name + ' ' + f.type + '\n';
      for (const auto& s : f.samples) out += s;
    }
    return out;
  }

 private:
  struct Family {
    std::string name;
    const char* type;
    std::string help;
    std::vector<std::string> samples;
  };
  std::map<std::string, std::size_t> index_;
  std::vector<Family> families_;
};

std::string join_label(std::string labels, const std::string& name, const std::string& value) {
  if (!labels.empty()) labels += ',';
  return labels + name + "=\"" + escape(value) + '"';
}

class Renderer {
 public:
  Renderer(Families& out, std::string key_labels) : out_(out), key_labels_(std::move(key_labels)) {}

  void label(const char* key, const std::string& text) { info_labels_ = join_label(info_labels_, key, text); }
  void key_label(const char*, const std::string& text, const char* prom_label) {
    key_labels_ = join_label(key_labels_, prom_label, text);
  }
  void info(const char* metric, const char* help) {
    std::string labels = key_labels_;
    if (!info_labels_.empty()) labels += (labels.empty() ? "" : ",") + info_labels_;
    out_.sample(metric, "gauge", help, labels, 1);
  }
  template <class T>
  void counter(const char*, const T& value, const char* metric, const char* help) {
    if (metric) out_.sample(metric, "counter", help, key_labels_, static_cast<double>(value));
  }
  template <class T>
  void gauge(const char*, const T& value, const char* metric, const char* help) {
    if (metric) out_.sample(metric, "gauge", help, key_labels_, static_cast<double>(value));
  }
  void family(const char*, const CounterFamily& entries, const char* metric, const char* label,
              const char* help) {
    for (const auto& [value, n] : entries)
      out_.sample(metric, "counter", help, join_label(key_labels_, label, value), static_cast<double>(n));
  }
  template <class S>
  void section(const char*, const S& s) {
    Renderer r(out_, key_labels_);
    S::fields(s, r);
  }
  template <class S>
  void list(const char*, const std::vector<S>& items) {
    for (const auto& item : items) {
      Renderer r(out_, key_labels_);
      S::fields(item, r);
    }
  }
  void plugin_metrics(const char*, const std::vector<ObserverMetric>& metrics) {
    for (const auto& m : metrics) {
      std::string labels = key_labels_;
      if (!m.label_name.empty()) {
        std::string name = prometheus_name(m.label_name);
        if (name == "observer") name = "plugin_observer";  // ours names the observer
        labels = join_label(labels, name, m.label_value);
      }
      out_.sample("tickd_plugin_" + prometheus_name(m.name), m.counter ? "counter" : "gauge",
                  m.help.empty() ? m.name : m.help, labels, m.value);
    }
  }

 private:
  Families& out_;
  std::string key_labels_;
  std::string info_labels_;
};
}  // namespace

std::string prometheus_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out.insert(out.begin(), '_');
  return out;
}

std::string render_prometheus(const DaemonStatus& status) {
  Families families;
  Renderer r(families, "");
  DaemonStatus::fields(status, r);
  return families.str();
}

}  // namespace tickd::core
