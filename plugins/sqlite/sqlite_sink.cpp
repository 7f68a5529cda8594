#include "sqlite/sqlite_sink.hpp"

#include <utility>
#include <variant>

namespace tickd::sqlite_store {

namespace {

const char* const kUpsertCandle = R"sql(
INSERT INTO candles(symbol, interval_s, open_time, open, high, low, close, volume, quote_volume, vwap,
                    trade_count, flags)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
ON CONFLICT(symbol, interval_s, open_time) DO UPDATE SET
  open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
  volume = excluded.volume, quote_volume = excluded.quote_volume, vwap = excluded.vwap,
  trade_count = excluded.trade_count, flags = excluded.flags)sql";

// Ticks without an exchange trade id cannot be told apart from a replayed copy;
// the partial unique index deduplicates the rest.
const char* const kInsertTick = R"sql(
INSERT OR IGNORE INTO ticks(symbol, time, price, quantity, trade_id, trade_count, side)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7))sql";

const char* const kUpsertSignal = R"sql(
INSERT INTO signals(source, symbol, interval_s, time, side, strength, price, text)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT(source, symbol, interval_s, time, side) DO UPDATE SET
  strength = excluded.strength, price = excluded.price, text = excluded.text)sql";

}  // namespace

SqliteSink::SqliteSink(std::unique_ptr<Database> db)
    : db_(std::move(db)),
      begin_(*db_, "BEGIN IMMEDIATE"),
      commit_(*db_, "COMMIT"),
      upsert_candle_(*db_, kUpsertCandle),
      insert_tick_(*db_, kInsertTick),
      upsert_signal_(*db_, kUpsertSignal) {}

void SqliteSink::write(const std::vector<storage::Record>& batch) {
  begin_.run();
  try {
    for (const auto& record : batch) std::visit([this](const auto& r) { write_one(r); }, record);
    commit_.run();
  } catch (...) {
    // A failed COMMIT may leave the transaction open; end it so the retry can BEGIN.
    if (!sqlite3_get_autocommit(db_->handle()))
      sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void SqliteSink::write_one(const Candle& c) {
  upsert_candle_.bind(1, c.symbol)
      .bind(2, static_cast<std::int64_t>(c.interval.seconds()))
      .bind(3, static_cast<std::int64_t>(c.open_time))
      .bind(4, c.open)
      .bind(5, c.high)
      .bind(6, c.low)
      .bind(7, c.close)
      .bind(8, c.volume)
      .bind(9, c.quote_volume)
      .bind(10, c.vwap)
      .bind(11, static_cast<std::int64_t>(c.trade_count))
      .bind(12, static_cast<std::int64_t>(c.flags()));
  upsert_candle_.run();
}

void SqliteSink::write_one(const Tick& t) {
  insert_tick_.bind(1, t.symbol)
      .bind(2, static_cast<std::int64_t>(t.time))
      .bind(3, t.price)
      .bind(4, t.quantity)
      .bind(5, static_cast<std::int64_t>(t.trade_id))
      .bind(6, static_cast<std::int64_t>(t.trade_count))
      .bind(7, static_cast<std::int64_t>(t.side));
  insert_tick_.run();
}

void SqliteSink::write_one(const Signal& s) {
  upsert_signal_.bind(1, std::string_view(s.source))
      .bind(2, std::string_view(s.symbol))
      .bind(3, static_cast<std::int64_t>(s.interval.seconds()))
      .bind(4, static_cast<std::int64_t>(s.time))
      .bind(5, side_name(s.side))
      .bind(6, s.strength)
      .bind(7, s.price)
      .bind(8, std::string_view(s.text));
  upsert_signal_.run();
}

}  // namespace tickd::sqlite_store
