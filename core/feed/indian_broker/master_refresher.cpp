#include "feed/indian_broker/master_refresher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace tickd::core {

namespace {
constexpr TimeMs kDayMs = 86'400'000;
}  // namespace

MasterRefresher::MasterRefresher(std::function<MasterSource()> source, std::vector<Named> named,
                                 InstrumentMasterInfo initial, std::function<TimeMs()> clock)
    : make_source_(std::move(source)),
      source_(make_source_()),
      named_(std::move(named)),
      clock_(std::move(clock)),
      info_(std::move(initial)) {}

MasterRefresher::~MasterRefresher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cancel_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MasterRefresher::start() {
  thread_ = std::thread([this] { run(); });
}

InstrumentMasterInfo MasterRefresher::info() const {
  std::lock_guard<std::mutex> lock(mu_);
  return info_;
}

std::size_t MasterRefresher::refreshes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refreshes_;
}

void MasterRefresher::run() {
  constexpr TimeMs kRetryMs = 3'600'000;  // after a failed download: again in an hour
  const TimeMs started = clock_();
  TimeMs due = last_refresh_point(started, source_.refresh_minute) + kDayMs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (info_.source == "stale_cache") due = started + kRetryMs;
  }
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      const TimeMs wait = due - clock_();
      if (wait > 0) cv_.wait_for(lock, std::chrono::milliseconds(wait), [this] { return stop_; });
      if (stop_) return;
      if (clock_() < due) continue;  // woken early
      ++refreshes_;
    }
    const TimeMs now = clock_();
    source_ = make_source_();
    source_.cancel = &cancel_;
    MasterLoad load = load_master(source_, now, true);
    const bool fresh = load.master && load.info.source == "downloaded";
    due = fresh ? last_refresh_point(now, source_.refresh_minute) + kDayMs : now + kRetryMs;
    if (!load.master) {
      // Nothing to fall back on (the cache file vanished): keep what is in use.
      spdlog::warn("{}: daily instrument master refresh failed: {}", source_.broker, load.error);
      continue;
    }
    check(*load.master, now);
    std::lock_guard<std::mutex> lock(mu_);
    info_ = load.info;
  }
}

std::vector<std::string> MasterRefresher::expired() const {
  std::lock_guard<std::mutex> lock(mu_);
  return expired_;
}

void MasterRefresher::mark_expired(const Named& n, int expiry) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (std::find(expired_.begin(), expired_.end(), n.name) != expired_.end()) return;  // said once
    expired_.push_back(n.name);
  }
  spdlog::warn("{}: '{}' (token {}) expired on {}; it is unsubscribed - name a live contract in feed.symbols",
               source_.broker, n.name, n.token, format_yyyymmdd(expiry));
}

void MasterRefresher::check(const InstrumentMaster& master, TimeMs now) {
  const int today = ist_date(now);
  const std::string suffix = source_.broker == "smartapi" ? "-EQ" : "";
  for (const Named& n : named_) {
    const auto found = master.find(n.name, today, suffix);
    if (!found.instrument && n.expiry > 0 && n.expiry < today)
      mark_expired(n, n.expiry);  // Kite lists live contracts only: an expired one just leaves
    else if (!found.instrument)
      spdlog::warn(
          "{}: '{}' is no longer in the instrument master; its token {} stays subscribed until a restart",
          source_.broker, n.name, n.token);
    else if (found.expired)
      mark_expired(n, found.instrument->expiry);
    else if (found.instrument->token != n.token)
      spdlog::warn("{}: '{}' now has token {} (subscribed: {}); a restart subscribes the new one",
                   source_.broker, n.name, found.instrument->token, n.token);
  }
}

}  // namespace tickd::core
