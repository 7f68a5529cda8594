#include "feed/tick_gate.hpp"

#include "util/single_writer_counter.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <ctime>

namespace tickd::core {

namespace {

// Minutes of tolerance make a coarse clock (a few ms, a fraction of the cost of
// a precise one) good enough, and it is read once per tick.
TimeMs coarse_wall_ms() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return static_cast<TimeMs>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// "2100-01-01T00:00:00.000Z", or the number itself when out of range.
std::string iso_time(TimeMs ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  if (!gmtime_r(&seconds, &tm)) return std::to_string(ms);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(((ms % 1000) + 1000) % 1000));
  return buf;
}

bool finite_in(double v, double low, double high) { return std::isfinite(v) && v >= low && v <= high; }

}  // namespace

const char* gate_reason_name(GateReason reason) {
  switch (reason) {
    case GateReason::time_ahead:
      return "time_ahead";
    case GateReason::time_behind:
      return "time_behind";
    case GateReason::time_jump:
      return "time_jump";
    case GateReason::price:
      return "price";
    case GateReason::quantity:
      return "quantity";
    case GateReason::price_band:
      return "price_band";
    case GateReason::candle:
      return "candle";
    case GateReason::shutdown:
      return "shutdown";
    case GateReason::count:
      break;
  }
  return "unknown";
}

std::uint64_t GateStats::total() const {
  std::uint64_t n = 0;
  for (std::uint64_t r : rejected) n += r;
  return n;
}

TickGate::TickGate(const GateConfig& config, const SymbolTable& symbols, FeedSink& next)
    : config_(config), symbols_(symbols), next_(next) {
  for (auto& r : rejected_) r.store(0, std::memory_order_relaxed);
  if (config_.price_band > 0) {
    band_price_.reset(new double[SymbolTable::kCapacity]());
    band_misses_.reset(new std::uint32_t[SymbolTable::kCapacity]());
    if (config_.price_band_window_ms > 0) band_since_.reset(new TimeMs[SymbolTable::kCapacity]());
  }
  held_where_.reserve(256);
}

TickGate::~TickGate() = default;

void TickGate::attach(const Feed& feed) {
  feed_ = &feed;
  recorded_ = feed.recorded();
}

GateStats TickGate::stats() const {
  GateStats s;
  for (int i = 0; i < static_cast<int>(GateReason::count); ++i)
    s.rejected[i] = rejected_[i].load(std::memory_order_relaxed);
  return s;
}

bool TickGate::values_ok(const TickData& t, GateReason& reason) const {
  // Written so that NaN fails every comparison and is rejected.
  if (!(t.price > 0 && t.price <= config_.max_price)) {
    reason = GateReason::price;
    return false;
  }
  if (!finite_in(t.quantity, 0, config_.max_quantity)) {
    reason = GateReason::quantity;
    return false;
  }
  return true;
}

bool TickGate::time_ok(TimeMs time, TimeMs now, GateReason& reason, TimeMs end) const {
  if (time > now + config_.max_ahead_ms) {
    reason = GateReason::time_ahead;
    return false;
  }
  // Generated history (the simulator's past) is old on purpose.
  const bool live_check = !recorded_ && !in_history_ && config_.max_behind_ms > 0 && end > 0;
  if (time < kNotBeforeMs || (live_check && end < now - config_.max_behind_ms)) {
    reason = GateReason::time_behind;
    return false;
  }
  return true;
}

bool TickGate::in_band(const TickData& t) {
  if (!band_price_ || t.symbol >= SymbolTable::kCapacity) return true;
  const double ref = band_price_[t.symbol];
  if (!(ref > 0 && std::fabs(t.price / ref - 1) > config_.price_band)) return true;
  std::uint32_t& misses = band_misses_[t.symbol];
  if (band_since_) {
    // Outliers far apart in time are separate bad prints, not one move.
    TimeMs& since = band_since_[t.symbol];
    if (misses == 0 || t.time - since > config_.price_band_window_ms) {
      misses = 0;
      since = t.time;
    }
  }
  // Several in a row: the market moved, not one bad print.
  return ++misses >= config_.price_band_confirm;
}

void TickGate::accept(const TickData& t) {
  if (band_price_ && t.symbol < SymbolTable::kCapacity) {
    band_price_[t.symbol] = t.price;
    band_misses_[t.symbol] = 0;
  }
  if (recorded_) {
    anchor_ = t.time;
    has_anchor_ = true;
  }
  next_.on_tick(t);
}

void TickGate::on_tick(const TickData& tick) {
  if (stopped_.load(std::memory_order_relaxed)) {
    bump(rejected_[static_cast<int>(GateReason::shutdown)]);  // counted, not logged: the stop line sums them
    return;
  }
  GateReason reason{};
  if (!values_ok(tick, reason) || !time_ok(tick.time, coarse_wall_ms(), reason, tick.time)) {
    reject(tick, reason, false);
    return;
  }
  if (!in_band(tick)) {
    reject(tick, GateReason::price_band, false);
    return;
  }
  if (!recorded_ || config_.max_jump_ms == 0) {
    accept(tick);
    return;
  }
  if (has_held_) {
    has_held_ = false;
    if (std::llabs(tick.time - held_.time) <= config_.max_jump_ms)
      accept(held_);  // confirmed: the recording really jumped there
    else
      reject(held_, GateReason::time_jump, true);
  }
  if (has_anchor_ && std::llabs(tick.time - anchor_) <= config_.max_jump_ms) {
    accept(tick);
    return;
  }
  held_ = tick;
  has_held_ = true;
  held_where_ = feed_ ? feed_->position() : std::string();
}

