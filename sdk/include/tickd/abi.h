/*
 * tickd plugin ABI: the whole contract between the daemon and an observer plugin.
 *
 * This header is C and depends on nothing but <stddef.h> and <stdint.h>, so a
 * plugin may be built with any compiler or flags. The C++ SDK (tickd/plugin.hpp)
 * wraps it; most authors never include this file directly.
 *
 * Rules that hold for every declaration below:
 * - Every struct starts with `struct_size`, set by whoever fills it in to
 *   sizeof(the struct as that side knows it). Readers must not read a field that
 *   lies beyond struct_size; new fields are only ever appended.
 * - Strings are pointer + length (tickd_str), not NUL-terminated, UTF-8.
 * - Times are UTC milliseconds since the Unix epoch (tickd_time_ms).
 * - Intervals are lengths in seconds: 1, 5, 15, 30, 60, 180, 300, 900, 1800,
 *   3600, 7200, 14400, 86400 (session day), 604800 (session week).
 * - No function may let a C++ exception or longjmp escape. Errors are returned as
 *   a tickd_status plus a message written into a buffer the caller owns.
 * - Nothing allocated on one side is freed on the other.
 *
 * Versioning: a plugin exports tickd_plugin_abi_version(). The host reads it
 * before anything else and loads the plugin only when the major versions are
 * equal and the host's minor version is >= the plugin's. A minor version only
 * appends fields: 1.1 added tickd_metric, and config_schema and metrics at the
 * end of tickd_plugin_api; 1.2 added listen_tcp at the end of tickd_host_api.
 * A 1.0 plugin's shorter table still loads; the host reads the new fields only
 * when struct_size says they are there, and a plugin reads a host field only
 * when the host's struct_size covers it and it is not NULL.
 */
#ifndef TICKD_ABI_H
#define TICKD_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define TICKD_NOEXCEPT noexcept
#else
#define TICKD_NOEXCEPT
#endif

#define TICKD_ABI_VERSION_MAJOR 1u
#define TICKD_ABI_VERSION_MINOR 2u
/* Packed as (major << 16) | minor. */
#define TICKD_ABI_VERSION ((TICKD_ABI_VERSION_MAJOR << 16) | TICKD_ABI_VERSION_MINOR)

#if defined(_WIN32)
#define TICKD_EXPORT __declspec(dllexport)
#else
#define TICKD_EXPORT __attribute__((visibility("default")))
#endif

typedef int64_t tickd_time_ms;

typedef struct tickd_str {
  const char* data; /* may be NULL when size is 0 */
  size_t size;
} tickd_str;

typedef enum tickd_status {
  TICKD_OK = 0,
  TICKD_ERROR = 1,       /* this call failed; the host counts it and goes on */
  TICKD_UNSUPPORTED = 2, /* optional capability not provided */
} tickd_status;

typedef enum tickd_side {
  TICKD_SIDE_UNKNOWN = 0,
  TICKD_SIDE_BUY = 1,    /* buyer was the aggressor (taker); for signals: go long */
  TICKD_SIDE_SELL = 2,   /* seller was the aggressor; for signals: go short */
  TICKD_SIDE_NEUTRAL = 3 /* signals only: informational, no direction */
} tickd_side;

typedef enum tickd_log_level {
  TICKD_LOG_TRACE = 0,
  TICKD_LOG_DEBUG = 1,
  TICKD_LOG_INFO = 2,
  TICKD_LOG_WARN = 3,
  TICKD_LOG_ERROR = 4
} tickd_log_level;

/* Candle flags. */
#define TICKD_CANDLE_CLOSED 1u  /* final: the bucket has ended */
#define TICKD_CANDLE_PARTIAL 2u /* began before the daemon saw its first tick */
#define TICKD_CANDLE_FILLED 4u  /* gap fill: no trade in the bucket */

/*
 * Symbol strings handed to a plugin by the host (in ticks, candles, signals,
 * history) point into the host's symbol table and stay valid until the plugin
 * is destroyed. Every other pointer is valid only during the call.
 */
typedef struct tickd_tick {
  uint32_t struct_size;
  tickd_str symbol;
  tickd_time_ms time; /* exchange time of the trade */
  double price;
  double quantity;
  int64_t trade_id;     /* -1 when the feed has none */
  uint32_t trade_count; /* trades folded into this tick (aggTrade), >= 1 */
  int32_t side;         /* tickd_side of the aggressor */
} tickd_tick;

typedef struct tickd_candle {
  uint32_t struct_size;
  tickd_str symbol;
  int64_t interval_s;
  tickd_time_ms open_time; /* bucket start */
  double open;
  double high;
  double low;
  double close;
  double volume;       /* base asset quantity */
  double quote_volume; /* sum of price * quantity */
  double vwap;         /* quote_volume / volume, or close when volume is 0 */
  uint64_t trade_count;
  uint32_t flags; /* TICKD_CANDLE_* */
} tickd_candle;

