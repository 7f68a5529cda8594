#include "snapshot_observer.hpp"

#include "alert_common/atomic_file.hpp"
#include "alert_common/duration.hpp"
#include "alert_common/message_template.hpp"

#include <chrono>
#include <filesystem>

namespace tickd::json_snapshot {
namespace {

TimeMs system_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SnapshotObserver::~SnapshotObserver() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SnapshotObserver::start(Host& host) {
  host_ = &host;
  config_ = parse_snapshot_config(host.config());
  host.info(
      "json_snapshot: writing " + config_.path + " every " + alerts::format_duration(config_.every_ms) +
      (config_.symbols_dir.empty() ? std::string() : ", one file per symbol in " + config_.symbols_dir));
  thread_ = std::thread([this] { run(); });
}

void SnapshotObserver::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(config_.every_ms), [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    write_all();
    lock.lock();
  }
}

void SnapshotObserver::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  write_all();  // the state as the observer last saw it
  host_->info("json_snapshot: " + std::to_string(written_.load()) + " snapshot(s) written, " +
              std::to_string(write_errors_.load()) + " write error(s)");
}

void SnapshotObserver::write_all() {
  const TimeMs now = system_now();
  const std::string iso = alerts::format_time_utc(now);
  const int indent = config_.pretty ? 2 : -1;
  auto fail = [this](const std::string& error) {
    ++write_errors_;
    if (auto text = error_log_.pass("json_snapshot: " + error)) host_->warn(*text);
  };
  nlohmann::json doc = {{"format", "tickd.snapshot"},
                        {"version", 1},
                        {"observer", std::string(host_->name())},
                        {"generated_at", now},
                        {"generated_at_iso", iso},
                        {"symbols", book_.all()}};
  series_ = book_.series();
  if (auto error = alerts::write_file_atomically(config_.path, doc.dump(indent) + "\n"); !error.empty())
    fail(error);
  else
    ++written_;
  if (!config_.symbols_dir.empty()) {
    for (auto& [symbol, entry] : book_.take_changed()) {
      nlohmann::json one = {{"format", "tickd.snapshot.symbol"},
                            {"version", 1},
                            {"generated_at", now},
                            {"generated_at_iso", iso},
                            {"symbol", symbol},
                            {"tick", std::move(entry["tick"])},
                            {"candles", std::move(entry["candles"])}};
      const auto path =
          (std::filesystem::path(config_.symbols_dir) / (file_name_for(symbol) + ".json")).string();
      if (auto error = alerts::write_file_atomically(path, one.dump(indent) + "\n"); !error.empty())
        fail(error);
      else
        ++symbol_files_written_;
    }
  }
  last_write_ms_ = now;
}

std::string SnapshotObserver::file_name_for(std::string_view symbol) {
  std::string out(symbol);
  for (char& c : out) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return out.empty() ? std::string("_") : out;
}

void SnapshotObserver::metrics(Metrics& out) const {
  out.counter("snapshots_written", "Snapshot files written", static_cast<double>(written_.load()));
  out.counter("symbol_files_written", "Per-symbol snapshot files written",
              static_cast<double>(symbol_files_written_.load()));
  out.counter("snapshot_write_errors", "Snapshot writes that failed (the previous file stays)",
              static_cast<double>(write_errors_.load()));
  out.gauge("snapshot_series", "Series in the last snapshot", static_cast<double>(series_.load()));
  out.gauge("snapshot_last_write_ms", "Wall clock of the last snapshot, UTC ms",
            static_cast<double>(last_write_ms_.load()));
}

}  // namespace tickd::json_snapshot
