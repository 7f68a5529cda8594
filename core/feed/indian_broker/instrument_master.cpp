#include "feed/indian_broker/instrument_master.hpp"

#include "feed/indian_broker/ist_time.hpp"

#include <tickd/did_you_mean.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace tickd::core {

namespace {

constexpr std::size_t kSuggestions = 5;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string qualified(const MasterInstrument& in) { return in.exchange + ":" + in.symbol; }

}  // namespace

InstrumentMaster::InstrumentMaster(std::vector<MasterInstrument> instruments)
    : instruments_(std::move(instruments)) {
  by_name_.reserve(instruments_.size());
  by_upper_.reserve(instruments_.size());
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    const std::string name = qualified(instruments_[i]);
    // A name listed twice keeps its first row, as Kite's own clients do.
    by_name_.emplace(name, i);
    by_upper_.emplace(upper(name), i);
  }
}

const MasterInstrument* InstrumentMaster::exact(const std::string& name) const {
  if (auto it = by_name_.find(name); it != by_name_.end()) return &instruments_[it->second];
  if (auto it = by_upper_.find(upper(name)); it != by_upper_.end()) return &instruments_[it->second];
  return nullptr;
}

InstrumentMaster::Lookup InstrumentMaster::find(std::string_view name, int today,
                                                std::string_view equity_suffix) const {
  Lookup out;
  out.instrument = exact(std::string(name));
  if (!out.instrument && !equity_suffix.empty())
    out.instrument = exact(std::string(name) + std::string(equity_suffix));
  if (out.instrument) {
    out.expired = out.instrument->expiry != 0 && out.instrument->expiry < today;
    if (out.expired) out.suggestions = closest(name, today);
    return out;
  }
  out.suggestions = closest(name, today);
  return out;
}

std::vector<std::string> InstrumentMaster::closest(std::string_view name, int today) const {
  // Candidates from the same exchange when it exists, else every exchange
  // (a mistyped exchange: "NSX:INFY"); expired contracts are no suggestion.
  const auto colon = name.find(':');
  const std::string exchange = upper(name.substr(0, colon == std::string_view::npos ? 0 : colon));
  bool exchange_known = false;
  for (const auto& in : instruments_)
    if (upper(in.exchange) == exchange) {
      exchange_known = true;
      break;
    }
  std::vector<std::string> names;
  for (const auto& in : instruments_) {
    if (exchange_known && upper(in.exchange) != exchange) continue;
    if (in.expiry != 0 && in.expiry < today) continue;
    names.push_back(qualified(in));
  }
  std::vector<std::string_view> views(names.begin(), names.end());
  auto found = closest_matches(name, views, kSuggestions);
  if (found.empty() && exchange_known) {
    // Nothing within a few edits: the same symbol on another exchange, or the
    // contracts of the same underlying ("NIFTY24DECFUT" -> "NIFTY26JANFUT").
    const std::string symbol = upper(name.substr(colon == std::string_view::npos ? 0 : colon + 1));
    for (const auto& in : instruments_) {
      if (found.size() >= kSuggestions) break;
      if (in.expiry != 0 && in.expiry < today) continue;
      const std::string s = upper(in.symbol);
      const std::size_t stem = std::min<std::size_t>(symbol.size(), 5);
      if (s == symbol || (stem >= 3 && s.compare(0, stem, symbol, 0, stem) == 0 &&
                          upper(in.exchange) == exchange && in.type == "FUT"))
        found.push_back(qualified(in));
    }
  }
  return found;
}

std::string format_yyyymmdd(int date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date / 10000, date / 100 % 100, date % 100);
  return buf;
}

int ist_date(std::int64_t utc_ms) {
  const std::string text = format_ist(utc_ms, false);  // "yyyy-mm-dd hh:mm"
  return std::stoi(text.substr(0, 4)) * 10000 + std::stoi(text.substr(5, 2)) * 100 +
         std::stoi(text.substr(8, 2));
}

}  // namespace tickd::core
