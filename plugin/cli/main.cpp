// qatysu: the command-line tool. Everything it does lives in plugin/src/cli.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "plugin/cli/commands.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const char* url = std::getenv("QATYSU_DB_URL");
  plugin::cli::Console console{std::cin,
                               std::cout,
                               std::cerr,
                               ::isatty(STDIN_FILENO) != 0,
                               ::isatty(STDERR_FILENO) != 0,
                               ::isatty(STDOUT_FILENO) != 0};
  return plugin::cli::runCli(args, url ? std::optional<std::string>(url) : std::nullopt, console);
}
