// What the process-observer tests share: daemon services without a daemon, the
// protocol_child.py fixture, events, and the log captured.
#pragma once

#include "plugin/host_services.hpp"
#include "process/process_observer.hpp"
#include "support/temp_dir.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace tickd::core::test {

class FakeServices : public HostServices {
 public:
  FakeServices() {
    symbols_.intern("BTCUSDT");
    symbols_.intern("ETHUSDT");
  }
  const SymbolTable& symbols() const override { return symbols_; }
  const std::vector<std::int64_t>& interval_seconds() const override { return intervals_; }
  std::uint32_t history_capacity() const override { return 100; }
  bool history(SymbolId symbol, Interval interval, std::uint32_t limit,
               std::vector<CandleData>& out) const override {
    if (interval.seconds() != 60) return false;
    for (std::uint32_t i = 0; i < std::min<std::uint32_t>(limit, 3); ++i) {
      CandleData c;
      c.symbol = symbol;
      c.interval_s = 60;
      c.open_time = 1700000000000 + i * 60000;
      c.open = c.high = c.low = c.close = 100.5 + i;
      c.flags = TICKD_CANDLE_CLOSED;
      out.push_back(c);
    }
    return true;
  }
  void publish(Signal s) override {
    std::lock_guard<std::mutex> lock(mu_);
    published_.push_back(std::move(s));
  }
  std::string status_json() const override { return status; }
  std::string status = "{}";
  std::size_t published() const {
    std::lock_guard<std::mutex> lock(mu_);
    return published_.size();
  }

 private:
  SymbolTable symbols_;
  std::vector<std::int64_t> intervals_{60, 3600};
  mutable std::mutex mu_;
  std::vector<Signal> published_;
};

// The daemon's log, captured.
class LogCapture {
 public:
  LogCapture() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    previous_ = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() {
    spdlog::default_logger()->flush();
    return stream_.str();
  }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

inline Event closed_candle(int i, SymbolId symbol = 0) {
  CandleData c;
  c.symbol = symbol;
  c.interval_s = 60;
  c.open_time = 1700000000000 + static_cast<TimeMs>(i) * 60000;
  c.open = c.high = c.low = c.close = 100 + i * 0.25;
  c.volume = 2;
  c.quote_volume = c.close * 2;
  c.trade_count = 3;
  c.flags = TICKD_CANDLE_CLOSED;
  return Event::of_candle(c, true);
}

inline Event tick(int i) {
  TickData t;
  t.symbol = 0;
  t.time = 1700000000000 + i;
  t.price = 100 + i;
  t.quantity = 0.5;
  t.trade_id = i;
  return Event::of_tick(t);
}

inline ProcessObserverOptions child_options(const nlohmann::json& config) {
  ProcessObserverOptions o;
  o.name = "child";
  o.spawn.program = "/usr/bin/python3";
  o.spawn.argv = {"python3", TICKD_SOURCE_DIR "/tests/core/process/fixtures/protocol_child.py"};
  o.spawn.env = {"PATH=/usr/bin:/bin"};
  o.config_json = config.dump();
  o.limits.ack_timeout_ms = 2000;
  o.limits.start_timeout_ms = 5000;
  o.limits.stop_timeout_ms = 3000;
  o.limits.restart_initial_ms = 20;
  o.limits.restart_max_ms = 100;
  o.max_failures = 3;
  return o;
}

inline std::string read_text_of(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The record file: one line per event a child received, "pid json".
struct Received {
  long pid;
  nlohmann::json event;
};
inline std::vector<Received> read_record(const std::string& path) {
  std::vector<Received> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    auto space = line.find(' ');
    if (line.compare(space + 1, 4, "stop") == 0) continue;
    out.push_back(Received{std::stol(line.substr(0, space)), nlohmann::json::parse(line.substr(space + 1))});
  }
  return out;
}

inline double metric(const EventHandler& h, const std::string& name, const std::string& label = "") {
  std::vector<ObserverMetric> all;
  h.metrics(all);
  for (const auto& m : all)
    if (m.name == name && m.label_value == label) return m.value;
  return -1;
}

template <class F>
bool eventually(F&& f, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return f();
}

}  // namespace tickd::core::test
