// The daemon's configuration as typed values, after validation.
// Loading and validation live in config_loader.hpp.
#pragma once

#include "model/overflow.hpp"

#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
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

// Where each value of an observer's `config:` block is in the YAML, by JSON
// pointer ("/rules/0/fast"), so a problem the plugin's schema finds after
// loading still names its file:line:column.
struct ConfigPositions {
  std::map<std::string, SourceMark> values;
  std::map<std::string, SourceMark> keys;
  SourceMark block;  // the `config:` value (or the observer entry when there is none)

  // The position of the value (or its key), else of the nearest enclosing value.
  SourceMark at(const std::string& pointer, bool key) const;
};

struct DaemonConfig {
  std::string log_level = "info";  // trace|debug|info|warn|error
  // Searched in order for plugin files. Relative paths are resolved against the
  // config file's folder. Empty means the built-in default (next to the binary).
  std::vector<std::string> plugin_dirs;
  double shutdown_timeout_s = 10;  // deadline to drain observer queues on SIGTERM
  std::string admin_listen;        // "host:port" of the admin HTTP server, "" = off
  // Longest start-up wait for history from a store; past it the daemon starts
  // with the series restored so far.
  double warmup_timeout_s = 5;
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

// How Kite and SmartAPI spread their instruments over WebSocket connections;
// the defaults are each broker's documented limits (docs/BROKERS.md).
struct BrokerShardingConfig {
  std::uint32_t instruments_per_connection = 0;
  std::uint32_t max_connections = 0;
};

// The broker's instrument master (Kite GET /instruments, Angel One's
// OpenAPIScripMaster.json): names in feed.symbols resolve through it. It is
// downloaded into a cache file, used again while fresh (fetched after the
// latest `refresh_at` in IST), and used stale when a download fails.
struct InstrumentMasterConfig {
  std::string url;                   // default: the broker's
  std::string cache_dir;             // "" = $STATE_DIRECTORY, else the working directory
  int refresh_minute = 8 * 60 + 30;  // IST minutes after midnight ("08:30")
  std::uint64_t max_bytes = 0;       // largest master accepted (after gunzip); 0 = the broker's default
  std::int64_t timeout_ms = 120000;  // one download
};

// Where the instruments named in feed.symbols came from, for the log and /health.
struct InstrumentMasterInfo {
  std::string source;  // "" (no names to resolve) | downloaded | cache | stale_cache | file
  std::size_t instruments = 0;
  std::int64_t fetched_at_ms = 0;  // when the master was downloaded (cache file time)
  std::string note;                // why a stale copy is in use
};

struct KiteConfig {
  BrokerConnectionConfig connection;  // url default wss://ws.kite.trade
  BrokerHistoryConfig history;        // rest_url default https://api.kite.trade
  BrokerShardingConfig sharding{3000, 3};
  std::string api_key;
  std::string access_token;
  std::string access_token_file;  // when set: the token, re-read when the file changes
  std::string mode = "full";      // ltp | quote | full
  std::vector<std::pair<std::uint32_t, std::string>> instruments;  // token -> symbol
  std::string instruments_csv;  // a local copy of the instruments CSV instead of the download
  InstrumentMasterConfig instrument_master;
};

struct SmartApiToken {
  int exchange_type = 1;  // 1 nse_cm, 2 nse_fo, 3 bse_cm, 4 bse_fo, 5 mcx_fo, 7 ncx_fo, 13 cde_fo
  std::string token;
  std::string symbol;
};

struct SmartApiConfig {
  BrokerConnectionConfig connection;  // url default wss://smartapisocket.angelone.in/smart-stream
  BrokerHistoryConfig history;        // rest_url default https://apiconnect.angelone.in
  BrokerShardingConfig sharding{1000, 3};
  std::string auth_token;
  std::string auth_token_file;  // when set: the JWT, re-read when the file changes
  std::string feed_token_file;  // likewise for the feed token
  std::string api_key;
  std::string client_code;
  std::string feed_token;
  std::string mode = "quote";  // ltp | quote | snapquote
  std::vector<SmartApiToken> tokens;
  std::int64_t heartbeat_ms = 30000;  // text "ping" period
  InstrumentMasterConfig instrument_master;
};

// feed.kind: nats - candles (and optionally ticks) from other tickd daemons
// over NATS JetStream (docs/SCALING.md).
struct NatsFeedConfig {
  std::vector<std::string> servers{"nats://127.0.0.1:4222"};
  std::string prefix = "tickd";
  std::string stream = "TICKD";
  std::vector<Interval> intervals;  // empty: the aggregator's
  bool updates = true;
  bool ticks = false;
  bool signals = false;  // other daemons' signals, from the stream, from the start on
  // Credentials (from ${ENV}) and TLS, as in the nats observer.
  std::string user, password, token, creds_file, nkey_public, nkey_seed_file;
  std::string ca_file, cert_file, key_file;
  std::int64_t reconnect_wait_ms = 500;
};

// The plausibility gate every feed's ticks and candles pass before the
// aggregator (feed/tick_gate.hpp says what each rule rejects).
struct GateConfig {
  std::int64_t max_ahead_ms = 5 * 60 * 1000;  // later than the wall clock by more: rejected
  // Live feeds: older than the wall clock by more: rejected; 0 = off. The
  // config loader makes kLiveMaxBehindMs the default of the live broker feeds.
  std::int64_t max_behind_ms = 0;
  static constexpr std::int64_t kLiveMaxBehindMs = 24LL * 60 * 60 * 1000;
  std::int64_t max_jump_ms = 60 * 60 * 1000;  // replays: a jump this large waits for the next tick; 0 = off
  double max_price = 1e15;
  double max_quantity = 1e15;
  double price_band = 0;  // largest move from a symbol's last accepted price, as a fraction; 0 = off
  // A move beyond the band is taken as real at the Nth tick outside it in a
  // row (the first N-1 are rejected), when they all come within the window of
  // the first (0 = any time apart); otherwise the count starts again.
  std::uint32_t price_band_confirm = 3;
  std::int64_t price_band_window_ms = 0;
};

struct FeedConfig {
  std::string kind = "simulator";  // simulator | replay | binance | kite | smartapi | nats
  std::vector<std::string> symbols;
  std::vector<SourceMark> symbol_marks;  // of each feed.symbols item (same order), when from the file
  // Kite, SmartAPI: the names of feed.symbols resolved to tokens (after loading,
  // feed/indian_broker/instrument_names.hpp) came from this master.
  InstrumentMasterInfo resolved_from;
  struct ResolvedName {
    std::string name;
    std::string token;
    int expiry = 0;  // yyyymmdd of a derivative; 0 = none
  };
  std::vector<ResolvedName> resolved_names;
  GateConfig gate;
  SimulatorConfig simulator;
  ReplayConfig replay;
  BinanceConfig binance;
  KiteConfig kite;
  SmartApiConfig smartapi;
  NatsFeedConfig nats;
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

// An observer run as a child process (docs/PROCESS_OBSERVERS.md): a program
// named by `command`, or a plugin under `isolation: process`.
struct ProcessConfig {
  std::vector<std::string> command;  // program and arguments; empty for an isolated plugin
  std::string cwd;                   // resolved; default: the config file's folder
  std::vector<std::pair<std::string, std::string>> env;  // added to PATH, HOME, LANG, TZ
  std::uint32_t window = 4096;                           // events sent and not yet acknowledged
  std::int64_t ack_timeout_ms = 10000;    // outstanding events with no ack for this long: a hang
  std::int64_t start_timeout_ms = 10000;  // from start to "ready"
  std::int64_t stop_timeout_ms = 5000;    // from "stop" to exit, before SIGKILL
  std::uint64_t memory_limit_mb = 0;      // resident set size; 0 = no limit
  std::uint32_t max_line_bytes = 1u << 20;
  std::int64_t restart_initial_ms = 500;  // backoff between restarts
  std::int64_t restart_max_ms = 30000;
  std::uint32_t max_signals_per_second = 1000;  // more are dropped and counted

