#include "logger_observer.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace tickd::logger {

void LoggerObserver::start(Host& host) {
  auto config = host.config();
  for (const auto& [key, value] : config.items())
    if (key != "format" && key != "output" && key != "max_size_mb" && key != "max_files" &&
        key != "flush_interval_ms")
      throw std::runtime_error("unknown config key '" + key +
                               "' (known: format, output, max_size_mb, max_files, flush_interval_ms)");
  std::string format = config.value("format", "text");
  if (format == "json")
    format_ = Format::json;
  else if (format != "text")
    throw std::runtime_error("config 'format' must be text or json, got '" + format + "'");
  std::string output = config.value("output", "stdout");
  flush_interval_ = std::chrono::milliseconds(config.value("flush_interval_ms", 1000));
  // Loggers are built directly, not through spdlog's registry, which this
  // library may share with the daemon.
  std::string name(host.name());
  if (output == "stdout") {
    out_ = std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::stdout_sink_mt>());
  } else {
    double max_mb = config.value("max_size_mb", 100.0);
    int max_files = config.value("max_files", 5);
    if (max_mb <= 0 || max_files < 1) throw std::runtime_error("max_size_mb and max_files must be positive");
    try {
      out_ = std::make_shared<spdlog::logger>(
          name,
          std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
              output, static_cast<std::size_t>(max_mb * 1024 * 1024), static_cast<std::size_t>(max_files)));
    } catch (const spdlog::spdlog_ex& e) {
      throw std::runtime_error("cannot open log file '" + output + "': " + e.what());
    }
  }
  out_->set_pattern("%v");
}

void LoggerObserver::write(const std::string& line) {
  out_->info(line);
  auto now = std::chrono::steady_clock::now();
  if (now - last_flush_ >= flush_interval_) {
    out_->flush();
    last_flush_ = now;
  }
}

void LoggerObserver::stop() {
  if (out_) out_->flush();
}

}  // namespace tickd::logger
