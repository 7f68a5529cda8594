#include "ws_broadcast.hpp"

#include "config.hpp"
#include "server.hpp"

#include <dlfcn.h>

#include <filesystem>

namespace tickd::ws {

std::string default_web_root() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&default_web_root), &info) == 0 || !info.dli_fname)
    return "ws_broadcast_web";
  std::error_code ec;
  auto lib = std::filesystem::canonical(info.dli_fname, ec);
  if (ec) lib = info.dli_fname;
  return (lib.parent_path() / "ws_broadcast_web").string();
}

WsBroadcast::WsBroadcast() = default;
WsBroadcast::~WsBroadcast() { stop(); }

ConfigSchema WsBroadcast::config_schema() { return ws::config_schema(); }

void WsBroadcast::start(Host& host) {
  auto symbols = host.symbols();
  auto intervals = host.intervals();
  Config config = parse_config(host.config(), symbols, intervals);
  if (config.web_root.empty()) config.web_root = default_web_root();
  StaticFiles files;
  try {
    files.load(config.web_root);
  } catch (const std::exception& e) {
    if (config.web_root_explicit) throw;
    host.warn(std::string(e.what()) + "; serving the API without the chart page");
  }
  if (files.size() > 0 && !files.find("index.html"))
    host.warn("ws_broadcast: web_root '" + config.web_root + "' has no index.html");
  server_ =
      std::make_unique<Server>(host, std::move(config), SeriesTable(symbols, intervals), std::move(files));
  server_->start();
}

void WsBroadcast::on_candle(const Candle& candle) {
  if (server_) server_->publish_candle(candle);
}

void WsBroadcast::on_signal(const Signal& signal) {
  if (server_) server_->publish_signal(signal);
}

void WsBroadcast::stop() {
  if (server_) server_->stop();
}

std::uint16_t WsBroadcast::port() const { return server_ ? server_->port() : 0; }

SessionStats WsBroadcast::stats() const { return server_ ? server_->stats() : SessionStats{}; }

}  // namespace tickd::ws
