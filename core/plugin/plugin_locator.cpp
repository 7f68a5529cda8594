#include "plugin/plugin_locator.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace tickd::core {

std::vector<std::string> default_plugin_dirs() {
  fs::path exe_dir = boost::dll::program_location().parent_path().string();
  return {(exe_dir / ".." / "plugins").lexically_normal().string(),
          (exe_dir / ".." / "lib" / "tickd" / "plugins").lexically_normal().string()};
}

std::optional<std::string> find_plugin(const std::string& plugin, const std::vector<std::string>& dirs) {
  if (plugin.empty() || plugin.find('/') != std::string::npos) return std::nullopt;
  bool is_file = plugin.size() > 3 && plugin.compare(plugin.size() - 3, 3, ".so") == 0;
  std::string file = is_file ? plugin : "tickd_" + plugin + ".so";
  for (const auto& dir : dirs) {
    std::error_code ec;
    fs::path p = fs::path(dir) / file;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return std::nullopt;
}

std::vector<std::string> list_plugin_files(const std::vector<std::string>& dirs) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& dir : dirs) {
    std::error_code ec;
    std::vector<fs::path> here;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.rfind("tickd_", 0) == 0 && it->path().extension() == ".so" && it->is_regular_file(ec))
        here.push_back(it->path());
    }
    std::sort(here.begin(), here.end());
    for (auto& p : here)
      if (seen.insert(p.filename().string()).second) out.push_back(p.string());
  }
  return out;
}

}  // namespace tickd::core
