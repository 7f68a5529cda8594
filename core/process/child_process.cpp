#include "process/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

namespace tickd::core {

namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    close_fd(read);
    close_fd(write);
  }
  int take_read() { return std::exchange(read, -1); }
  int take_write() { return std::exchange(write, -1); }
};

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Between fork and exec only async-signal-safe calls: no allocation, no locks.
[[noreturn]] void exec_child(const SpawnSpec& spec, char* const* argv, char* const* envp, pid_t parent,
                             int in, int out, int err, int report) {
  auto fail = [report](int stage) {
    int code[2] = {stage, errno};
    (void)!::write(report, code, sizeof code);
    ::_exit(127);
  };
  ::setpgid(0, 0);
  // Dies with the thread that spawned it, so no child outlives the daemon
  // even when the daemon is killed with SIGKILL.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(0);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
  // The daemon blocks the signals it takes synchronously; a child starts clean.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
  if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) fail(0);
  // Nothing else of the daemon's (sockets, files) is handed down.
  const int lo = 3, hi = report - 1;
  if (hi >= lo) ::syscall(SYS_close_range, lo, hi, 0);
  ::syscall(SYS_close_range, report + 1, ~0u, 0);
  if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) fail(1);
  ::execve(spec.program.c_str(), argv, envp);
  fail(2);
  ::_exit(127);
}

// The guard, forked after the child: it joins the child's group, gets SIGTERM
// when the spawning thread dies (blocked until tickd-child-guard waits for
// it), and holds no descriptor of the daemon's but /dev/null.
[[noreturn]] void exec_guard(const char* program, char* const* argv, pid_t group, pid_t parent, int report) {
  auto fail = [report](int stage) {
    int code[2] = {stage, errno};
    (void)!::write(report, code, sizeof code);
    ::_exit(127);
  };
  if (::setpgid(0, group) != 0) fail(3);
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ::sigprocmask(SIG_SETMASK, &term, nullptr);
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
  if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) fail(3);
  if (::getppid() != parent) {  // the daemon died before prctl: do the guard's work
    ::kill(-group, SIGKILL);
    ::_exit(0);
  }
  const int null = ::open("/dev/null", O_RDWR);
  if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(null, 1) < 0 || ::dup2(null, 2) < 0) fail(3);
  const int lo = 3, hi = report - 1;
  if (hi >= lo) ::syscall(SYS_close_range, lo, hi, 0);
  ::syscall(SYS_close_range, report + 1, ~0u, 0);
  char* const no_env[] = {nullptr};
  ::execve(program, argv, no_env);
  fail(4);
  ::_exit(127);
}

// Reads the one report a forked process writes before exec, or EOF (exec
// succeeded). True with `code` set when it failed.
bool exec_failed(int report_read, int (&code)[2]) {
  ssize_t n;
  do {
    n = ::read(report_read, code, sizeof code);
  } while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof code);
}

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

