// The `postgres` observer: stores closed candles, signals and optionally ticks
// in PostgreSQL, and restores history at start.
//
// Its config keys are declared in config_schema() (`tickd --describe-plugin
// postgres`). Records queue while the server is away (max_buffer); when full
// the OLDEST is dropped (counted and logged).
//
// Unreachable at start, or no answer within kStartWait: a warning, and the
// writer keeps retrying with backoff while candles queue. Refused at start
// (wrong password, unknown role or database, foreign tables): an error, the
// observer is not started (or, when the refusal comes after kStartWait, an
// error in the log).
#pragma once

#include "postgres/pg_connection.hpp"
#include "postgres/pg_sink.hpp"
#include "storage_common/writer_thread.hpp"

#include <tickd/plugin.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace tickd::postgres_store {

class PostgresStorage : public Observer, public Storage {
 public:
  ~PostgresStorage() override;

  static ConfigSchema config_schema();

  void start(Host& host) override;
  void on_tick(const Tick& tick) override;
  void on_candle(const Candle& candle) override;
  void on_signal(const Signal& signal) override;
  void stop() override;
  void metrics(Metrics& m) const override {
    if (writer_) writer_->report(m);
  }
  std::vector<Candle> restore(std::string_view symbol, Interval interval, std::uint32_t limit) override;

  const storage::WriterThread* writer() const { return writer_.get(); }

 private:
  static constexpr std::chrono::milliseconds kStartWait{1000};
  struct Probe {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    bool abandoned = false;
    std::string io_error;
    std::string config_error;
  };
  void check_server(Host& host);

  Host* host_ = nullptr;
  PgEndpoint endpoint_;
  bool store_ticks_ = false;
  bool store_signals_ = true;
  std::unique_ptr<PgSink> sink_;
  std::unique_ptr<storage::WriterThread> writer_;
  std::thread probe_;  // the first connection, joined by stop()
};

}  // namespace tickd::postgres_store
