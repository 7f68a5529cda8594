// tickd::Metrics: how a plugin reports figures about itself (records written,
// buffered, lost; connection state) so that they appear in /health, /metrics
// (with HELP and TYPE lines) and `tickd stats` under the observer's name.
//
//   void metrics(tickd::Metrics& m) const override {
//     m.counter("records_written", "Records written to the database", written_.load());
//     m.at_risk("records_buffered", "Records waiting for the writer", buffered_.load());
//     m.loss("records_dropped", "Records dropped from a full buffer", dropped_.load());
//   }
//
// Observer::metrics() runs on whatever host thread asks (the admin endpoint,
// shutdown), concurrently with on_*: read atomics, never block.
#pragma once

#include <tickd/abi.h>

#include <string_view>

namespace tickd {

class Metrics {
 public:
  Metrics(tickd_metric_sink sink, void* user) : sink_(sink), user_(user) {}

  // Only grows. Names: [a-z][a-z0-9_]*, exported as tickd_plugin_<name>.
  void counter(std::string_view name, std::string_view help, double value) {
    emit(name, help, TICKD_METRIC_COUNTER, 0, value, {}, {});
  }
  void gauge(std::string_view name, std::string_view help, double value) {
    emit(name, help, TICKD_METRIC_GAUGE, 0, value, {}, {});
  }
  // A counter of records lost (dropped, given up on, unwritten at stop). The
  // daemon adds these into the observer's `lost` figure, and a shutdown that
  // leaves any non-zero exits with a non-zero status.
  void loss(std::string_view name, std::string_view help, double value) {
    emit(name, help, TICKD_METRIC_COUNTER, TICKD_METRIC_LOSS, value, {}, {});
  }
  // A gauge of records the plugin holds and has not yet made safe (a write
  // buffer). They are not lost while the plugin runs; if the daemon must
  // abandon the plugin at the shutdown deadline (its stop() did not return in
  // time), they are counted as lost and the daemon exits non-zero.
  void at_risk(std::string_view name, std::string_view help, double value) {
    emit(name, help, TICKD_METRIC_GAUGE, TICKD_METRIC_LOSS, value, {}, {});
  }
  // Any of the above with one label, e.g. per connection.
  void labelled(std::string_view name, std::string_view help, tickd_metric_kind kind, std::uint32_t flags,
                std::string_view label_name, std::string_view label_value, double value) {
    emit(name, help, kind, flags, value, label_name, label_value);
  }

 private:
  void emit(std::string_view name, std::string_view help, tickd_metric_kind kind, std::uint32_t flags,
            double value, std::string_view label_name, std::string_view label_value) {
    tickd_metric m{};
    m.struct_size = sizeof(m);
    m.name = {name.data(), name.size()};
    m.help = {help.data(), help.size()};
    m.kind = kind;
    m.flags = flags;
    m.value = value;
    m.label_name = {label_name.data(), label_name.size()};
    m.label_value = {label_value.data(), label_value.size()};
    sink_(user_, &m);
  }

  tickd_metric_sink sink_;
  void* user_;
};

}  // namespace tickd
