// Private database servers for tests: a free loopback port, child processes
// started with posix_spawn, and RedisServer / PostgresServer fixtures that run
// in a temporary directory and throw (so the test fails, never skips) with the
// server's own log when they cannot start.
#pragma once

#include "support/temp_dir.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace tickd::test_support {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The lowest port the kernel hands out for outgoing connections and port-0
// binds (net.ipv4.ip_local_port_range).
inline int ephemeral_port_low() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  return in >> low && low > 11000 ? low : 32768;
}

inline bool port_bindable(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (fd >= 0) ::close(fd);
  return ok;
}

// A port for a test server, nobody's a moment ago. Not one the kernel would
// pick (port 0): between the choice and the server's bind, a client socket of
// this or a parallel test could take that one as its own outgoing port (seen:
// a nats-server failing with "address already in use"). Below the ephemeral
// range, each process walks its own sequence from a start spread by its pid,
// so parallel tests do not offer each other the same port either.
inline int free_port() {
  static const int low = 10000;
  static const int span = ephemeral_port_low() - low;
  static const int start =
      static_cast<int>((static_cast<unsigned>(::getpid()) * 7919u) % static_cast<unsigned>(span));
  static std::atomic<int> next{0};
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = low + (start + next.fetch_add(1)) % span;
    if (port_bindable(port)) return port;
  }
  throw std::runtime_error("free_port: no free loopback port below the ephemeral range");
}

inline bool port_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (fd >= 0) ::close(fd);
  return ok;
}

// A child process whose stdout and stderr go to `log_path`.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  ~ChildProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void signal(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  // Waits for exit; returns the exit status (128 + signal when killed).
  int wait() {
    if (pid_ <= 0) return status_;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return status_;
  }
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) return true;
    pid_ = -1;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// Runs a command to completion; throws with its output when it fails.
inline void run_checked(const std::vector<std::string>& argv, const std::string& log_path) {
  ChildProcess child(argv, log_path);
  const int status = child.wait();
  if (status != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    throw std::runtime_error("command failed (status " + std::to_string(status) + "): " + cmd + "\n" +
                             read_text(log_path));
  }
}

inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// redis-server on 127.0.0.1:<port>, no persistence, as a child process.
class RedisServer {
 public:
  explicit RedisServer(std::vector<std::string> extra_args = {}, int port = free_port())
      : port_(port), extra_(std::move(extra_args)) {
    start();
  }

  void start() {
    if (!std::filesystem::exists("/usr/bin/redis-server"))
      throw std::runtime_error("redis-server is not installed (apt-get install redis-server)");
    std::vector<std::string> argv = {"/usr/bin/redis-server",
                                     "--port",
                                     std::to_string(port_),
                                     "--bind",
                                     "127.0.0.1",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--daemonize",
                                     "no",
                                     "--dir",
                                     dir_.path().string()};
    argv.insert(argv.end(), extra_.begin(), extra_.end());
    process_ = std::make_unique<ChildProcess>(argv, log_path());
    if (!wait_until([&] { return port_accepts(port_) || !process_->running(); }, std::chrono::seconds(10)) ||
        !process_->running())
      throw std::runtime_error("redis-server did not start on port " + std::to_string(port_) + ":\n" +
                               read_text(log_path()));
  }
  void kill_hard() {
    process_->signal(SIGKILL);
    process_->wait();
  }
  ~RedisServer() {
    if (process_) {
      process_->signal(SIGTERM);
      process_->wait();
    }
  }

  int port() const { return port_; }
  std::string log_path() const { return dir_.file("redis.log"); }

 private:
  TempDir dir_{"tickd-redis"};
  int port_;
  std::vector<std::string> extra_;
  std::unique_ptr<ChildProcess> process_;
};

// PostgreSQL 15 in a temporary cluster: initdb with a password-protected
// superuser `tickd` (scram-sha-256), pg_ctl on 127.0.0.1:<port>. When the test
// runs as root the server runs as the `postgres` user (it refuses root).
class PostgresServer {
 public:
  static constexpr const char* kBin = "/usr/lib/postgresql/15/bin";
  static constexpr const char* kUser = "tickd";

  explicit PostgresServer(std::string password = "tickd-test-pw", int port = free_port())
      : port_(port), password_(std::move(password)) {
    if (!std::filesystem::exists(std::string(kBin) + "/initdb"))
      throw std::runtime_error(std::string("PostgreSQL 15 is not installed: no ") + kBin +
                               "/initdb (apt-get install postgresql)");
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (!pw) throw std::runtime_error("running as root but there is no `postgres` user to run the server");
      as_user_ = {"runuser", "-u", "postgres", "--"};
      if (::chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0)
        throw std::runtime_error("cannot chown " + dir_.path().string() + " to postgres");
    }
    { std::ofstream(dir_.file("pwfile")) << password_ << "\n"; }
    ::chmod(dir_.file("pwfile").c_str(), 0644);
    run_checked(
        command({std::string(kBin) + "/initdb", "-D", data_dir(), "-U", kUser,
                 "--pwfile=" + dir_.file("pwfile"), "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"}),
        dir_.file("initdb.out"));
    start();
  }
  ~PostgresServer() {
    try {
      stop("fast");
    } catch (...) {
    }
  }

  void start() {
    run_checked(command({std::string(kBin) + "/pg_ctl", "start", "-w", "-t", "30", "-D", data_dir(), "-l",
                         dir_.file("server.log"), "-o",
                         "-p " + std::to_string(port_) + " -k " + dir_.path().string() +
                             " -c listen_addresses=127.0.0.1 -c fsync=off"}),
                dir_.file("pg_ctl.out"));
    running_ = true;
  }
  // mode: fast (clean) or immediate (like a crash).
  void stop(const std::string& mode) {
    if (!running_) return;
    running_ = false;
    run_checked(command({std::string(kBin) + "/pg_ctl", "stop", "-w", "-m", mode, "-D", data_dir()}),
                dir_.file("pg_ctl.out"));
  }

  int port() const { return port_; }
  const std::string& password() const { return password_; }
  std::string conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=postgres user=" + kUser +
           " password=" + password_;
  }
  std::string log() const { return read_text(dir_.file("server.log")); }

 private:
  std::string data_dir() const { return dir_.file("data"); }
  std::vector<std::string> command(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), as_user_.begin(), as_user_.end());
    return argv;
  }

  TempDir dir_{"tickd-postgres"};
  int port_;
  std::string password_;
  std::vector<std::string> as_user_;
  bool running_ = false;
};

}  // namespace tickd::test_support
