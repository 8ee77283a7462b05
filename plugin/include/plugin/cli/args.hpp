#pragma once
// Command-line options of one subcommand: "--name value", "--name=value" and flags.

#include <map>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace plugin::cli {

/// A usage mistake (unknown option, missing value, wrong arguments): exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An option a subcommand accepts, e.g. {"--login", true} or {"--skip-bad", false}.
struct OptionSpec {
  std::string name;
  bool takes_value = false;
  /// With takes_value: the value may be left out ("--suppress" alone, or followed by another
  /// option); the option is then recorded with an empty value. A following argument that does
  /// not start with '-' is taken as its value.
  bool value_optional = false;
};

/// The arguments of one subcommand, sorted out.
struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  ///< options with a value, by name ("--login")
  std::set<std::string> flags;                ///< options without a value that were given
  bool help = false;                          ///< -h or --help was given

  std::optional<std::string> value(const std::string& name) const;
  bool flag(const std::string& name) const { return flags.contains(name); }
};

/// Sorts `args` by `specs`. "--" ends the options. Throws UsageError on an unknown option, a
/// repeated one, or one missing its value.
ParsedArgs parseArgs(std::span<const std::string> args, std::span<const OptionSpec> specs);

}  // namespace plugin::cli