ChildProcess ChildProcess::spawn(const SpawnSpec& spec) {
  Pipe in, out, err, report;
  auto argv = c_strings(spec.argv);
  auto envp = c_strings(spec.env);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0)
    exec_child(spec, argv.data(), envp.data(), parent, in.read, out.write, err.write, report.write);

  ::setpgid(pid, pid);  // also here, so the group exists before we may signal it
  close_fd(report.write);
  int code[2];
  if (exec_failed(report.read, code)) {
    int status;
    ::waitpid(pid, &status, 0);
    const char* stage = code[0] == 1 ? "cannot enter " : code[0] == 2 ? "cannot execute " : "cannot set up ";
    throw std::runtime_error(stage + (code[0] == 1 ? spec.cwd : spec.program) + ": " +
                             std::strerror(code[1]));
  }
  ChildProcess child;
  child.pid_ = pid;  // from here on the destructor kills and reaps it
  if (!spec.guard_program.empty()) {
    const std::string group = std::to_string(pid), daemon = std::to_string(parent);
    std::vector<char*> guard_argv = {const_cast<char*>(spec.guard_program.c_str()),
                                     const_cast<char*>(group.c_str()), const_cast<char*>(daemon.c_str()),
                                     nullptr};
    Pipe guard_report;
    const pid_t guard = ::fork();
    if (guard < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (guard == 0)
      exec_guard(spec.guard_program.c_str(), guard_argv.data(), pid, parent, guard_report.write);
    child.guard_ = guard;
    close_fd(guard_report.write);
    if (exec_failed(guard_report.read, code))
      throw std::runtime_error((code[0] == 4 ? "cannot execute " : "cannot set up ") + spec.guard_program +
                               ": " + std::strerror(code[1]));
  }
  child.in_ = in.take_write();
  child.out_ = out.take_read();
  child.err_ = err.take_read();
  // Room for many events per write; the kernel may cap it, which only costs speed.
  ::fcntl(child.in_, F_SETPIPE_SZ, 1 << 20);
  set_nonblocking(child.in_);
  set_nonblocking(child.out_);
  set_nonblocking(child.err_);
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept { *this = std::move(other); }

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    close_all();
    pid_ = std::exchange(other.pid_, -1);
    guard_ = std::exchange(other.guard_, -1);
    in_ = std::exchange(other.in_, -1);
    out_ = std::exchange(other.out_, -1);
    err_ = std::exchange(other.err_, -1);
    status_ = std::exchange(other.status_, std::nullopt);
  }
  return *this;
}

ChildProcess::~ChildProcess() { close_all(); }

void ChildProcess::close_all() {
  // The group may outlive the child (its own children, the guard): it goes
  // with the child, also when the child exited by itself.
  // Without a guard the group's id may be reused once the child is reaped.
  if (pid_ > 0 && (running() || guard_ > 0)) kill_group(SIGKILL);
  if (running()) wait_exit(-1);
  if (guard_ > 0) {
    int status;
    while (::waitpid(guard_, &status, 0) < 0 && errno == EINTR) {
    }
    guard_ = -1;
  }
  close_fd(in_);
  close_fd(out_);
  close_fd(err_);
  pid_ = -1;
}

void ChildProcess::close_stdin() { close_fd(in_); }

std::optional<int> ChildProcess::poll_exit() {
  if (status_ || pid_ <= 0) return status_;
  int status;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) status_ = status;
  return status_;
}

void ChildProcess::kill_group(int signal) {
  if (pid_ <= 0) return;
  // The group outlives its leader while the child's own children run.
  if (::kill(-pid_, signal) != 0 && running()) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::wait_exit(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (auto s = poll_exit()) return s;
    if (timeout_ms >= 0 && std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    return "killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "") +
           (WCOREDUMP(status) ? ", core dumped" : "");
  }
  return "ended with wait status " + std::to_string(status);
}

std::optional<std::string> resolve_program(const std::string& name, const std::string& cwd,
                                           const std::string& path, std::string& error) {
  auto executable = [](const std::string& file) {
    struct stat st;
    return ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(file.c_str(), X_OK) == 0;
  };
  if (name.empty()) {
    error = "empty program name";
    return std::nullopt;
  }
  if (name.find('/') != std::string::npos) {
    std::string file = name[0] == '/' || cwd.empty() ? name : cwd + "/" + name;
    if (executable(file)) return file;
    error = "program '" + file + "' is not an executable file";
    return std::nullopt;
  }
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;  // an empty entry would mean the daemon's working folder
    std::string file = dir + "/" + name;
    if (executable(file)) return file;
  }
  error = "program '" + name + "' not found in PATH (" + path + ")";
  return std::nullopt;
}

std::optional<ResourceUsage> read_resource_usage(pid_t pid) {
  ResourceUsage u;
  const std::string base = "/proc/" + std::to_string(pid);
  std::ifstream statm(base + "/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return std::nullopt;
  static const long page = ::sysconf(_SC_PAGESIZE);
  u.rss_bytes = resident * static_cast<std::uint64_t>(page);
  std::ifstream stat(base + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  // Fields after the command name, which may hold spaces and parentheses.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  u.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(ticks);
  return u;
}

}  // namespace tickd::core
