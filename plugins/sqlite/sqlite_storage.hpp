// The `sqlite` observer: stores closed candles (and, if configured, ticks and
// signals) in a local SQLite file in WAL mode, and restores history at start.
//
// Its config keys are declared in config_schema() (`tickd --describe-plugin
// sqlite`). When the writer's buffer (max_buffer) is full the worker WAITS
// (lossless: pair with `overflow: block`).
//
// Writes run on the plugin's own writer thread, one transaction per batch, so
// the worker only queues; a crash loses at most the uncommitted last batch.
#pragma once

#include "sqlite/sqlite_database.hpp"
#include "sqlite/sqlite_sink.hpp"
#include "storage_common/writer_thread.hpp"

#include <tickd/plugin.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace tickd::sqlite_store {

class SqliteStorage : public Observer, public Storage {
 public:
  ~SqliteStorage() override;

  static ConfigSchema config_schema();

  void start(Host& host) override;
  void on_tick(const Tick& tick) override;
  void on_candle(const Candle& candle) override;
  void on_signal(const Signal& signal) override;
  void stop() override;
  void metrics(Metrics& m) const override {
    if (writer_) writer_->report(m);
  }

  // Candles carry `symbol` as their symbol view: valid while the caller's is.
  std::vector<Candle> restore(std::string_view symbol, Interval interval, std::uint32_t limit) override;

  // The absolute path in use (after resolving a relative one).
  const std::string& path() const { return path_; }
  const storage::WriterThread* writer() const { return writer_.get(); }

 private:
  static storage::WriterOptions writer_defaults();

  Host* host_ = nullptr;
  std::string path_;
  bool store_ticks_ = false;
  bool store_signals_ = true;
  std::unique_ptr<SqliteSink> sink_;
  std::unique_ptr<storage::WriterThread> writer_;

  std::mutex restore_mu_;
  std::unique_ptr<Database> reader_;
  std::unique_ptr<Statement> restore_stmt_;
};

}  // namespace tickd::sqlite_store
