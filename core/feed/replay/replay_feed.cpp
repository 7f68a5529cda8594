#include "feed/replay/replay_feed.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <stdexcept>

namespace tickd::core {

struct ReplayFeed::Source {
  ReplayFile file;
  TradeCsvFormat format;
  std::ifstream in;
  std::string line;  // reused: no allocation per row once it has grown
  std::uint64_t line_no = 0;
  SymbolId fixed_symbol = 0;
  std::string last_symbol;  // generic format: cache of the last row's symbol
  SymbolId last_symbol_id = 0;
  bool has_pending = false;
  TickData pending;
};

ReplayFeed::ReplayFeed(const ReplayConfig& config, boost::asio::io_context& io, SymbolTable& symbols)
    : config_(config), io_(io), symbols_(symbols), timer_(io) {
  for (const auto& f : config.files) {
    auto s = std::make_unique<Source>();
    s->file = f;
    auto format = parse_trade_csv_format(f.format);
    if (!format) throw std::runtime_error("replay: unknown format '" + f.format + "' for " + f.path);
    s->format = *format;
    s->in.open(f.path);
    if (!s->in) throw std::runtime_error("replay: cannot open " + f.path);
    if (s->format != TradeCsvFormat::generic) {
      auto id = symbols.intern(f.symbol);
      if (!id) throw std::runtime_error("replay: symbol table full");
      s->fixed_symbol = *id;
    }
    sources_.push_back(std::move(s));
  }
}

ReplayFeed::~ReplayFeed() = default;

bool ReplayFeed::fill(Source& s) {
  while (std::getline(s.in, s.line)) {
    ++s.line_no;
    messages_.fetch_add(1, std::memory_order_relaxed);
    if (s.line.empty() || s.line == "\r") continue;
    if (s.line_no == 1 && is_trade_csv_header(s.line)) continue;
    ParsedTrade t;
    std::string_view error;
    if (!parse_trade_csv_line(s.line, s.format, t, error)) {
      errors_.fetch_add(1, std::memory_order_relaxed);
      std::uint64_t suppressed = 0;
      if (log_throttle_.allow(suppressed))
        spdlog::warn("replay: {}:{}: skipped malformed row ({}){}", s.file.path, s.line_no, error,
                     suppressed ? fmt::format(" [{} similar messages suppressed]", suppressed) : "");
      continue;
    }
    SymbolId symbol = s.fixed_symbol;
    if (s.format == TradeCsvFormat::generic) {
      if (t.symbol != s.last_symbol) {
        auto id = symbols_.intern(t.symbol);
        if (!id) {
          errors_.fetch_add(1, std::memory_order_relaxed);
          continue;
        }
        s.last_symbol.assign(t.symbol);
        s.last_symbol_id = *id;
      }
      symbol = s.last_symbol_id;
    }
    s.pending = TickData{symbol, t.time, t.price, t.quantity, t.trade_id, t.trade_count, t.side};
    s.has_pending = true;
    return true;
  }
  s.has_pending = false;
  return false;
}

ReplayFeed::Source* ReplayFeed::earliest() {
  Source* best = nullptr;
  for (auto& s : sources_)
    if (s->has_pending && (!best || s->pending.time < best->pending.time)) best = s.get();
  return best;
}

void ReplayFeed::start(FeedSink& sink) {
  sink_ = &sink;
  running_ = true;
  state_ = 1;
  for (auto& s : sources_) fill(*s);
  started_ = std::chrono::steady_clock::now();
  pump();
}

void ReplayFeed::pump() {
  if (!running_) return;
  TickBatch batch(*sink_);
  for (int n = 0; n < kTicksPerTurn; ++n) {
    Source* s = earliest();
    if (!s) {
      state_ = 2;
      running_ = false;
      spdlog::info("replay finished: {} ticks, {} malformed rows", ticks_.load(), errors_.load());
      sink_->on_feed_end();
      return;
    }
    const TickData& t = s->pending;
    if (config_.speed > 0 && !sink_->implausible(t)) {
      if (first_time_ < 0) first_time_ = t.time;
      auto due =
          started_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double, std::milli>((t.time - first_time_) / config_.speed));
      if (due > std::chrono::steady_clock::now()) {
        timer_.expires_at(due);
        timer_.async_wait([this](const boost::system::error_code& ec) {
          if (!ec) pump();
        });
        return;
      }
    }
    clock_ms_.store(t.time, std::memory_order_relaxed);
    delivering_ = s;
    sink_->on_tick(t);
    delivering_ = nullptr;
    ticks_.fetch_add(1, std::memory_order_relaxed);
    fill(*s);
  }
  last_message_ms_.store(wall_clock_ms(), std::memory_order_relaxed);
  boost::asio::post(io_, [this] { pump(); });
}

std::string ReplayFeed::position() const {
  if (!delivering_) return {};
  return delivering_->file.path + ":" + std::to_string(delivering_->line_no);
}

void ReplayFeed::stop() {
  if (running_) {
    // The ticks read ahead (one per file, the earliest of them perhaps paced,
    // waiting for its time) are handed over, so that every tick read is
    // accounted for: the daemon's gate, stopped first, counts them as `shutdown`.
    for (auto& s : sources_) {
      if (!s->has_pending) continue;
      s->has_pending = false;
      sink_->on_tick(s->pending);
      ticks_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  running_ = false;
  if (state_ != 2) state_ = 3;
  timer_.cancel();
}

FeedStats ReplayFeed::stats() const {
  static const char* names[] = {"starting", "replaying", "finished", "stopped"};
  FeedStats s;
  s.state = names[state_.load()];
  s.messages = messages_.load(std::memory_order_relaxed);
  s.ticks = ticks_.load(std::memory_order_relaxed);
  s.decode_errors = errors_.load(std::memory_order_relaxed);
  s.last_message_ms = last_message_ms_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace tickd::core
