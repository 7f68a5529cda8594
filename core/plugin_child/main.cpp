// tickd-plugin-host <plugin.so>: started by the daemon for an observer with
// `isolation: process`; stdin and stdout carry the protocol.
#include "plugin_child/plugin_child.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <plugin.so>  (started by tickd for `isolation: process`)\n", argv[0]);
    return 2;
  }
  // The protocol gets a private copy of stdout; whatever the plugin prints
  // goes to stderr, which the daemon logs, and cannot corrupt the protocol.
  const int protocol_out = ::dup(1);
  if (protocol_out < 0 || ::dup2(2, 1) < 0) return 2;
  // Never destroyed: its reader thread may still wait on stdin, which the
  // daemon closes only once we are gone; the process ends under it.
  auto* child = new tickd::core::PluginChild(argv[1], 0, protocol_out);
  const int status = child->run();
  std::fflush(nullptr);
  std::_Exit(status);
}
