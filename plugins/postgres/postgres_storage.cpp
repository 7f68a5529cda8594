#include "postgres/postgres_storage.hpp"

#include "postgres/pg_schema.hpp"
#include "storage_common/writer_options.hpp"

#include <algorithm>

namespace tickd::postgres_store {

PostgresStorage::~PostgresStorage() {
  if (probe_.joinable()) probe_.join();
  if (writer_) writer_->stop();
}

ConfigSchema PostgresStorage::config_schema() {
  namespace s = tickd::schema;
  ConfigSchema schema{
      s::string("host", "Server host name or address").default_value("127.0.0.1").non_empty(),
      s::integer("port", "Server port").default_value(5432).range(1, 65535),
      s::string("dbname", "Database").default_value("tickd").non_empty(),
      s::string("user", "Role").default_value("tickd").non_empty(),
      s::string("password", "Password; use ${ENV_NAME} (never logged)").default_value(""),
      s::choice("sslmode", {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"},
                "libpq sslmode")
          .default_value("prefer"),
      s::duration("connect_timeout", "How long a connection attempt may take (whole seconds)")
          .default_value("5s")
          .range("2s", "10m"),
      s::boolean("store_ticks", "Store every tick too").default_value(false),
      s::boolean("store_signals", "Store signals").default_value(true),
  };
  for (auto& key : storage::writer_option_keys(storage::WriterOptions{})) schema.add(key);
  return schema;
}

void PostgresStorage::start(Host& host) {
  host_ = &host;
  const ConfigView config = host.config_view(config_schema());
  endpoint_.host = config.string("host");
  endpoint_.port = static_cast<int>(config.integer("port"));
  endpoint_.dbname = config.string("dbname");
  endpoint_.user = config.string("user");
  endpoint_.password = config.string("password");
  endpoint_.sslmode = config.string("sslmode");
  // libpq takes whole seconds: round up, so a limit is never shortened.
  endpoint_.connect_timeout_s = static_cast<int>((config.duration("connect_timeout").count() + 999) / 1000);
  store_ticks_ = config.boolean("store_ticks");
  store_signals_ = config.boolean("store_signals");
  auto options = storage::read_writer_options(config, storage::WriterOptions{});
  options.lossless = storage::lossless_for(host, options.lossless);

  sink_ = std::make_unique<PgSink>(endpoint_);
  writer_ = std::make_unique<storage::WriterThread>(host, *sink_, options);
  writer_->start();
  check_server(host);
}

void PostgresStorage::check_server(Host& host) {
  // A first connection on a thread of its own: a refusal (wrong password,
  // foreign tables) answers at once and refuses the observer, but a server that
  // accepts and never answers must not hold up the daemon's start for
  // connect_timeout_s. The writer connects on its own when it has records.
  auto probe = std::make_shared<Probe>();
  probe_ = std::thread([probe, endpoint = endpoint_, &host] {
    std::string io_error, config_error;
    try {
      PgConnection connection(endpoint);
      prepare_pg_schema(connection);
    } catch (const PgConfigError& e) {
      config_error = e.what();
    } catch (const std::exception& e) {
      io_error = e.what();
    }
    std::lock_guard<std::mutex> lock(probe->mu);
    probe->io_error = io_error;
    probe->config_error = config_error;
    probe->done = true;
    if (probe->abandoned && !config_error.empty()) host.error(config_error);
    probe->cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(probe->mu);
  if (!probe->cv.wait_for(lock, kStartWait, [&] { return probe->done; })) {
    probe->abandoned = true;
    host.warn("postgres " + endpoint_.describe() + " did not answer within " +
              std::to_string(kStartWait.count()) +
              " ms; records are buffered and the connection retried in the background");
    return;
  }
  if (!probe->config_error.empty()) {
    const std::string error = probe->config_error;
    lock.unlock();
    probe_.join();
    writer_->stop();
    writer_.reset();
    throw PgConfigError(error);  // the observer must not start
  }
  if (!probe->io_error.empty())
    host.warn(probe->io_error + "; records are buffered and the connection retried in the background");
  else
    host.info("connected to postgres " + endpoint_.describe());
}

void PostgresStorage::on_tick(const Tick& tick) {
  if (store_ticks_) writer_->push(tick);
}

void PostgresStorage::on_candle(const Candle& candle) {
  if (candle.closed) writer_->push(candle);
}

void PostgresStorage::on_signal(const Signal& signal) {
  if (store_signals_) writer_->push(signal);
}

void PostgresStorage::stop() {
  if (probe_.joinable()) probe_.join();
  if (!writer_) return;
  const std::size_t lost = writer_->stop();
  if (lost > 0)
    throw std::runtime_error(std::to_string(lost) + " records could not be written to postgres " +
                             endpoint_.describe());
}

std::vector<Candle> PostgresStorage::restore(std::string_view symbol, Interval interval,
                                             std::uint32_t limit) {
  // Its own short-lived connection: the writer's belongs to the writer thread.
  PgConnection connection(endpoint_);
  const std::string sym(symbol);
  const std::string iv = std::to_string(interval.seconds());
  const std::string lim = std::to_string(limit);
  auto r = connection.exec(
      "SELECT open_time, open, high, low, close, volume, quote_volume, vwap, trade_count, flags FROM candles "
      "WHERE symbol = $1 AND interval_s = $2 ORDER BY open_time DESC LIMIT $3",
      {sym.c_str(), iv.c_str(), lim.c_str()});
  std::vector<Candle> out;
  const int rows = PQntuples(r.get());
  out.reserve(static_cast<std::size_t>(rows));
  for (int i = rows - 1; i >= 0; --i) {
    auto at = [&](int col) { return PQgetvalue(r.get(), i, col); };
    Candle c;
    c.symbol = symbol;
    c.interval = interval;
    c.open_time = std::stoll(at(0));
    c.open = std::stod(at(1));
    c.high = std::stod(at(2));
    c.low = std::stod(at(3));
    c.close = std::stod(at(4));
    c.volume = std::stod(at(5));
    c.quote_volume = std::stod(at(6));
    c.vwap = std::stod(at(7));
    c.trade_count = std::stoull(at(8));
    const auto flags = static_cast<std::uint32_t>(std::stoul(at(9)));
    c.set_flags(flags);
    out.push_back(c);
  }
  return out;
}

}  // namespace tickd::postgres_store
