// tickd::Host: what the daemon offers a plugin, as ordinary C++.
// A thin wrapper over tickd_host_api; every call is thread-safe.
#pragma once

#include <tickd/abi.h>
#include <tickd/config_schema.hpp>
#include <tickd/config_validation.hpp>
#include <tickd/config_view.hpp>
#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tickd {

enum class LogLevel : std::int32_t {
  trace = TICKD_LOG_TRACE,
  debug = TICKD_LOG_DEBUG,
  info = TICKD_LOG_INFO,
  warn = TICKD_LOG_WARN,
  error = TICKD_LOG_ERROR
};

class Host {
 public:
  explicit Host(const tickd_host_api* api) : api_(api) {}

  // The observer's name from the YAML entry (several entries may use one plugin).
  std::string_view name() const { return detail::view(api_->observer_name); }

  // The observer's `config:` block as it was written (with ${ENV} substituted;
  // with defaults filled in when the plugin declares a schema). Throws
  // nlohmann::json::parse_error only if the host sent invalid JSON, which it
  // never does.
  nlohmann::json config() const {
    auto text = detail::view(api_->config_json);
    return text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text);
  }

  // The block checked against `schema` (the class's static config_schema())
  // and normalized, for typed reading whose getters cannot fail for a declared
  // key. The daemon has checked it already, with YAML positions; this check
  // gives FakeHost tests the same result. Throws std::invalid_argument listing
  // every problem.
  ConfigView config_view(const ConfigSchema& schema) const {
    auto checked = validate_config(schema.to_json(), config());
    if (!checked.ok()) throw std::invalid_argument(checked.summary());
    return ConfigView(std::move(checked.value));
  }

  void log(LogLevel level, std::string_view message) const {
    api_->log(api_->ctx, static_cast<std::int32_t>(level), detail::str(message));
  }
  void info(std::string_view m) const { log(LogLevel::info, m); }
  void warn(std::string_view m) const { log(LogLevel::warn, m); }
  void error(std::string_view m) const { log(LogLevel::error, m); }

  // Up to `limit` candles of a series, oldest first; the open candle (closed ==
  // false) comes last when there is one. Empty for an unknown series.
  std::vector<Candle> history(std::string_view symbol, Interval interval, std::uint32_t limit) const {
    std::vector<Candle> out;
    auto sink = [](void* user, const tickd_candle* c) noexcept {
      auto* v = static_cast<std::vector<Candle>*>(user);
      try {
        v->push_back(detail::from_c(*c));
      } catch (...) {
        // Out of memory: return what fits.
      }
    };
    api_->history(api_->ctx, detail::str(symbol), interval.seconds(), limit, sink, &out);
    return out;
  }

  // Sends a signal to every observer subscribed to signals. Never blocks.
  bool publish(const Signal& signal) const {
    auto c = detail::to_c(signal);
    return api_->publish(api_->ctx, &c) == TICKD_OK;
  }

  // Symbols from the daemon's symbol table. Views stay valid while the plugin lives.
  std::vector<std::string_view> symbols() const {
    std::vector<std::string_view> out;
    auto sink = [](void* user, tickd_str s) noexcept {
      try {
        static_cast<std::vector<std::string_view>*>(user)->push_back(detail::view(s));
      } catch (...) {
      }
    };
    api_->symbols(api_->ctx, sink, &out);
    return out;
  }

  std::vector<Interval> intervals() const {
    std::vector<Interval> out;
    for (std::size_t i = 0; i < api_->interval_count; ++i)
      if (auto iv = Interval::from_seconds(api_->intervals[i])) out.push_back(*iv);
    return out;
  }

  std::uint32_t history_capacity() const { return api_->history_capacity; }

  // True when the observer is configured `overflow: block`: nothing may be lost,
  // so a plugin's own full buffer should make on_* wait rather than drop
  // (back-pressure reaches the host's queue, then the feed). Empty from a host
  // older than ABI 1.1.
  std::optional<bool> lossless() const {
    if (api_->struct_size < offsetof(tickd_host_api, overflow) + sizeof(api_->overflow)) return std::nullopt;
    if (api_->overflow == TICKD_OVERFLOW_BLOCK) return true;
    if (api_->overflow == TICKD_OVERFLOW_DROP_TICKS) return false;
    return std::nullopt;
  }

  // A listening TCP socket on `address` (an IP literal) and `port` (0: any
  // free port) that the daemon holds for this observer across reloads, so no
  // connection attempt is refused while a reload restarts it (see
  // tickd_host_api.listen_tcp). The descriptor is the plugin's to close.
  // nullopt when the host does not offer it (older than ABI 1.2, FakeHost, a
  // child process host): bind a socket of your own. Throws
  // std::runtime_error with the host's reason when it cannot listen there.
  std::optional<int> listen_socket(std::string_view address, std::uint16_t port) const {
    if (api_->struct_size < offsetof(tickd_host_api, listen_tcp) + sizeof(api_->listen_tcp) ||
        !api_->listen_tcp)
      return std::nullopt;
    char error[512] = {};
    const std::int32_t fd = api_->listen_tcp(api_->ctx, detail::str(address), port, {error, sizeof error});
    if (fd < 0) throw std::runtime_error(error[0] ? error : "the host cannot listen there");
    return fd;
  }

  // Daemon status (feed state, counters) as a JSON object.
  nlohmann::json status() const {
    // Each call is a new status, which may have grown since the last (an
    // isolated plugin's asks the daemon again): ask until one fits whole.
    std::string buf(1024, '\0');
    for (int attempt = 0; attempt < 8; ++attempt) {
      const std::size_t n = api_->status_json(api_->ctx, buf.data(), buf.size());
      if (n <= buf.size()) {
        buf.resize(n);
        return nlohmann::json::parse(buf, nullptr, false);
      }
      buf.assign(n + n / 2, '\0');
    }
    return nlohmann::json::object();
  }

  const tickd_host_api* raw() const { return api_; }

 private:
  const tickd_host_api* api_;
};

}  // namespace tickd
