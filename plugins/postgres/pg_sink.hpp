// Writes batches into PostgreSQL: one transaction per batch with multi-row
// upserts (INSERT ... VALUES (...),(...) ON CONFLICT DO UPDATE), so a resent
// batch or an amended candle replaces rows instead of duplicating them.
// Reconnects (and re-checks the schema) after the server went away.
#pragma once

#include "postgres/pg_connection.hpp"
#include "storage_common/writer_thread.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tickd::postgres_store {

class PgSink : public storage::BatchSink {
 public:
  explicit PgSink(PgEndpoint endpoint);

  // Connects and prepares the schema if not connected. Throws PgIoError when
  // the server is unreachable, PgConfigError when it refuses us.
  void connect();
  void write(const std::vector<storage::Record>& batch) override;

 private:
  // Runs `head VALUES (...),(...) tail` over rows of `columns` text values each.
  void insert_rows(const std::string& head, std::size_t columns, const std::vector<std::string>& values,
                   const std::string& tail);

  PgEndpoint endpoint_;
  std::unique_ptr<PgConnection> connection_;
};

}  // namespace tickd::postgres_store
