#include "feed/smartapi/smartapi_scrip_master.hpp"

#include "feed/smartapi/smartapi_history.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

namespace tickd::core {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 25 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "26DEC2024" / "04Apr2024" -> 20241226; "" -> 0.
bool parse_expiry(std::string_view text, int& out) {
  out = 0;
  if (text.empty()) return true;
  if (text.size() != 9) return false;
  static const char* const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  int month = 0;
  for (int i = 0; i < 12; ++i) {
    bool same = true;
    for (int k = 0; k < 3; ++k)
      same = same && std::toupper(static_cast<unsigned char>(text[2 + k])) == months[i][k];
    if (same) month = i + 1;
  }
  int day = 0, year = 0;
  for (int i : {0, 1}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    day = day * 10 + (text[i] - '0');
  }
  for (int i = 5; i < 9; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    year = year * 10 + (text[i] - '0');
  }
  if (month == 0 || day < 1 || day > 31) return false;
  out = year * 10000 + month * 100 + day;
  return true;
}

bool string_field(simdjson::dom::object& entry, const char* key, std::string_view& out) {
  return entry[key].get_string().get(out) == simdjson::SUCCESS;
}

}  // namespace

bool parse_smartapi_scrip_master(std::string_view json, MasterParse& out, std::string& error) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::array entries;
  if (parser.parse(padded).get_array().get(entries) != simdjson::SUCCESS) {
    error = "not a JSON array (not Angel One's OpenAPIScripMaster.json)";
    return false;
  }
  MasterParse parsed;
  std::size_t index = 0;
  auto skip = [&](const char* why) {
    if (parsed.skipped++ == 0) parsed.first_skip = "entry " + std::to_string(index) + ": " + why;
  };
  for (simdjson::dom::element element : entries) {
    ++index;
    simdjson::dom::object entry;
    if (element.get_object().get(entry) != simdjson::SUCCESS) {
      skip("not an object");
      continue;
    }
    std::string_view token, symbol, exch_seg, expiry, type;
    if (!string_field(entry, "token", token) || !all_digits(token)) {
      skip("no token of digits");
      continue;
    }
    if (!string_field(entry, "symbol", symbol) || symbol.empty() ||
        !string_field(entry, "exch_seg", exch_seg) || exch_seg.empty()) {
      skip("no symbol or exch_seg");
      continue;
    }
    MasterInstrument in;
    if (string_field(entry, "expiry", expiry) && !parse_expiry(expiry, in.expiry)) {
      skip("bad expiry (not ddMMMyyyy)");
      continue;
    }
    if (string_field(entry, "instrumenttype", type)) in.type = std::string(type);
    in.token = std::string(token);
    in.symbol = std::string(symbol);
    in.exchange = std::string(exch_seg);
    if (parsed.instruments.size() >= kMaxMasterInstruments) {
      error = "more than " + std::to_string(kMaxMasterInstruments) + " instruments";
      return false;
    }
    parsed.instruments.push_back(std::move(in));
  }
  if (parsed.instruments.empty()) {
    error = "no usable instrument" + (parsed.first_skip.empty() ? "" : " (" + parsed.first_skip + ")");
    return false;
  }
  out = std::move(parsed);
  return true;
}

int smartapi_exchange_type(std::string_view exch_seg) {
  for (int type : {1, 2, 3, 4, 5, 7, 13})
    if (exch_seg == smartapi_exchange_name(type)) return type;
  return 0;
}

}  // namespace tickd::core
