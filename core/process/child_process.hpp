// One child program: started in its own process group with its stdin, stdout
// and stderr on pipes, killed with the thread that started it (so with the
// daemon, even on SIGKILL), and waited for. With a guard program
// (tickd-child-guard) beside it in the group, the processes the child starts
// die with the daemon too. Linux only.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tickd::core {

struct SpawnSpec {
  std::string program;            // absolute or cwd-relative path, already resolved
  std::vector<std::string> argv;  // argv[0] included
  std::string cwd;
  std::vector<std::string> env;  // "NAME=value"
  // tickd-child-guard: started in the child's group, it kills the group when
  // the daemon dies. Empty: none (then only the child itself dies with us).
  std::string guard_program;
};

class ChildProcess {
 public:
  // Throws std::runtime_error with the cause ("cannot execute /x: No such file
  // or directory") when the program cannot be started. The child dies with
  // the calling thread (PR_SET_PDEATHSIG): call from a thread that outlives it.
  static ChildProcess spawn(const SpawnSpec& spec);

  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();  // kills the group and reaps the child if still running

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !status_; }
  int stdin_fd() const { return in_; }  // non-blocking
  int stdout_fd() const { return out_; }
  int stderr_fd() const { return err_; }
  void close_stdin();

  // The wait status once the child has exited (reaped here), else nullopt.
  std::optional<int> poll_exit();
  // Signals the whole process group (children of the child too, and the
  // guard), even after the child itself has exited.
  void kill_group(int signal);
  // Waits up to `timeout_ms` for the exit; nullopt if still running.
  std::optional<int> wait_exit(int timeout_ms);

 private:
  void close_all();
  pid_t pid_ = -1;
  pid_t guard_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::optional<int> status_;
};

// "exited with status 3", "killed by signal 11 (Segmentation fault)".
std::string describe_wait_status(int status);

// The program to execute for `name`: a name with a slash is taken relative to
// `cwd`; otherwise it is looked up in `path` (a PATH value). Must be an
// executable file. Nullopt with `error` set otherwise.
std::optional<std::string> resolve_program(const std::string& name, const std::string& cwd,
                                           const std::string& path, std::string& error);

struct ResourceUsage {
  std::uint64_t rss_bytes = 0;
  double cpu_seconds = 0;  // user + system
};
// From /proc/<pid>/statm and /proc/<pid>/stat; nullopt once the process is gone.
std::optional<ResourceUsage> read_resource_usage(pid_t pid);

}  // namespace tickd::core
