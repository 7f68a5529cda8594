// aggregator.session.calendar: a trading calendar file (holidays, and special
// sessions such as Muhurat trading with their own hours), e.g.
//   holidays:
//     - {date: 2026-01-26, name: Republic Day}
//   special_sessions:
//     - {date: 2026-11-08, open: "18:00", close: "19:00", name: Muhurat trading}
// Dates and times are local to aggregator.session.timezone.
#include "config/sections.hpp"

#include <algorithm>
#include <fstream>

namespace tickd::core {

namespace {

// "YYYY-MM-DD" as yyyymmdd; nullopt unless a real date.
std::optional<int> parse_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)),
            d = std::stoi(text.substr(8, 2));
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > days[m - 1]) return std::nullopt;
  if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return std::nullopt;
  return y * 10000 + m * 100 + d;
}

std::optional<int> read_date(ErrorCollector& errors, const Field& field) {
  auto text = read_string(errors, field);
  if (!text) return std::nullopt;
  if (auto date = parse_date(*text)) return date;
  errors.add(field.mark, "'" + field.path + "' must be a date YYYY-MM-DD, got '" + *text + "'");
  return std::nullopt;
}

std::optional<int> read_time(ErrorCollector& errors, const Field& field) {
  auto text = read_string(errors, field);
  if (!text) return std::nullopt;
  if (auto minute = parse_clock(*text)) return minute;
  errors.add(field.mark, "'" + field.path + "' must be a time of day \"HH:MM\", got '" + *text + "'");
  return std::nullopt;
}

void read_calendar(ErrorCollector& errors, const Field& root, SessionConfig& out) {
  const MapReader map(errors, root, {"holidays", "special_sessions"});
  if (auto f = map.get("holidays"))
    for (const auto& item : read_list(errors, *f).value_or(std::vector<Field>{})) {
      const MapReader h(errors, item, {"date", "name"});
      auto date = h.get("date");
      if (!date) {
        errors.add(item.mark, "'" + child_path(item.path, "date") + "' is required");
        continue;
      }
      if (auto d = read_date(errors, *date)) out.holidays.push_back(*d);
    }
  if (auto f = map.get("special_sessions"))
    for (const auto& item : read_list(errors, *f).value_or(std::vector<Field>{})) {
      const MapReader s(errors, item, {"date", "open", "close", "name"});
      SessionConfig::SpecialSession session;
      bool ok = true;
      for (auto [key, target] : {std::pair<const char*, int*>{"date", &session.date},
                                 std::pair<const char*, int*>{"open", &session.open_minute},
                                 std::pair<const char*, int*>{"close", &session.close_minute}}) {
        auto g = s.get(key);
        if (!g) {
          errors.add(item.mark, "'" + child_path(item.path, key) + "' is required");
          ok = false;
          continue;
        }
        auto v = std::string(key) == "date" ? read_date(errors, *g) : read_time(errors, *g);
        ok = ok && v;
        if (v) *target = *v;
      }
      if (ok && session.close_minute <= session.open_minute) {
        errors.add(item.mark, "'" + child_path(item.path, "close") + "' must be after 'open'");
        ok = false;
      }
      if (ok) out.special_sessions.push_back(session);
    }
  std::sort(out.holidays.begin(), out.holidays.end());
  out.holidays.erase(std::unique(out.holidays.begin(), out.holidays.end()), out.holidays.end());
  std::sort(out.special_sessions.begin(), out.special_sessions.end(),
            [](const auto& a, const auto& b) { return a.date < b.date; });
  for (std::size_t i = 1; i < out.special_sessions.size(); ++i)
    if (out.special_sessions[i].date == out.special_sessions[i - 1].date)
      errors.add(root.mark, "two special sessions on " + std::to_string(out.special_sessions[i].date));
}

}  // namespace

void read_calendar_file(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                        SessionConfig& out) {
  auto name = read_string(errors, field);
  if (!name) return;
  const std::string path = resolve_path(base_dir, *name);
  if (!std::ifstream(path)) {
    errors.add(field.mark, "'" + field.path + "': cannot read the calendar file " + path);
    return;
  }
  ErrorCollector file_errors(path);
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    errors.add(field.mark, "'" + field.path + "': " + path + ":" + std::to_string(e.mark.line + 1) + ":" +
                               std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg);
    return;
  }
  SessionConfig read;
  read_calendar(file_errors, Field{root, file_errors.start(), ""}, read);
  for (const auto& line : file_errors.lines()) errors.add(field.mark, "in the calendar: " + line);
  if (!file_errors.empty()) return;
  out.calendar = path;
  out.holidays = std::move(read.holidays);
  out.special_sessions = std::move(read.special_sessions);
}

}  // namespace tickd::core
