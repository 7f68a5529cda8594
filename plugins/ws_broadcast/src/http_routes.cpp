#include "http_routes.hpp"

#include "payloads.hpp"

#include <algorithm>

namespace tickd::ws {
namespace {

constexpr std::uint32_t kDefaultLimit = 500;

}  // namespace

HttpResponse json_response(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  // Replacing invalid UTF-8 instead of throwing: a response is always sent.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpRoutes::HttpRoutes(const Host& host, const Config& config, const SeriesTable& table,
                       const StaticFiles& files, std::function<nlohmann::json()> server_stats)
    : host_(host), config_(config), table_(table), files_(files), server_stats_(std::move(server_stats)) {}

bool HttpRoutes::is_public(const Target& target) const {
  auto segments = path_segments(target.path);
  if (segments.empty()) return true;
  return segments.size() == 1 && files_.find(segments[0]) != nullptr;
}

HttpResponse HttpRoutes::handle(const std::string& method, const Target& target) const {
  if (method != "GET") return json_response(405, error_body("only GET is supported"));
  auto segments = path_segments(target.path);
  if (segments.empty() || (segments.size() == 1 && files_.find(segments[0]))) {
    const StaticFile* file = files_.find(segments.empty() ? std::string() : segments[0]);
    if (!file)
      return json_response(
          404, error_body("chart page not installed: no index.html in web_root '" + config_.web_root + "'"));
    HttpResponse r;
    r.content_type = file->content_type;
    r.body = file->content;
    r.is_static = true;
    return r;
  }
  const std::string& first = segments[0];
  if (segments.size() == 1 && first == "health") return health();
  if (segments.size() == 1 && first == "info") return info();
  if (segments.size() == 1 && first == "symbols") {
    auto list = nlohmann::json::array();
    for (auto s : host_.symbols()) list.push_back(s);
    return json_response(200, list);
  }
  if (segments.size() == 1 && first == "historic") return historic(target.query);
  if (segments.size() == 3 && first == "candles") return candles(segments[1], segments[2], target.query);
  return json_response(404, error_body("no such endpoint: " + target.path.substr(0, 128)));
}

HttpResponse HttpRoutes::health() const {
  nlohmann::json body = server_stats_();
  body["status"] = "ok";
  body["observer"] = host_.name();
  auto daemon = host_.status();
  if (daemon.is_object() && daemon.contains("feed")) body["feed"] = daemon["feed"];
  body["daemon"] = daemon.is_discarded() ? nlohmann::json(nullptr) : daemon;
  return json_response(200, body);
}

HttpResponse HttpRoutes::info() const {
  auto intervals = nlohmann::json::array();
  for (auto iv : table_.intervals()) intervals.push_back(iv.name());
  auto symbols = nlohmann::json::array();
  for (auto s : host_.symbols()) symbols.push_back(s);
  return json_response(200, {{"symbols", symbols},
                             {"intervals", intervals},
                             {"default_symbol", config_.default_symbol},
                             {"default_interval", config_.default_interval.name()},
                             {"history_capacity", host_.history_capacity()},
                             {"auth", !config_.token.empty()}});
}

bool HttpRoutes::parse_limit(const std::string& query, std::uint32_t& limit, HttpResponse& error) const {
  limit = std::min(kDefaultLimit, std::max<std::uint32_t>(host_.history_capacity(), 1));
  auto text = query_param(query, "limit");
  if (!text) return true;
  bool digits = !text->empty() && text->size() <= 9 && std::all_of(text->begin(), text->end(), ::isdigit);
  if (!digits || std::stoul(*text) == 0) {
    error = json_response(400, error_body("limit must be a positive integer"));
    return false;
  }
  auto n = static_cast<std::uint32_t>(std::stoul(*text));
  std::uint32_t cap = host_.history_capacity();
  limit = cap > 0 ? std::min(n, cap) : n;
  return true;
}

HttpResponse HttpRoutes::candles(const std::string& symbol, const std::string& interval,
                                 const std::string& query) const {
  if (!table_.symbol_index(symbol))
    return json_response(404, error_body("unknown symbol '" + symbol.substr(0, 64) + "'"));
  auto iv = Interval::parse(interval);
  if (!iv || !table_.interval_index(*iv))
    return json_response(404, error_body("unknown interval '" + interval.substr(0, 16) + "'"));
  std::uint32_t limit = 0;
  HttpResponse error;
  if (!parse_limit(query, limit, error)) return error;
  return json_response(200, {{"symbol", symbol},
                             {"interval", iv->name()},
                             {"candles", chart_candles(host_.history(symbol, *iv, limit))}});
}

HttpResponse HttpRoutes::historic(const std::string& query) const {
  std::uint32_t limit = 0;
  HttpResponse error;
  if (!parse_limit(query, limit, error)) return error;
  return json_response(200,
                       chart_candles(host_.history(config_.default_symbol, config_.default_interval, limit)));
}

}  // namespace tickd::ws
