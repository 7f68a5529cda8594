#include "feed/indian_broker/history_loader.hpp"

#include "feed/feed.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tickd::core {

namespace {
constexpr int kMaxAttempts = 8;         // per request, 429s included
constexpr int kMaxLookbackWindows = 6;  // load_latest gives up after this many windows
constexpr TimeMs kDayMs = 86400000;
}  // namespace

struct HistoryLoader::Job {
  HistoryInstrument instrument;
  std::int32_t interval_s = 60;
  TimeMs from = 0, to = 0;  // the whole range [from, to)
  TimeMs cursor = 0;        // range mode: next chunk start; latest mode: next window end
  std::uint32_t count = 0;  // latest mode: wanted; 0 = range mode
  int windows = 0;
  std::vector<CandleData> out;
  Done done;
};

HistoryLoader::HistoryLoader(boost::asio::io_context& io, HttpFetcher& http, const HistoryApi& api)
    : io_(io),
      http_(http),
      api_(api),
      timer_(io),
      backoff_(std::chrono::milliseconds(1000), std::chrono::milliseconds(30000), Backoff::Jitter::equal) {}

HistoryLoader::~HistoryLoader() { cancel(); }

void HistoryLoader::cancel() {
  ++*generation_;
  queue_.clear();
  timer_.cancel();
  waiting_ = false;
}

void HistoryLoader::load_range(const HistoryInstrument& instrument, std::int32_t interval_s, TimeMs from,
                               TimeMs to, Done done) {
  auto job = std::make_shared<Job>();
  job->instrument = instrument;
  job->interval_s = interval_s;
  job->from = job->cursor = from;
  job->to = to;
  job->done = std::move(done);
  next_chunk(std::move(job));
}

void HistoryLoader::load_latest(const HistoryInstrument& instrument, std::int32_t interval_s,
                                std::uint32_t count, TimeMs to, Done done) {
  auto job = std::make_shared<Job>();
  job->instrument = instrument;
  job->interval_s = interval_s;
  job->to = job->cursor = to;
  job->count = std::max<std::uint32_t>(1, count);
  job->done = std::move(done);
  next_chunk(std::move(job));
}

void HistoryLoader::next_chunk(std::shared_ptr<Job> job) {
  const TimeMs length = job->interval_s * 1000LL;
  const TimeMs max_range = std::max(length, api_.max_range_ms(job->interval_s));
  TimeMs from = 0, to = 0;
  if (job->count == 0) {
    if (job->cursor >= job->to) {
      job->done(std::move(job->out), {}, HistoryError::none);
      return;
    }
    from = job->cursor;
    to = std::min(job->to, from + max_range);
  } else {
    // A trading day holds about a quarter of a calendar day's candles, so
    // look back four times the naive span (at least four days) per window.
    const std::uint64_t missing = job->count - std::min<std::size_t>(job->count, job->out.size());
    const TimeMs span = std::clamp<TimeMs>(static_cast<TimeMs>(missing) * length * 4, 4 * kDayMs, max_range);
    to = job->cursor;
    from = to - span;
  }
  auto generation = generation_;
  const std::uint64_t mine = *generation;
  Call call;
  call.request = api_.request(job->instrument, job->interval_s, from, to);
  call.done = [this, job, from, to, length, generation, mine](HttpResponse response) {
    if (*generation != mine) return;
    std::vector<CandleData> page;
    std::string error;
    const HistoryError kind = api_.parse(response, job->instrument.id, job->interval_s, page, error);
    if (kind != HistoryError::none) {
      job->done(std::move(job->out), error, kind);
      return;
    }
    std::sort(page.begin(), page.end(),
              [](const CandleData& a, const CandleData& b) { return a.open_time < b.open_time; });
    std::vector<CandleData> kept;
    for (CandleData& c : page) {
      // Closed means ended by `to`: the candle still in progress is left out.
      if (c.open_time < from || c.open_time + length > to) continue;
      if (!kept.empty() && c.open_time <= kept.back().open_time) continue;
      c.flags |= TICKD_CANDLE_CLOSED;
      kept.push_back(c);
    }
    if (job->count == 0) {
      job->out.insert(job->out.end(), kept.begin(), kept.end());
      job->cursor = to;
    } else {
      job->out.insert(job->out.begin(), kept.begin(), kept.end());
      job->cursor = from;
      ++job->windows;
      const bool enough = job->out.size() >= job->count;
      if (enough || job->windows >= kMaxLookbackWindows || (kept.empty() && job->windows >= 2)) {
        if (job->out.size() > job->count)
          job->out.erase(job->out.begin(), job->out.end() - static_cast<std::ptrdiff_t>(job->count));
        job->done(std::move(job->out), {}, HistoryError::none);
        return;
      }
    }
    next_chunk(job);
  };
  enqueue(std::move(call));
}

void HistoryLoader::enqueue(Call call, bool front) {
  if (front)
    queue_.push_front(std::move(call));
  else
    queue_.push_back(std::move(call));
  pump();
}

void HistoryLoader::pump() {
  if (in_flight_ || waiting_ || queue_.empty()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_at_) {
    waiting_ = true;
    timer_.expires_at(next_at_);
    timer_.async_wait(
        [this, generation = generation_, mine = *generation_](const boost::system::error_code& ec) {
          if (ec || *generation != mine) return;
          waiting_ = false;
          pump();
        });
    return;
  }
  const auto gap =
      std::chrono::microseconds(static_cast<std::int64_t>(1e6 / std::max(0.01, api_.requests_per_second())));
  next_at_ = now + gap;
  Call call = std::move(queue_.front());
  queue_.pop_front();
  in_flight_ = true;
  requests_.fetch_add(1, std::memory_order_relaxed);
  HttpRequest request = call.request;
  http_.fetch(std::move(request), [this, call = std::move(call), generation = generation_,
                                   mine = *generation_](HttpResponse response) mutable {
    in_flight_ = false;
    if (*generation != mine) {
      pump();
      return;
    }
    on_answer(std::move(call), std::move(response));
    pump();
  });
}

void HistoryLoader::on_answer(Call call, HttpResponse response) {
  if (response.status == 429 && ++call.attempts < kMaxAttempts) {
    rate_limited_.fetch_add(1, std::memory_order_relaxed);
    const std::int64_t delay =
        std::max(response.retry_after_s * 1000, static_cast<std::int64_t>(backoff_.next().count()));
    spdlog::warn("{}: historical API says too many requests (HTTP 429); retrying in {} ms", api_.name(),
                 delay);
    next_at_ = std::max(next_at_, std::chrono::steady_clock::now() + std::chrono::milliseconds(delay));
    queue_.push_front(std::move(call));
    return;
  }
  if (response.status != 429) backoff_.reset();
  call.done(std::move(response));
}

}  // namespace tickd::core
