// The chart page: every regular file at the top of web_root, read once at start
// and served from memory, so a request path can never reach outside the folder.
#pragma once

#include <map>
#include <string>

namespace tickd::ws {

struct StaticFile {
  std::string content;
  std::string content_type;
};

class StaticFiles {
 public:
  // Throws std::runtime_error when `dir` cannot be read. Files above 16 MiB are skipped.
  void load(const std::string& dir);
  // `name` is one path segment, e.g. "app.js"; "" means index.html.
  const StaticFile* find(const std::string& name) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, StaticFile> files_;
};

std::string content_type_for(const std::string& name);

}  // namespace tickd::ws
