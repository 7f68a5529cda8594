#include "app/commands.hpp"

int main(int argc, char** argv) { return tickd::core::run_command_line(argc, argv); }
