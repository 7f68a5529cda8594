// tickd-child-guard <group> <daemon pid>: started by the daemon beside each
// child process, inside the child's process group. When the daemon dies, even
// by SIGKILL, the kernel sends this guard SIGTERM (PR_SET_PDEATHSIG, set and
// blocked before exec, so one that arrives early waits for us), and the guard
// kills the whole group: the child and every process it started, which the
// parent-death signal of the child alone would leave running. The daemon
// kills the guard with the group when the child ends. No library, no
// allocation: it sleeps in sigwait for the child's whole life.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <process group> <daemon pid>  (started by tickd)\n", argv[0]);
    return 2;
  }
  const pid_t group = static_cast<pid_t>(std::atol(argv[1]));
  const pid_t daemon = static_cast<pid_t>(std::atol(argv[2]));
  if (group <= 1 || daemon <= 1) return 2;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);  // the parent-death signal
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGINT);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  if (::getppid() == daemon) {  // else the daemon is already gone
    int signal = 0;
    while (sigwait(&set, &signal) != 0) {
    }
  }
  ::kill(-group, SIGKILL);  // this guard included: the last thing it does
  return 0;
}
