// A DaemonStatus with every figure set to a distinct non-zero value, built by
// walking the same fields() tables the renderers walk, so a figure added later
// is filled (and so tested) without touching the tests.
#pragma once

#include "app/daemon_status.hpp"

#include <string>
#include <type_traits>

namespace tickd::core::testing {

class Filler {
 public:
  void label(const char* key, std::string& text) { text = std::string(key) + "-" + std::to_string(next()); }
  void key_label(const char* key, std::string& text, const char*) { label(key, text); }
  void info(const char*, const char*) {}
  template <class T>
  void counter(const char*, T& value, const char*, const char*) {
    value = static_cast<T>(next());
  }
  template <class T>
  void gauge(const char*, T& value, const char*, const char*) {
    if constexpr (std::is_same<T, bool>::value)
      value = true;
    else if constexpr (std::is_floating_point<T>::value)
      value = static_cast<T>(next()) + 0.5;
    else
      value = static_cast<T>(next());
  }
  void family(const char*, CounterFamily& entries, const char*, const char*, const char*) {
    entries = {{"a" + std::to_string(next()), next()}, {"b" + std::to_string(next()), next()}};
  }
  template <class S>
  void section(const char*, S& s) {
    S::fields(s, *this);
  }
  template <class S>
  void list(const char*, std::vector<S>& items) {
    items.resize(2);
    for (auto& item : items) S::fields(item, *this);
  }
  void plugin_metrics(const char*, std::vector<ObserverMetric>& metrics) {
    ObserverMetric written{"records_written", "Records written", true, false, double(next()), "", ""};
    ObserverMetric dropped{"records_dropped", "Records dropped", true, true, double(next()), "", ""};
    ObserverMetric buffered{"records_buffered", "Records buffered", false, true, double(next()), "", ""};
    ObserverMetric per_conn{"connected", "1 when connected", false, false, 1, "connection", "c1"};
    metrics = {written, dropped, buffered, per_conn};
  }

 private:
  std::uint64_t next() { return ++n_; }
  std::uint64_t n_ = 0;
};

inline DaemonStatus filled_status() {
  DaemonStatus s;
  Filler f;
  DaemonStatus::fields(s, f);
  return s;
}

// Every Prometheus family name the fields() tables declare (plugin metrics
// are rendered as tickd_plugin_<name>, collected from the rendering instead).
class MetricNames {
 public:
  void label(const char*, const std::string&) {}
  void key_label(const char*, const std::string&, const char*) {}
  void info(const char* metric, const char*) { names.push_back(metric); }
  template <class T>
  void counter(const char*, const T&, const char* metric, const char*) {
    if (metric) names.push_back(metric);
  }
  template <class T>
  void gauge(const char*, const T&, const char* metric, const char*) {
    if (metric) names.push_back(metric);
  }
  void family(const char*, const CounterFamily&, const char* metric, const char*, const char*) {
    names.push_back(metric);
  }
  template <class S>
  void section(const char*, const S& s) {
    S::fields(s, *this);
  }
  template <class S>
  void list(const char*, const std::vector<S>& items) {
    S s;
    S::fields(s, *this);
    (void)items;
  }
  void plugin_metrics(const char*, const std::vector<ObserverMetric>&) {}
  std::vector<std::string> names;
};

}  // namespace tickd::core::testing
