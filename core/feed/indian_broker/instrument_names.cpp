#include "feed/indian_broker/instrument_names.hpp"

#include "feed/kite/kite_instruments.hpp"
#include "feed/smartapi/smartapi_scrip_master.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tickd::core {

namespace {

constexpr const char* kSmartApiMasterUrl =
    "https://margincalculator.angelbroking.com/OpenAPI_File/files/OpenAPIScripMaster.json";
// The real masters: ~100k rows of Kite CSV (about 10 MB), ~150k SmartAPI
// entries (about 40 MB). Room to grow, no room for a runaway answer.
constexpr std::size_t kKiteMaxBytes = 64u << 20;
constexpr std::size_t kSmartApiMaxBytes = 160u << 20;

std::string read_trimmed(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto end = text.find_last_not_of(" \t\r\n");
  return end == std::string::npos ? "" : text.substr(0, end + 1);
}

std::string cache_dir(const InstrumentMasterConfig& c) {
  if (!c.cache_dir.empty()) return c.cache_dir;
  // systemd's StateDirectory= (several are separated by ':').
  if (const char* state = std::getenv("STATE_DIRECTORY"); state && *state) {
    const std::string dirs = state;
    return dirs.substr(0, dirs.find(':'));
  }
  return ".";
}

std::string mark_of(const FeedConfig& feed, std::size_t i) {
  const SourceMark& m = i < feed.symbol_marks.size() ? feed.symbol_marks[i] : feed.mark;
  return m.str() + ": 'feed.symbols[" + std::to_string(i) + "]'";
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

std::string master_text(const std::string& path, std::size_t max_bytes, std::string& error) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    error = "cannot read " + path;
    return {};
  }
  if (static_cast<std::uint64_t>(in.tellg()) > max_bytes) {
    error = path + " is larger than " + std::to_string(max_bytes) + " bytes";
    return {};
  }
  in.seekg(0);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

MasterSource instrument_master_source(const FeedConfig& feed) {
  MasterSource s;
  const bool kite = feed.kind == "kite";
  const InstrumentMasterConfig& c = kite ? feed.kite.instrument_master : feed.smartapi.instrument_master;
  const BrokerConnectionConfig& conn = kite ? feed.kite.connection : feed.smartapi.connection;
  s.broker = feed.kind;
  s.refresh_minute = c.refresh_minute;
  s.max_bytes = c.max_bytes ? c.max_bytes : kite ? kKiteMaxBytes : kSmartApiMaxBytes;
  s.http.ca_file = conn.ca_file;
  s.http.verify = conn.verify;
  s.http.timeout_ms = c.timeout_ms;
  if (kite) {
    s.url = c.url.empty() ? feed.kite.history.rest_url + "/instruments" : c.url;
    const std::string token = feed.kite.access_token_file.empty() ? feed.kite.access_token
                                                                  : read_trimmed(feed.kite.access_token_file);
    s.headers = {{"X-Kite-Version", "3"}, {"Authorization", "token " + feed.kite.api_key + ":" + token}};
    s.cache_file = cache_dir(c) + "/kite-instruments.csv";
    s.parse = parse_kite_instruments;
  } else {
    s.url = c.url.empty() ? kSmartApiMasterUrl : c.url;
    s.cache_file = cache_dir(c) + "/smartapi-scrip-master.json";
    s.parse = parse_smartapi_scrip_master;
  }
  return s;
}

std::vector<std::size_t> names_to_resolve(const FeedConfig& feed) {
  std::vector<std::string> given;
  if (feed.kind == "kite")
    for (const auto& [token, name] : feed.kite.instruments) given.push_back(name);
  else if (feed.kind == "smartapi")
    for (const auto& t : feed.smartapi.tokens) given.push_back(t.symbol);
  else
    return {};
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < feed.symbols.size(); ++i)
    if (std::find(given.begin(), given.end(), feed.symbols[i]) == given.end() &&
        std::find_if(out.begin(), out.end(),
                     [&](std::size_t j) { return feed.symbols[j] == feed.symbols[i]; }) == out.end())
      out.push_back(i);
  return out;
}

std::vector<std::string> resolve_instrument_names(FeedConfig& feed, TimeMs now) {
  const std::vector<std::size_t> wanted = names_to_resolve(feed);
  if (wanted.empty()) return {};
  std::vector<std::string> errors;
  const bool kite = feed.kind == "kite";
  const MasterSource source = instrument_master_source(feed);
  MasterLoad load;
  if (kite && !feed.kite.instruments_csv.empty()) {
    std::string error;
    const std::string text = master_text(feed.kite.instruments_csv, source.max_bytes, error);
    MasterParse parsed;
    if (error.empty() && parse_kite_instruments(text, parsed, error)) {
      load.master = std::make_shared<const InstrumentMaster>(std::move(parsed.instruments));
      load.info = {"file", load.master->size(), 0, ""};
    } else {
      load.error = "kite.instruments_csv: " + feed.kite.instruments_csv + ": " + error;
    }
  } else {
    load = load_master(source, now);
  }
  if (!load.master) {
    errors.push_back(mark_of(feed, wanted.front()) + ": " + std::to_string(wanted.size()) +
                     " name(s) cannot be resolved to " + feed.kind + " tokens: " + load.error);
    return errors;
  }
  const int today = ist_date(now);
  for (std::size_t i : wanted) {
    const std::string& name = feed.symbols[i];
    const std::string where = mark_of(feed, i);
    if (name.find(':') == std::string::npos) {
      errors.push_back(where + ": '" + name + "' must be EXCHANGE:SYMBOL (e.g. NSE:" + name + ")");
      continue;
    }
    const auto found = load.master->find(name, today, kite ? "" : "-EQ");
    if (!found.instrument) {
      errors.push_back(where + ": '" + name + "' is not in the " + feed.kind + " instrument master (" +
                       std::to_string(load.master->size()) + " instruments)" +
                       (found.suggestions.empty() ? "" : "; closest: " + quoted_list(found.suggestions)));
      continue;
    }
    if (found.expired) {
      errors.push_back(where + ": '" + name + "' expired on " + format_yyyymmdd(found.instrument->expiry) +
                       " (remove it or name a live contract" +
                       (found.suggestions.empty() ? "" : ", e.g. " + quoted_list(found.suggestions)) + ")");
      continue;
    }
    const MasterInstrument& in = *found.instrument;
    feed.resolved_names.push_back({name, in.token, in.expiry});
    if (kite) {
      feed.kite.instruments.emplace_back(static_cast<std::uint32_t>(std::stoul(in.token)), name);
    } else {
      const int type = smartapi_exchange_type(in.exchange);
      if (type == 0) {
        errors.push_back(where + ": '" + name + "' is on exchange segment '" + in.exchange +
                         "', which SmartAPI's WebSocket does not stream");
        continue;
      }
      feed.smartapi.tokens.push_back({type, in.token, name});
    }
  }
  feed.resolved_from = load.info;
  if (errors.empty())
    spdlog::info("{}: {} names resolved to tokens through the instrument master ({})", feed.kind,
                 wanted.size(), load.info.source);
  return errors;
}

}  // namespace tickd::core
