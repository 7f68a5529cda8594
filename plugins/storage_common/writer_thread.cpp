#include "storage_common/writer_thread.hpp"

#include <tickd/backoff.hpp>

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

namespace tickd::storage {

namespace {
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
constexpr auto kOverflowReportEvery = std::chrono::seconds(10);
}  // namespace

bool lossless_for(const Host& host, bool fallback) { return host.lossless().value_or(fallback); }

void WriterThread::report(Metrics& m) const {
  m.counter("records_written", "Records written to the store", static_cast<double>(written_.load()));
  m.counter("write_failures", "Batch writes that failed (each retried)",
            static_cast<double>(failures_.load()));
  m.at_risk("records_buffered", "Records waiting for the writer",
            static_cast<double>(queue_.size() + in_flight_.load()));
  m.loss("records_dropped", "Records dropped from a full buffer (overflow drop_ticks)",
         static_cast<double>(queue_.dropped()));
  m.loss("records_unwritten_at_stop", "Records still unwritten when stop_timeout ran out",
         static_cast<double>(lost_.load()));
}

WriterThread::WriterThread(const Host& host, BatchSink& sink, WriterOptions options)
    : host_(host),
      sink_(sink),
      options_(options),
      queue_(options.max_buffer, options.batch_size, options.max_delay, options.lossless) {}

WriterThread::~WriterThread() { stop(); }

void WriterThread::start() {
  thread_ = std::thread([this] { run(); });
}

bool WriterThread::push(Record record) { return queue_.push(std::move(record)); }

std::size_t WriterThread::stop() {
  if (!thread_.joinable()) return lost_.load();
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
    stop_deadline_ = Clock::now() + options_.stop_timeout;
  }
  stop_cv_.notify_all();
  queue_.close();
  thread_.join();
  return lost_.load();
}

bool WriterThread::give_up() const {
  std::lock_guard<std::mutex> lock(stop_mu_);
  return stopping_ && Clock::now() >= stop_deadline_;
}

void WriterThread::report_overflow(bool force) {
  const std::size_t dropped = queue_.dropped();
  if (dropped == reported_dropped_) return;
  const auto now = Clock::now();
  if (!force && reported_dropped_ != 0 && now - last_overflow_report_ < kOverflowReportEvery) return;
  host_.error("buffer full (max_buffer " + std::to_string(options_.max_buffer) + "): dropped " +
              std::to_string(dropped - reported_dropped_) + " oldest records (" + std::to_string(dropped) +
              " in total)");
  reported_dropped_ = dropped;
  last_overflow_report_ = now;
}

void WriterThread::run() {
  Backoff backoff(options_.retry_initial, options_.retry_max);
  std::vector<Record> batch;
  std::size_t failed_in_row = 0;
  std::string last_error;
  for (;;) {
    if (batch.empty() && !queue_.take_batch(batch)) break;
    in_flight_ = batch.size();
    try {
      sink_.write(batch);
      written_ += batch.size();
      batch.clear();
      in_flight_ = 0;
      if (failed_in_row > 0)
        host_.info("write recovered after " + std::to_string(failed_in_row) + " failed attempts; " +
                   std::to_string(queue_.size()) + " records queued");
      failed_in_row = 0;
      backoff.reset();
      report_overflow(false);
      continue;
    } catch (const std::exception& e) {
      last_error = e.what();
    } catch (...) {
      last_error = "non-standard exception";
    }
    ++failures_;
    ++failed_in_row;
    report_overflow(false);
    if (give_up()) break;
    const auto delay = backoff.next();
    // Log the first failure and then only as the delay grows, so a server that
    // stays away for hours does not flood the log.
    if (failed_in_row == 1 || delay < options_.retry_max)
      host_.warn("write failed (attempt " + std::to_string(failed_in_row) + ", retrying in " +
                 std::to_string(delay.count()) + " ms, " + std::to_string(batch.size() + queue_.size()) +
                 " records waiting): " + last_error);
    std::unique_lock<std::mutex> lock(stop_mu_);
    // A stop request cuts the wait short (one more attempt right away); once
    // stopping, no wait runs past the deadline.
    const bool was_stopping = stopping_;
    const auto until = Clock::now() + delay;
    stop_cv_.wait_until(lock, stopping_ ? std::min(until, stop_deadline_) : until,
                        [&] { return stopping_ != was_stopping; });
  }
  report_overflow(true);
  lost_ = batch.size() + queue_.size();
  in_flight_ = 0;
  if (lost_ > 0)
    host_.error("stopping with " + std::to_string(lost_.load()) + " records not written (gave up after " +
                std::to_string(options_.stop_timeout.count()) + " ms): " + last_error);
}

}  // namespace tickd::storage