typedef struct tickd_signal {
  uint32_t struct_size;
  tickd_str symbol;
  int64_t interval_s; /* 0 when not tied to an interval */
  tickd_time_ms time;
  int32_t side;     /* tickd_side */
  double strength;  /* rule-defined, conventionally 0..1 */
  double price;     /* price the signal refers to, 0 if none */
  tickd_str source; /* who produced it: observer name and rule */
  tickd_str text;   /* free text, often JSON with the rule's values */
} tickd_signal;

typedef enum tickd_event_kind {
  TICKD_EVENT_TICK = 1,
  TICKD_EVENT_CANDLE_UPDATE = 2,
  TICKD_EVENT_CANDLE_CLOSED = 4,
  TICKD_EVENT_SIGNAL = 8
} tickd_event_kind;

/* ABI 1.1: one figure a plugin reports about itself (see tickd_plugin_api.metrics). */
typedef enum tickd_metric_kind {
  TICKD_METRIC_COUNTER = 0, /* only ever grows (records written, sends failed) */
  TICKD_METRIC_GAUGE = 1    /* goes up and down (records buffered, connected 0/1) */
} tickd_metric_kind;

/* A counter of records the plugin lost: dropped from a full buffer, given up
 * on after retries, or left unwritten at stop. The host adds every such counter
 * into the observer's `lost` figure (/health, /metrics, tickd stats), and a
 * shutdown after which any is non-zero exits with a non-zero status.
 * On a gauge: records the plugin holds and has not yet made safe (a write
 * buffer); counted as lost only when the host abandons the plugin because its
 * stop() did not return by the shutdown deadline. */
#define TICKD_METRIC_LOSS 1u

typedef struct tickd_metric {
  uint32_t struct_size;
  tickd_str name; /* [a-z][a-z0-9_]*; exported as tickd_plugin_<name>{observer="..."} */
  tickd_str help; /* one line */
  int32_t kind;   /* tickd_metric_kind */
  uint32_t flags; /* TICKD_METRIC_* */
  double value;
  /* Optional single label (e.g. "connection" = "2"); size 0 when unused. The
   * same name may be reported once per label value. */
  tickd_str label_name;
  tickd_str label_value;
} tickd_metric;

/* Receives one metric; valid only during the call. */
typedef void (*tickd_metric_sink)(void* user, const tickd_metric* metric) TICKD_NOEXCEPT;

/* Error text goes to `err` (capacity `err_cap`, always NUL-terminated). */
typedef struct tickd_error_buf {
  char* data;
  size_t cap;
} tickd_error_buf;

/* Receives one candle; used by history and restore. */
typedef void (*tickd_candle_sink)(void* user, const tickd_candle* candle) TICKD_NOEXCEPT;
/* Receives one string; used to list symbols. */
typedef void (*tickd_str_sink)(void* user, tickd_str value) TICKD_NOEXCEPT;

/*
 * What the host offers a plugin. Owned by the host; valid until the plugin's
 * destroy() returns. Every function is thread-safe and may be called from any
 * thread the plugin owns.
 */
typedef struct tickd_host_api {
  uint32_t struct_size;
  void* ctx; /* pass back as the first argument of every function */
  tickd_str observer_name;
  tickd_str config_json; /* the observer's `config:` block as JSON, "{}" if absent */

  void (*log)(void* ctx, int32_t level, tickd_str message) TICKD_NOEXCEPT;

  /* Up to `limit` candles of one series, oldest first; closed candles and then
   * the open candle (flags without TICKD_CANDLE_CLOSED) if there is one.
   * Returns TICKD_ERROR for an unknown symbol or interval. */
  tickd_status (*history)(void* ctx, tickd_str symbol, int64_t interval_s, uint32_t limit,
                          tickd_candle_sink sink, void* user) TICKD_NOEXCEPT;

  /* Queues a signal for every observer (the publisher too, if it subscribed to
   * signals). Never blocks. The host copies everything it needs. */
  tickd_status (*publish)(void* ctx, const tickd_signal* signal) TICKD_NOEXCEPT;

  /* The configured symbols and intervals. */
  void (*symbols)(void* ctx, tickd_str_sink sink, void* user) TICKD_NOEXCEPT;
  size_t interval_count;
  const int64_t* intervals;  /* seconds, ascending */
  uint32_t history_capacity; /* candles kept per series */

  /* Daemon status as a JSON object (feed state, counters). Writes at most `cap`
   * bytes and returns the full length; call again with a larger buffer if the
   * result is > cap. */
  size_t (*status_json)(void* ctx, char* buf, size_t cap) TICKD_NOEXCEPT;

  /* ABI 1.1: the observer's overflow policy, TICKD_OVERFLOW_*. Under BLOCK the
   * observer is lossless end to end: a plugin whose own buffer fills should
   * block in on_* (the host's queue and then the feed wait) rather than drop.
   * Read it only when struct_size covers it (a 1.0 host has no such field). */
  int32_t overflow;

  /* ABI 1.2 (NULL when not offered: an older host, a test host, a plugin run
   * in a child process; then bind a socket of your own). A TCP socket
   * listening on `address` (an IPv4 or IPv6 literal) and `port` (0: any free
   * port), held by the host for this observer across reloads: when a reload
   * restarts the observer, the old instance stops and the new one asks for the
   * same address and port and gets the same socket, so connection attempts
   * meanwhile wait in its backlog instead of being refused. Returns a new
   * descriptor (close-on-exec) that the plugin owns and closes when it stops
   * listening; -1 with the reason in `err` when the host cannot listen there.
   * The descriptors share one open socket, hence its O_NONBLOCK flag. The host
   * closes the socket once no instance of the observer asks for it any more.
   * Any thread. */
  int32_t (*listen_tcp)(void* ctx, tickd_str address, uint16_t port, tickd_error_buf err) TICKD_NOEXCEPT;
} tickd_host_api;

