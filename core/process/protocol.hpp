// The process-observer protocol (docs/PROCESS_OBSERVERS.md): JSON lines
// between the daemon and a child. Events use the wire codec (tickd/wire.hpp);
// this file adds the control messages.
//
//   version 1, daemon -> child: hello, events (with seq), history answers, stop
//              child -> daemon: ready, ack, error, log, history requests, signals
//   version 2 adds, daemon -> child: metrics requests, status answers
//                   child -> daemon: metrics answers, status requests
//   version 3 adds, child -> daemon: config errors, instead of ready (a
//                   child that checks its config against a declared schema)
// The hello offers both ("protocol":1 for version-1 children, "protocols"),
// the child's ready picks one; a version-1 child never sees a version-2 line.
#pragma once

#include "bus/event_handler.hpp"

#include <tickd/types.hpp>
#include <tickd/wire.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tickd::core::protocol {

inline constexpr int kBaseVersion = 1;  // what every child understands
inline constexpr int kVersion = 3;      // the newest this build speaks

// ---- child -> daemon

enum class ChildMessageType : std::uint8_t {
  ready,
  ack,
  error,
  log,
  history,
  signal,
  metrics,
  metric,
  status,
  config_error,   // version 3: `count` config_problem lines follow
  config_problem  // version 3: one problem: pointer, at_key, text
};

struct ChildMessage {
  ChildMessageType type = ChildMessageType::ack;
  std::uint64_t seq = 0;      // ack: everything up to seq is handled; error: the event that failed
  std::string_view text;      // error, log: the message
  int level = 2;              // log: 0 trace .. 4 error
  std::uint64_t id = 0;       // history: echoed in the answer
  std::string_view symbol;    // history
  Interval interval;          // history
  std::uint32_t limit = 0;    // history
  std::int64_t protocol = 0;  // ready: the version the child speaks
  Signal signal;              // signal
  std::uint32_t count = 0;    // metrics, config_error: the lines that follow
  ObserverMetric metric;      // metric (version 2)
  std::string_view pointer;   // config_problem: JSON pointer of the value in the `config:` block
  bool at_key = false;        // config_problem: an unknown key (its own position is the one to show)
};

// Parses one line from a child. Views in the result point into `line` or into
// the parser, valid until the next parse. False with `error` set on anything
// that is not a version-1 message.
class ChildMessageParser {
 public:
  explicit ChildMessageParser(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  bool parse(std::string_view line, ChildMessage& out, std::string& error);

 private:
  bool parse_metric(ChildMessage& out, std::string& error);
  std::size_t max_bytes_;
  wire::FlatObject object_;
  wire::Event event_;
};

// ---- daemon -> child

struct Hello {
  std::string observer;
  std::string config_json;  // the observer's `config:` block, a JSON object
  std::vector<std::string> symbols;
  std::vector<std::int64_t> interval_seconds;
  std::uint32_t history_capacity = 0;
  std::uint32_t window = 0;
};
void append_hello(std::string& out, const Hello& hello);
// Version 2: "send your metrics", answered by append_metrics().
void append_metrics_request(std::string& out);
// Version 2: the answer to status request `id`; `status_json` is an object.
void append_status_answer(std::string& out, std::uint64_t id, std::string_view status_json);
// `{"type":"history","id":N,"count":K}` then the K candles, oldest first; on
// failure count 0 and an "error".
void append_history_answer(std::string& out, std::uint64_t id, const std::vector<Candle>& candles,
                           std::string_view error);
void append_stop(std::string& out);

// ---- child -> daemon, for C++ children (tickd-plugin-host)

// `{"type":"metrics","count":K}` then K `{"type":"metric",...}` lines: a
// whole snapshot of the observer's own figures, replacing the previous one.
void append_metrics(std::string& out, const std::vector<ObserverMetric>& metrics);
// `{"type":"status","id":N}`: the daemon's status, answered by append_status_answer.
void append_status_request(std::string& out, std::uint64_t id);

}  // namespace tickd::core::protocol
