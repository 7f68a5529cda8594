#include "sqlite/sqlite_storage.hpp"

#include "sqlite/sqlite_schema.hpp"
#include "storage_common/writer_options.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace tickd::sqlite_store {

namespace fs = std::filesystem;

namespace {

// Resolves against the working directory and checks the folder, so the error
// says which directory is wrong rather than SQLite's bare "unable to open".
std::string resolve_path(const std::string& configured) {
  if (configured.empty()) throw std::runtime_error("sqlite config: 'path' must not be empty");
  std::error_code ec;
  const fs::path absolute = fs::absolute(configured, ec);
  if (ec)
    throw std::runtime_error("sqlite config: cannot resolve path '" + configured + "': " + ec.message());
  const fs::path dir = absolute.parent_path();
  const std::string origin =
      "'" + configured + "' (resolved against the daemon's working directory to '" + absolute.string() + "')";
  if (!fs::exists(dir, ec))
    throw std::runtime_error("sqlite path " + origin + ": directory '" + dir.string() + "' does not exist");
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("sqlite path " + origin + ": '" + dir.string() + "' is not a directory");
  if (fs::exists(absolute, ec) && fs::is_directory(absolute, ec))
    throw std::runtime_error("sqlite path " + origin + " is a directory, not a database file");
  return absolute.string();
}

std::unique_ptr<Database> open_for_writing(const std::string& path, std::int64_t busy_timeout_ms) {
  auto db =
      std::make_unique<Database>(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  sqlite3_busy_timeout(db->handle(), static_cast<int>(busy_timeout_ms));
  // WAL: readers (restore, other processes) never block the writer, and with
  // synchronous=NORMAL a commit is durable against a process crash (an OS crash
  // may lose the last commits, never corrupt the file).
  Statement wal(*db, "PRAGMA journal_mode=WAL");
  if (!wal.step() || wal.text_at(0) != "wal")
    throw std::runtime_error("sqlite '" + path + "': cannot switch to WAL journal mode");
  wal.reset();
  db->exec("PRAGMA synchronous=NORMAL");
  // Each checkpoint costs an fsync; checkpointing every ~16 MB instead of the
  // default ~4 MB keeps bursts (a replay) from paying one every few batches.
  db->exec("PRAGMA wal_autocheckpoint=4000");
  db->exec("PRAGMA cache_size=-16384");
  return db;
}

}  // namespace

SqliteStorage::~SqliteStorage() {
  if (writer_) writer_->stop();
}

ConfigSchema SqliteStorage::config_schema() {
  namespace s = tickd::schema;
  ConfigSchema schema{
      s::string("path", "Database file; a relative path resolves against the daemon's working directory")
          .default_value("tickd.db")
          .non_empty(),
      s::boolean("store_ticks", "Store every tick too").default_value(false),
      s::boolean("store_signals", "Store signals").default_value(true),
      s::duration("busy_timeout", "How long a write waits for another process's lock")
          .default_value("5s")
          .range("0s", "10m"),
  };
  for (auto& key : storage::writer_option_keys(writer_defaults())) schema.add(key);
  return schema;
}

storage::WriterOptions SqliteStorage::writer_defaults() {
  storage::WriterOptions defaults;
  defaults.lossless = true;
  // Larger transactions amortize the commit; max_delay still bounds latency.
  defaults.batch_size = 1000;
  defaults.stop_timeout = std::chrono::milliseconds(10000);
  return defaults;
}

void SqliteStorage::start(Host& host) {
  host_ = &host;
  const ConfigView config = host.config_view(config_schema());
  path_ = resolve_path(config.string("path"));
  store_ticks_ = config.boolean("store_ticks");
  store_signals_ = config.boolean("store_signals");
  const auto busy_timeout_ms = config.duration("busy_timeout").count();
  auto options = storage::read_writer_options(config, writer_defaults());
  options.lossless = storage::lossless_for(host, options.lossless);

  auto db = open_for_writing(path_, busy_timeout_ms);
  prepare_schema(*db);
  sink_ = std::make_unique<SqliteSink>(std::move(db));
  writer_ = std::make_unique<storage::WriterThread>(host, *sink_, options);
  writer_->start();
  host.info("sqlite store at " + path_ + " (schema version " + std::to_string(latest_schema_version()) + ")");
}

void SqliteStorage::on_tick(const Tick& tick) {
  if (store_ticks_) writer_->push(tick);
}

void SqliteStorage::on_candle(const Candle& candle) {
  // Only final candles are stored; updates of the open one would be rewritten
  // many times a second for nothing.
  if (candle.closed) writer_->push(candle);
}

void SqliteStorage::on_signal(const Signal& signal) {
  if (store_signals_) writer_->push(signal);
}

void SqliteStorage::stop() {
  if (!writer_) return;
  const std::size_t lost = writer_->stop();
  {
    std::lock_guard<std::mutex> lock(restore_mu_);
    restore_stmt_.reset();
    reader_.reset();
  }
  if (lost > 0) throw std::runtime_error(std::to_string(lost) + " records could not be written to " + path_);
}

std::vector<Candle> SqliteStorage::restore(std::string_view symbol, Interval interval, std::uint32_t limit) {
  std::lock_guard<std::mutex> lock(restore_mu_);
  if (path_.empty()) throw std::runtime_error("sqlite restore called before start");
  if (!reader_) {
    reader_ = std::make_unique<Database>(path_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
    restore_stmt_ = std::make_unique<Statement>(*reader_, R"sql(
SELECT open_time, open, high, low, close, volume, quote_volume, vwap, trade_count, flags
FROM candles WHERE symbol = ?1 AND interval_s = ?2 ORDER BY open_time DESC LIMIT ?3)sql");
  }
  std::vector<Candle> out;
  Statement& q = *restore_stmt_;
  q.bind(1, symbol)
      .bind(2, static_cast<std::int64_t>(interval.seconds()))
      .bind(3, static_cast<std::int64_t>(limit));
  try {
    while (q.step()) {
      Candle c;
      c.symbol = symbol;
      c.interval = interval;
      c.open_time = q.int_at(0);
      c.open = q.double_at(1);
      c.high = q.double_at(2);
      c.low = q.double_at(3);
      c.close = q.double_at(4);
      c.volume = q.double_at(5);
      c.quote_volume = q.double_at(6);
      // Rows from schema version 1 have no vwap.
      c.vwap = !q.null_at(7) ? q.double_at(7) : (c.volume > 0 ? c.quote_volume / c.volume : c.close);
      c.trade_count = static_cast<std::uint64_t>(q.int_at(8));
      const auto flags = static_cast<std::uint32_t>(q.int_at(9));
      c.set_flags(flags);
      out.push_back(c);
    }
  } catch (...) {
    q.reset();
    throw;
  }
  q.reset();
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace tickd::sqlite_store
