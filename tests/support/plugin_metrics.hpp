// What an observer reports through Observer::metrics, by name, for tests.
#pragma once

#include <tickd/plugin.hpp>

#include <map>
#include <string>

namespace tickd::test_support {

inline std::map<std::string, double> metrics_of(const Observer& observer) {
  std::map<std::string, double> out;
  auto sink = [](void* user, const tickd_metric* m) noexcept {
    try {
      (*static_cast<std::map<std::string, double>*>(user))[std::string(m->name.data, m->name.size)] =
          m->value;
    } catch (...) {
    }
  };
  Metrics metrics(sink, &out);
  observer.metrics(metrics);
  return out;
}

}  // namespace tickd::test_support
