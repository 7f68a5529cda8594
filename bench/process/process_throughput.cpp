// Events per second to a child that only counts them, and the round trip of
// one event (sent, handled, acknowledged) against an in-process call.
//   process_throughput <cpp|python> <tick|update|candle|signal> <events> <plugin-host> <plugin.so>
//   <sdk/python>
//     (candle: closed candles; update: candle updates)
//   process_throughput <cpp|python> idle <seconds> ...   the cost of a child that gets no event
// cpp: tickd-plugin-host with the given plugin; python: bench/process/count_observer.py.
#include "process/process_observer.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace tickd::core;
using Clock = std::chrono::steady_clock;

namespace {

class Services : public HostServices {
 public:
  Services() { symbols_.intern("BTCUSDT"); }
  const SymbolTable& symbols() const override { return symbols_; }
  const std::vector<std::int64_t>& interval_seconds() const override { return intervals_; }
  std::uint32_t history_capacity() const override { return 0; }
  bool history(SymbolId, tickd::Interval, std::uint32_t, std::vector<CandleData>&) const override {
    return false;
  }
  void publish(tickd::Signal) override {}
  std::string status_json() const override { return "{}"; }

 private:
  SymbolTable symbols_;
  std::vector<std::int64_t> intervals_{60};
};

enum class Kind { tick, update, closed, signal };

Event make_event(Kind kind, int i) {
  if (kind == Kind::tick) {
    TickData t;
    t.time = 1700000000000 + i;
    t.price = 37000.5 + (i % 100) * 0.01;
    t.quantity = 0.001 * (i % 7 + 1);
    t.trade_id = i;
    return Event::of_tick(t);
  }
  if (kind == Kind::signal) {
    auto r = std::make_shared<SignalRecord>();
    r->signal.symbol = "BTCUSDT";
    r->signal.interval = *tickd::Interval::parse("1m");
    r->signal.time = 1700000000000 + static_cast<long long>(i) * 60000;
    r->signal.side = i % 2 ? tickd::Side::buy : tickd::Side::sell;
    r->signal.strength = 1;
    r->signal.price = 37050.5 + (i % 100) * 0.01;
    r->signal.source = "ema_cross";
    r->signal.text = "ema 9 crossed ema 21";
    return Event::of_signal(std::move(r));
  }
  CandleData c;
  c.interval_s = 60;
  c.open_time = 1700000000000 + static_cast<long long>(i) * 60000;
  c.open = 37000.1;
  c.high = 37123.45 + (i % 10);
  c.low = 36999.99;
  c.close = 37050.5 + (i % 100) * 0.01;
  c.volume = 12.345678;
  c.quote_volume = 457000.123456789;
  c.trade_count = 4321;
  c.flags = kind == Kind::closed ? TICKD_CANDLE_CLOSED : 0;
  return Event::of_candle(c, kind == Kind::closed);
}

double metric(const ProcessObserver& p, const char* name) {
  std::vector<ObserverMetric> m;
  p.metrics(m);
  for (const auto& x : m)
    if (x.name == name) return x.value;
  return -1;
}
double in_flight(const ProcessObserver& p) { return metric(p, "events_in_flight"); }

double own_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr,
                 "usage: %s <cpp|python> <tick|update|candle|signal|idle> <events> <plugin-host> <plugin.so> "
                 "<sdk/python>\n",
                 argv[0]);
    return 2;
  }
  const bool python = std::string(argv[1]) == "python";
  const std::string kind_name = argv[2];
  const bool idle = kind_name == "idle";
  const Kind kind = kind_name == "candle"   ? Kind::closed
                    : kind_name == "update" ? Kind::update
                    : kind_name == "signal" ? Kind::signal
                                            : Kind::tick;
  const char* kind_label = kind == Kind::closed   ? "closed candle"
                           : kind == Kind::update ? "candle update"
                           : kind == Kind::signal ? "signal"
                                                  : "tick";
  const int n = std::stoi(argv[3]);
  Services services;
  ProcessObserverOptions o;
  o.name = "bench";
  o.lossless = true;
  o.limits.window = 65536;
  o.spawn.env = {"PATH=/usr/local/bin:/usr/bin:/bin", std::string("PYTHONPATH=") + argv[6]};
  if (python) {
    o.spawn.program = "/usr/bin/env";
    o.spawn.argv = {"env", "python3", std::string(argv[6]) + "/../../bench/process/count_observer.py"};
  } else {
    o.spawn.program = argv[4];
    o.spawn.argv = {argv[4], argv[5]};
  }
  std::vector<Event> events;
  for (int i = 0; i < 4096; ++i) events.push_back(make_event(kind, i));

  // Throughput: handle() as the worker would, flush per batch of 256, stop() waits for every ack.
  ProcessObserver p(o, services);
  std::string error;
  if (idle) {
    // The supervisor's polls, usage samples and metrics requests, the child's answers.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double cpu0 = own_cpu_seconds(), child0 = metric(p, "process_cpu_seconds");
    std::this_thread::sleep_for(std::chrono::seconds(n));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // one more sample of the child
    const double daemon = own_cpu_seconds() - cpu0, child = metric(p, "process_cpu_seconds") - child0;
    std::printf("%s child, idle for %d s: CPU daemon side %.1f ms/s, child %.1f ms/s; child RSS %.1f MiB\n",
                python ? "python" : "c++", n, daemon * 1e3 / n, child * 1e3 / n,
                metric(p, "process_rss_bytes") / (1 << 20));
    p.stop(error);
    return 0;
  }
  const double cpu0 = own_cpu_seconds();
  const auto begin = Clock::now();
  for (int i = 0; i < n; ++i) {
    p.handle(events[static_cast<std::size_t>(i) & 4095], error);
    if ((i & 255) == 255) p.flush();
  }
  p.flush();
  while (in_flight(p) > 0) std::this_thread::yield();
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  const double daemon_cpu = own_cpu_seconds() - cpu0;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // one more RSS/CPU sample of the child
  const double child_cpu = metric(p, "process_cpu_seconds");
  std::printf(
      "%s child, %s events: %d in %.3f s = %.0f events/s; CPU: daemon side %.2f s (%.0f events per CPU s), "
      "child %.2f s (%.0f events per CPU s)\n",
      python ? "python" : "c++", kind_label, n, seconds, n / seconds, daemon_cpu, n / daemon_cpu, child_cpu,
      child_cpu > 0 ? n / child_cpu : 0.0);

  // Round trip of one event at a time: sent, handled, acknowledged.
  std::vector<double> us;
  for (int i = 0; i < 2000; ++i) {
    const auto t0 = Clock::now();
    p.handle(events[static_cast<std::size_t>(i) & 4095], error);
    p.flush();
    while (in_flight(p) > 0) {
    }
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  std::printf("  one event's round trip (send, handle, ack): p50 %.1f us, p99 %.1f us\n", us[us.size() / 2],
              us[us.size() * 99 / 100]);
  p.stop(error);
  return 0;
}
