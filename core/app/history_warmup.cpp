#include "app/history_warmup.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <optional>

namespace tickd::core {

struct HistoryWarmup::State {
  struct Series {
    SymbolId symbol = 0;
    Interval interval;
    bool done = false;
    bool ok = false;
    std::vector<CandleData> candles;
    std::string error;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Series> series;
  std::size_t next = 0;
  std::size_t done = 0;
  bool abandoned = false;  // past the deadline: take no new series
};

HistoryWarmup::HistoryWarmup(PluginObserver& store, std::string store_name, std::uint32_t limit,
                             unsigned threads)
    : store_(store),
      name_(std::move(store_name)),
      limit_(limit),
      threads_(threads ? threads : 1),
      state_(std::make_shared<State>()) {}

HistoryWarmup::~HistoryWarmup() { join(); }

void HistoryWarmup::join() {
  for (auto& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
}

WarmupOutcome HistoryWarmup::run(const SymbolTable& symbols, const std::vector<Interval>& intervals,
                                 Aggregator& aggregator, std::chrono::steady_clock::time_point deadline) {
  for (std::size_t i = 0, n = symbols.size(); i < n; ++i)
    for (Interval iv : intervals) {
      State::Series s;
      s.symbol = static_cast<SymbolId>(i);
      s.interval = iv;
      state_->series.push_back(std::move(s));
    }
  WarmupOutcome out;
  out.series = state_->series.size();
  const std::size_t threads = std::min<std::size_t>(threads_, out.series);
  for (std::size_t t = 0; t < threads; ++t)
    workers_.emplace_back([state = state_, &store = store_, limit = limit_] {
      for (;;) {
        std::size_t i;
        {
          std::lock_guard<std::mutex> lock(state->mu);
          if (state->abandoned || state->next == state->series.size()) return;
          i = state->next++;
        }
        // Series entries never move once the list is built; only this thread
        // writes entry i, and the reader looks only after `done` under the lock.
        auto& s = state->series[i];
        std::vector<CandleData> candles;
        std::string error;
        const bool ok = store.restore(s.symbol, s.interval, limit, candles, error);
        std::lock_guard<std::mutex> lock(state->mu);
        s.ok = ok;
        s.candles = std::move(candles);
        s.error = std::move(error);
        s.done = true;
        ++state->done;
        state->cv.notify_all();
      }
    });

  std::vector<State::Series> finished;
  {
    std::unique_lock<std::mutex> lock(state_->mu);
    out.timed_out =
        !state_->cv.wait_until(lock, deadline, [&] { return state_->done == state_->series.size(); });
    state_->abandoned = true;
    for (auto& s : state_->series)
      if (s.done) finished.push_back(std::move(s));
  }
  for (auto& s : finished) {
    if (!s.ok) {
      ++out.failed;
      spdlog::warn("history warm-up from '{}' failed for {} {}: {}", name_, symbols.name(s.symbol),
                   s.interval.name(), s.error);
      continue;
    }
    for (auto& c : s.candles) c.flags |= TICKD_CANDLE_CLOSED;
    aggregator.restore(s.symbol, s.interval, s.candles);
    out.candles += s.candles.size();
    ++out.restored;
  }
  return out;
}

}  // namespace tickd::core
