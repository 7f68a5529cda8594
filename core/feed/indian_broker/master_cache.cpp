#include "feed/indian_broker/master_cache.hpp"

#include "feed/connection/redact_url.hpp"
#include "feed/indian_broker/ist_time.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <zlib.h>
#include <boost/asio/executor_work_guard.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace tickd::core {

namespace {

constexpr TimeMs kDayMs = 86'400'000;

HttpResponse fetch_blocking(const MasterSource& source) {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);  // run_one_for waits for the worker's answer
  HttpOptions options = source.http;
  options.max_body_bytes = source.max_bytes;
  HttpFetcher fetcher(io, options);
  HttpRequest request;
  request.url = source.url;
  request.headers = source.headers;
  HttpResponse out;
  bool done = false;
  fetcher.fetch(std::move(request), [&](HttpResponse r) {
    out = std::move(r);
    done = true;
  });
  while (!done) {
    if (source.cancel && source.cancel->load()) {
      out.error = "cancelled";
      break;  // the fetcher's destructor aborts the transfer
    }
    io.run_one_for(std::chrono::milliseconds(100));
  }
  return out;
}

// The cache file's modification time (ms) and size; false when absent.
bool cache_stat(const std::string& path, TimeMs& mtime_ms, std::uint64_t& size) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  mtime_ms = static_cast<TimeMs>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
  size = static_cast<std::uint64_t>(st.st_size);
  return true;
}

bool write_atomically(const std::string& path, const std::string& text, std::string& error) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      error = "cannot write " + tmp;
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot rename " + tmp + " to " + path;
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

std::shared_ptr<const InstrumentMaster> parse(const MasterSource& source, const std::string& text,
                                              const std::string& where, std::string& error) {
  MasterParse parsed;
  if (!source.parse(text, parsed, error)) return nullptr;
  if (parsed.skipped > 0)
    spdlog::warn("{}: instrument master ({}): {} malformed rows skipped, the first at {}", source.broker,
                 where, parsed.skipped, parsed.first_skip);
  return std::make_shared<const InstrumentMaster>(std::move(parsed.instruments));
}

// The cache, whatever its age; null when absent or unusable.
std::shared_ptr<const InstrumentMaster> read_cache(const MasterSource& source, TimeMs& fetched_at,
                                                   std::string& error) {
  std::uint64_t size = 0;
  if (!cache_stat(source.cache_file, fetched_at, size)) {
    error = "no cached copy at " + source.cache_file;
    return nullptr;
  }
  if (size > source.max_bytes) {
    error = "the cached copy " + source.cache_file + " is larger than max_bytes";
    return nullptr;
  }
  std::ifstream in(source.cache_file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    error = "cannot read " + source.cache_file;
    return nullptr;
  }
  auto master = parse(source, text.str(), source.cache_file, error);
  if (!master) error = "the cached copy " + source.cache_file + " is unusable: " + error;
  return master;
}

std::string age_text(TimeMs now, TimeMs then) {
  const TimeMs minutes = (now - then) / 60000;
  return minutes < 120 ? std::to_string(minutes) + " min" : std::to_string(minutes / 60) + " h";
}

}  // namespace

TimeMs last_refresh_point(TimeMs now, int refresh_minute) {
  const TimeMs local = now + kIstOffsetMs;
  TimeMs day = local / kDayMs * kDayMs;
  if (local < 0 && local % kDayMs != 0) day -= kDayMs;
  TimeMs point = day + refresh_minute * 60'000LL - kIstOffsetMs;
  if (point > now) point -= kDayMs;
  return point;
}

bool gunzip(const std::string& body, std::size_t max_bytes, std::string& out, std::string& error) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
    error = "zlib init failed";
    return false;
  }
  out.clear();
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  char chunk[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      error = "bad gzip data";
      break;
    }
    out.append(chunk, sizeof chunk - z.avail_out);
    if (out.size() > max_bytes) {
      error = "larger than " + std::to_string(max_bytes) + " bytes once inflated";
      rc = Z_DATA_ERROR;
      break;
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      error = "truncated gzip data";
      rc = Z_DATA_ERROR;
      break;
    }
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) out.clear();
  return rc == Z_STREAM_END;
}

MasterLoad load_master(const MasterSource& source, TimeMs now, bool force) {
  MasterLoad load;
  const TimeMs fresh_after = last_refresh_point(now, source.refresh_minute);
  TimeMs cached_at = 0;
  std::string cache_error;
  std::shared_ptr<const InstrumentMaster> cached;
  if (!force) {
    cached = read_cache(source, cached_at, cache_error);
    if (cached && cached_at >= fresh_after) {
      load.master = cached;
      load.info = {"cache", cached->size(), cached_at, ""};
      spdlog::info(
          "{}: instrument master: {} instruments from the cache {} (fetched {} ago, fresh until {} IST)",
          source.broker, cached->size(), source.cache_file, age_text(now, cached_at),
          format_ist(fresh_after + kDayMs, false));
      return load;
    }
  }
  spdlog::info("{}: downloading the instrument master from {}", source.broker, redact_url(source.url));
  const HttpResponse r = fetch_blocking(source);
  std::string failure;
  std::string text;
  if (!r.error.empty()) {
    failure = r.error;
  } else if (!r.ok()) {
    failure = "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 160);
  } else if (r.body.size() >= 2 && static_cast<unsigned char>(r.body[0]) == 0x1f &&
             static_cast<unsigned char>(r.body[1]) == 0x8b) {
    if (!gunzip(r.body, source.max_bytes, text, failure)) failure = "gzip: " + failure;
  } else {
    text = r.body;
  }
  std::shared_ptr<const InstrumentMaster> fresh;
  if (failure.empty()) {
    fresh = parse(source, text, "download", failure);
    if (!fresh) failure = "not an instrument master: " + failure;
  }
  if (fresh) {
    std::string write_error;
    if (!source.cache_file.empty() && !write_atomically(source.cache_file, text, write_error))
      spdlog::warn("{}: instrument master not cached: {}", source.broker, write_error);
    load.master = fresh;
    load.info = {"downloaded", fresh->size(), now, ""};
    spdlog::info("{}: instrument master: {} instruments downloaded ({} bytes){}", source.broker,
                 fresh->size(), text.size(),
                 source.cache_file.empty() ? "" : ", cached in " + source.cache_file);
    return load;
  }
  if (force || !cached) cached = read_cache(source, cached_at, cache_error);
  if (cached) {
    load.master = cached;
    load.info = {
        "stale_cache", cached->size(), cached_at,
        "download failed (" + failure + "); using the copy fetched " + format_ist(cached_at, false) + " IST"};
    spdlog::warn(
        "{}: instrument master download from {} failed ({}); using the cached copy {} fetched {} ago",
        source.broker, redact_url(source.url), failure, source.cache_file, age_text(now, cached_at));
    return load;
  }
  load.error = "the instrument master could not be downloaded from " + redact_url(source.url) + " (" +
               failure + ") and " + cache_error;
  return load;
}

}  // namespace tickd::core
