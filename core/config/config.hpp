// The daemon's configuration as typed values, after validation.
// Loading and validation live in config_loader.hpp.
#pragma once

#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tickd::core {

// Where a value came from, so that errors found after loading (an unknown
// plugin, a plugin's own config error) can still name file:line:column.
struct SourceMark {
  std::string file;
  int line = 0;             // 1-based; 0 when unknown (embedded default has a name too)
  int column = 0;           // 1-based
  std::string str() const;  // "file:line:column"
};

struct DaemonConfig {
  std::string log_level = "info";  // trace|debug|info|warn|error
  // Searched in order for plugin files. Relative paths are resolved against the
  // config file's folder. Empty means the built-in default (next to the binary).
  std::vector<std::string> plugin_dirs;
  double shutdown_timeout_s = 10;  // deadline to drain observer queues on SIGTERM
  std::string admin_listen;        // "host:port" of the admin HTTP server, "" = off
};

struct SimulatorConfig {
  double ticks_per_second = 20;  // per symbol
  double volatility = 0.0001;    // stddev of the log return per tick
  double start_price = 100;
  std::uint64_t seed = 42;
  double history_hours = 0;  // simulated history generated at start
};

struct ReplayFile {
  std::string path;    // resolved against the config file's folder
  std::string format;  // binance_aggtrades | binance_trades | generic
  std::string symbol;  // for the binance formats (their rows have no symbol)
};

struct ReplayConfig {
  std::vector<ReplayFile> files;
  double speed = 0;  // 0 = as fast as possible, 1 = as recorded, N = N times faster
  bool exit_at_end = false;
};

// What every broker's WebSocket connection shares.
struct BrokerConnectionConfig {
  std::string url;
  std::string ca_file;                         // PEM bundle; empty = the system CA store
  bool verify = true;                          // false: accept any certificate (tests only)
  std::int64_t stale_after_ms = 30000;         // reconnect when nothing arrives for this long; 0 = off
  std::int64_t reconnect_initial_ms = 500;     // first backoff delay
  std::int64_t reconnect_max_ms = 30000;       // backoff ceiling
  std::uint64_t max_message_bytes = 1u << 20;  // larger frames close the connection
};

enum class BinanceSubscribeMode { combined, message };

struct BinanceConfig {
  BrokerConnectionConfig connection;             // url default wss://stream.binance.com:9443/stream
  std::vector<std::string> streams{"aggTrade"};  // trade | aggTrade | kline_<interval>
  BinanceSubscribeMode subscribe_mode = BinanceSubscribeMode::combined;
  std::string rest_url = "https://api.binance.com";
  std::uint32_t bootstrap_klines = 1000;  // per symbol and interval at start-up; 0 = off
  bool backfill = true;                   // fetch missed 1m klines after a reconnect
};

// REST history of the Indian brokers (Kite, SmartAPI): at start-up and after an outage.
struct BrokerHistoryConfig {
  std::string rest_url;
  std::uint32_t bootstrap_candles = 1000;  // per symbol and interval at start-up; 0 = off
  bool backfill = true;                    // fetch the missed candles after a reconnect
};

struct KiteConfig {
  BrokerConnectionConfig connection;  // url default wss://ws.kite.trade
  BrokerHistoryConfig history;        // rest_url default https://api.kite.trade
  std::string api_key;
  std::string access_token;
  std::string access_token_file;  // when set: the token, re-read when the file changes
  std::string mode = "full";      // ltp | quote | full
  std::vector<std::pair<std::uint32_t, std::string>> instruments;  // token -> symbol
  std::string instruments_csv;                                     // Kite's instruments dump
};

struct SmartApiToken {
  int exchange_type = 1;  // 1 nse_cm, 2 nse_fo, 3 bse_cm, 4 bse_fo, 5 mcx_fo, 7 ncx_fo, 13 cde_fo
  std::string token;
  std::string symbol;
};