#define TICKD_OVERFLOW_BLOCK 1
#define TICKD_OVERFLOW_DROP_TICKS 2

typedef struct tickd_plugin_instance tickd_plugin_instance; /* opaque to the host */

/*
 * What a plugin offers the host: a static table returned by tickd_plugin_get_api().
 * Threading: create and start run on the host's main thread; on_* and stop run
 * on the observer's own worker thread, one call at a time, in event order;
 * destroy runs after stop on the main thread.
 */
typedef struct tickd_plugin_api {
  uint32_t struct_size;
  uint32_t abi_version; /* TICKD_ABI_VERSION the plugin was built with */
  const char* name;     /* static NUL-terminated strings */
  const char* version;
  const char* description;

  /* The host keeps `host` valid until destroy returns. */
  tickd_status (*create)(const tickd_host_api* host, tickd_plugin_instance** out,
                         tickd_error_buf err) TICKD_NOEXCEPT;
  /* Validate config and acquire resources. An error refuses the observer. */
  tickd_status (*start)(tickd_plugin_instance* self, tickd_error_buf err) TICKD_NOEXCEPT;
  tickd_status (*on_tick)(tickd_plugin_instance* self, const tickd_tick* tick,
                          tickd_error_buf err) TICKD_NOEXCEPT;
  /* kind is TICKD_EVENT_CANDLE_UPDATE or TICKD_EVENT_CANDLE_CLOSED. */
  tickd_status (*on_candle)(tickd_plugin_instance* self, int32_t kind, const tickd_candle* candle,
                            tickd_error_buf err) TICKD_NOEXCEPT;
  tickd_status (*on_signal)(tickd_plugin_instance* self, const tickd_signal* signal,
                            tickd_error_buf err) TICKD_NOEXCEPT;
  /* Flush and release; called once after the last event. */
  tickd_status (*stop)(tickd_plugin_instance* self, tickd_error_buf err) TICKD_NOEXCEPT;
  void (*destroy)(tickd_plugin_instance* self) TICKD_NOEXCEPT;

  /* Optional storage capability (NULL when absent): after start, before the
   * feed starts, the host asks for the newest `limit` closed candles of a series
   * and the plugin passes them to `sink` oldest first. */
  tickd_status (*restore)(tickd_plugin_instance* self, tickd_str symbol, int64_t interval_s, uint32_t limit,
                          tickd_candle_sink sink, void* user, tickd_error_buf err) TICKD_NOEXCEPT;

  /* ---- ABI 1.1 ---- */

  /* The keys of the observer's `config:` block, as JSON text (static,
   * NUL-terminated), or NULL when the plugin takes its config as it comes.
   * With a schema the host validates the block before create() (and in
   * `tickd --check-config`), reports every problem at its YAML position, and
   * hands the plugin the block with defaults filled in. The format is in
   * docs/WRITING_PLUGINS.md; the C++ SDK writes it from tickd::ConfigSchema. */
  const char* config_schema;

  /* Optional (NULL when absent): calls `sink` once per figure the plugin
   * reports. May be called from any host thread, at any time between a
   * successful start() and destroy(), concurrently with on_* and stop(): read
   * only atomics or take your own lock. Must not block. */
  tickd_status (*metrics)(tickd_plugin_instance* self, tickd_metric_sink sink, void* user) TICKD_NOEXCEPT;
} tickd_plugin_api;

/* The two symbols every plugin exports. */
typedef uint32_t (*tickd_plugin_abi_version_fn)(void);
typedef const tickd_plugin_api* (*tickd_plugin_get_api_fn)(void);
#define TICKD_SYMBOL_ABI_VERSION "tickd_plugin_abi_version"
#define TICKD_SYMBOL_GET_API "tickd_plugin_get_api"

#ifdef __cplusplus
}
#endif

#endif /* TICKD_ABI_H */
