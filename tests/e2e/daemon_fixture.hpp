// Runs build/bin/tickd as a child process with a generated config.
#pragma once

#include "support/local_servers.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace tickd::e2e {

using test_support::ChildProcess;
using test_support::read_text;
using test_support::TempDir;

inline const std::string kTickd = TICKD_BINARY_DIR "/bin/tickd";

inline std::string default_config_text() { return read_text(TICKD_SOURCE_DIR "/config/tickd.yaml"); }

inline std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

inline std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
  std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

struct RunResult {
  int status;
  std::string output;  // stdout and stderr
};

// Runs tickd with `args` to its end (--check-config, --describe-plugin, ...).
inline RunResult run_tickd(const std::vector<std::string>& args) {
  TempDir dir("tickd-cli");
  const std::string log = dir.file("out.txt");
  std::vector<std::string> argv{kTickd};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess p(argv, log);
  const int status = p.wait();
  return {status, read_text(log)};
}

// Waits until `path` contains `needle`; false on timeout or if the child died.
inline bool wait_for_text(ChildProcess& child, const std::string& path, const std::string& needle,
                          std::chrono::milliseconds timeout) {
  return test_support::wait_until(
             [&] { return read_text(path).find(needle) != std::string::npos || !child.running(); },
             timeout) &&
         read_text(path).find(needle) != std::string::npos;
}

}  // namespace tickd::e2e
