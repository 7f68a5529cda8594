#include "plugin/plugin_host_api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>

namespace tickd::core {

namespace {
std::string_view view(tickd_str s) { return s.size ? std::string_view(s.data, s.size) : std::string_view(); }

// A plugin built against an older, shorter struct: read only what it wrote.
tickd_signal sized_copy(const tickd_signal* s) {
  tickd_signal out{};
  std::memcpy(&out, s, std::min<std::size_t>(s->struct_size, sizeof(out)));
  return out;
}

std::uint64_t next_instance() {
  static std::atomic<std::uint64_t> n{0};
  return ++n;
}
}  // namespace

PluginHostApi::PluginHostApi(std::string observer_name, std::string config_json, HostServices& services,
                             bool lossless)
    : name_(std::move(observer_name)),
      instance_(next_instance()),
      config_json_(std::move(config_json)),
      services_(services) {
  // Plugins log through the daemon's sinks, under their observer's name.
  auto base = spdlog::default_logger();
  logger_ = std::make_shared<spdlog::logger>(name_, base->sinks().begin(), base->sinks().end());
  logger_->set_level(base->level());
  api_.struct_size = sizeof(api_);
  api_.ctx = this;
  api_.observer_name = tickd_str{name_.data(), name_.size()};
  api_.config_json = tickd_str{config_json_.data(), config_json_.size()};
  api_.log = &PluginHostApi::log;
  api_.history = &PluginHostApi::history;
  api_.publish = &PluginHostApi::publish;
  api_.symbols = &PluginHostApi::symbols;
  api_.interval_count = services.interval_seconds().size();
  api_.intervals = services.interval_seconds().data();
  api_.history_capacity = services.history_capacity();
  api_.status_json = &PluginHostApi::status_json;
  api_.overflow = lossless ? TICKD_OVERFLOW_BLOCK : TICKD_OVERFLOW_DROP_TICKS;
  api_.listen_tcp = &PluginHostApi::listen_tcp;
}

PluginHostApi::~PluginHostApi() { services_.release_instance(instance_); }

void PluginHostApi::log(void* ctx, std::int32_t level, tickd_str message) noexcept {
  auto* self = static_cast<PluginHostApi*>(ctx);
  try {
    auto lvl = static_cast<spdlog::level::level_enum>(std::clamp(level, 0, 4));
    self->logger_->log(lvl, "{}", view(message));
  } catch (...) {
  }
}

tickd_status PluginHostApi::history(void* ctx, tickd_str symbol, std::int64_t interval_s, std::uint32_t limit,
                                    tickd_candle_sink sink, void* user) noexcept {
  auto* self = static_cast<PluginHostApi*>(ctx);
  try {
    auto id = self->services_.symbols().find(view(symbol));
    auto interval = Interval::from_seconds(interval_s);
    if (!id || !interval) return TICKD_ERROR;
    std::vector<CandleData> candles;
    if (!self->services_.history(*id, *interval, limit, candles)) return TICKD_ERROR;
    std::string_view name = self->services_.symbols().name(*id);
    for (const auto& c : candles) {
      tickd_candle cc = to_abi(c, name);
      sink(user, &cc);
    }
    return TICKD_OK;
  } catch (...) {
    return TICKD_ERROR;
  }
}

tickd_status PluginHostApi::publish(void* ctx, const tickd_signal* signal) noexcept {
  auto* self = static_cast<PluginHostApi*>(ctx);
  if (!signal) return TICKD_ERROR;
  try {
    Signal s = detail::from_c(sized_copy(signal));
    if (s.source.empty()) s.source = self->name_;
    self->services_.publish(std::move(s));
    return TICKD_OK;
  } catch (...) {
    return TICKD_ERROR;
  }
}

void PluginHostApi::symbols(void* ctx, tickd_str_sink sink, void* user) noexcept {
  auto* self = static_cast<PluginHostApi*>(ctx);
  const SymbolTable& table = self->services_.symbols();
  for (std::size_t i = 0, n = table.size(); i < n; ++i) {
    std::string_view name = table.name(static_cast<SymbolId>(i));
    sink(user, tickd_str{name.data(), name.size()});
  }
}

std::size_t PluginHostApi::status_json(void* ctx, char* buf, std::size_t cap) noexcept {
  auto* self = static_cast<PluginHostApi*>(ctx);
  try {
    std::string s = self->services_.status_json();
    std::memcpy(buf, s.data(), std::min(cap, s.size()));
    return s.size();
  } catch (...) {
    return 0;
  }
}

}  // namespace tickd::core

namespace tickd::core {

std::int32_t PluginHostApi::listen_tcp(void* ctx, tickd_str address, std::uint16_t port,
                                       tickd_error_buf err) noexcept {
  auto* self = static_cast<PluginHostApi*>(ctx);
  try {
    std::string error;
    const int fd =
        self->services_.listen_tcp(self->name_, self->instance_, std::string(view(address)), port, error);
    if (fd < 0 && err.data && err.cap > 0) std::snprintf(err.data, err.cap, "%s", error.c_str());
    return fd;
  } catch (...) {
    if (err.data && err.cap > 0) std::snprintf(err.data, err.cap, "%s", "out of memory");
    return -1;
  }
}

}  // namespace tickd::core