struct SmartApiConfig {
  BrokerConnectionConfig connection;  // url default wss://smartapisocket.angelone.in/smart-stream
  BrokerHistoryConfig history;        // rest_url default https://apiconnect.angelone.in
  std::string auth_token;
  std::string auth_token_file;  // when set: the JWT, re-read when the file changes
  std::string feed_token_file;  // likewise for the feed token
  std::string api_key;
  std::string client_code;
  std::string feed_token;
  std::string mode = "quote";  // ltp | quote | snapquote
  std::vector<SmartApiToken> tokens;
  std::int64_t heartbeat_ms = 30000;  // text "ping" period
};

struct FeedConfig {
  std::string kind = "simulator";  // simulator | replay | binance | kite | smartapi
  std::vector<std::string> symbols;
  SimulatorConfig simulator;
  ReplayConfig replay;
  BinanceConfig binance;
  KiteConfig kite;
  SmartApiConfig smartapi;
  SourceMark mark;  // the `feed` node
};

enum class LatePolicy { drop, amend };

struct SessionConfig {
  std::string timezone = "UTC";  // IANA name
  // Local session open "HH:MM"; when set, intraday buckets are anchored to it
  // (NSE 09:15 gives hourly bars at 09:15, 10:15, ...), and days start there.
  std::optional<int> open_minute;   // minutes after local midnight
  std::optional<int> close_minute;  // when set, gap fill stays inside [open, close)
  std::vector<int> days;            // trading weekdays, 0 = Sunday .. 6; empty = every day
  // From `calendar: FILE` (e.g. config/calendars/nse.yaml); local dates as yyyymmdd.
  struct SpecialSession {
    int date = 0;          // a day that trades with its own hours (Muhurat trading)
    int open_minute = 0;   // local, minutes after midnight
    int close_minute = 0;  // after open_minute
  };
  std::string calendar;                          // the file, for messages; "" = none
  std::vector<int> holidays;                     // sorted: no session these days
  std::vector<SpecialSession> special_sessions;  // sorted by date
};

struct AggregatorConfig {
  std::vector<Interval> intervals;  // ascending, unique
  std::uint32_t history = 1000;     // candles kept per (symbol, interval)
  SessionConfig session;
  LatePolicy late_ticks = LatePolicy::drop;
  bool gap_fill = false;
  // Flat candles per series for one gap at most (the latest ones); 0 = all, as
  // the exchange's klines have them.
  std::uint32_t gap_fill_max = 0;
  std::int64_t update_throttle_ms = 250;  // min time between updates of one series; 0 = every tick
  std::int64_t close_grace_ms = 1000;     // wall clock past bucket end before a quiet candle closes
  bool close_on_shutdown = true;          // emit open candles as closed (and partial) on exit
};

enum class Overflow { block, drop_ticks };

struct ObserverConfig {
  std::string name;
  std::string plugin;  // plugin name (tickd_<plugin>.so in plugin_dirs) or a file name
  bool enabled = true;
  bool optional = false;             // a load failure is a warning, not fatal
  std::uint32_t events = 0;          // TICKD_EVENT_* mask; default all
  std::vector<std::string> symbols;  // empty = all
  std::vector<Interval> intervals;   // empty = all
  std::uint32_t queue = 65536;       // capacity in events
  Overflow overflow = Overflow::drop_ticks;
  std::uint32_t max_failures = 10;  // consecutive errors before suspension
  nlohmann::json config = nlohmann::json::object();
  SourceMark mark;         // the entry
  SourceMark plugin_mark;  // its `plugin:` value
};

struct Config {
  std::string source;    // file name, or "<embedded>"
  std::string base_dir;  // folder relative paths are resolved against
  DaemonConfig daemon;
  FeedConfig feed;
  AggregatorConfig aggregator;
  std::vector<ObserverConfig> observers;
};

// All problems found, each "file:line:column: message", one per line in what().
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

}  // namespace tickd::core
