#pragma once
// The `qatysu` command-line tool: migrate, user add|passwd|disable, import participants, demo load,
// access-code, totals [rebuild|check], targets set|list, certificates render|verify-offline.
// plugin/cli/main.cpp only gathers the process's streams and environment and calls runCli.

#include <functional>
#include <initializer_list>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses::mariadb {
class Store;
}

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
  bool out_is_terminal = false;  ///< binary exports refuse to go to a terminal
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

// What the database commands share (their own files include this header).

/// The storage of one command run: the database at QATYSU_DB_URL, or repositories handed in
/// (tests). Nothing is opened until a command asks.
class CommandStorage {
 public:
  virtual ~CommandStorage() = default;
  /// The repositories to work on. Throws courses::Error(invalid_argument) when QATYSU_DB_URL is
  /// not set, courses::Error(unavailable) when the database cannot be reached.
  virtual courses::Repositories repositories() = 0;
  /// The MariaDB store behind the repositories, for work below the services (rebuilding
  /// aggregates). Throws courses::Error(invalid_argument) when the run has no MariaDB database
  /// (in-memory repositories, or no QATYSU_DB_URL).
  virtual courses::mariadb::Store& store() = 0;
};

/// The enabled account with `login` as an actor. Throws courses::Error(not_found) when there is
/// none, courses::Error(forbidden) when it is disabled or its role is not one of `allowed`.
courses::Actor actingAccount(courses::Repositories repos, const std::string& login,
                             std::initializer_list<courses::Role> allowed);

}  // namespace plugin::cli