bool TickGate::implausible(const TickData& tick) const {
  GateReason reason{};
  const bool jumps = recorded_ && config_.max_jump_ms > 0 && has_anchor_ &&
                     std::llabs(tick.time - anchor_) > config_.max_jump_ms;
  return jumps || !values_ok(tick, reason) || !time_ok(tick.time, coarse_wall_ms(), reason, tick.time);
}

bool TickGate::implausible_time(TimeMs time) const {
  GateReason reason{};
  return !time_ok(time, coarse_wall_ms(), reason, time);
}

void TickGate::on_feed_end() {
  if (has_held_) {
    has_held_ = false;
    // Nothing contradicts a lone tick; a last jump with nothing after it is
    // indistinguishable from an outlier.
    if (has_anchor_)
      reject(held_, GateReason::time_jump, true);
    else
      accept(held_);
  }
  next_.on_feed_end();
}

void TickGate::discard_held() {
  if (!has_held_) return;
  has_held_ = false;
  bump(rejected_[static_cast<int>(GateReason::shutdown)]);
}

void TickGate::on_history_begin() {
  in_history_ = true;
  next_.on_history_begin();
}

void TickGate::on_history_end() {
  in_history_ = false;
  next_.on_history_end();
}

void TickGate::reject(const TickData& t, GateReason reason, bool held) {
  bump(rejected_[static_cast<int>(reason)]);
  std::uint64_t suppressed = 0;
  if (!log_throttle_.allow(suppressed)) return;
  const std::string where = held ? held_where_ : feed_ ? feed_->position() : std::string();
  spdlog::warn("feed gate: rejected tick ({}): {} time {} ({}) price {} quantity {}{}{}",
               gate_reason_name(reason), symbols_.name(t.symbol), t.time, iso_time(t.time), t.price,
               t.quantity, where.empty() ? "" : " at " + where,
               suppressed ? fmt::format(" [{} similar messages suppressed]", suppressed) : "");
}

bool TickGate::candle_ok(const CandleData& c, bool past) const {
  const double max_price = config_.max_price;
  GateReason reason{};
  return c.interval_s > 0 && finite_in(c.low, 0, max_price) && c.low > 0 &&
         finite_in(c.high, c.low, max_price) && finite_in(c.open, c.low, c.high) &&
         finite_in(c.close, c.low, c.high) && std::isfinite(c.volume) && c.volume >= 0 &&
         std::isfinite(c.quote_volume) && c.quote_volume >= 0 &&
         time_ok(c.open_time, coarse_wall_ms(), reason, past ? 0 : c.open_time + c.interval_s * 1000LL);
}

void TickGate::reject_candle(const CandleData& c) {
  bump(rejected_[static_cast<int>(GateReason::candle)]);
  std::uint64_t suppressed = 0;
  if (!log_throttle_.allow(suppressed)) return;
  spdlog::warn("feed gate: rejected candle: {} {}s open_time {} ({}) o {} h {} l {} c {} v {} qv {}{}",
               symbols_.name(c.symbol), c.interval_s, c.open_time, iso_time(c.open_time), c.open, c.high,
               c.low, c.close, c.volume, c.quote_volume,
               suppressed ? fmt::format(" [{} similar messages suppressed]", suppressed) : "");
}

void TickGate::on_exchange_candle(const CandleData& candle) {
  if (stopped_.load(std::memory_order_relaxed)) return;
  if (candle_ok(candle, false))
    next_.on_exchange_candle(candle);
  else
    reject_candle(candle);
}

void TickGate::on_amended_candle(const CandleData& candle) {
  if (stopped_.load(std::memory_order_relaxed)) return;
  if (candle_ok(candle, true))  // of the past by nature, as a backfilled one
    next_.on_amended_candle(candle);
  else
    reject_candle(candle);
}

void TickGate::on_backfill_candle(const CandleData& candle) {
  if (stopped_.load(std::memory_order_relaxed)) return;
  if (candle_ok(candle, true))
    next_.on_backfill_candle(candle);
  else
    reject_candle(candle);
}

void TickGate::on_history_candles(SymbolId symbol, Interval interval,
                                  const std::vector<CandleData>& candles) {
  std::vector<CandleData> kept;  // start-up only: a copy is fine
  kept.reserve(candles.size());
  for (const auto& c : candles) {
    if (candle_ok(c, true))
      kept.push_back(c);
    else
      reject_candle(c);
  }
  next_.on_history_candles(symbol, interval, kept);
}

}  // namespace tickd::core
