// The json_snapshot observer: keeps the latest tick and candles of every
// series (SnapshotBook, on the worker) and writes them as JSON every `every`
// from a thread of its own, atomically, so a reader never sees half a file
// and a slow disk never holds up the worker.
#pragma once

#include "snapshot_book.hpp"
#include "snapshot_config.hpp"

#include <tickd/log_throttle.hpp>
#include <tickd/plugin.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace tickd::json_snapshot {

class SnapshotObserver : public Observer {
 public:
  ~SnapshotObserver() override;

  static ConfigSchema config_schema() { return snapshot_config_schema(); }

  void start(Host& host) override;
  void on_tick(const Tick& tick) override { book_.on_tick(tick); }
  void on_candle(const Candle& candle) override { book_.on_candle(candle); }
  void stop() override;
  void metrics(Metrics& out) const override;

  // File name for a symbol's own file: characters other than [A-Za-z0-9_-]
  // become '_', so "NSE:INFY" is NSE_INFY.json and no symbol leaves the folder.
  static std::string file_name_for(std::string_view symbol);

 private:
  void run();
  void write_all();

  Host* host_ = nullptr;
  SnapshotConfig config_;
  SnapshotBook book_;
  LogThrottle error_log_{1, std::chrono::minutes(1)};  // the writer thread's
  std::string text_;                                   // the writer thread's buffer

  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> symbol_files_written_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  std::atomic<std::uint64_t> series_{0};
  std::atomic<std::int64_t> last_write_ms_{0};

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tickd::json_snapshot
