// A credential kept in a file the user (or `tickd login`) rewrites every
// morning: read once at start, then re-read when its modification time, size
// or inode changes (polled) or on request (SIGHUP). Its content is a secret:
// never logged.
#pragma once

#include <cstdint>
#include <string>

namespace tickd::core {

class TokenFile {
 public:
  explicit TokenFile(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  const std::string& value() const { return value_; }

  // Reads the file when it changed since the last read (always when `force`).
  // Returns true when the token is now different. A file that is missing,
  // empty or larger than 64 KiB leaves the token as it was and sets `error`.
  bool refresh(bool force, std::string& error);

 private:
  std::string path_;
  std::string value_;
  std::int64_t mtime_ns_ = -1;
  std::int64_t size_ = -1;
  std::uint64_t inode_ = 0;
};

}  // namespace tickd::core
