// The tickd_host_api handed to one observer's plugin instance.
#pragma once

#include "plugin/host_services.hpp"

#include <tickd/abi.h>

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace tickd::core {

class PluginHostApi {
 public:
  // `lossless`: the observer is configured `overflow: block`.
  PluginHostApi(std::string observer_name, std::string config_json, HostServices& services,
                bool lossless = false);
  ~PluginHostApi();
  PluginHostApi(const PluginHostApi&) = delete;
  PluginHostApi& operator=(const PluginHostApi&) = delete;

  const tickd_host_api* api() const { return &api_; }
  const std::string& observer_name() const { return name_; }
  const SymbolTable& symbols() const { return services_.symbols(); }

 private:
  static void log(void* ctx, std::int32_t level, tickd_str message) noexcept;
  static tickd_status history(void* ctx, tickd_str symbol, std::int64_t interval_s, std::uint32_t limit,
                              tickd_candle_sink sink, void* user) noexcept;
  static tickd_status publish(void* ctx, const tickd_signal* signal) noexcept;
  static void symbols(void* ctx, tickd_str_sink sink, void* user) noexcept;
  static std::size_t status_json(void* ctx, char* buf, std::size_t cap) noexcept;
  static std::int32_t listen_tcp(void* ctx, tickd_str address, std::uint16_t port,
                                 tickd_error_buf err) noexcept;

  std::string name_;
  std::uint64_t instance_;  // unique per plugin instance, for what it holds (sockets)
  std::string config_json_;
  HostServices& services_;
  std::shared_ptr<spdlog::logger> logger_;
  tickd_host_api api_{};
};

}  // namespace tickd::core
