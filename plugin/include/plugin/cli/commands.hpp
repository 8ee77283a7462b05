#pragma once
// The `qatysu` command-line tool: migrate, user add|passwd|disable, import participants, demo load,
// access-code, certificates render|verify-offline.
// plugin/cli/main.cpp only gathers the process's streams and environment and calls runCli.

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "courses/repositories.hpp"

namespace plugin::cli {

/// Exit statuses of `qatysu`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;     ///< the command failed (bad data, storage error)
inline constexpr int kExitUsage = 2;       ///< wrong command line
inline constexpr int kExitLoginTaken = 3;  ///< `user add`: an account with that login exists

/// The standard streams and what they are connected to.
struct Console {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool in_is_terminal = false;
  bool err_is_terminal = false;
};

/// Runs `qatysu ARGS...` (`args` without the program name) against the database at `db_url`
/// (the value of QATYSU_DB_URL; commands that need a database fail clearly without it) and
/// returns the exit status. Never throws.
int runCli(const std::vector<std::string>& args, const std::optional<std::string>& db_url,
           Console console);

/// Gives the repositories a command works on.
using RepositoriesFactory = std::function<courses::Repositories()>;

/// Runs `qatysu ARGS...` against the repositories `open` gives instead of a database URL (tests
/// use in-memory ones). `migrate` needs a real database and fails here. Never throws.
int runCli(const std::vector<std::string>& args, const RepositoriesFactory& open, Console console);

}  // namespace plugin::cli
