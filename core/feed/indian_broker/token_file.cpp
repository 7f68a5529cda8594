#include "feed/indian_broker/token_file.hpp"

#include <sys/stat.h>

#include <fstream>
#include <iterator>

namespace tickd::core {

namespace {
constexpr std::int64_t kMaxTokenBytes = 64 * 1024;
}

bool TokenFile::refresh(bool force, std::string& error) {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    error = "cannot read " + path_;
    return false;
  }
  const std::int64_t mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  if (!force && mtime == mtime_ns_ && st.st_size == size_ && st.st_ino == inode_) return false;
  if (st.st_size > kMaxTokenBytes) {
    error = path_ + " is larger than 64 KiB: not a token";
    return false;
  }
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    error = "cannot read " + path_;
    return false;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto first = text.find_first_not_of(" \t\r\n");
  // Half-written (an editor saving, `tickd login` not done): try again later.
  if (first == std::string::npos) {
    error = path_ + " is empty";
    return false;
  }
  mtime_ns_ = mtime;
  size_ = st.st_size;
  inode_ = st.st_ino;
  const auto last = text.find_last_not_of(" \t\r\n");
  std::string token = text.substr(first, last - first + 1);
  if (token == value_) return false;
  value_ = std::move(token);
  return true;
}

}  // namespace tickd::core
