// The logger observer: every event it receives as one line, to stdout or a
// rotating file, through spdlog.
#pragma once

#include "event_format.hpp"

#include <tickd/plugin.hpp>

#include <chrono>
#include <memory>

namespace spdlog {
class logger;
}

namespace tickd::logger {

class LoggerObserver : public Observer {
 public:
  static ConfigSchema config_schema();

  void start(Host& host) override;
  void on_tick(const Tick& t) override { write(format_tick(t, format_)); }
  void on_candle(const Candle& c) override { write(format_candle(c, format_)); }
  void on_signal(const Signal& s) override { write(format_signal(s, format_)); }
  void stop() override;

 private:
  void write(const std::string& line);

  Format format_ = Format::text;
  std::shared_ptr<spdlog::logger> out_;
  std::chrono::milliseconds flush_interval_{1000};
  std::chrono::steady_clock::time_point last_flush_{};
};

}  // namespace tickd::logger
