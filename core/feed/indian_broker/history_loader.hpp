// Closed candles from a broker's historical REST API (HistoryApi), without
// blocking the feed thread: requests go out one at a time, no faster than the
// broker allows; a range longer than one request may cover is split; an HTTP
// 429 is retried after the server's Retry-After or the backoff, whichever is
// longer. Every callback runs on the io thread.
#pragma once

#include "feed/indian_broker/history_api.hpp"

#include <tickd/backoff.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>

namespace tickd::core {

class HistoryLoader {
 public:
  // `closed`: oldest first, each flagged closed. `error` empty when complete;
  // `kind` says whether the credentials were refused.
  using Done = std::function<void(std::vector<CandleData> closed, std::string error, HistoryError kind)>;

  HistoryLoader(boost::asio::io_context& io, HttpFetcher& http, const HistoryApi& api);
  ~HistoryLoader();

  // Candles of `interval_s` opening in [from, to) and ending by `to`.
  void load_range(const HistoryInstrument& instrument, std::int32_t interval_s, TimeMs from, TimeMs to,
                  Done done);
  // The latest `count` closed candles ending by `to`, looking back window by
  // window (markets close at night, at weekends and on holidays).
  void load_latest(const HistoryInstrument& instrument, std::int32_t interval_s, std::uint32_t count,
                   TimeMs to, Done done);
  // Forgets everything queued or in flight: no callback of theirs runs.
  void cancel();

  std::uint64_t requests() const { return requests_.load(std::memory_order_relaxed); }
  std::uint64_t rate_limited() const { return rate_limited_.load(std::memory_order_relaxed); }

 private:
  struct Call {
    HttpRequest request;
    std::function<void(HttpResponse)> done;
    int attempts = 0;
  };
  struct Job;
  void next_chunk(std::shared_ptr<Job> job);
  void enqueue(Call call, bool front = false);
  void pump();
  void on_answer(Call call, HttpResponse response);

  boost::asio::io_context& io_;
  HttpFetcher& http_;
  const HistoryApi& api_;
  boost::asio::steady_timer timer_;
  Backoff backoff_;
  std::deque<Call> queue_;
  bool in_flight_ = false;
  bool waiting_ = false;
  std::chrono::steady_clock::time_point next_at_ = std::chrono::steady_clock::now();
  std::shared_ptr<std::uint64_t> generation_ = std::make_shared<std::uint64_t>(0);
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> rate_limited_{0};
};

}  // namespace tickd::core
