// tickd-plugin-host: runs one observer plugin in a child process of the daemon
// (`isolation: process`) and speaks the process-observer protocol for it, so
// the plugin is the same .so, unchanged. The Host table it hands the plugin
// turns log, publish, history and status into protocol lines (history and
// status from any thread), and it answers the daemon's metrics requests with
// the plugin's own metrics().
#pragma once

#include "plugin/plugin_library.hpp"
#include "plugin_child/daemon_inbox.hpp"
#include "plugin_child/daemon_outbox.hpp"

#include <tickd/abi.h>
#include <tickd/wire.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tickd::core {

class PluginChild {
 public:
  PluginChild(std::string plugin_path, int in_fd, int out_fd);
  // Handshake, create + start, the event loop, stop. Returns the exit status.
  int run();

 private:
  bool read_hello(std::string& error);
  int event_loop();  // until stop or end of input; 0, or 3 on a bad line
  bool handle(const wire::Event& e, std::string& error);
  void send_metrics();  // any thread
  std::string_view intern(std::string_view symbol);

  static void log(void* ctx, std::int32_t level, tickd_str message) noexcept;
  static tickd_status history(void* ctx, tickd_str symbol, std::int64_t interval_s, std::uint32_t limit,
                              tickd_candle_sink sink, void* user) noexcept;
  static tickd_status publish(void* ctx, const tickd_signal* signal) noexcept;
  static void symbols(void* ctx, tickd_str_sink sink, void* user) noexcept;
  static std::size_t status_json(void* ctx, char* buf, std::size_t cap) noexcept;

  std::string plugin_path_;
  DaemonInbox inbox_;
  DaemonOutbox outbox_;
  std::shared_ptr<PluginLibrary> library_;
  std::mutex instance_mu_;  // the reader thread's metrics calls against destroy
  tickd_plugin_instance* instance_ = nullptr;
  tickd_host_api api_{};
  std::string observer_;
  std::string config_json_;
  std::vector<std::int64_t> intervals_;
  std::mutex symbols_mu_;                       // history answers intern from any thread
  std::set<std::string, std::less<>> symbols_;  // views handed out stay valid
  std::uint32_t history_capacity_ = 0;
  int protocol_ = 1;  // chosen from the hello's offer
  std::uint64_t handled_seq_ = 0;
  std::uint64_t acked_seq_ = 0;
  std::thread::id loop_thread_;
  char error_[1024] = {};
};

}  // namespace tickd::core