  friend bool operator==(const ProcessConfig& a, const ProcessConfig& b) {
    return a.command == b.command && a.cwd == b.cwd && a.env == b.env && a.window == b.window &&
           a.ack_timeout_ms == b.ack_timeout_ms && a.start_timeout_ms == b.start_timeout_ms &&
           a.stop_timeout_ms == b.stop_timeout_ms && a.memory_limit_mb == b.memory_limit_mb &&
           a.max_line_bytes == b.max_line_bytes && a.restart_initial_ms == b.restart_initial_ms &&
           a.restart_max_ms == b.restart_max_ms && a.max_signals_per_second == b.max_signals_per_second;
  }
  friend bool operator!=(const ProcessConfig& a, const ProcessConfig& b) { return !(a == b); }
};

enum class Isolation { in_process, process };

struct ObserverConfig {
  std::string name;
  std::string plugin;  // plugin name (tickd_<plugin>.so in plugin_dirs) or a file name; empty for a program
  bool enabled = true;
  bool optional = false;             // a load failure is a warning, not fatal
  std::uint32_t events = 0;          // TICKD_EVENT_* mask; default all
  std::vector<std::string> symbols;  // empty = all
  std::vector<Interval> intervals;   // empty = all
  std::uint32_t queue = 65536;       // capacity in events
  Overflow overflow = Overflow::drop_ticks;
  std::uint32_t max_failures = 10;  // consecutive errors before suspension
  nlohmann::json config = nlohmann::json::object();
  std::string config_path;           // "observers[2].config", for messages
  ConfigPositions config_positions;  // not part of the configuration: moving a line changes nothing
  Isolation isolation = Isolation::in_process;  // process: the plugin runs in tickd-plugin-host
  std::optional<ProcessConfig> process;         // set for a program, and for an isolated plugin
  SourceMark mark;                              // the entry
  SourceMark plugin_mark;                       // its `plugin:` value
  SourceMark process_mark;                      // its `process:` value

  bool runs_as_process() const { return process.has_value(); }
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
