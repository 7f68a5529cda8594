// docs/grafana/tickd-dashboard.json parses and queries only metric families
// the daemon exports (a status with every section filled, rendered).
#include "app/prometheus_metrics.hpp"
#include "core/app/status_filler.hpp"
#include "support/local_servers.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <sstream>

namespace tickd::core {
namespace {

std::set<std::string> exported_families() {
  std::istringstream in(render_prometheus(testing::filled_status()));
  std::set<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("# TYPE ", 0) == 0) out.insert(line.substr(7, line.find(' ', 7) - 7));
  return out;
}

void collect_exprs(const nlohmann::json& node, std::vector<std::string>& out) {
  if (node.is_object()) {
    for (auto& [key, value] : node.items()) {
      if (key == "expr" && value.is_string()) out.push_back(value.get<std::string>());
      collect_exprs(value, out);
    }
  } else if (node.is_array()) {
    for (const auto& v : node) collect_exprs(v, out);
  }
}

TEST(GrafanaDashboard, ReferencesOnlyExportedMetrics) {
  const auto text = test_support::read_text(TICKD_SOURCE_DIR "/docs/grafana/tickd-dashboard.json");
  ASSERT_FALSE(text.empty());
  const auto dashboard = nlohmann::json::parse(text);
  ASSERT_TRUE(dashboard.contains("panels"));
  std::vector<std::string> exprs;
  collect_exprs(dashboard, exprs);
  ASSERT_GE(exprs.size(), 10u);

  const auto exported = exported_families();
  const std::regex name_matcher(R"re(__name__=~"([^"]+)")re");
  const std::regex metric(R"(tickd_[a-zA-Z0-9_]+)");
  std::set<std::string> used;
  for (const auto& expr : exprs) {
    std::string rest = expr;
    for (std::smatch m; std::regex_search(rest, m, name_matcher);) {
      const std::regex pattern(m[1].str());
      bool any = false;
      for (const auto& name : exported) any = any || std::regex_match(name, pattern);
      EXPECT_TRUE(any) << "no exported family matches " << m[1] << " in: " << expr;
      rest = m.prefix().str() + m.suffix().str();
    }
    for (auto it = std::sregex_iterator(rest.begin(), rest.end(), metric); it != std::sregex_iterator();
         ++it) {
      used.insert(it->str());
      EXPECT_TRUE(exported.count(it->str())) << it->str() << " is not exported by the daemon, in: " << expr;
    }
  }
  // The dashboard shows the figures operators act on.
  for (const char* name :
       {"tickd_observer_lost_total", "tickd_feed_ticks_total", "tickd_observer_queue_depth"})
    EXPECT_TRUE(used.count(name)) << name;
}

}  // namespace
}  // namespace tickd::core
