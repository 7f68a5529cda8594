#include "storage_common/writer_options.hpp"

#include <tickd/duration.hpp>

namespace tickd::storage {

namespace s = tickd::schema;

std::vector<ConfigKey> writer_option_keys(const WriterOptions& d) {
  auto ms = [](std::chrono::milliseconds v) { return format_duration(v.count()); };
  return {
      s::integer("batch_size", "Records per write (one transaction or pipeline)")
          .default_value(d.batch_size)
          .range(1, 100000),
      s::duration("max_delay", "Longest a partial batch waits before it is written")
          .default_value(ms(d.max_delay))
          .range("0s", "1m"),
      s::integer("max_buffer", "Records queued for the writer at most")
          .default_value(d.max_buffer)
          .range(1, 100000000),
      s::duration("retry_initial", "First wait before a failed batch is written again")
          .default_value(ms(d.retry_initial))
          .range("1ms", "1m"),
      s::duration("retry_max", "Longest wait between retries (the wait doubles up to it)")
          .default_value(ms(d.retry_max))
          .range("1ms", "10m"),
      s::duration("stop_timeout", "How long stopping keeps trying to write what is queued")
          .default_value(ms(d.stop_timeout))
          .range("0s", "10m"),
  };
}

WriterOptions read_writer_options(const ConfigView& config, WriterOptions defaults) {
  WriterOptions o = defaults;
  o.batch_size = static_cast<std::size_t>(config.integer("batch_size"));
  o.max_delay = config.duration("max_delay");
  o.max_buffer = static_cast<std::size_t>(config.integer("max_buffer"));
  o.retry_initial = config.duration("retry_initial");
  o.retry_max = config.duration("retry_max");
  o.stop_timeout = config.duration("stop_timeout");
  return o;
}

}  // namespace tickd::storage
