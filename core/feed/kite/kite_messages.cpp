#include "feed/kite/kite_messages.hpp"

#include <charconv>
#include <optional>

namespace tickd::core {
namespace {

void append_tokens(std::string& out, const std::vector<std::uint32_t>& tokens) {
  out += '[';
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(tokens[i]);
  }
  out += ']';
}

std::string action_message(std::string_view action, const std::vector<std::uint32_t>& tokens) {
  std::string out = "{\"a\":\"";
  out += action;
  out += "\",\"v\":";
  append_tokens(out, tokens);
  out += '}';
  return out;
}

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

std::optional<std::size_t> column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

bool parse_token(const std::string& text, std::uint32_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

}  // namespace

std::string_view kite_mode_name(KiteMode mode) {
  switch (mode) {
    case KiteMode::ltp:
      return "ltp";
    case KiteMode::quote:
      return "quote";
    case KiteMode::full:
      return "full";
  }
  return "full";
}

bool parse_kite_mode(std::string_view name, KiteMode& out) {
  for (KiteMode mode : {KiteMode::ltp, KiteMode::quote, KiteMode::full}) {
    if (kite_mode_name(mode) == name) {
      out = mode;
      return true;
    }
  }
  return false;
}

std::string kite_subscribe_message(const std::vector<std::uint32_t>& tokens) {
  return action_message("subscribe", tokens);
}

std::string kite_unsubscribe_message(const std::vector<std::uint32_t>& tokens) {
  return action_message("unsubscribe", tokens);
}

std::string kite_mode_message(KiteMode mode, const std::vector<std::uint32_t>& tokens) {
  std::string out = "{\"a\":\"mode\",\"v\":[\"";
  out += kite_mode_name(mode);
  out += "\",";
  append_tokens(out, tokens);
  out += "]}";
  return out;
}

bool parse_kite_instruments_csv(std::string_view csv, std::vector<KiteInstrument>& out, std::string& error) {
  std::vector<std::string> header;
  std::vector<std::string> fields;
  std::vector<KiteInstrument> parsed;
  std::optional<std::size_t> token_col, symbol_col, exchange_col, segment_col;
  std::size_t line_number = 0;
  while (!csv.empty()) {
    const std::size_t newline = csv.find('\n');
    std::string_view line = csv.substr(0, newline);
    csv.remove_prefix(newline == std::string_view::npos ? csv.size() : newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    if (!split_csv_line(line, header.empty() ? header : fields)) {
      error = where + "unterminated quoted field";
      return false;
    }
    if (!token_col) {
      token_col = column(header, "instrument_token");
      symbol_col = column(header, "tradingsymbol");
      exchange_col = column(header, "exchange");
      segment_col = column(header, "segment");
      if (!token_col || !symbol_col || !exchange_col) {
        error = where + "header lacks instrument_token, tradingsymbol or exchange";
        return false;
      }
      continue;
    }
    if (fields.size() != header.size()) {
      error = where + "expected " + std::to_string(header.size()) + " fields, found " +
              std::to_string(fields.size());
      return false;
    }
    KiteInstrument instrument;
    if (!parse_token(fields[*token_col], instrument.instrument_token)) {
      error = where + "bad instrument_token";
      return false;
    }
    instrument.tradingsymbol = fields[*symbol_col];
    instrument.exchange = fields[*exchange_col];
    if (segment_col) instrument.segment = fields[*segment_col];
    if (instrument.tradingsymbol.empty() || instrument.exchange.empty()) {
      error = where + "empty tradingsymbol or exchange";
      return false;
    }
    parsed.push_back(std::move(instrument));
  }
  if (!token_col) {
    error = "no header row";
    return false;
  }
  out.insert(out.end(), std::make_move_iterator(parsed.begin()), std::make_move_iterator(parsed.end()));
  return true;
}

std::unordered_map<std::uint32_t, std::string> kite_token_names(
    const std::vector<KiteInstrument>& instruments, bool qualified) {
  std::unordered_map<std::uint32_t, std::string> names;
  names.reserve(instruments.size());
  for (const auto& instrument : instruments)
    names[instrument.instrument_token] = qualified ? instrument.qualified_name() : instrument.tradingsymbol;
  return names;
}

}  // namespace tickd::core
