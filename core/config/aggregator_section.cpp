#include "config/sections.hpp"

#include <cctz/time_zone.h>

#include <algorithm>

namespace tickd::core {

std::optional<int> parse_clock(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

namespace {

std::optional<int> read_clock(ErrorCollector& errors, const Field& field) {
  auto text = read_string(errors, field);
  if (!text) return std::nullopt;
  if (auto minute = parse_clock(*text)) return minute;
  errors.add(field.mark,
             "'" + field.path + "' must be a time of day \"HH:MM\" (00:00 to 23:59), got '" + *text + "'");
  return std::nullopt;
}

void read_session(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                  SessionConfig& out) {
  const MapReader map(errors, field, {"timezone", "open", "close", "days", "calendar"});
  if (auto f = map.get("calendar")) read_calendar_file(errors, *f, base_dir, out);
  if (auto f = map.get("timezone")) {
    if (auto name = read_string(errors, *f)) {
      cctz::time_zone zone;
      if (!name->empty() && cctz::load_time_zone(*name, &zone)) {
        out.timezone = *name;
      } else {
        errors.add(f->mark, "'" + f->path + "' must be an IANA time zone such as UTC or Asia/Kolkata, got '" +
                                *name + "'");
      }
    }
  }
  if (auto f = map.get("open")) out.open_minute = read_clock(errors, *f);
  if (auto f = map.get("close")) out.close_minute = read_clock(errors, *f);
  if (out.open_minute && out.close_minute && *out.open_minute == *out.close_minute)
    errors.add(map.get("close")->mark, "'" + map.get("close")->path + "' must differ from the session open");
  if (auto f = map.get("days")) {
    // Indexed by weekday number, 0 = Sunday, as cctz::weekday is not.
    static const std::vector<std::string_view> names{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    std::vector<int> days;
    for (const auto& item : read_list(errors, *f).value_or(std::vector<Field>{})) {
      auto day = read_choice(errors, item, names);
      if (!day) continue;
      if (std::find(days.begin(), days.end(), static_cast<int>(*day)) != days.end()) {
        errors.add(item.mark, "duplicate day '" + std::string(names[*day]) + "' in '" + f->path + "'");
        continue;
      }
      days.push_back(static_cast<int>(*day));
    }
    std::sort(days.begin(), days.end());
    out.days = std::move(days);
  }
}

// Returns false when the list is missing or broken.
bool read_intervals(ErrorCollector& errors, const MapReader& map, std::vector<Interval>& out) {
  auto f = map.get("intervals");
  if (!f) {
    errors.add(map.field().mark, "'" + child_path(map.field().path, "intervals") +
                                     "' is required (valid: " + Interval::valid_names() + ")");
    return false;
  }
  auto items = read_list(errors, *f);
  if (!items) return false;
  if (items->empty()) {
    errors.add(f->mark,
               "'" + f->path + "' must list at least one interval (valid: " + Interval::valid_names() + ")");
    return false;
  }
  bool ok = true;
  std::vector<Interval> intervals;
  for (const auto& item : *items) {
    auto name = read_string(errors, item);
    if (!name) {
      ok = false;
      continue;
    }
    auto interval = Interval::parse(*name);
    if (!interval) {
      errors.add(item.mark, "invalid interval '" + *name + "' in '" + f->path +
                                "' (valid: " + Interval::valid_names() + ")");
      ok = false;
    } else if (std::find(intervals.begin(), intervals.end(), *interval) != intervals.end()) {
      errors.add(item.mark, "duplicate interval '" + *name + "' in '" + f->path + "'");
    } else {
      intervals.push_back(*interval);
    }
  }
  std::sort(intervals.begin(), intervals.end());
  out = std::move(intervals);
  return ok;
}

}  // namespace

bool read_aggregator_section(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                             AggregatorConfig& out) {
  const MapReader map(errors, field,
                      {"intervals", "history", "session", "late_ticks", "gap_fill", "gap_fill_max",
                       "update_throttle", "close_grace", "close_on_shutdown"});
  const bool intervals_ok = read_intervals(errors, map, out.intervals);
  if (auto f = map.get("history")) {
    if (auto n = read_integer(errors, *f, 1, std::numeric_limits<std::uint32_t>::max()))
      out.history = static_cast<std::uint32_t>(*n);
  }
  if (auto f = map.get("session")) read_session(errors, *f, base_dir, out.session);
  if (auto f = map.get("late_ticks")) {
    if (auto i = read_choice(errors, *f, {"drop", "amend"}))
      out.late_ticks = *i == 0 ? LatePolicy::drop : LatePolicy::amend;
  }
  if (auto f = map.get("gap_fill")) out.gap_fill = read_bool(errors, *f).value_or(out.gap_fill);
  if (auto f = map.get("gap_fill_max")) {
    if (auto n = read_integer(errors, *f, 1, std::numeric_limits<std::uint32_t>::max()))
      out.gap_fill_max = static_cast<std::uint32_t>(*n);
  }
  if (auto f = map.get("update_throttle"))
    out.update_throttle_ms = read_duration_ms(errors, *f).value_or(out.update_throttle_ms);
  if (auto f = map.get("close_grace"))
    out.close_grace_ms = read_duration_ms(errors, *f).value_or(out.close_grace_ms);
  if (auto f = map.get("close_on_shutdown"))
    out.close_on_shutdown = read_bool(errors, *f).value_or(out.close_on_shutdown);
  return intervals_ok;
}

}  // namespace tickd::core
