#include "logger_observer.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace tickd::logger {

ConfigSchema LoggerObserver::config_schema() {
  namespace s = tickd::schema;
  return {
      s::choice("format", {"text", "json"}, "One line per event, as text or JSON").default_value("text"),
      s::string("output", "stdout, or a file that is rotated by size").default_value("stdout").non_empty(),
      s::number("max_size_mb", "Size of a file before it is rotated, in MB")
          .default_value(100)
          .above(0)
          .max(1e6),
      s::integer("max_files", "Rotated files kept").default_value(5).range(1, 10000),
      s::duration("flush_interval", "Longest a written line may wait in the buffer")
          .default_value("1s")
          .range("0s", "1h"),
  };
}

void LoggerObserver::start(Host& host) {
  const ConfigView config = host.config_view(config_schema());
  format_ = config.string("format") == "json" ? Format::json : Format::text;
  const std::string output = config.string("output");
  flush_interval_ = config.duration("flush_interval");
  // Loggers are built directly, not through spdlog's registry, which this
  // library may share with the daemon.
  std::string name(host.name());
  if (output == "stdout") {
    out_ = std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::stdout_sink_mt>());
  } else {
    const double max_mb = config.number("max_size_mb");
    const auto max_files = config.integer("max_files");
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
