// feed.kite.instrument_master / feed.smartapi.instrument_master: where the
// broker's instrument master comes from and how long a cached copy is good.
#include "config/broker_connection_section.hpp"

namespace tickd::core {

void read_instrument_master(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                            InstrumentMasterConfig& out) {
  const MapReader map(errors, field, {"url", "cache_dir", "refresh_at", "max_bytes", "timeout"});
  if (auto f = map.get("url")) {
    if (auto url = read_string(errors, *f)) {
      if (url->rfind("http://", 0) == 0 || url->rfind("https://", 0) == 0)
        out.url = *url;
      else
        errors.add(f->mark, "'" + f->path + "' must start with http:// or https://");
    }
  }
  if (auto f = map.get("cache_dir"))
    if (auto dir = read_string(errors, *f)) {
      if (dir->empty())
        errors.add(f->mark, "'" + f->path + "' must not be empty");
      else
        out.cache_dir = resolve_path(base_dir, *dir);
    }
  if (auto f = map.get("refresh_at"))
    if (auto text = read_string(errors, *f)) {
      if (auto minute = parse_clock(*text))
        out.refresh_minute = *minute;
      else
        errors.add(f->mark, "'" + f->path + "' must be a time of day \"HH:MM\" (IST), got '" + *text + "'");
    }
  // A real master is 10-60 MB; a gigabyte is no master, and no allocation we want.
  if (auto f = map.get("max_bytes"))
    if (auto n = read_integer(errors, *f, 1 << 16, std::int64_t(1) << 30))
      out.max_bytes = static_cast<std::uint64_t>(*n);
  if (auto f = map.get("timeout")) {
    auto ms = read_duration_ms(errors, *f);
    if (ms && *ms < 1000)
      errors.add(f->mark, "'" + f->path + "' must be at least 1s");
    else if (ms)
      out.timeout_ms = *ms;
  }
}

}  // namespace tickd::core
