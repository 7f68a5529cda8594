// Writes batches of records into the SQLite store, one transaction per batch,
// with prepared upserts: a candle or signal written twice (a replay, a retried
// batch, an amended candle) replaces the row instead of duplicating it.
#pragma once

#include "sqlite/sqlite_database.hpp"
#include "storage_common/writer_thread.hpp"

#include <memory>
#include <vector>

namespace tickd::sqlite_store {

class SqliteSink : public storage::BatchSink {
 public:
  // Takes the connection prepare_schema() brought up to date; from now on only
  // the writer thread uses it.
  explicit SqliteSink(std::unique_ptr<Database> db);

  void write(const std::vector<storage::Record>& batch) override;

 private:
  void write_one(const Candle& candle);
  void write_one(const Tick& tick);
  void write_one(const Signal& signal);

  std::unique_ptr<Database> db_;
  Statement begin_;
  Statement commit_;
  Statement upsert_candle_;
  Statement insert_tick_;
  Statement upsert_signal_;
};

}  // namespace tickd::sqlite_store
