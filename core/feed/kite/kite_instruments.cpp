#include "feed/kite/kite_instruments.hpp"

#include <charconv>
#include <optional>
#include <tuple>
#include <vector>

namespace tickd::core {

namespace {

// One CSV record (RFC 4180 quoting) of a line without its line break.
bool split_csv_line(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else {
      field += c;
    }
  }
  if (quoted) return false;
  fields.push_back(std::move(field));
  return true;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

std::optional<std::size_t> column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

bool parse_token(const std::string& text, std::uint32_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty() && out != 0;
}

// "yyyy-mm-dd" -> yyyymmdd; "" -> 0.
bool parse_expiry(const std::string& text, int& out) {
  out = 0;
  if (text.empty()) return true;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int y = 0, m = 0, d = 0;
  for (auto [from, n, target] : {std::tuple<int, int, int*>{0, 4, &y}, {5, 2, &m}, {8, 2, &d}})
    for (int i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      *target = *target * 10 + (text[i] - '0');
    }
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  out = y * 10000 + m * 100 + d;
  return true;
}

}  // namespace

bool parse_kite_instruments(std::string_view csv, MasterParse& out, std::string& error) {
  std::vector<std::string> header;
  std::vector<std::string> fields;
  std::optional<std::size_t> token_col, symbol_col, exchange_col, expiry_col, type_col;
  std::size_t line_number = 0;
  MasterParse parsed;
  auto skip = [&](const std::string& why) {
    if (parsed.skipped++ == 0) parsed.first_skip = "line " + std::to_string(line_number) + ": " + why;
  };
  while (!csv.empty()) {
    const std::size_t newline = csv.find('\n');
    std::string_view line = csv.substr(0, newline);
    csv.remove_prefix(newline == std::string_view::npos ? csv.size() : newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (!token_col) {
      if (!split_csv_line(line, header)) {
        error = "line " + std::to_string(line_number) + ": unterminated quoted field in the header";
        return false;
      }
      for (auto& name : header) name = trimmed(name);
      token_col = column(header, "instrument_token");
      symbol_col = column(header, "tradingsymbol");
      exchange_col = column(header, "exchange");
      expiry_col = column(header, "expiry");
      type_col = column(header, "instrument_type");
      if (!token_col || !symbol_col || !exchange_col) {
        error = "line " + std::to_string(line_number) +
                ": header lacks instrument_token, tradingsymbol or exchange (not Kite's instruments CSV)";
        return false;
      }
      continue;
    }
    if (!split_csv_line(line, fields)) {
      skip("unterminated quoted field");
      continue;
    }
    if (fields.size() != header.size()) {
      skip("expected " + std::to_string(header.size()) + " fields, found " + std::to_string(fields.size()));
      continue;
    }
    MasterInstrument in;
    std::uint32_t token = 0;
    if (!parse_token(trimmed(fields[*token_col]), token)) {
      skip("bad instrument_token");
      continue;
    }
    in.token = std::to_string(token);
    in.symbol = trimmed(fields[*symbol_col]);
    in.exchange = trimmed(fields[*exchange_col]);
    if (in.symbol.empty() || in.exchange.empty()) {
      skip("empty tradingsymbol or exchange");
      continue;
    }
    if (expiry_col && !parse_expiry(trimmed(fields[*expiry_col]), in.expiry)) {
      skip("bad expiry (not yyyy-mm-dd)");
      continue;
    }
    if (type_col) in.type = trimmed(fields[*type_col]);
    if (parsed.instruments.size() >= kMaxMasterInstruments) {
      error = "more than " + std::to_string(kMaxMasterInstruments) + " instruments";
      return false;
    }
    parsed.instruments.push_back(std::move(in));
  }
  if (!token_col) {
    error = "no header row";
    return false;
  }
  if (parsed.instruments.empty()) {
    error = "no usable instrument" + (parsed.first_skip.empty() ? "" : " (" + parsed.first_skip + ")");
    return false;
  }
  out = std::move(parsed);
  return true;
}

}  // namespace tickd::core
