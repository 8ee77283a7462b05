#include "plugin/cli/args.hpp"

#include <algorithm>

namespace plugin::cli {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
  const auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

ParsedArgs parseArgs(std::span<const std::string> args, std::span<const OptionSpec> specs) {
  ParsedArgs parsed;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg == "-" || !arg.starts_with("-")) {
      parsed.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      parsed.help = true;
      continue;
    }
    const auto equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const OptionSpec& s) { return s.name == name; });
    if (spec == specs.end()) throw UsageError("unknown option " + name);
    if (parsed.values.contains(name) || parsed.flags.contains(name)) {
      throw UsageError("option " + name + " given twice");
    }
    if (!spec->takes_value) {
      if (equals != std::string::npos) throw UsageError("option " + name + " takes no value");
      parsed.flags.insert(name);
      continue;
    }
    if (equals != std::string::npos) {
      parsed.values[name] = arg.substr(equals + 1);
    } else if (spec->value_optional) {
      const bool next_is_value = i + 1 < args.size() && !args[i + 1].starts_with("-");
      parsed.values[name] = next_is_value ? args[++i] : std::string();
    } else if (i + 1 < args.size()) {
      parsed.values[name] = args[++i];
    } else {
      throw UsageError("option " + name + " needs a value");
    }
  }
  return parsed;
}

}  // namespace plugin::cli
