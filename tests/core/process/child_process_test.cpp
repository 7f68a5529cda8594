// ChildProcess with its guard (tickd-child-guard): the processes a child
// starts die with the thread that spawned it, as they die with a daemon
// killed by SIGKILL (tests/e2e/test_process_isolation.cpp shows that end to end).
#include "process/child_process.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace tickd::core {
namespace {

bool gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  return ::kill(pid, 0) != 0 || text.find(") Z") != std::string::npos;  // or a zombie nobody reaped yet
}

template <class F>
bool within(std::chrono::milliseconds timeout, F&& f) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!f()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// A shell that starts `sleep 600` and prints its pid, then waits.
SpawnSpec shell_with_a_grandchild(bool guarded) {
  SpawnSpec spec;
  spec.program = "/bin/sh";
  spec.argv = {"sh", "-c", "sleep 600 & echo $!; wait"};
  spec.env = {"PATH=/usr/bin:/bin"};
  if (guarded) spec.guard_program = TICKD_CHILD_GUARD;
  return spec;
}

pid_t read_pid(const ChildProcess& child) {
  std::string text;
  within(std::chrono::seconds(5), [&] {
    char buf[64];
    const ssize_t n = ::read(child.stdout_fd(), buf, sizeof buf);
    if (n > 0) text.append(buf, static_cast<std::size_t>(n));
    return text.find('\n') != std::string::npos;
  });
  return text.empty() ? 0 : static_cast<pid_t>(std::stol(text));
}

TEST(ChildProcess, WithAGuardItsOwnChildrenDieWithTheSpawningThread) {
  ChildProcess child;
  pid_t grandchild = 0;
  // The parent-death signals follow the thread that forked: its end stands in
  // for a daemon killed with SIGKILL.
  std::thread([&] {
    child = ChildProcess::spawn(shell_with_a_grandchild(true));
    grandchild = read_pid(child);
  }).join();
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(within(std::chrono::seconds(5), [&] { return gone(grandchild); }))
      << "sleep " << grandchild << " survived";
  EXPECT_TRUE(child.wait_exit(5000).has_value());
}

TEST(ChildProcess, WithoutAGuardOnlyTheChildDiesWithTheSpawningThread) {
  // Why the guard exists: PR_SET_PDEATHSIG reaches the direct child only.
  ChildProcess child;
  pid_t grandchild = 0;
  std::thread([&] {
    child = ChildProcess::spawn(shell_with_a_grandchild(false));
    grandchild = read_pid(child);
  }).join();
  ASSERT_GT(grandchild, 0);
  ASSERT_TRUE(child.wait_exit(5000).has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(gone(grandchild));
  ::kill(grandchild, SIGKILL);
}

TEST(ChildProcess, AChildThatExitsTakesItsGroupAndGuardWithIt) {
  auto spec = shell_with_a_grandchild(true);
  spec.argv = {"sh", "-c", "sleep 600 & echo $!; exit 0"};
  ChildProcess child = ChildProcess::spawn(spec);
  const pid_t grandchild = read_pid(child);
  ASSERT_GT(grandchild, 0);
  ASSERT_TRUE(child.wait_exit(5000).has_value());
  child = ChildProcess();  // what the supervisor does after an exit
  EXPECT_TRUE(within(std::chrono::seconds(2), [&] { return gone(grandchild); }));
}

TEST(ChildProcess, AMissingGuardIsAStartError) {
  auto spec = shell_with_a_grandchild(true);
  spec.guard_program = "/nonexistent/tickd-child-guard";
  try {
    ChildProcess::spawn(spec);
    FAIL() << "spawned without its guard";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "cannot execute /nonexistent/tickd-child-guard: No such file or directory");
  }
}

}  // namespace
}  // namespace tickd::core
