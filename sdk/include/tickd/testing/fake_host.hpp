// tickd::testing::FakeHost: a host without the daemon, for unit-testing a plugin.
//
//   tickd::testing::FakeHost fake("my_obs", {{"threshold", 3}});
//   fake.add_history(candle);          // what host.history() returns, already in
//   MyObserver obs;                    //   start() as in the daemon (stores restore
//   obs.start(fake.host());            //   history before other observers start)
//   obs.on_candle(candle);
//   EXPECT_EQ(fake.published().size(), 1);
#pragma once

#include <tickd/host.hpp>
#include <tickd/types.hpp>

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tickd::testing {

class FakeHost {
 public:
  explicit FakeHost(std::string name = "test", nlohmann::json config = nlohmann::json::object(),
                    std::vector<std::string> symbols = {}, std::vector<Interval> intervals = {})
      : name_(std::move(name)), config_(config.dump()) {
    for (auto& s : symbols) intern(s);
    for (auto iv : intervals) intervals_.push_back(iv.seconds());
    api_.struct_size = sizeof(api_);
    api_.ctx = this;
    api_.observer_name = detail::str(name_);
    api_.config_json = detail::str(config_);
    api_.log = &FakeHost::log_cb;
    api_.history = &FakeHost::history_cb;
    api_.publish = &FakeHost::publish_cb;
    api_.symbols = &FakeHost::symbols_cb;
    api_.interval_count = intervals_.size();
    api_.intervals = intervals_.data();
    api_.history_capacity = 1000;
    api_.status_json = &FakeHost::status_cb;
    api_.overflow = 0;  // unsaid until set_lossless(): plugins fall back to their default
  }
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  Host& host() { return host_; }

  // Returns a view that stays valid for the FakeHost's life, like the daemon's table.
  std::string_view intern(std::string_view symbol) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& s : symbols_)
      if (s == symbol) return s;
    symbols_.emplace_back(symbol);
    return symbols_.back();
  }

  // Appends to a series' history; the candle's symbol is interned.
  void add_history(Candle c) {
    c.symbol = intern(c.symbol);
    std::lock_guard<std::mutex> lock(mu_);
    history_[{std::string(c.symbol), c.interval.seconds()}].push_back(c);
  }

  // As if the observer were configured `overflow: block` (true) or drop_ticks.
  void set_lossless(bool lossless) {
    api_.overflow = lossless ? TICKD_OVERFLOW_BLOCK : TICKD_OVERFLOW_DROP_TICKS;
  }

  void set_status(nlohmann::json status) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status.dump();
  }

  std::vector<Signal> published() const {
    std::lock_guard<std::mutex> lock(mu_);
    return published_;
  }
  std::vector<std::pair<LogLevel, std::string>> logs() const {
    std::lock_guard<std::mutex> lock(mu_);
    return logs_;
  }

 private:
  static void log_cb(void* ctx, std::int32_t level, tickd_str msg) noexcept {
    auto* self = static_cast<FakeHost*>(ctx);
    std::lock_guard<std::mutex> lock(self->mu_);
    self->logs_.emplace_back(static_cast<LogLevel>(level), std::string(detail::view(msg)));
  }
  static tickd_status history_cb(void* ctx, tickd_str symbol, std::int64_t interval_s, std::uint32_t limit,
                                 tickd_candle_sink sink, void* user) noexcept {
    auto* self = static_cast<FakeHost*>(ctx);
    std::lock_guard<std::mutex> lock(self->mu_);
    auto it = self->history_.find({std::string(detail::view(symbol)), interval_s});
    if (it == self->history_.end()) return TICKD_ERROR;
    const auto& v = it->second;
    std::size_t from = v.size() > limit ? v.size() - limit : 0;
    for (std::size_t i = from; i < v.size(); ++i) {
      auto c = detail::to_c(v[i]);
      sink(user, &c);
    }
    return TICKD_OK;
  }
  static tickd_status publish_cb(void* ctx, const tickd_signal* s) noexcept {
    auto* self = static_cast<FakeHost*>(ctx);
    std::lock_guard<std::mutex> lock(self->mu_);
    self->published_.push_back(detail::from_c(*s));
    return TICKD_OK;
  }
  static void symbols_cb(void* ctx, tickd_str_sink sink, void* user) noexcept {
    auto* self = static_cast<FakeHost*>(ctx);
    std::lock_guard<std::mutex> lock(self->mu_);
    for (auto& s : self->symbols_) sink(user, detail::str(s));
  }
  static std::size_t status_cb(void* ctx, char* buf, std::size_t cap) noexcept {
    auto* self = static_cast<FakeHost*>(ctx);
    std::lock_guard<std::mutex> lock(self->mu_);
    const std::string& s = self->status_;
    for (std::size_t i = 0; i < s.size() && i < cap; ++i) buf[i] = s[i];
    return s.size();
  }

  mutable std::mutex mu_;
  std::string name_;
  std::string config_;
  std::deque<std::string> symbols_;  // deque: interned views never move
  std::vector<std::int64_t> intervals_;
  std::map<std::pair<std::string, std::int64_t>, std::vector<Candle>> history_;
  std::vector<Signal> published_;
  std::vector<std::pair<LogLevel, std::string>> logs_;
  std::string status_ = R"({"feed":{"state":"test"}})";
  tickd_host_api api_{};
  Host host_{&api_};
};

}  // namespace tickd::testing
