#include "alert_common/message_template.hpp"

#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace tickd::alerts {
namespace {

const char* const kPlaceholders[] = {"symbol", "price", "time",     "rule",    "side",
                                     "source", "text",  "interval", "strength"};

bool known(const std::string& name) {
  for (const char* p : kPlaceholders)
    if (name == p) return true;
  return false;
}

std::string value_of(const std::string& name, const Alert& a) {
  if (name == "symbol") return a.symbol;
  if (name == "price") return format_price(a.price);
  if (name == "time") return format_time_utc(a.time);
  if (name == "rule") return a.rule;
  if (name == "side") return a.side;
  if (name == "source") return a.source;
  if (name == "text") return a.text;
  if (name == "interval") return a.interval;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", a.strength);
  return buf;
}

}  // namespace

MessageTemplate::MessageTemplate(const std::string& text, const std::string& what) {
  std::string literal;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      ++i;
    } else if (c == '{') {
      const auto end = text.find('}', i);
      if (end == std::string::npos)
        throw std::invalid_argument(what + ": unclosed '{' (write {{ for a brace)");
      const std::string name = text.substr(i + 1, end - i - 1);
      if (!known(name))
        throw std::invalid_argument(
            what + ": unknown placeholder {" + name +
            "} (known: symbol, price, time, rule, side, source, text, interval, strength)");
      if (!literal.empty()) parts_.push_back({false, std::move(literal)});
      literal.clear();
      parts_.push_back({true, name});
      i = end;
    } else if (c == '}') {
      throw std::invalid_argument(what + ": unmatched '}' (write }} for a brace)");
    } else {
      literal += c;
    }
  }
  if (!literal.empty()) parts_.push_back({false, std::move(literal)});
}

std::string MessageTemplate::render(const Alert& alert, Escape escape) const {
  std::string out;
  for (const auto& p : parts_) {
    if (!p.placeholder)
      out += p.text;
    else
      out += escape ? escape(value_of(p.text, alert)) : value_of(p.text, alert);
  }
  return out;
}

std::string format_time_utc(TimeMs time) {
  const std::time_t seconds = static_cast<std::time_t>(time >= 0 ? time / 1000 : (time - 999) / 1000);
  const int ms = static_cast<int>(time - static_cast<TimeMs>(seconds) * 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::string format_price(double price) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", price);
  return buf;
}

}  // namespace tickd::alerts
