#include "static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tickd::ws {

std::string content_type_for(const std::string& name) {
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return name.size() >= e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".json")) return "application/json";
  return "application/octet-stream";
}

void StaticFiles::load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw std::runtime_error("ws_broadcast: cannot read web_root '" + dir + "': " + ec.message());
  std::map<std::string, StaticFile> files;
  for (const auto& entry : it) {
    if (!entry.is_regular_file(ec)) continue;
    if (entry.file_size(ec) > 16u * 1024 * 1024) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) continue;
    std::ostringstream buf;
    buf << in.rdbuf();
    auto name = entry.path().filename().string();
    files[name] = StaticFile{buf.str(), content_type_for(name)};
  }
  files_ = std::move(files);
}

const StaticFile* StaticFiles::find(const std::string& name) const {
  auto it = files_.find(name.empty() ? "index.html" : name);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace tickd::ws
