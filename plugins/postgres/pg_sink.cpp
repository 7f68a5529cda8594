#include "postgres/pg_sink.hpp"

#include "postgres/pg_schema.hpp"

#include <cstdio>
#include <map>
#include <tuple>
#include <utility>
#include <variant>

namespace tickd::postgres_store {

namespace {

// PostgreSQL allows 65535 parameters per statement; 1000 rows of 12 stay far below.
constexpr std::size_t kRowsPerStatement = 1000;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
std::string num(std::int64_t v) { return std::to_string(v); }

const char* const kCandleHead =
    "INSERT INTO candles(symbol, interval_s, open_time, open, high, low, close, volume, quote_volume, vwap, "
    "trade_count, flags)";
const char* const kCandleTail =
    " ON CONFLICT(symbol, interval_s, open_time) DO UPDATE SET open = excluded.open, high = excluded.high, "
    "low = excluded.low, close = excluded.close, volume = excluded.volume, quote_volume = "
    "excluded.quote_volume, "
    "vwap = excluded.vwap, trade_count = excluded.trade_count, flags = excluded.flags";
const char* const kTickHead = "INSERT INTO ticks(symbol, time, price, quantity, trade_id, trade_count, side)";
const char* const kTickTail = " ON CONFLICT DO NOTHING";
const char* const kSignalHead =
    "INSERT INTO signals(source, symbol, interval_s, time, side, strength, price, text)";
const char* const kSignalTail =
    " ON CONFLICT(source, symbol, interval_s, time, side) DO UPDATE SET strength = excluded.strength, "
    "price = excluded.price, text = excluded.text";

}  // namespace

PgSink::PgSink(PgEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

void PgSink::connect() {
  if (connection_ && connection_->ok()) return;
  connection_.reset();
  auto connection = std::make_unique<PgConnection>(endpoint_);
  prepare_pg_schema(*connection);
  connection_ = std::move(connection);
}

void PgSink::insert_rows(const std::string& head, std::size_t columns, const std::vector<std::string>& values,
                         const std::string& tail) {
  const std::size_t rows = values.size() / columns;
  for (std::size_t first = 0; first < rows; first += kRowsPerStatement) {
    const std::size_t last = std::min(rows, first + kRowsPerStatement);
    std::string sql = head + " VALUES ";
    std::vector<const char*> params;
    std::size_t n = 0;
    for (std::size_t row = first; row < last; ++row) {
      sql += row == first ? "(" : ",(";
      for (std::size_t c = 0; c < columns; ++c) {
        sql += (c ? ",$" : "$") + std::to_string(++n);
        params.push_back(values[row * columns + c].c_str());
      }
      sql += ')';
    }
    connection_->exec(sql + tail, params);
  }
}

void PgSink::write(const std::vector<storage::Record>& batch) {
  // One statement may not upsert a key twice: keep the last version of each.
  std::map<std::tuple<std::string_view, std::int64_t, TimeMs>, const Candle*> candles;
  std::map<std::tuple<std::string_view, std::string_view, std::int64_t, TimeMs, Side>, const Signal*> signals;
  std::vector<std::string> tick_values;
  for (const auto& record : batch) {
    if (const auto* c = std::get_if<Candle>(&record)) {
      candles[{c->symbol, c->interval.seconds(), c->open_time}] = c;
    } else if (const auto* s = std::get_if<Signal>(&record)) {
      signals[{s->source, s->symbol, s->interval.seconds(), s->time, s->side}] = s;
    } else if (const auto* t = std::get_if<Tick>(&record)) {
      for (auto v : {std::string(t->symbol), num(t->time), num(t->price), num(t->quantity), num(t->trade_id),
                     num(static_cast<std::int64_t>(t->trade_count)), num(static_cast<std::int64_t>(t->side))})
        tick_values.push_back(std::move(v));
    }
  }
  std::vector<std::string> candle_values;
  for (const auto& [key, c] : candles) {
    const std::int64_t flags = c->flags();
    for (auto v : {std::string(c->symbol), num(c->interval.seconds()), num(c->open_time), num(c->open),
                   num(c->high), num(c->low), num(c->close), num(c->volume), num(c->quote_volume),
                   num(c->vwap), num(static_cast<std::int64_t>(c->trade_count)), num(flags)})
      candle_values.push_back(std::move(v));
  }
  std::vector<std::string> signal_values;
  for (const auto& [key, s] : signals)
    for (auto v : {s->source, s->symbol, num(s->interval.seconds()), num(s->time),
                   std::string(side_name(s->side)), num(s->strength), num(s->price), s->text})
      signal_values.push_back(std::move(v));

  try {
    connect();
    connection_->exec("BEGIN");
    insert_rows(kCandleHead, 12, candle_values, kCandleTail);
    insert_rows(kTickHead, 7, tick_values, kTickTail);
    insert_rows(kSignalHead, 8, signal_values, kSignalTail);
    connection_->exec("COMMIT");
  } catch (const PgIoError&) {
    connection_.reset();
    throw;
  } catch (...) {
    if (connection_ && connection_->ok()) {
      try {
        connection_->exec("ROLLBACK");
      } catch (...) {
        connection_.reset();
      }
    }
    throw;
  }
}

}  // namespace tickd::postgres_store
