#include "instrument_masters.hpp"

#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace tickd::test_servers {

namespace {

const char* const kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                               "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

std::string two(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", n % 100);
  return buf;
}

// Kite "2026-01-27", SmartAPI "27JAN2026".
std::string kite_date(int d) {
  return d ? std::to_string(d / 10000) + "-" + two(d / 100) + "-" + two(d) : "";
}
std::string smartapi_date(int d) {
  return d ? two(d) + kMonths[d / 100 % 100 - 1] + std::to_string(d / 10000) : "";
}

// Month `offset` months from (year, month), as yyyymm.
int add_months(int yyyymm, int offset) {
  int m = yyyymm % 100 - 1 + offset;
  int y = yyyymm / 100 + (m >= 0 ? m / 12 : (m - 11) / 12);
  m = ((m % 12) + 12) % 12;
  return y * 100 + m + 1;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int ist_today() {
  const std::time_t t = std::time(nullptr) + 5 * 3600 + 1800;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

std::vector<SpecInstrument> spec_instruments(int today) {
  std::vector<SpecInstrument> out;
  out.push_back({"408065", "1594", "NSE", "INFY", "INFY-EQ", "INFOSYS", 0, "EQ", "", 0, 1});
  out.push_back(
      {"738561", "2885", "NSE", "RELIANCE", "RELIANCE-EQ", "RELIANCE INDUSTRIES", 0, "EQ", "", 0, 1});
  out.push_back({"256265", "99926000", "NSE", "NIFTY 50", "Nifty 50", "NIFTY", 0, "EQ", "AMXIDX", 0, 0});
  out.push_back(
      {"260105", "99926009", "NSE", "NIFTY BANK", "Nifty Bank", "BANKNIFTY", 0, "EQ", "AMXIDX", 0, 0});
  out.push_back(
      {"128083204", "500325", "BSE", "RELIANCE", "RELIANCE", "RELIANCE INDUSTRIES", 0, "EQ", "", 0, 1});
  // Equities with real-looking names around them ("INFRA..." near "INFY" on purpose).
  const char* const stems[] = {"INFRA",      "INFIBEAM",  "INDIGO", "INDUSTOWER", "RELAXO",    "RELIGARE",
                               "TATAMOTORS", "TATASTEEL", "TCS",    "HDFCBANK",   "ICICIBANK", "SBIN"};
  int n = 0;
  for (const char* stem : stems)
    for (int series = 0; series < 10; ++series) {
      const std::string sym = series == 0 ? stem : std::string(stem) + std::to_string(series);
      out.push_back({std::to_string(1'000'000 + 256 * n), std::to_string(20'000 + n), "NSE", sym, sym + "-EQ",
                     sym + " LTD", 0, "EQ", "", 0, 1});
      ++n;
    }
  // Index futures and options: last month (expired) and the next three months.
  const int month = today / 100;
  for (const char* underlying : {"NIFTY", "BANKNIFTY"})
    for (int offset = -1; offset <= 2; ++offset) {
      const int ym = add_months(month, offset);
      const int expiry = ym * 100 + 26;  // NSE's monthly expiry is the last Tuesday; the 26th will do
      const std::string yy = two(ym / 100), mon = kMonths[ym % 100 - 1];
      const int lot = std::string(underlying) == "NIFTY" ? 75 : 35;
      out.push_back({std::to_string(9'000'000 + 256 * n), std::to_string(35'000 + n), "NFO",
                     std::string(underlying) + yy + mon + "FUT",
                     std::string(underlying) + two(expiry) + mon + yy + "FUT", underlying, expiry, "FUT",
                     "FUTIDX", 0, lot});
      ++n;
      for (int strike = 22000; strike <= 26000; strike += 250)
        for (const char* right : {"CE", "PE"}) {
          out.push_back({std::to_string(9'000'000 + 256 * n), std::to_string(35'000 + n), "NFO",
                         std::string(underlying) + yy + mon + std::to_string(strike) + right,
                         std::string(underlying) + two(expiry) + mon + yy + std::to_string(strike) + right,
                         underlying, expiry, right, "OPTIDX", strike, lot});
          ++n;
        }
    }
  return out;
}

std::string kite_instruments_csv(const std::vector<SpecInstrument>& instruments) {
  std::string csv =
      "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,"
      "instrument_type,segment,exchange\n";
  for (const auto& in : instruments) {
    const bool index = in.smartapi_type == "AMXIDX";
    const std::string segment = index ? "INDICES"
                                : in.exchange == "NFO"
                                    ? "NFO-" + std::string(in.kite_type == "FUT" ? "FUT" : "OPT")
                                    : in.exchange;
    const std::string exchange_token = std::to_string(std::stoul(in.kite_token) / 256);
    const std::string name = in.name.find(',') != std::string::npos ? "\"" + in.name + "\"" : in.name;
    csv += in.kite_token + "," + exchange_token + "," + in.kite_symbol + "," + name + ",0," +
           kite_date(in.expiry) + "," + std::to_string(in.strike) + "," + (index ? "0" : "0.05") + "," +
           std::to_string(in.lot_size) + "," + in.kite_type + "," + segment + "," + in.exchange + "\n";
  }
  return csv;
}

std::string smartapi_scrip_master_json(const std::vector<SpecInstrument>& instruments) {
  std::string json = "[";
  bool first = true;
  for (const auto& in : instruments) {
    json += first ? "\n" : ",\n";
    first = false;
    const std::string strike = in.strike ? std::to_string(in.strike * 100) + ".000000" : "-1.000000";
    json += "{\"token\":" + json_string(in.smartapi_token) +
            ",\"symbol\":" + json_string(in.smartapi_symbol) + ",\"name\":" + json_string(in.name) +
            ",\"expiry\":" + json_string(smartapi_date(in.expiry)) + ",\"strike\":\"" + strike +
            "\",\"lotsize\":\"" + std::to_string(in.lot_size) +
            "\",\"instrumenttype\":" + json_string(in.smartapi_type) +
            ",\"exch_seg\":" + json_string(in.exchange) + ",\"tick_size\":\"5.000000\"}";
  }
  return json + "\n]";
}

const SpecInstrument& expired_future(const std::vector<SpecInstrument>& instruments) {
  for (const auto& in : instruments)
    if (in.kite_type == "FUT" && in.name == "NIFTY") return in;  // the first: last month's
  throw std::logic_error("no NIFTY future");
}

const SpecInstrument& live_future(const std::vector<SpecInstrument>& instruments) {
  const int today = ist_today();
  for (const auto& in : instruments)
    if (in.kite_type == "FUT" && in.name == "NIFTY" && in.expiry >= today) return in;
  throw std::logic_error("no live NIFTY future");
}

std::string gzip(const std::string& text) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace tickd::test_servers
