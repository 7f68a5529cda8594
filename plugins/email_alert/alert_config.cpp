#include "alert_config.hpp"

#include "message_template.hpp"

#include <tickd/duration.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace tickd::email_alert {
namespace {

using nlohmann::json;

const char* const kDefaultSubject = "[tickd] {rule}: {symbol} {side} at {price}";
const char* const kDefaultBody =
    "{text}\n"
    "\n"
    "Rule:     {rule}\n"
    "Symbol:   {symbol}\n"
    "Price:    {price}\n"
    "Side:     {side}\n"
    "Time:     {time}\n"
    "Source:   {source}\n"
    "\n"
    "-- \n"
    "Sent by tickd\n";

class Reader {
 public:
  Reader(const json& node, std::string where) : node_(node), where_(std::move(where)) {
    if (!node.is_object()) fail("must be a mapping");
  }
  [[noreturn]] void fail(const std::string& what) const { throw std::invalid_argument(where_ + what); }
  bool has(const char* key) const { return node_.contains(key); }
  const json& at(const char* key) const { return node_.at(key); }

  std::string string(const char* key, std::optional<std::string> fallback = std::nullopt) const {
    if (!has(key)) {
      if (fallback) return *fallback;
      fail(std::string("missing '") + key + "'");
    }
    if (!at(key).is_string()) fail(std::string("'") + key + "' must be a string");
    return at(key).get<std::string>();
  }
  double number(const char* key, double lo) const {
    if (!at(key).is_number() || !(at(key).get<double>() > lo))
      fail(std::string("'") + key + "' must be a number above " + json(lo).dump() + ", got " +
           at(key).dump());
    return at(key).get<double>();
  }
  std::uint64_t count(const char* key, std::uint64_t fallback, std::uint64_t lo, std::uint64_t hi) const {
    if (!has(key)) return fallback;
    if (!at(key).is_number_integer() || at(key).get<long long>() < static_cast<long long>(lo) ||
        at(key).get<long long>() > static_cast<long long>(hi))
      fail(std::string("'") + key + "' must be an integer from " + std::to_string(lo) + " to " +
           std::to_string(hi) + ", got " + at(key).dump());
    return at(key).get<std::uint64_t>();
  }
  // tickd's one duration syntax; a plain number is seconds.
  std::int64_t duration(const char* key, std::int64_t fallback) const {
    if (!has(key)) return fallback;
    const json& v = at(key);
    std::optional<std::int64_t> ms;
    if (v.is_string()) ms = parse_duration_ms(v.get<std::string>());
    if (v.is_number() && v.get<double>() >= 0 && v.get<double>() <= 1e9)
      ms = static_cast<std::int64_t>(std::llround(v.get<double>() * 1000));
    if (!ms)
      fail(std::string("'") + key + "' must be a duration like 250ms, 30s, 5m, 1h or 1d, got " + v.dump());
    return *ms;
  }
  std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    if (!has(key)) return out;
    const json& v = at(key);
    if (v.is_string()) return {v.get<std::string>()};
    if (!v.is_array()) fail(std::string("'") + key + "' must be a list of strings");
    for (const auto& item : v) {
      if (!item.is_string() || item.get<std::string>().empty())
        fail(std::string("'") + key + "' must contain only non-empty strings, got " + item.dump());
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  void only_keys(std::initializer_list<const char*> allowed) const {
    for (const auto& item : node_.items()) {
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return item.key() == a; })) {
        std::string list;
        for (const char* a : allowed) list += list.empty() ? a : std::string(", ") + a;
        fail("unknown key '" + item.key() + "' (allowed: " + list + ")");
      }
    }
  }

 private:
  const json& node_;
  std::string where_;
};

bool plausible_address(const std::string& a) {
  const auto at = a.find('@');
  return at != std::string::npos && at > 0 && at + 1 < a.size() &&
         a.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
}

SmtpSettings parse_smtp(const json& node) {
  Reader r(node, "smtp: ");
  r.only_keys({"url", "use_ssl", "username", "password", "connect_timeout", "timeout"});
  SmtpSettings s;
  s.url = r.string("url");
  if (s.url.rfind("smtp://", 0) != 0 && s.url.rfind("smtps://", 0) != 0)
    r.fail("'url' must start with smtp:// or smtps://, got '" + s.url + "'");
  const std::string authority = s.url.substr(s.url.find("://") + 3);
  if (authority.substr(0, authority.find('/')).find('@') != std::string::npos)
    r.fail("'url' must not contain credentials; use 'username' and 'password'");
  const std::string ssl = r.string("use_ssl", std::string("all"));
  if (ssl == "none")
    s.use_ssl = UseSsl::none;
  else if (ssl == "try")
    s.use_ssl = UseSsl::try_tls;
  else if (ssl == "all")
    s.use_ssl = UseSsl::all;
  else
    r.fail("'use_ssl' must be none, try or all, got '" + ssl + "'");
  s.username = r.string("username", std::string());
  s.password = r.string("password", std::string());
  if (s.username.empty() != s.password.empty()) r.fail("'username' and 'password' go together");
  s.connect_timeout_ms = r.duration("connect_timeout", s.connect_timeout_ms);
  s.timeout_ms = r.duration("timeout", s.timeout_ms);
  if (s.connect_timeout_ms <= 0 || s.timeout_ms <= 0) r.fail("timeouts must be positive");
  return s;
}

