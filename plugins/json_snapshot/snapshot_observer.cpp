#include "snapshot_observer.hpp"

#include "alert_common/alert_engine.hpp"
#include "alert_common/atomic_file.hpp"
#include "alert_common/message_template.hpp"

#include <tickd/duration.hpp>
#include <tickd/wire/json_writer.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>

namespace tickd::json_snapshot {
namespace {

// The compact text re-indented, keys in the order written.
std::string indented(const std::string& text) { return nlohmann::ordered_json::parse(text).dump(2) + "\n"; }

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
  config_ = read_snapshot_config(host.config_view(config_schema()));
  host.info(
      "json_snapshot: writing " + config_.path + " every " + format_duration(config_.every_ms) +
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
  const TimeMs now = alerts::wall_clock_ms();
  const std::string iso = alerts::format_time_utc(now);
  auto write = [this](const std::string& path, std::atomic<std::uint64_t>& written) {
    if (config_.pretty) text_ = indented(text_);
    if (auto error = alerts::write_file_atomically(path, text_); !error.empty()) {
      ++write_errors_;
      if (auto line = error_log_.pass("json_snapshot: " + error)) host_->warn(*line);
    } else {
      ++written;
    }
  };
  // "generated_at" and "generated_at_iso", with the comma before them.
  auto generated = [&] {
    text_ += ",\"generated_at\":";
    wire::append_integer(text_, now);
    text_ += ",\"generated_at_iso\":";
    wire::append_string(text_, iso);
  };
  text_.assign("{\"format\":\"tickd.snapshot\",\"version\":1,\"observer\":");
  wire::append_string(text_, host_->name());
  generated();
  text_ += ",\"symbols\":";
  book_.append_all(text_);
  text_ += "}\n";
  series_ = book_.series();
  write(config_.path, written_);
  if (!config_.symbols_dir.empty()) {
    for (const auto& [symbol, fields] : book_.take_changed()) {
      text_.assign("{\"format\":\"tickd.snapshot.symbol\",\"version\":1");
      generated();
      text_ += ",\"symbol\":";
      wire::append_string(text_, symbol);
      text_ += ',';
      text_ += fields;
      text_ += "}\n";
      write((std::filesystem::path(config_.symbols_dir) / (file_name_for(symbol) + ".json")).string(),
            symbol_files_written_);
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
