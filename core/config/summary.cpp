#include "config/config_loader.hpp"
#include "feed/indian_broker/shard_plan.hpp"

#include <tickd/abi.h>

#include <sstream>

namespace tickd::core {

namespace {

template <class Items, class Name>
std::string join_names(const Items& items, Name name, const std::string& when_empty) {
  if (items.empty()) return when_empty;
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += name(item);
  }
  return out;
}

std::string event_list(std::uint32_t mask) {
  static const std::pair<std::uint32_t, const char*> kNames[] = {{TICKD_EVENT_TICK, "tick"},
                                                                 {TICKD_EVENT_CANDLE_UPDATE, "candle_update"},
                                                                 {TICKD_EVENT_CANDLE_CLOSED, "candle_closed"},
                                                                 {TICKD_EVENT_SIGNAL, "signal"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((mask & bit) == 0) continue;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out.empty() ? "none" : out;
}

std::string clock(int minute) {
  const auto two_digits = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  return two_digits(minute / 60) + ":" + two_digits(minute % 60);
}

// Never the credentials: URLs lose their query, secrets are only "set".
std::string broker_summary(const FeedConfig& feed) {
  const auto connection = [](const BrokerConnectionConfig& c) {
    std::ostringstream o;
    o << "  url " << c.url.substr(0, c.url.find('?')) << (c.url.find('?') != std::string::npos ? "?..." : "")
      << (c.ca_file.empty() ? "" : ", ca_file " + c.ca_file) << (c.verify ? "" : ", TLS verify OFF")
      << ", stale after " << c.stale_after_ms << " ms, reconnect " << c.reconnect_initial_ms << ".."
      << c.reconnect_max_ms << " ms\n";
    return o.str();
  };
  const auto secret = [](const std::string& s) { return s.empty() ? "missing" : "set"; };
  // A token kept in a file is read (and re-read) by the running daemon.
  const auto token = [&](const std::string& value, const std::string& file) {
    return file.empty() ? std::string(secret(value)) : "from " + file;
  };
  const auto history = [](const BrokerHistoryConfig& h) {
    return "; REST " + h.rest_url + ", bootstrap " + std::to_string(h.bootstrap_candles) +
           " candles, backfill " + (h.backfill ? "on" : "off");
  };
  const auto sharding = [](std::size_t instruments, const BrokerShardingConfig& c) {
    return " over " + std::to_string(connections_needed(instruments, c.instruments_per_connection)) +
           " connection(s) (at most " + std::to_string(c.instruments_per_connection) + " each, " +
           std::to_string(c.max_connections) + " connections)";
  };
  std::ostringstream out;
  if (feed.kind == "binance") {
    const BinanceConfig& b = feed.binance;
    out << connection(b.connection) << "  streams "
        << join_names(
               b.streams, [](const std::string& s) { return s; }, "none")
        << (b.subscribe_mode == BinanceSubscribeMode::combined ? " (combined URL)" : " (SUBSCRIBE message)")
        << "; REST " << b.rest_url << ", bootstrap " << b.bootstrap_klines << " klines, backfill "
        << (b.backfill ? "on" : "off") << "\n";
  } else if (feed.kind == "kite") {
    const KiteConfig& k = feed.kite;
    out << connection(k.connection) << "  api_key " << secret(k.api_key) << ", access_token "
        << token(k.access_token, k.access_token_file) << ", mode " << k.mode << ", " << k.instruments.size()
        << " instruments" << sharding(k.instruments.size(), k.sharding) << history(k.history) << "\n";
  } else {
    const SmartApiConfig& a = feed.smartapi;
    out << connection(a.connection) << "  auth_token " << token(a.auth_token, a.auth_token_file)
        << ", api_key " << secret(a.api_key) << ", client_code " << secret(a.client_code) << ", feed_token "
        << token(a.feed_token, a.feed_token_file) << ", mode " << a.mode << ", " << a.tokens.size()
        << " tokens" << sharding(a.tokens.size(), a.sharding) << ", heartbeat " << a.heartbeat_ms << " ms"
        << history(a.history) << "\n";
  }
  const InstrumentMasterInfo& m = feed.resolved_from;
  if (!m.source.empty())
    out << "  names resolved through the instrument master: " << m.instruments << " instruments, from "
        << (m.source == "file" ? "instruments_csv" : m.source) << (m.note.empty() ? "" : " (" + m.note + ")")
        << "\n";
  return out.str();
}

}  // namespace

std::string summarize(const Config& config) {
  const auto as_is = [](const std::string& s) { return s; };
  const auto interval_name = [](Interval i) { return std::string(i.name()); };
  std::ostringstream out;
  out << "config: " << config.source << "\n";
  const FeedConfig& feed = config.feed;
  out << "feed: " << feed.kind << ", symbols: " << join_names(feed.symbols, as_is, "all") << "\n";
  if (feed.kind == "simulator") {
    out << "  " << feed.simulator.ticks_per_second << " ticks/s per symbol, seed " << feed.simulator.seed
        << ", history " << feed.simulator.history_hours << " h\n";
  } else if (feed.kind == "replay") {
    for (const auto& file : feed.replay.files)
      out << "  " << file.path << " (" << file.format << (file.symbol.empty() ? "" : ", " + file.symbol)
          << ")\n";
    out << "  speed "
        << (feed.replay.speed == 0 ? std::string("max") : std::to_string(feed.replay.speed) + "x")
        << (feed.replay.exit_at_end ? ", exit at end" : "") << "\n";
  } else if (feed.kind == "binance" || feed.kind == "kite" || feed.kind == "smartapi")
    out << broker_summary(feed);
  const AggregatorConfig& agg = config.aggregator;
  out << "aggregator: intervals " << join_names(agg.intervals, interval_name, "none") << "; history "
      << agg.history << "; timezone " << agg.session.timezone;
  if (agg.session.open_minute) out << " open " << clock(*agg.session.open_minute);
  if (agg.session.close_minute) out << " close " << clock(*agg.session.close_minute);
  out << "; late ticks " << (agg.late_ticks == LatePolicy::drop ? "drop" : "amend") << "; gap fill "
      << (agg.gap_fill ? "on" : "off");
  if (agg.gap_fill && agg.gap_fill_max > 0) out << " (at most " << agg.gap_fill_max << " per gap)";
  out << "\n";
  out << "observers: " << config.observers.size() << "\n";
  for (const auto& o : config.observers) {
    out << "  " << o.name << ": ";
    if (o.runs_as_process() && !o.process->command.empty())
      out << "process " << join_names(o.process->command, as_is, "");
    else
      out << "plugin " << o.plugin << (o.isolation == Isolation::process ? " (isolated in a process)" : "");
    out << ", " << (o.enabled ? "enabled" : "disabled") << (o.optional ? " (optional)" : "") << ", events "
        << event_list(o.events) << ", overflow " << (o.overflow == Overflow::block ? "block" : "drop_ticks");
    if (!o.intervals.empty()) out << ", intervals " << join_names(o.intervals, interval_name, "");
    if (!o.symbols.empty()) out << ", symbols " << join_names(o.symbols, as_is, "");
    out << "\n";
  }
  return out.str();
}

}  // namespace tickd::core