AlertRuleSpec parse_rule(const json& node, std::size_t index, std::int64_t default_cooldown) {
  Reader head(node, "rules[" + std::to_string(index) + "]: ");
  AlertRuleSpec spec;
  spec.name = head.string("name");
  if (spec.name.empty()) head.fail("'name' must not be empty");
  Reader r(node, "rules[" + std::to_string(index) + "] (\"" + spec.name + "\"): ");
  const std::string type = r.string("type");
  const auto common = {"name", "type", "symbols", "cooldown", "subject", "body"};
  auto keys = [&](std::initializer_list<const char*> extra) {
    std::vector<const char*> all(common.begin(), common.end());
    all.insert(all.end(), extra.begin(), extra.end());
    for (const auto& item : node.items())
      if (std::none_of(all.begin(), all.end(), [&](const char* a) { return item.key() == a; })) {
        std::string list;
        for (const char* a : all) list += list.empty() ? a : std::string(", ") + a;
        r.fail("unknown key '" + item.key() + "' for type " + type + " (allowed: " + list + ")");
      }
  };
  if (type == "price_cross") {
    spec.type = AlertRuleType::price_cross;
    keys({"above", "below"});
    if (r.has("above") == r.has("below")) r.fail("give exactly one of 'above' or 'below' (a price level)");
    if (r.has("above")) spec.above = r.number("above", 0);
    if (r.has("below")) spec.below = r.number("below", 0);
  } else if (type == "percent_move") {
    spec.type = AlertRuleType::percent_move;
    keys({"percent", "window", "direction"});
    if (!r.has("percent")) r.fail("missing 'percent'");
    spec.percent = r.number("percent", 0);
    if (spec.percent >= 100) r.fail("'percent' must be below 100");
    if (!r.has("window")) r.fail("missing 'window' (e.g. 5m)");
    spec.window_ms = r.duration("window", 0);
    if (spec.window_ms <= 0) r.fail("'window' must be positive");
    const std::string dir = r.string("direction", std::string("any"));
    if (dir != "up" && dir != "down" && dir != "any") r.fail("'direction' must be up, down or any");
    spec.up = dir != "down";
    spec.down = dir != "up";
  } else if (type == "signal") {
    spec.type = AlertRuleType::signal;
    keys({"sources", "sides"});
    spec.sources = r.strings("sources");
    for (const auto& side : r.strings("sides")) {
      auto parsed = parse_side(side);
      if (!parsed) r.fail("unknown side '" + side + "' in 'sides' (buy, sell, neutral, unknown)");
      spec.sides.push_back(*parsed);
    }
  } else {
    r.fail("unknown type '" + type + "' (expected price_cross, percent_move or signal)");
  }
  spec.symbols = r.strings("symbols");
  spec.cooldown_ms = r.duration("cooldown", default_cooldown);
  spec.subject = r.string("subject", std::string());
  spec.body = r.string("body", std::string());
  if (!spec.subject.empty()) MessageTemplate(spec.subject, "rules[" + std::to_string(index) + "].subject");
  if (!spec.body.empty()) MessageTemplate(spec.body, "rules[" + std::to_string(index) + "].body");
  return spec;
}

}  // namespace

bool AlertRuleSpec::applies_to(std::string_view symbol) const {
  return symbols.empty() || std::find(symbols.begin(), symbols.end(), symbol) != symbols.end();
}

AlertConfig parse_alert_config(const nlohmann::json& config) {
  Reader r(config, "");
  r.only_keys({"smtp", "from", "to", "subject", "body", "cooldown", "max_per_hour", "queue_size", "retry",
               "stop_timeout", "rules"});
  AlertConfig c;
  if (!r.has("smtp")) r.fail("missing 'smtp' (url, use_ssl, username, password)");
  c.smtp = parse_smtp(r.at("smtp"));
  c.from = r.string("from");
  if (!plausible_address(c.from)) r.fail("'from' is not an email address: '" + c.from + "'");
  c.to = r.strings("to");
  if (c.to.empty()) r.fail("'to' must list at least one recipient");
  for (const auto& to : c.to)
    if (!plausible_address(to)) r.fail("'to' contains something that is not an email address: '" + to + "'");
  c.subject = r.string("subject", std::string(kDefaultSubject));
  c.body = r.string("body", std::string(kDefaultBody));
  MessageTemplate(c.subject, "subject");
  MessageTemplate(c.body, "body");
  const std::int64_t cooldown = r.duration("cooldown", 300000);
  c.max_per_hour = static_cast<std::uint32_t>(r.count("max_per_hour", c.max_per_hour, 1, 100000));
  c.queue_size = r.count("queue_size", c.queue_size, 1, 100000);
  c.stop_timeout_ms = r.duration("stop_timeout", c.stop_timeout_ms);
  if (r.has("retry")) {
    Reader retry(r.at("retry"), "retry: ");
    retry.only_keys({"initial", "max", "attempts"});
    c.retry_initial_ms = retry.duration("initial", c.retry_initial_ms);
    c.retry_max_ms = retry.duration("max", c.retry_max_ms);
    c.max_attempts = static_cast<std::uint32_t>(retry.count("attempts", c.max_attempts, 1, 1000));
    if (c.retry_initial_ms <= 0 || c.retry_max_ms < c.retry_initial_ms)
      retry.fail("'initial' must be positive and not above 'max'");
  }
  if (!r.has("rules") || !r.at("rules").is_array() || r.at("rules").empty())
    r.fail("'rules' must be a non-empty list of alert rules");
  std::set<std::string> names;
  for (std::size_t i = 0; i < r.at("rules").size(); ++i) {
    c.rules.push_back(parse_rule(r.at("rules")[i], i, cooldown));
    if (!names.insert(c.rules.back().name).second)
      r.fail("rules[" + std::to_string(i) + "]: duplicate rule name '" + c.rules.back().name + "'");
  }
  return c;
}

}  // namespace tickd::email_alert
